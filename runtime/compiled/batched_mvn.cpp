// density.batched of the multivariate normal families (multi_normal, multi_normal_cholesky,
// multi_normal_prec, multi_student_t) straight from boxed values to the kernels of
// runtime/math (dist_multinormal.cpp), without boxing anything per item:
//
//  - each argument given per item ('s' over lo..hi, 'g' gathered through an int array) is
//    copied once into a contiguous per-thread buffer; a broadcast argument ('b') is passed
//    in place;
//  - when the matrix argument is gathered (Sigma[g[n]]), the items are put in group order
//    (a counting sort) and the kernel is called once per group with that one matrix, so each
//    distinct matrix is factored once per call, not once per item; its gradient goes straight
//    into the group's accumulator;
//  - gradients of per-item arguments are scattered back into the accumulators' items;
//  - data matrices are factored once at construction (batchedMvnPrepare) into whitening
//    matrices and log-determinants, which the prepared kernel uses at every evaluation.
//
// Buffers are per thread and keep their capacity, so a gradient allocates nothing here.
#include <algorithm>
#include <cstring>

#include "mvc/distributions.h"
#include "values.h"

namespace mvc::values {
namespace {

enum class Family { Cov, Chol, Prec, StudentT };

bool familyOf(const std::string& f, Family& out) {
  if (f == "multi_normal") out = Family::Cov;
  else if (f == "multi_normal_cholesky") out = Family::Chol;
  else if (f == "multi_normal_prec") out = Family::Prec;
  else if (f == "multi_student_t") out = Family::StudentT;
  else return false;
  return true;
}

// One argument of the batched call.
struct Arg {
  char mode = 'b';
  const Value* v = nullptr;
  const Value* index = nullptr;  // 'g'
  size_t size = 0;               // reals per item
  const double* data = nullptr;  // contiguous items (gathered, or the broadcast value)
  int64_t n = 1;                 // items in `data`
  double* grad = nullptr;        // gradient of `data` (null: inactive)
  Value* acc = nullptr;          // its accumulator (null: inactive or saving partials)
  double* flat = nullptr;        // or its place in the gradient vector (mask 'p': item i at (i - 1) * size)
  bool want = false;             // its gradient is computed
};

struct Buffers {
  std::vector<double> data[4], grad[4], scalar[4];
  std::vector<int64_t> order, count, item;
  std::vector<double> scratch;
};

Buffers& buffers() {
  thread_local Buffers b;
  return b;
}

[[noreturn]] void outOfRange(const Value& arr, int64_t i);

inline const Value& at(const Value& arr, int64_t i) {
  if (__builtin_expect(arr.kind != Value::Array || i < 1 || i > static_cast<int64_t>(arr.a.size()), 0)) outOfRange(arr, i);
  return arr.a[static_cast<size_t>(i - 1)];
}

void outOfRange(const Value& arr, int64_t i) {
  indexOutOfRange(i, arr.kind == Value::Array ? static_cast<int64_t>(arr.a.size()) : 0);
}

// The 1-based item of argument a used at batch position i.
inline int64_t itemOf(const Arg& a, int64_t i) { return a.mode == 'g' ? at(*a.index, i).i : i; }

size_t realsOf(const Value& x) { return x.scalar() ? 1 : static_cast<size_t>(x.m.size()); }

inline void copyReals(const Value& x, double* out) {
  if (x.scalar()) {
    *out = x.num();
    return;
  }
  const double* d = x.m.data();
  for (Eigen::Index k = 0, n = x.m.size(); k < n; ++k) out[k] = d[k];  // short: no memcpy call
}

inline void addScaled(Value& x, const double* g, double s) {
  if (x.scalar()) {
    x.d += s * g[0];
    return;
  }
  double* d = x.m.data();
  for (Eigen::Index k = 0; k < x.m.size(); ++k) d[k] += s * g[k];
}

inline void addInto(Value& x, const double* g) {
  if (x.scalar()) {
    x.d += g[0];
    return;
  }
  double* d = x.m.data();
  for (Eigen::Index k = 0; k < x.m.size(); ++k) d[k] += g[k];
}

double* realsPtr(Value& x) { return x.scalar() ? &x.d : x.m.data(); }

void check(int rc, const mvc_dist_error& err, const char* family) {
  if (rc == MVC_DIST_OK) return;
  throw Error(std::string(family) + ": " + (err.message[0] ? err.message : mvc_dist_status_string(rc)));
}

// The prepared form of a data matrix argument (see batchedMvnPrepare): q, layout, count,
// then the buffer. Layout 0: K whitening matrices then K log-determinants (for 's'); layout
// 1: K blocks [W, log det] (for 'b' and 'g': one kernel call per block).
struct Prepared {
  int64_t q, layout, K;
  const double* p;
};

Prepared preparedOf(const Value& v) {
  if (v.kind != Value::Array || v.a.size() != 4) throw Error("batched prepare: bad prepared value", Error::kFatal);
  return {v.a[0].i, v.a[1].i, v.a[2].i, v.a[3].m.data()};
}

// Item m's block [W_m, log det_m] of a layout-0 preparation, for a kernel call over that one
// item (blk holds q q + 1 doubles).
void preparedItem(const Prepared& P, int64_t m, double* blk) {
  const int64_t qq = P.q * P.q;
  std::memcpy(blk, P.p + (m - 1) * qq, sizeof(double) * static_cast<size_t>(qq));
  blk[qq] = P.p[P.K * qq + m - 1];
}

// The prepared kernel (data matrices factored once) over ny / nmu / np items: the log density,
// and with grad its gradient (times adj) added into gy / gmu.
double runPrepared(const char* family, bool grad, const double* y, int64_t ny, const double* mu, int64_t nmu,
                   const double* prep, int64_t np, int64_t q, uint32_t active, bool propto, double adj, double* gy,
                   double* gmu) {
  mvc_dist_error err{};
  double out = 0;
  const int pr = propto ? 1 : 0;
  const int rc = grad ? mvc_multi_normal_prepared_lpdf_vgrad(y, ny, mu, nmu, prep, np, q, active, pr, &out, adj, gy, gmu,
                                                             &err)
                      : mvc_multi_normal_prepared_lpdf(y, ny, mu, nmu, prep, np, q, active, pr, &out, &err);
  check(rc, err, family);
  return out;
}

// The size b of the equal diagonal blocks of a square matrix that is zero outside them
// (exactly), or 0 when it is not block diagonal with equal blocks. One pass over the matrix:
// reach[i] = the farthest index row/column i has a nonzero at; a block ends where no row
// before reaches past it.
int64_t diagonalBlock(const Eigen::MatrixXd& A) {
  const int64_t n = A.rows();
  if (n < 2) return 0;
  std::vector<int64_t> reach(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) reach[static_cast<size_t>(i)] = i;
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i)
      if (A(i, j) != 0) {
        reach[static_cast<size_t>(i)] = std::max(reach[static_cast<size_t>(i)], j);
        reach[static_cast<size_t>(j)] = std::max(reach[static_cast<size_t>(j)], i);
      }
  int64_t b = 0, start = 0, end = 0;
  for (int64_t i = 0; i < n; ++i) {
    end = std::max(end, reach[static_cast<size_t>(i)]);
    if (end == i) {  // a block [start, i]
      const int64_t size = i - start + 1;
      if (b == 0) b = size;
      else if (size != b) return 0;
      start = i + 1;
    }
  }
  return b < n ? b : 0;
}

// Sufficient statistics (batchedMvnStats, layout 3): buffer [lo, hi, then per group g =
// 1..K: count, mean (q), centered scatter (q q)].
struct Stats {
  int64_t q, K, lo, hi;
  const double* p;  // the groups
  int64_t stride() const { return 1 + q + q * q; }
};

bool statsOf(const Value& v, Stats& s) {
  const Prepared P = preparedOf(v);
  if (P.layout != 3 || P.K < 0) return false;
  s = {P.q, P.K, static_cast<int64_t>(P.p[0]), static_cast<int64_t>(P.p[1]), P.p + 2};
  return true;
}

// The batch from the statistics: y data ('s'), mu one vector ('b'), the matrix per group
// ('g', through the index the statistics were made with) or one ('b'). Returns false, having
// done nothing, when the call is not one the statistics describe (other bounds, a gradient of
// y wanted, sizes that do not match): the general path then runs (and reports any error).
bool fromStats(Family fam, const Stats& S, const std::string& modes, Arg* a, int64_t lo, int64_t hi, uint32_t active,
               bool propto, double adj, MvnPartials* save, bool grad, double& lp) {
  if (fam == Family::StudentT || modes.size() != 3 || modes[0] != 's' || modes[1] != 'b' ||
      (modes[2] != 'g' && modes[2] != 'b') || lo != S.lo || hi != S.hi)
    return false;
  const Arg &Y = a[0], &MU = a[1], &M = a[2];
  const int64_t q = S.q, qq = q * q;
  const bool grouped = modes[2] == 'g';
  if (Y.want || M.flat || MU.v->scalar() || realsOf(*MU.v) != static_cast<size_t>(q)) return false;
  if (grouped ? static_cast<int64_t>(M.v->a.size()) < S.K : realsOf(*M.v) != static_cast<size_t>(qq)) return false;
  if (grouped)
    for (int64_t g = 0; g < S.K; ++g)
      if (S.p[g * S.stride()] > 0 && realsOf(M.v->a[static_cast<size_t>(g)]) != static_cast<size_t>(qq)) return false;
  const int family = fam == Family::Cov ? 0 : fam == Family::Chol ? 1 : 2;
  const char* name = family == 0 ? "multi_normal" : family == 1 ? "multi_normal_cholesky" : "multi_normal_prec";
  Buffers& B = buffers();
  std::vector<double>& gmu = B.grad[1];
  std::vector<double>& gM = B.grad[2];
  gmu.assign(static_cast<size_t>(q), 0.0);
  gM.assign(static_cast<size_t>(grouped ? M.v->a.size() : 1) * static_cast<size_t>(qq), 0.0);
  const bool wantMu = grad && MU.want, wantM = grad && M.want;
  const double* mu = MU.v->m.data();
  lp = 0;
  for (int64_t g = 0; g < S.K; ++g) {
    const double* st = S.p + g * S.stride();
    if (st[0] <= 0) continue;
    const Value& Mg = grouped ? M.v->a[static_cast<size_t>(g)] : *M.v;
    mvc_dist_error err{};
    double out = 0;
    const int rc = mvc_multi_normal_stats_lpdf_vgrad(family, q, st[0], st + 1, st + 1 + q, mu, Mg.m.data(), active,
                                                     propto ? 1 : 0, &out, wantMu ? gmu.data() : nullptr,
                                                     wantM ? gM.data() + (grouped ? g * qq : 0) : nullptr, &err);
    if (rc != MVC_DIST_OK) {
      std::string which = grouped ? " [" + std::to_string(g + 1) + "]" : "";
      throw Error(std::string(name) + ": " + (err.message[0] ? err.message : mvc_dist_status_string(rc)) +
                  (grouped ? " (matrix" + which + ")" : ""));
    }
    lp += out;
  }
  if (!grad) return true;
  if (save) {
    save->valid = true;
    save->family = name;
    save->modes = modes;
    save->active = (wantMu ? 2u : 0u) | (wantM ? 4u : 0u);
    save->propto = propto;
    save->order.clear();
    save->value = lp;
    if (wantMu) save->g[1] = gmu;
    if (wantM) save->g[2] = gM;
    return true;
  }
  if (wantMu) {
    if (MU.flat) for (int64_t r = 0; r < q; ++r) MU.flat[r] += adj * gmu[static_cast<size_t>(r)];
    else if (MU.acc) addScaled(*MU.acc, gmu.data(), adj);
  }
  if (wantM && M.acc) {
    if (grouped)
      for (int64_t g = 0; g < S.K; ++g) addScaled(M.acc->a.at(static_cast<size_t>(g)), gM.data() + g * qq, adj);
    else
      addScaled(*M.acc, gM.data(), adj);
  }
  return true;
}

}  // namespace

