// Densities through the runtime kernels (runtime/include/mvc/distributions.h), with their
// `active` and `propto` conventions: density, density.grad, density.batched(.grad).
#include <cmath>
#include <cstring>
#include <map>
#include <string_view>

#include "mvc/distributions.h"
#include "values.h"

namespace mvc::values {
namespace {


// ---- univariate kernels, by number of real parameters after the variate
using R0 = int (*)(const double*, int64_t, uint32_t, int, double*);
using R0g = int (*)(const double*, int64_t, uint32_t, int, double, double*);
using R1 = int (*)(const double*, int64_t, const double*, int64_t, uint32_t, int, double*);
using R1g = int (*)(const double*, int64_t, const double*, int64_t, uint32_t, int, double, double*, double*);
using R2 = int (*)(const double*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t, int, double*);
using R2g = int (*)(const double*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t, int, double, double*,
                    double*, double*);
using R3 = int (*)(const double*, int64_t, const double*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t,
                   int, double*);
using R3g = int (*)(const double*, int64_t, const double*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t,
                    int, double, double*, double*, double*, double*);
using I1 = int (*)(const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double*);
using I1g = int (*)(const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double, double*);
using I2 = int (*)(const int32_t*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t, int, double*);
using I2g = int (*)(const int32_t*, int64_t, const double*, int64_t, const double*, int64_t, uint32_t, int, double, double*,
                    double*);
// binomial: int variate, int trials, real parameter
using B1 = int (*)(const int32_t*, int64_t, const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double*);
using B1g = int (*)(const int32_t*, int64_t, const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double,
                    double*);
using B2 = int (*)(const int32_t*, int64_t, const int32_t*, int64_t, const double*, int64_t, const double*, int64_t,
                   uint32_t, int, double*);
using B2g = int (*)(const int32_t*, int64_t, const int32_t*, int64_t, const double*, int64_t, const double*, int64_t,
                    uint32_t, int, double, double*, double*);
// categorical: int variate, one vector of K
using K1 = int (*)(const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double*);
using K1g = int (*)(const int32_t*, int64_t, const double*, int64_t, uint32_t, int, double, double*);
// discrete_range: three int arguments, no gradient
using D2 = int (*)(const int32_t*, int64_t, const int32_t*, int64_t, const int32_t*, int64_t, uint32_t, int, double*);

struct Kernel {
  char kind;  // 'r' real variate, 'i' int variate, 'n' int variate and int trials, 'k' an int array and one vector, 'd' ints only
  int params;
  void* f;
  void* g;
};

#define RK(name, n) {#name, {'r', n, (void*)&mvc_##name##_lpdf, (void*)&mvc_##name##_lpdf_grad}}
#define IK(name, n) {#name, {'i', n, (void*)&mvc_##name##_lpmf, (void*)&mvc_##name##_lpmf_grad}}
#define NK(name) {#name, {'n', 2, (void*)&mvc_##name##_lpmf, (void*)&mvc_##name##_lpmf_grad}}
#define KK(name) {#name, {'k', 1, (void*)&mvc_##name##_lpmf, (void*)&mvc_##name##_lpmf_grad}}

const std::map<std::string, Kernel, std::less<>>& kernels() {
  static const std::map<std::string, Kernel, std::less<>> k = {
      RK(normal, 2), RK(std_normal, 0), RK(cauchy, 2), RK(student_t, 3), RK(double_exponential, 2),
      RK(logistic, 2), RK(exponential, 1), RK(gamma, 2), RK(inv_gamma, 2), RK(lognormal, 2),
      RK(chi_square, 1), RK(beta, 2), RK(uniform, 2), RK(weibull, 2), RK(rayleigh, 1), RK(pareto, 2),
      RK(gumbel, 2), RK(frechet, 2), RK(inv_chi_square, 1), RK(skew_normal, 3), RK(exp_mod_normal, 3), RK(von_mises, 2),
      IK(bernoulli, 1), IK(bernoulli_logit, 1), IK(poisson, 1), IK(poisson_log, 1), IK(neg_binomial_2, 2),
      IK(neg_binomial_2_log, 2), IK(neg_binomial, 2), IK(ordered_logistic, 2), IK(ordered_probit, 2),
      {"beta_binomial", {'n', 3, (void*)&mvc_beta_binomial_lpmf, (void*)&mvc_beta_binomial_lpmf_grad}}, NK(binomial), NK(binomial_logit), KK(categorical), KK(categorical_logit),
      KK(multinomial), {"discrete_range", {'d', 2, (void*)&mvc_discrete_range_lpmf, nullptr}},
  };
  return k;
}

bool multivariate(std::string_view f) {
  return f == "multi_normal" || f == "multi_normal_cholesky" || f == "multi_normal_prec" || f == "multi_student_t" ||
         f == "lkj_corr_cholesky" || f == "lkj_corr" || f == "dirichlet" || f == "wishart" || f == "inv_wishart";
}

void fail(int rc, std::string_view name, const char* msg = nullptr) {
  if (rc == MVC_DIST_OK) return;
  throw Error(std::string(name) + ": " + (msg && *msg ? std::string(msg) : mvc_dist_status_string(rc)));
}

// addFrom(dst, src) after checking that dst holds n reals (an accumulator shaped unlike its
// argument is a bug in the generated code: an error, not a read past the partials).
void addChecked(Value& dst, const double* src, size_t n, std::string_view name) {
  if (numReals(dst) != n)
    throw Error(std::string(name) + ": a gradient accumulator (" + describe(dst) + ") does not match its argument",
                Error::kFatal);
  addFrom(dst, src);
}

// Per-thread buffers of the multivariate kernels: each argument's items packed contiguously,
// their gradients, the kernels' scratch (no allocation once warm).
struct MvBuffers {
  std::vector<double> buf[4], gbuf[4], scratch;
};
MvBuffers& mvBuffers() {
  thread_local MvBuffers b;
  return b;
}

// The size q of a multivariate family's item (a vector's length, a matrix's rows).
int64_t itemSize(const Value& first) { return first.kind == Value::Mat ? first.m.rows() : first.m.size(); }

// The multivariate kernel of fam on b.buf[0..nargs), argument k holding n[k] items (1: one
// for all). With `grads`, b.gbuf[k] (sized like b.buf[k], zeroed by the caller) receives adj *
// the partials of every argument k with want[k]; the value is then not computed (0).
double runBatched(std::string_view fam, MvBuffers& b, const int64_t* n, int64_t q, const bool* want, uint32_t active,
                  bool propto, double adj, bool grads) {
  struct Packed {
    const double* d;
    int64_t n;
  } p[4];
  double* gp[4] = {nullptr, nullptr, nullptr, nullptr};
  for (size_t k = 0; k < 4; ++k) {
    p[k] = {b.buf[k].data(), n[k]};
    if (grads && want[k]) gp[k] = b.gbuf[k].data();
  }
  std::vector<double>& scratch = b.scratch;
  scratch.resize(static_cast<size_t>(mvc_dist_scratch_size(q) + 16));
  mvc_dist_error err{};
  double out = 0;
  int rc;
  int pr = propto ? 1 : 0;
  if (fam == "multi_normal" || fam == "multi_normal_cholesky" || fam == "multi_normal_prec") {
    auto f = fam == "multi_normal" ? &mvc_multi_normal_lpdf : fam == "multi_normal_cholesky" ? &mvc_multi_normal_cholesky_lpdf : &mvc_multi_normal_prec_lpdf;
    auto fg = fam == "multi_normal" ? &mvc_multi_normal_lpdf_grad : fam == "multi_normal_cholesky" ? &mvc_multi_normal_cholesky_lpdf_grad : &mvc_multi_normal_prec_lpdf_grad;
    rc = grads ? fg(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, q, active, pr, adj, gp[0], gp[1], gp[2],
                    scratch.data(), &err)
               : f(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, q, active, pr, &out, scratch.data(), &err);
  } else if (fam == "multi_student_t") {
    rc = grads ? mvc_multi_student_t_lpdf_grad(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, p[3].d, p[3].n, q,
                                               active, pr, adj, gp[0], gp[1], gp[2], gp[3], scratch.data(), &err)
               : mvc_multi_student_t_lpdf(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, p[3].d, p[3].n, q, active,
                                          pr, &out, scratch.data(), &err);
  } else if (fam == "lkj_corr_cholesky") {
    rc = grads ? mvc_lkj_corr_cholesky_lpdf_grad(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, adj, gp[0], gp[1], &err)
               : mvc_lkj_corr_cholesky_lpdf(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, &out, &err);
  } else if (fam == "dirichlet") {
    rc = grads ? mvc_dirichlet_lpdf_grad(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, adj, gp[0], gp[1], &err)
               : mvc_dirichlet_lpdf(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, &out, &err);
  } else if (fam == "wishart" || fam == "inv_wishart") {
    auto f = fam == "wishart" ? &mvc_wishart_lpdf : &mvc_inv_wishart_lpdf;
    auto fg = fam == "wishart" ? &mvc_wishart_lpdf_grad : &mvc_inv_wishart_lpdf_grad;
    rc = grads ? fg(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, q, active, pr, adj, gp[0], gp[1], gp[2],
                    scratch.data(), &err)
               : f(p[0].d, p[0].n, p[1].d, p[1].n, p[2].d, p[2].n, q, active, pr, &out, scratch.data(), &err);
  } else if (fam == "lkj_corr") {
    rc = grads ? mvc_lkj_corr_lpdf_grad(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, adj, gp[0], gp[1],
                                        scratch.data(), &err)
               : mvc_lkj_corr_lpdf(p[0].d, p[0].n, p[1].d, p[1].n, q, active, pr, &out, scratch.data(), &err);
  } else {
    throw Error("the density '" + std::string(fam) + "' is not supported by the runtime yet", Error::kFatal);
  }
  fail(rc, fam, err.message);
  return out;
}

// The multivariate kernels on arguments that are each an array of items or one item (n = 1);
// grads (null: the value only) has one entry per argument, null or an accumulator shaped like
// the argument.
double batched(std::string_view fam, const std::vector<const Value*>& args, uint32_t active, bool propto, double adj,
               const std::vector<Value*>* grads) {
  if (args.empty() || args.size() > 4) throw Error(std::string(fam) + ": bad number of arguments", Error::kFatal);
  MvBuffers& b = mvBuffers();
  int64_t n[4] = {0, 0, 0, 0};
  bool want[4] = {false, false, false, false};
  for (size_t k = 0; k < args.size(); ++k) {
    b.buf[k].clear();
    flatten(*args[k], b.buf[k]);
    n[k] = args[k]->kind == Value::Array ? static_cast<int64_t>(args[k]->a.size()) : 1;
    if (grads && (*grads)[k]) {
      want[k] = true;
      b.gbuf[k].assign(b.buf[k].size(), 0.0);
    }
  }
  const int64_t q = itemSize(args[0]->kind == Value::Array ? args[0]->a.at(0) : *args[0]);
  const double out = runBatched(fam, b, n, q, want, active, propto, adj, grads != nullptr);
  if (grads)
    for (size_t k = 0; k < args.size(); ++k)
      if (want[k]) addChecked(*(*grads)[k], b.gbuf[k].data(), b.gbuf[k].size(), fam);
  return out;
}

bool endsWith(std::string_view s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// A cdf term through mvc_lcdf by family: name ends in _lcdf, _lccdf, or _cdf (the cdf itself,
// exp of the log cdf; over vectors the product, as Stan's).
double cdfTerm(std::string_view name, std::string_view family, const Args& args, double adj,
               const std::vector<Value*>* grads) {
  const bool upper = endsWith(name, "_lccdf"), plain = endsWith(name, "_cdf");
  const std::string fam(family);  // (mvc_lcdf takes a C string)
  const int arity = mvc_lcdf_arity(fam.c_str());
  if (arity == 0) throw Error("the function '" + std::string(name) + "' is not supported by the runtime yet", Error::kFatal);
  if (static_cast<int>(args.size()) != arity)
    throw Error(std::string(name) + ": expects " + std::to_string(arity) + " arguments, got " + std::to_string(args.size()),
                Error::kFatal);
  thread_local std::vector<double> p[4], g[4];
  mvc_dist_arg a[4];
  double* gp[4] = {nullptr, nullptr, nullptr, nullptr};
  for (int i = 0; i < arity; ++i) {
    p[i].clear();
    flatten(args[i], p[i]);
    a[i] = {p[i].data(), nullptr, static_cast<int64_t>(p[i].size())};
  }
  double out = 0;
  if (!grads || plain) fail(mvc_lcdf(fam.c_str(), upper ? 1 : 0, a, arity, &out), name);
  if (plain) out = std::exp(out);
  if (grads) {
    for (int i = 0; i < arity; ++i)
      if ((*grads)[i]) {
        g[i].assign(p[i].size(), 0.0);
        gp[i] = g[i].data();
      }
    // d cdf = cdf * d log cdf
    fail(mvc_lcdf_grad(fam.c_str(), upper ? 1 : 0, a, arity, plain ? adj * out : adj, gp), name);
    for (int i = 0; i < arity; ++i)
      if (gp[i]) addChecked(*(*grads)[i], g[i].data(), g[i].size(), name);
  }
  return out;
}

const Kernel& kernelOf(std::string_view name, std::string_view family, size_t nargs) {
  auto it = kernels().find(family);
  if (it == kernels().end()) throw Error("the density '" + std::string(name) + "' is not supported by the runtime yet", Error::kFatal);
  const Kernel& k = it->second;
  if (static_cast<int>(nargs) != k.params + 1)
    throw Error(std::string(name) + ": expects " + std::to_string(k.params + 1) + " arguments, got " + std::to_string(nargs),
                Error::kFatal);
  return k;
}

// Per-thread argument and gradient buffers of the kernels: they keep their capacity, so a
// density call allocates nothing once warm.
struct KernelBuffers {
  std::vector<double> p[4], g[4];
};
KernelBuffers& kernelBuffers() {
  thread_local KernelBuffers b;
  return b;
}

// The kernel k on the arguments flattened into b.p[0..k.params] (ints as doubles). With
// `grads`, b.g[i] (sized like b.p[i] and zeroed by the caller) receives adj * the partials of
// every argument i with want[i]; the value is then not computed (0).
double runKernel(std::string_view name, const Kernel& k, KernelBuffers& b, const bool* want, uint32_t active,
                 bool propto, double adj, bool grads) {
  std::vector<double>* p = b.p;
  double* gp[4] = {nullptr, nullptr, nullptr, nullptr};
  if (grads)
    for (int i = 0; i <= k.params; ++i)
      if (want[i]) gp[i] = b.g[i].data();
  auto n = [&](size_t i) { return static_cast<int64_t>(p[i].size()); };
  double out = 0;
  int rc = 0;
  int pr = propto ? 1 : 0;
  if (k.kind == 'r') {
    switch (k.params) {
      case 0: rc = grads ? ((R0g)k.g)(p[0].data(), n(0), active, pr, adj, gp[0]) : ((R0)k.f)(p[0].data(), n(0), active, pr, &out); break;
      case 1: rc = grads ? ((R1g)k.g)(p[0].data(), n(0), p[1].data(), n(1), active, pr, adj, gp[0], gp[1])
                         : ((R1)k.f)(p[0].data(), n(0), p[1].data(), n(1), active, pr, &out); break;
      case 2: rc = grads ? ((R2g)k.g)(p[0].data(), n(0), p[1].data(), n(1), p[2].data(), n(2), active, pr, adj, gp[0], gp[1], gp[2])
                         : ((R2)k.f)(p[0].data(), n(0), p[1].data(), n(1), p[2].data(), n(2), active, pr, &out); break;
      case 3: rc = grads ? ((R3g)k.g)(p[0].data(), n(0), p[1].data(), n(1), p[2].data(), n(2), p[3].data(), n(3), active, pr, adj,
                                      gp[0], gp[1], gp[2], gp[3])
                         : ((R3)k.f)(p[0].data(), n(0), p[1].data(), n(1), p[2].data(), n(2), p[3].data(), n(3), active, pr, &out); break;
    }
  } else if (k.kind == 'i') {
    std::vector<int32_t> y(p[0].begin(), p[0].end());
    switch (k.params) {
      case 1: rc = grads ? ((I1g)k.g)(y.data(), n(0), p[1].data(), n(1), active, pr, adj, gp[1])
                         : ((I1)k.f)(y.data(), n(0), p[1].data(), n(1), active, pr, &out); break;
      case 2: rc = grads ? ((I2g)k.g)(y.data(), n(0), p[1].data(), n(1), p[2].data(), n(2), active, pr, adj, gp[1], gp[2])
                         : ((I2)k.f)(y.data(), n(0), p[1].data(), n(1), p[2].data(), n(2), active, pr, &out); break;
    }
  } else if (k.kind == 'n' && k.params == 3) {  // beta_binomial: two real parameters
    std::vector<int32_t> y(p[0].begin(), p[0].end()), trials(p[1].begin(), p[1].end());
    rc = grads ? ((B2g)k.g)(y.data(), n(0), trials.data(), n(1), p[2].data(), n(2), p[3].data(), n(3), active, pr, adj,
                            gp[2], gp[3])
               : ((B2)k.f)(y.data(), n(0), trials.data(), n(1), p[2].data(), n(2), p[3].data(), n(3), active, pr, &out);
  } else if (k.kind == 'n') {
    std::vector<int32_t> y(p[0].begin(), p[0].end()), trials(p[1].begin(), p[1].end());
    rc = grads ? ((B1g)k.g)(y.data(), n(0), trials.data(), n(1), p[2].data(), n(2), active, pr, adj, gp[2])
               : ((B1)k.f)(y.data(), n(0), trials.data(), n(1), p[2].data(), n(2), active, pr, &out);
  } else if (k.kind == 'd') {
    std::vector<int32_t> y(p[0].begin(), p[0].end()), lo(p[1].begin(), p[1].end()), hi(p[2].begin(), p[2].end());
    rc = ((D2)k.f)(y.data(), n(0), lo.data(), n(1), hi.data(), n(2), active, pr, &out);  // no real argument
  } else if (k.kind == 'k') {
    std::vector<int32_t> y(p[0].begin(), p[0].end());
    rc = grads ? ((K1g)k.g)(y.data(), n(0), p[1].data(), n(1), active, pr, adj, gp[1])
               : ((K1)k.f)(y.data(), n(0), p[1].data(), n(1), active, pr, &out);
  }
  fail(rc, name);
  return out;
}

double univariate(std::string_view name, std::string_view family, bool isCdf, const Args& args, uint32_t active,
                  bool propto, double adj, const std::vector<Value*>* grads) {
  if (isCdf) return cdfTerm(name, family, args, adj, grads);
  if (multivariate(family)) {
    std::vector<const Value*> items(args.data(), args.data() + args.size());
    return batched(family, items, active, propto, adj, grads);
  }
  const Kernel& k = kernelOf(name, family, args.size());
  KernelBuffers& b = kernelBuffers();
  bool want[4] = {false, false, false, false};
  for (size_t i = 0; i < args.size(); ++i) {
    b.p[i].clear();
    flatten(args[i], b.p[i]);
    if (grads && (*grads)[i]) {
      want[i] = true;
      b.g[i].assign(b.p[i].size(), 0.0);
    }
  }
  const double out = runKernel(name, k, b, want, active, propto, adj, grads != nullptr);
  if (grads)
    for (size_t i = 0; i < args.size(); ++i)
      if (want[i]) addChecked(*(*grads)[i], b.g[i].data(), b.g[i].size(), name);
  return out;
}

// The inputs of density.batched over items lo..hi, read in place: per argument its mode
// ('b' one value for every item, 's' the array's items lo..hi, 'g' the array's items at a
// group index's entries lo..hi) and the values it reads.
struct BatchInputs {
  int64_t lo, hi;
  std::vector<char> mode;
  std::vector<const Value*> value, group;

  BatchInputs(const std::string& modes, const Args& in) {
    size_t need = 2;
    for (char m : modes) need += m == 'g' ? 2 : 1;
    if (in.size() < need)
      throw Error("density.batched: modes '" + modes + "' need " + std::to_string(need) + " inputs, got " +
                      std::to_string(in.size()),
                  Error::kFatal);
    lo = in[0].i;
    hi = in[1].i;
    for (size_t k = 2, a = 0; a < modes.size(); ++a) {
      mode.push_back(modes[a]);
      value.push_back(&in[k++]);
      group.push_back(modes[a] == 'g' ? &in[k++] : nullptr);
    }
  }
  size_t items() const { return hi >= lo ? static_cast<size_t>(hi - lo + 1) : 0; }
  // The 1-based index into argument k's array of item i (0-based); 0 for 'b'.
  int64_t target(size_t k, size_t i) const {
    const int64_t n = lo + static_cast<int64_t>(i);
    if (mode[k] == 'b') return 0;
    if (mode[k] == 's') return n;
    return at(*group[k], n).i;
  }
  const Value& item(size_t k, size_t i) const {
    return mode[k] == 'b' ? *value[k] : at(*value[k], target(k, i));
  }
  static const Value& at(const Value& arr, int64_t i) {
    if (arr.kind != Value::Array || i < 1 || i > static_cast<int64_t>(arr.a.size()))
      indexOutOfRange(i, arr.kind == Value::Array ? static_cast<int64_t>(arr.a.size()) : 0);
    return arr.a[static_cast<size_t>(i - 1)];
  }
};

// A batch of a univariate family (every argument elementwise): one call of its kernel over
// the items laid end to end, read where they are (no copies of the items). Each item has the
// size of its largest argument; an argument that is one value per item (or one for all) is
// repeated over the item's elements, and a broadcast vector over every item. accs (null: the
// value only): per argument, the accumulator of the whole argument's gradient (null: not
// wanted), into which each item's partials are added (summed over what was repeated).
double univariateBatch(std::string_view family, const BatchInputs& in, uint32_t active, bool propto, double adj,
                       Value* const* accs) {
  const Kernel& k = kernelOf(family, family, in.mode.size());
  const size_t nargs = in.mode.size(), K = in.items();
  thread_local std::vector<size_t> len;
  len.assign(K, 1);
  for (size_t i = 0; i < K; ++i)
    for (size_t a = 0; a < nargs; ++a) {
      const Value& x = in.item(a, i);
      const size_t n = x.scalar() ? 1 : numReals(x);
      if (n != 1 && len[i] != 1 && n != len[i])
        throw Error(std::string(family) + ": item " + std::to_string(in.lo + static_cast<int64_t>(i)) +
                    " has arguments of sizes " + std::to_string(len[i]) + " and " + std::to_string(n));
      if (n != 1) len[i] = n;
    }
  // Each argument laid out over the elements (or one scalar when it is one for every element).
  KernelBuffers& b = kernelBuffers();
  bool want[4] = {false, false, false, false}, one[4] = {false, false, false, false};
  for (size_t a = 0; a < nargs; ++a) {
    std::vector<double>& p = b.p[a];
    p.clear();
    one[a] = in.mode[a] == 'b' && in.value[a]->scalar();
    if (one[a]) {
      p.push_back(in.value[a]->num());
    } else {
      for (size_t i = 0; i < K; ++i) {
        const size_t at = p.size();
        flatten(in.item(a, i), p);
        if (p.size() - at == 1) {
          const double v = p[at];  // (resize may move the buffer)
          p.resize(at + len[i], v);
        }
      }
    }
    if (accs && accs[a]) {
      want[a] = true;
      b.g[a].assign(p.size(), 0.0);
    }
  }
  const double out = runKernel(family, k, b, want, active, propto, adj, accs != nullptr);
  if (!accs) return out;
  for (size_t a = 0; a < nargs; ++a) {
    if (!want[a]) continue;
    Value& acc = *accs[a];
    const double* src = b.g[a].data();
    if (one[a]) {
      double sum = 0;
      for (double x : b.g[a]) sum += x;
      addChecked(acc, &sum, 1, family);
      continue;
    }
    for (size_t i = 0; i < K; ++i) {
      const int64_t t = in.target(a, i);
      Value& dst = t == 0 ? acc : acc.a.at(static_cast<size_t>(t - 1));
      if (numReals(in.item(a, i)) == 1) {
        double sum = 0;
        for (size_t j = 0; j < len[i]; ++j) sum += src[j];
        addChecked(dst, &sum, 1, family);
      } else {
        addChecked(dst, src, len[i], family);
      }
      src += len[i];
    }
  }
  return out;
}

// A batch of a multivariate family (its items whole) over items read in place; accs as
// univariateBatch's.
double multivariateBatch(std::string_view family, const BatchInputs& in, uint32_t active, bool propto, double adj,
                         Value* const* accs) {
  const size_t nargs = in.mode.size(), K = in.items();
  if (nargs == 0 || nargs > 4) throw Error(std::string(family) + ": bad number of arguments", Error::kFatal);
  if (K == 0) return 0.0;  // no items: an empty sum
  MvBuffers& b = mvBuffers();
  int64_t n[4] = {0, 0, 0, 0};
  bool want[4] = {false, false, false, false};
  for (size_t a = 0; a < nargs; ++a) {
    b.buf[a].clear();
    if (in.mode[a] == 'b') {
      flatten(*in.value[a], b.buf[a]);
      n[a] = 1;
    } else {
      for (size_t i = 0; i < K; ++i) flatten(in.item(a, i), b.buf[a]);
      n[a] = static_cast<int64_t>(K);
    }
    if (accs && accs[a]) {
      want[a] = true;
      b.gbuf[a].assign(b.buf[a].size(), 0.0);
    }
  }
  const double out = runBatched(family, b, n, itemSize(in.item(0, 0)), want, active, propto, adj, accs != nullptr);
  for (size_t a = 0; a < nargs; ++a) {
    if (!want[a]) continue;
    if (in.mode[a] == 'b') {
      addChecked(*accs[a], b.gbuf[a].data(), b.gbuf[a].size(), family);
      continue;
    }
    const size_t per = b.gbuf[a].size() / K;  // the reals of one item
    for (size_t i = 0; i < K; ++i)
      addChecked(accs[a]->a.at(static_cast<size_t>(in.target(a, i) - 1)), b.gbuf[a].data() + i * per, per, family);
  }
  return out;
}

}  // namespace

bool densitySupported(const std::string& family) { return kernels().count(family) || multivariate(family); }

bool cdfSupported(const std::string& family) { return mvc_lcdf_arity(family.c_str()) > 0; }

double density(std::string_view name, std::string_view family, bool isCdf, const Args& args, uint32_t active,
               bool propto) {
  return univariate(name, family, isCdf, args, active, propto, 0, nullptr);
}

void densityGrad(std::string_view name, std::string_view family, bool isCdf, std::string_view mask, bool propto,
                 double adj, const Args& args, Value* const* accs) {
  size_t nargs = mask.size();
  if (args.size() != nargs)
    throw Error(std::string(name) + ": the gradient mask does not match the arguments", Error::kFatal);
  uint32_t active = 0;
  // The gradients go straight into the accumulators (each shaped like its argument).
  thread_local std::vector<Value*> gp;
  gp.assign(nargs, nullptr);
  size_t acc = 0;
  for (size_t k = 0; k < nargs; ++k)
    if (mask[k] == 'a') {
      active |= 1u << k;
      gp[k] = accs[acc++];
    }
  // The forward activity of a density may include arguments that are inactive here; the
  // mask is the truth.
  univariate(name, family, isCdf, args, active, propto, adj, &gp);
}

double densityBatched(const std::string& family, const std::string& modes, const Args& inputs, uint32_t active,
                      bool propto) {
  if (batchedMvnFamily(family)) return batchedMvn(family, modes, "", inputs, active, propto, 0, nullptr, nullptr);
  const BatchInputs items(modes, inputs);
  return multivariate(family) ? multivariateBatch(family, items, active, propto, 0, nullptr)
                              : univariateBatch(family, items, active, propto, 0, nullptr);
}

void densityBatchedGrad(const std::string& family, const std::string& modesMask, bool propto, double adj,
                        const Args& in, Value* const* accs, double* const* flat) {
  size_t slash = modesMask.find('/');
  const std::string modes = modesMask.substr(0, slash);
  const std::string mask = slash == std::string::npos ? std::string() : modesMask.substr(slash + 1);
  if (mask.size() != modes.size()) throw Error("density.batched.grad: bad attribute '" + modesMask + "'", Error::kFatal);
  if (batchedMvnFamily(family)) {
    uint32_t active = 0;
    for (size_t k = 0; k < mask.size(); ++k)
      if (mask[k] == 'a' || mask[k] == 'p') active |= 1u << k;
    batchedMvn(family, modes, mask, in, active, propto, adj, accs, nullptr, nullptr, flat);
    return;
  }
  if (mask.find('p') != std::string::npos)
    throw Error("density.batched.grad: " + family + " takes no parameter gradient target", Error::kFatal);
  uint32_t active = 0;
  for (size_t k = 0; k < mask.size(); ++k)
    if (mask[k] == 'a') active |= 1u << k;
  // straight into the accumulators
  std::vector<Value*> per(modes.size(), nullptr);
  for (size_t k = 0, acc = 0; k < modes.size(); ++k)
    if (mask[k] == 'a') per[k] = accs[acc++];
  const BatchInputs items(modes, in);
  if (multivariate(family)) {
    multivariateBatch(family, items, active, propto, adj, per.data());
  } else {
    univariateBatch(family, items, active, propto, adj, per.data());
  }
}

}  // namespace mvc::values