Value batchedMvnStats(int64_t lo, int64_t hi, const Value& y, const Value* G) {
  auto unusable = [] {
    return Value::array({Value::integer(0), Value::integer(3), Value::integer(-1), Value::vec(Eigen::MatrixXd(0, 1))});
  };
  if (y.kind != Value::Array || hi < lo || lo < 1 || hi > static_cast<int64_t>(y.a.size())) return unusable();
  if (G && (G->kind != Value::Array || hi > static_cast<int64_t>(G->a.size()))) return unusable();
  const Value& first = y.a[static_cast<size_t>(lo - 1)];
  if (!first.linalg() || first.m.size() < 1) return unusable();
  const int64_t q = first.m.size(), stride = 1 + q + q * q;
  int64_t K = 1;
  for (int64_t i = lo; G && i <= hi; ++i) {
    const Value& g = G->a[static_cast<size_t>(i - 1)];
    if (g.kind != Value::Int || g.i < 1 || g.i > 1000000) return unusable();
    K = std::max(K, g.i);
  }
  Eigen::MatrixXd buf = Eigen::MatrixXd::Zero(2 + K * stride, 1);
  buf(0, 0) = static_cast<double>(lo);
  buf(1, 0) = static_cast<double>(hi);
  double* p = buf.data() + 2;
  auto groupOf = [&](int64_t i) { return G ? G->a[static_cast<size_t>(i - 1)].i - 1 : 0; };
  for (int64_t i = lo; i <= hi; ++i) {  // counts and means
    const Value& yi = y.a[static_cast<size_t>(i - 1)];
    if (!yi.linalg() || yi.m.size() != q) return unusable();
    double* st = p + groupOf(i) * stride;
    st[0] += 1;
    for (int64_t r = 0; r < q; ++r) {
      if (!std::isfinite(yi.m.data()[r])) return unusable();
      st[1 + r] += (yi.m.data()[r] - st[1 + r]) / st[0];  // running mean
    }
  }
  for (int64_t i = lo; i <= hi; ++i) {  // centered scatter
    const double* yi = y.a[static_cast<size_t>(i - 1)].m.data();
    double* st = p + groupOf(i) * stride;
    for (int64_t c = 0; c < q; ++c)
      for (int64_t r = 0; r < q; ++r) st[1 + q + r + c * q] += (yi[r] - st[1 + r]) * (yi[c] - st[1 + c]);
  }
  return Value::array({Value::integer(q), Value::integer(3), Value::integer(K), Value::vec(std::move(buf))});
}

bool batchedMvnFamily(const std::string& family) {
  Family f;
  return familyOf(family, f);
}

double batchedMvn(const std::string& family, const std::string& modes, const std::string& mask, const Args& in,
                  uint32_t active, bool propto, double adj, Value* const* accs, const Value* prepared,
                  MvnPartials* save, double* const* flat) {
  Family fam;
  if (!familyOf(family, fam)) throw Error("batchedMvn: not a multivariate normal family: " + family, Error::kFatal);
  const size_t nargs = fam == Family::StudentT ? 4 : 3, mi = nargs - 1;  // mi: the matrix argument
  const bool grad = accs != nullptr || save != nullptr;
  if (save) {
    save->valid = false;
    adj = 1;
  }
  size_t need = 2;
  for (char m : modes) need += m == 'g' ? 2 : 1;
  if (modes.size() != nargs || in.size() < need || (accs && mask.size() != nargs))
    throw Error(family + ": density.batched with modes '" + modes + "' and " + std::to_string(in.size()) + " inputs",
                Error::kFatal);
  const int64_t lo = in[0].i, hi = in[1].i, N = hi - lo + 1;
  if (N <= 0) return 0;  // (save stays invalid: the reverse call finds nothing to do either way)
  Buffers& B = buffers();

  Arg a[4];
  size_t k_in = 2, acc = 0;
  for (size_t k = 0; k < nargs; ++k) {
    a[k].mode = modes[k];
    a[k].v = &in[k_in++];
    if (a[k].mode == 'g') a[k].index = &in[k_in++];
    if (accs && (mask[k] == 'a' || mask[k] == 'p')) {
      if (mask[k] == 'p') a[k].flat = flat ? flat[acc] : nullptr;
      else a[k].acc = accs[acc];
      ++acc;
    }
    a[k].want = accs ? a[k].acc != nullptr || a[k].flat != nullptr : save && (active >> k & 1u);
    const Value& first = a[k].mode == 'b' ? *a[k].v : at(*a[k].v, itemOf(a[k], lo));
    a[k].size = realsOf(first);
  }
  const int64_t q = static_cast<int64_t>(a[0].size);
  if (prepared && preparedOf(*prepared).layout == 3) {  // sufficient statistics of data y
    Stats S;
    double lp = 0;
    if (statsOf(*prepared, S) && S.q == q && fromStats(fam, S, modes, a, lo, hi, active, propto, adj, save, grad, lp)) {
      if (save) {
        save->prepared = prepared;
        save->inputs.assign(in.data(), in.data() + need);
      }
      return lp;
    }
    prepared = nullptr;  // not a call they describe: the general path
  }
  if (prepared) a[mi].acc = nullptr, a[mi].flat = nullptr, a[mi].want = false;  // a prepared matrix is data

  // Batch order: by matrix when the matrix is gathered (counting sort on the group index).
  const bool grouped = a[mi].mode == 'g';
  B.order.resize(static_cast<size_t>(N));
  if (grouped) {
    const int64_t K = static_cast<int64_t>(a[mi].v->a.size());
    B.count.assign(static_cast<size_t>(K + 1), 0);
    B.item.resize(static_cast<size_t>(N));
    for (int64_t j = 0; j < N; ++j) {
      int64_t m = itemOf(a[mi], lo + j);
      at(*a[mi].v, m);  // range check
      B.item[static_cast<size_t>(j)] = m;
      ++B.count[static_cast<size_t>(m)];
    }
    int64_t run = 0;
    for (int64_t m = 1; m <= K; ++m) {
      int64_t c = B.count[static_cast<size_t>(m)];
      B.count[static_cast<size_t>(m)] = run;
      run += c;
    }
    for (int64_t j = 0; j < N; ++j) B.order[static_cast<size_t>(B.count[static_cast<size_t>(B.item[j])]++)] = j;
  } else {
    for (int64_t j = 0; j < N; ++j) B.order[static_cast<size_t>(j)] = j;
  }

  // Gather the per-item arguments (not a grouped matrix: it is passed per group).
  for (size_t k = 0; k < nargs; ++k) {
    Arg& x = a[k];
    if (k == mi && (grouped || prepared)) continue;
    if (x.mode == 'b') {
      if (x.v->scalar()) {
        B.scalar[k].assign(1, x.v->num());
        x.data = B.scalar[k].data();
        if (x.acc) x.grad = &x.acc->d;
      } else {
        x.data = x.v->m.data();
        if (x.acc) x.grad = x.acc->m.data();
      }
      if (x.flat) x.grad = x.flat;
      if (save && x.want) {
        save->g[k].assign(x.size, 0.0);
        x.grad = save->g[k].data();
      }
      x.n = 1;
      continue;
    }
    std::vector<double>& buf = B.data[k];
    buf.resize(static_cast<size_t>(N) * x.size);
    for (int64_t j = 0; j < N; ++j) {
      const Value& it = at(*x.v, itemOf(x, lo + B.order[static_cast<size_t>(j)]));
      if (realsOf(it) != x.size)
        throw Error(family + ": item " + std::to_string(lo + B.order[static_cast<size_t>(j)]) + " has size " +
                    std::to_string(realsOf(it)) + ", expecting " + std::to_string(x.size));
      copyReals(it, buf.data() + static_cast<size_t>(j) * x.size);
    }
    x.data = buf.data();
    x.n = N;
    if (x.want) {
      std::vector<double>& g = save ? save->g[k] : B.grad[k];
      g.assign(buf.size(), 0.0);
      x.grad = g.data();
    }
  }
  const size_t muArg = fam == Family::StudentT ? 2 : 1;
  if (q != static_cast<int64_t>(a[muArg].size))
    throw Error(family + ": y has " + std::to_string(q) + " elements but mu has " + std::to_string(a[muArg].size));

  // One kernel call over positions [j0, j1) with the matrix argument (M, nM).
  const int pr = propto ? 1 : 0;
  if (!prepared) B.scratch.resize(static_cast<size_t>(mvc_dist_scratch_size(q) + 16));  // (the prepared kernels use none)
  mvc_dist_error err{};
  auto span = [](const Arg& x, int64_t j0, auto* base) { return x.n == 1 ? base : base + static_cast<size_t>(j0) * x.size; };
  auto call = [&](int64_t j0, int64_t j1, const double* M, int64_t nM, double* gM, const double* prep,
                  int64_t np) -> double {
    const int64_t n = j1 - j0;
    auto cnt = [&](const Arg& x) { return x.n == 1 ? int64_t{1} : n; };
    const double* d[4];
    double* g[4];
    for (size_t k = 0; k < nargs; ++k) {
      if (k == mi) continue;
      d[k] = span(a[k], j0, a[k].data);
      g[k] = a[k].grad ? span(a[k], j0, a[k].grad) : nullptr;
    }
    if (prep)
      return runPrepared(family.c_str(), grad, d[0], cnt(a[0]), d[1], cnt(a[1]), prep, np, q, active, propto, adj, g[0],
                         g[1]);
    double out = 0;
    int rc;
    if (fam == Family::StudentT) {
      rc = grad ? mvc_multi_student_t_lpdf_vgrad(d[0], cnt(a[0]), d[1], cnt(a[1]), d[2], cnt(a[2]), M, nM, q, active,
                                                 pr, &out, adj, g[0], g[1], g[2], gM, B.scratch.data(), &err)
                : mvc_multi_student_t_lpdf(d[0], cnt(a[0]), d[1], cnt(a[1]), d[2], cnt(a[2]), M, nM, q, active, pr, &out,
                                           B.scratch.data(), &err);
    } else {
      auto f = fam == Family::Cov ? &mvc_multi_normal_lpdf
               : fam == Family::Chol ? &mvc_multi_normal_cholesky_lpdf : &mvc_multi_normal_prec_lpdf;
      auto fg = fam == Family::Cov ? &mvc_multi_normal_lpdf_vgrad
                : fam == Family::Chol ? &mvc_multi_normal_cholesky_lpdf_vgrad : &mvc_multi_normal_prec_lpdf_vgrad;
      rc = grad ? fg(d[0], cnt(a[0]), d[1], cnt(a[1]), M, nM, q, active, pr, &out, adj, g[0], g[1], gM, B.scratch.data(),
                     &err)
                : f(d[0], cnt(a[0]), d[1], cnt(a[1]), M, nM, q, active, pr, &out, B.scratch.data(), &err);
    }
    check(rc, err, family.c_str());
    return out;
  };

  const Arg& M = a[mi];
  double lp = 0;
  if (prepared && preparedOf(*prepared).layout == 2) {
    // One block-diagonal matrix (batchedMvnPrepare): y and mu of K b reals are K items of b
    // (mu may also be one item of b, broadcast); gradients land in place.
    const Prepared P = preparedOf(*prepared);
    if (N != 1 || a[0].mode != 'b' || a[1].mode != 'b' || a[0].n != 1 || a[1].n != 1)
      throw Error(family + ": a block-diagonal matrix with batched arguments", Error::kFatal);
    auto items = [&](const Arg& x) -> int64_t {
      if (static_cast<int64_t>(x.size) == P.K * P.q) return P.K;
      if (static_cast<int64_t>(x.size) == P.q) return 1;
      throw Error(family + ": an argument of " + std::to_string(x.size) + " elements against a " +
                  std::to_string(P.K * P.q) + " x " + std::to_string(P.K * P.q) + " matrix");
    };
    if (items(a[0]) != P.K) throw Error(family + ": y has " + std::to_string(a[0].size) + " elements against a " +
                                        std::to_string(P.K * P.q) + " x " + std::to_string(P.K * P.q) + " matrix");
    lp = runPrepared(family.c_str(), grad, a[0].data, P.K, a[1].data, items(a[1]), P.p, P.K, P.q, active, propto, adj,
                     a[0].grad, a[1].grad);
  } else if (prepared) {
    Prepared P = preparedOf(*prepared);
    if (P.q != q) throw Error(family + ": the prepared matrices have size " + std::to_string(P.q), Error::kFatal);
    const int64_t qq = q * q;
    if (M.mode == 'b') {
      lp = call(0, N, nullptr, 0, nullptr, P.p, 1);
    } else if (grouped) {
      for (int64_t j0 = 0; j0 < N;) {
        int64_t m = B.item[static_cast<size_t>(B.order[static_cast<size_t>(j0)])], j1 = j0 + 1;
        while (j1 < N && B.item[static_cast<size_t>(B.order[static_cast<size_t>(j1)])] == m) ++j1;
        lp += call(j0, j1, nullptr, 0, nullptr, P.p + (m - 1) * (qq + 1), 1);
        j0 = j1;
      }
    } else if (lo == 1 && hi == P.K) {
      lp = call(0, N, nullptr, 0, nullptr, P.p, P.K);
    } else {  // a sub-range of the prepared items: one call per item
      for (int64_t j = 0; j < N; ++j) {
        int64_t m = lo + j;
        if (m < 1 || m > P.K) at(*M.v, m);  // the range error
        double blk[64 * 64 + 1];
        if (qq + 1 > static_cast<int64_t>(sizeof blk / sizeof blk[0])) throw Error(family + ": q too large", Error::kFatal);
        preparedItem(P, m, blk);
        lp += call(j, j + 1, nullptr, 0, nullptr, blk, 1);
      }
    }
  } else if (grouped) {
    if (save && M.want) save->g[mi].assign(M.v->a.size() * static_cast<size_t>(q * q), 0.0);
    for (int64_t j0 = 0; j0 < N;) {
      int64_t m = B.item[static_cast<size_t>(B.order[static_cast<size_t>(j0)])], j1 = j0 + 1;
      while (j1 < N && B.item[static_cast<size_t>(B.order[static_cast<size_t>(j1)])] == m) ++j1;
      const Value& Mm = at(*M.v, m);
      if (realsOf(Mm) != static_cast<size_t>(q * q))
        throw Error(family + ": matrix " + std::to_string(m) + " is not " + std::to_string(q) + " x " + std::to_string(q));
      double* gM = M.acc ? realsPtr(M.acc->a.at(static_cast<size_t>(m - 1)))
                   : save && M.want ? save->g[mi].data() + (m - 1) * q * q : nullptr;
      lp += call(j0, j1, Mm.m.data(), 1, gM, nullptr, 0);
      j0 = j1;
    }
  } else {
    if (M.size != static_cast<size_t>(q * q))
      throw Error(family + ": the matrix argument is not " + std::to_string(q) + " x " + std::to_string(q));
    lp = call(0, N, M.data, M.n, M.grad, nullptr, 0);
  }

  if (save) {  // the partials and what identifies this call, for applyMvnPartials
    save->valid = true;
    save->family = family;
    save->modes = modes;
    save->active = 0;
    for (size_t k = 0; k < nargs; ++k)
      if (a[k].want) save->active |= 1u << k;
    save->propto = propto;
    save->prepared = prepared;
    save->inputs.assign(in.data(), in.data() + need);
    save->order.assign(B.order.begin(), B.order.end());
    save->value = lp;
    return lp;
  }
  // Scatter the per-item gradients into the accumulators (or the gradient vector).
  if (grad)
    for (size_t k = 0; k < nargs; ++k) {
      const Arg& x = a[k];
      if ((!x.acc && !x.flat) || x.mode == 'b' || (k == mi && grouped)) continue;
      for (int64_t j = 0; j < N; ++j) {
        int64_t item = itemOf(x, lo + B.order[static_cast<size_t>(j)]);
        const double* g = x.grad + static_cast<size_t>(j) * x.size;
        if (x.flat) {
          double* d = x.flat + static_cast<size_t>(item - 1) * x.size;
          for (size_t r = 0; r < x.size; ++r) d[r] += g[r];
        } else {
          addInto(x.acc->a.at(static_cast<size_t>(item - 1)), g);
        }
      }
    }
  return lp;
}

bool applyMvnPartials(const MvnPartials& P, const std::string& family, const std::string& modes,
                      const std::string& mask, const Args& in, bool propto, double adj, Value* const* accs,
                      const Value* prepared, double* const* flat) {
  if (!P.valid || P.family != family || P.modes != modes || P.propto != propto || P.prepared != prepared ||
      in.size() < P.inputs.size() || mask.size() != modes.size())
    return false;
  for (size_t k = 0; k < P.inputs.size(); ++k) {  // the same values: scalars by value, the rest by identity
    const Value &x = in[k], &y = *P.inputs[k];
    bool same = !x.scalar()            ? &x == &y
                : x.kind == Value::Int ? y.kind == Value::Int && x.i == y.i
                                       : y.kind == Value::Real && x.d == y.d;
    if (!same) return false;
  }
  for (size_t k = 0; k < mask.size(); ++k)
    if ((mask[k] == 'a' || mask[k] == 'p') && !(P.active >> k & 1u)) return false;
  const size_t mi = modes.size() - 1;
  const int64_t lo = in[0].i;
  size_t k_in = 2, acc = 0;
  for (size_t k = 0; k < modes.size(); ++k) {
    Arg x;
    x.mode = modes[k];
    x.v = &in[k_in++];
    if (x.mode == 'g') x.index = &in[k_in++];
    if (mask[k] != 'a' && mask[k] != 'p') continue;
    const std::vector<double>& g = P.g[k];
    if (mask[k] == 'p') {  // straight into the gradient vector: item i's reals at (i - 1) * per
      double* dst = flat ? flat[acc] : nullptr;
      ++acc;
      if (!dst) throw Error(family + ": no gradient target for a parameter", Error::kFatal);
      if (x.mode == 'b') {
        for (size_t r = 0; r < g.size(); ++r) dst[r] += adj * g[r];
      } else {
        const size_t N = P.order.size(), per = N ? g.size() / N : 0;
        for (size_t j = 0; j < N; ++j) {
          double* d = dst + static_cast<size_t>(itemOf(x, lo + P.order[j]) - 1) * per;
          const double* s = g.data() + j * per;
          for (size_t r = 0; r < per; ++r) d[r] += adj * s[r];
        }
      }
      continue;
    }
    Value& dst = *accs[acc++];
    if (x.mode == 'b') {
      if (numReals(dst) != g.size()) throw Error(family + ": partials do not match the accumulator", Error::kFatal);
      addScaled(dst, g.data(), adj);
    } else if (k == mi && x.mode == 'g') {  // per group
      const size_t K = dst.a.size(), per = K ? g.size() / K : 0;
      for (size_t m = 0; m < K; ++m) addScaled(dst.a[m], g.data() + m * per, adj);
    } else {
      const size_t N = P.order.size(), per = N ? g.size() / N : 0;
      for (size_t j = 0; j < N; ++j) {
        int64_t item = itemOf(x, lo + P.order[j]);
        addScaled(dst.a.at(static_cast<size_t>(item - 1)), g.data() + j * per, adj);
      }
    }
  }
  return true;
}

double batchedMvnDirect(const char* family, const Value& prepared, char matMode, int64_t lo, int64_t hi,
                        const DirectArg& y, const DirectArg& mu, uint32_t active, bool propto) {
  const int64_t N = hi - lo + 1;
  if (N <= 0) return 0;
  const Prepared P = preparedOf(prepared);
  const int64_t q = P.q;
  if (static_cast<int64_t>(y.size) != q || static_cast<int64_t>(mu.size) != q)
    throw Error(std::string(family) + ": y has " + std::to_string(y.size) + " elements, mu " + std::to_string(mu.size) +
                ", the matrices are " + std::to_string(q) + " x " + std::to_string(q));
  for (const DirectArg* x : {&y, &mu})
    if (x->n != 1 && x->n != N)
      throw Error(std::string(family) + ": the batch has " + std::to_string(N) + " items, an argument " +
                  std::to_string(x->n));
  const bool grad = y.grad || mu.grad;
  // Items [j0, j1) of the batch against np prepared matrices at prep.
  auto call = [&](int64_t j0, int64_t j1, const double* prep, int64_t np) {
    const int64_t n = j1 - j0;
    auto at = [&](const DirectArg& x, auto* base) { return x.n == 1 ? base : base + static_cast<size_t>(j0) * x.size; };
    return runPrepared(family, grad, at(y, y.data), y.n == 1 ? 1 : n, at(mu, mu.data), mu.n == 1 ? 1 : n, prep, np, q,
                       active, propto, 1.0, y.grad ? at(y, y.grad) : nullptr, mu.grad ? at(mu, mu.grad) : nullptr);
  };
  if (matMode == 'b') return call(0, N, P.p, 1);
  if (lo == 1 && hi == P.K) return call(0, N, P.p, P.K);
  // a sub-range of the matrices: one call per item with its block [W, log det]
  checkIndexRange(lo, hi, P.K);
  std::vector<double> blk(static_cast<size_t>(q * q + 1));
  double lp = 0;
  for (int64_t j = 0; j < N; ++j) {
    preparedItem(P, lo + j, blk.data());
    lp += call(j, j + 1, blk.data(), 1);
  }
  return lp;
}

Value packItems(const Value& arr) {
  if (arr.kind != Value::Array) throw Error("batched pack: expecting an array of vectors, got " + describe(arr), Error::kFatal);
  if (arr.a.empty()) return Value::mat(Eigen::MatrixXd(0, 0));  // N = 0: no items (a batch over them is empty)
  if (!arr.a[0].linalg())
    throw Error("batched pack: expecting an array of vectors, got " + describe(arr), Error::kFatal);
  const Eigen::Index size = arr.a[0].m.size(), K = static_cast<Eigen::Index>(arr.a.size());
  Eigen::MatrixXd out(size, K);
  for (Eigen::Index k = 0; k < K; ++k) {
    const Value& x = arr.a[static_cast<size_t>(k)];
    if (!x.linalg() || x.m.size() != size)
      throw Error("item " + std::to_string(k + 1) + " is " + describe(x) + ", expecting " + std::to_string(size) +
                      " elements as the first",
                  Error::kData);
    std::memcpy(out.col(k).data(), x.m.data(), sizeof(double) * static_cast<size_t>(size));
  }
  return Value::mat(std::move(out));
}

Value batchedMvnPrepare(const std::string& family, char mode, const Value& cov) {
  Family fam;
  if (!familyOf(family, fam) || fam == Family::StudentT)
    throw Error("batched prepare: the family " + family + " has no prepared form", Error::kFatal);
  std::vector<const Value*> mats;
  if (mode == 'b') mats.push_back(&cov);
  else if (cov.kind == Value::Array)
    for (const Value& m : cov.a) mats.push_back(&m);
  else
    throw Error(family + ": expecting an array of matrices, got " + describe(cov), Error::kData);
  int64_t K = static_cast<int64_t>(mats.size());
  int64_t q = K ? mats[0]->m.rows() : 0;
  int64_t qq = q * q;
  std::vector<double> all;
  // One matrix that is block diagonal with equal blocks (kron(I_K, S), or blocks filled in a
  // loop): K matrices of the block size, the vectors' consecutive segments their items.
  const int64_t block = mode == 'b' && cov.kind == Value::Mat && cov.m.rows() == cov.m.cols() ? diagonalBlock(cov.m) : 0;
  if (block > 0 && block < q) {
    K = q / block;
    q = block;
    qq = q * q;
    all.resize(static_cast<size_t>(K * qq));
    for (int64_t m = 0; m < K; ++m)
      Eigen::Map<Eigen::MatrixXd>(all.data() + m * qq, q, q) = cov.m.block(m * q, m * q, q, q);
  } else {
    all.resize(static_cast<size_t>(K * qq));
    for (int64_t m = 0; m < K; ++m) {
      const Value& x = *mats[static_cast<size_t>(m)];
      if (x.kind != Value::Mat || x.m.rows() != q || x.m.cols() != q)
        throw Error(family + ": matrix " + std::to_string(m + 1) + " is " + describe(x) + ", expecting " +
                        std::to_string(q) + " x " + std::to_string(q),
                    Error::kData);
      std::memcpy(all.data() + m * qq, x.m.data(), sizeof(double) * static_cast<size_t>(qq));
    }
  }
  Eigen::MatrixXd buf(mvc_multi_normal_prepared_size(K, q), 1);
  mvc_dist_error err{};
  int rc = fam == Family::Cov    ? mvc_multi_normal_prepare(all.data(), K, q, buf.data(), &err)
           : fam == Family::Chol ? mvc_multi_normal_cholesky_prepare(all.data(), K, q, buf.data(), &err)
                                 : mvc_multi_normal_prec_prepare(all.data(), K, q, buf.data(), &err);
  if (rc != MVC_DIST_OK) {
    const char* what = fam == Family::Prec ? "precision matrix" : fam == Family::Chol ? "Cholesky factor" : "covariance matrix";
    std::string item = mode == 'b' && K == 1 ? "the " + std::string(what)
                       : mode == 'b' ? "the " + std::string(what) + " (its diagonal block " + std::to_string(err.index + 1) + ")"
                                     : "the " + std::string(what) + " [" + std::to_string(err.index + 1) + "]";
    throw Error(family + ": " + item + " is " +
                    (rc == MVC_DIST_ERR_NOT_SYMMETRIC ? "not symmetric"
                     : fam == Family::Chol            ? "not a Cholesky factor (a diagonal element is not positive)"
                                                      : "not positive definite"),
                Error::kData);
  }
  int64_t layout = mode == 's' ? 0 : 1;
  if (block > 0 && block * K == cov.m.rows() && K > 1) layout = 2;  // K diagonal blocks, items: segments
  if (layout == 1 && K > 1) {  // blocks [W_m, log det_m]
    Eigen::MatrixXd blocks(K * (qq + 1), 1);
    for (int64_t m = 0; m < K; ++m) {
      std::memcpy(blocks.data() + m * (qq + 1), buf.data() + m * qq, sizeof(double) * static_cast<size_t>(qq));
      blocks(m * (qq + 1) + qq, 0) = buf(K * qq + m, 0);
    }
    buf = std::move(blocks);
  }
  return Value::array({Value::integer(q), Value::integer(layout), Value::integer(K), Value::vec(std::move(buf))});
}

}  // namespace mvc::values
