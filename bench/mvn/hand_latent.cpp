// The practical limit for the data-covariance latent model
//   log p(x) = sum_n log N(x[n] | mu[n], Sigma[n]),   x = N vectors of size q (the parameters),
// written by hand in C++/Eigen as an expert would: the Cholesky factors L[n] of the data
// covariances (and their log-determinants) are computed once up front, and one gradient is
//   d = x[n] - mu[n];  z = L[n]^-1 d;  lp -= z'z / 2;  grad[n] = -L[n]^-T z
// with fixed-size Eigen types for q = 2, 3, 4, 8 (dynamic otherwise). A second variant
// ("prec") precomputes the precision matrices P[n] = Sigma[n]^-1 instead: grad[n] = -P[n] d,
// lp += d'grad[n] / 2 (a q x q product instead of two triangular solves).
//
// Reads the same CmdStan JSON files as the compiled models (bench/mvn/gen_data.py), evaluates
// at the same point as bs_gradient_bench (x = zeros or standard normals from a fixed seed,
// n-major as Stan's unconstrained vector: x[1][1..q], x[2][1..q], ...), and prints one JSON
// line per data file and variant. At start-up it checks the hand gradient against central
// finite differences on the first vectors of each data set and the two variants against each
// other; a failed check exits with status 1.
//
//   hand_latent [--batches B] [--min-batch-ms T] [--point normal|zeros] [--seed S]
//               [--variants chol,prec] DATA.json...
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "timing.h"

namespace {

using mvn_bench::json_str;

struct LatentData {
  int N = 0, q = 0;
  std::vector<double> mu;     // N*q, n-major
  std::vector<double> Sigma;  // N*q*q, each row-major (symmetric anyway)
};

LatentData load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  nlohmann::json j = nlohmann::json::parse(in);
  LatentData d;
  d.N = j.at("N").get<int>();
  d.q = j.at("q").get<int>();
  const auto& mu = j.at("mu");
  const auto& S = j.at("Sigma");
  if (int(mu.size()) != d.N || int(S.size()) != d.N) throw std::runtime_error(path + ": sizes of mu/Sigma are not N");
  d.mu.reserve(size_t(d.N) * d.q);
  d.Sigma.reserve(size_t(d.N) * d.q * d.q);
  for (int n = 0; n < d.N; ++n) {
    for (int i = 0; i < d.q; ++i) d.mu.push_back(mu[n].at(i).get<double>());
    for (int i = 0; i < d.q; ++i)
      for (int k = 0; k < d.q; ++k) d.Sigma.push_back(S[n].at(i).at(k).get<double>());
  }
  return d;
}

constexpr double kLog2Pi = 1.8378770664093454836;

// The interface of one prepared evaluator: log density (propto: without the constants that
// do not depend on x) and its gradient.
struct Evaluator {
  virtual ~Evaluator() = default;
  virtual double lp_grad(const double* x, double* grad) const = 0;
  double constant = 0;  // sum_n (-q/2 log 2 pi - log det L[n]): add for the full density
};

// Fixed size Q (or Eigen::Dynamic with q given at run time). The factor is computed by Eigen's
// LLT once; the solves are written out (Eigen's triangularView solves are not unrolled for
// small fixed sizes and cost several times more), with the reciprocal diagonal stored.
template <int Q>
struct CholEval final : Evaluator {
  using Mat = Eigen::Matrix<double, Q, Q>;
  int N, q;
  std::vector<double> mu;
  std::vector<double> L;     // N*q*q, column-major lower triangles
  std::vector<double> rdiag; // N*q, 1 / L[n](i, i)

  CholEval(const LatentData& d) : N(d.N), q(d.q), mu(d.mu), L(size_t(d.N) * d.q * d.q), rdiag(size_t(d.N) * d.q) {
    for (int n = 0; n < N; ++n) {
      Eigen::Map<const Eigen::Matrix<double, Q, Q, Eigen::RowMajor>> S(&d.Sigma[size_t(n) * q * q], q, q);
      Eigen::LLT<Mat> llt{Mat(S)};
      if (llt.info() != Eigen::Success) throw std::runtime_error("Sigma[" + std::to_string(n + 1) + "] is not positive definite");
      Mat Lf = llt.matrixL();
      Eigen::Map<Eigen::Matrix<double, Q, Q>>(&L[size_t(n) * q * q], q, q) = Lf;
      _Pragma("GCC unroll 16")
      for (int i = 0; i < q; ++i) rdiag[size_t(n) * q + i] = 1.0 / Lf(i, i);
      constant += -0.5 * q * kLog2Pi - Lf.diagonal().array().log().sum();
    }
  }
  double lp_grad(const double* x, double* grad) const override {
    const int qq = Q > 0 ? Q : q;
    constexpr int QM = Q > 0 ? Q : 64;
    if (Q <= 0 && q > 64) throw std::runtime_error("q > 64 is not supported by the dynamic path");
    double lp = 0;
    double z[QM];
    for (int n = 0; n < N; ++n) {
      const size_t o = size_t(n) * qq;
      const double* Ln = &L[o * qq];
      const double* rd = &rdiag[o];
      const double* xn = x + o;
      const double* mn = mu.data() + o;
      // z = L^-1 (x - mu), column by column (axpy form: vectorises, short dependency chains)
      _Pragma("GCC unroll 16")
      for (int i = 0; i < qq; ++i) z[i] = xn[i] - mn[i];
      _Pragma("GCC unroll 16")
      for (int k = 0; k < qq; ++k) {
        const double zk = z[k] * rd[k];
        z[k] = zk;
        lp -= 0.5 * zk * zk;
        const double* col = Ln + k * qq;
        _Pragma("GCC unroll 16")
        for (int i = k + 1; i < qq; ++i) z[i] -= col[i] * zk;
      }
      double* g = grad + o;
      _Pragma("GCC unroll 16")
      for (int i = qq - 1; i >= 0; --i) {  // g = -L^-T z (dot form over column i of L)
        const double* col = Ln + i * qq;
        double s = z[i];
        _Pragma("GCC unroll 16")
        for (int k = i + 1; k < qq; ++k) s -= col[k] * z[k];
        z[i] = s * rd[i];
        g[i] = -z[i];
      }
    }
    return lp;
  }
};

template <int Q>
struct PrecEval final : Evaluator {
  using Vec = Eigen::Matrix<double, Q, 1>;
  using Mat = Eigen::Matrix<double, Q, Q>;
  int N, q;
  std::vector<double> mu;
  std::vector<Mat, Eigen::aligned_allocator<Mat>> P;

  PrecEval(const LatentData& d) : N(d.N), q(d.q), mu(d.mu) {
    P.reserve(N);
    for (int n = 0; n < N; ++n) {
      Eigen::Map<const Eigen::Matrix<double, Q, Q, Eigen::RowMajor>> S(&d.Sigma[size_t(n) * q * q], q, q);
      Eigen::LLT<Mat> llt{Mat(S)};
      if (llt.info() != Eigen::Success) throw std::runtime_error("Sigma[" + std::to_string(n + 1) + "] is not positive definite");
      Mat I = Mat::Identity(q, q);
      P.push_back(llt.solve(I));
      Mat Lf = llt.matrixL();
      constant += -0.5 * q * kLog2Pi - Lf.diagonal().array().log().sum();
    }
  }
  double lp_grad(const double* x, double* grad) const override {
    double lp = 0;
    for (int n = 0; n < N; ++n) {
      const size_t o = size_t(n) * q;
      Vec dlt = Eigen::Map<const Vec>(x + o, q) - Eigen::Map<const Vec>(mu.data() + o, q);
      Vec g = -(P[n] * dlt);
      lp += 0.5 * dlt.dot(g);
      Eigen::Map<Vec>(grad + o, q) = g;
    }
    return lp;
  }
};

template <template <int> class E>
std::unique_ptr<Evaluator> make(const LatentData& d) {
  switch (d.q) {
    case 2: return std::make_unique<E<2>>(d);
    case 3: return std::make_unique<E<3>>(d);
    case 4: return std::make_unique<E<4>>(d);
    case 8: return std::make_unique<E<8>>(d);
    default: return std::make_unique<E<Eigen::Dynamic>>(d);
  }
}

std::unique_ptr<Evaluator> make_variant(const std::string& v, const LatentData& d) {
  if (v == "chol") return make<CholEval>(d);
  if (v == "prec") return make<PrecEval>(d);
  throw std::runtime_error("unknown variant '" + v + "' (chol or prec)");
}

LatentData head(const LatentData& d, int n) {
  LatentData h;
  h.N = std::min(n, d.N);
  h.q = d.q;
  h.mu.assign(d.mu.begin(), d.mu.begin() + size_t(h.N) * d.q);
  h.Sigma.assign(d.Sigma.begin(), d.Sigma.begin() + size_t(h.N) * d.q * d.q);
  return h;
}

// Finite differences on the first vectors, and the variants against each other on all of d.
// Returns an empty string when the checks pass, else what failed.
std::string self_check(const LatentData& d, const std::vector<double>& x) {
  char buf[256];
  LatentData h = head(d, 8);
  for (const char* v : {"chol", "prec"}) {
    auto e = make_variant(v, h);
    const size_t dim = size_t(h.N) * h.q;
    std::vector<double> g(dim), gd(dim), xp(x.begin(), x.begin() + dim);
    e->lp_grad(xp.data(), g.data());
    for (size_t i = 0; i < dim; ++i) {
      const double step = 1e-5 * std::max(1.0, std::abs(xp[i]));
      const double x0 = xp[i];
      xp[i] = x0 + step;
      const double fp = e->lp_grad(xp.data(), gd.data());
      xp[i] = x0 - step;
      const double fm = e->lp_grad(xp.data(), gd.data());
      xp[i] = x0;
      const double fd = (fp - fm) / (2 * step);
      if (std::abs(fd - g[i]) > 1e-6 * std::max(1.0, std::abs(g[i]))) {
        std::snprintf(buf, sizeof buf, "%s: d lp / d x[%zu] = %.12g, finite differences %.12g", v, i, g[i], fd);
        return buf;
      }
    }
  }
  // The full density of the first vector against a direct formula (inverse by LU).
  {
    const int q = d.q;
    Eigen::MatrixXd S = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(d.Sigma.data(), q, q);
    Eigen::VectorXd dv = Eigen::Map<const Eigen::VectorXd>(x.data(), q) - Eigen::Map<const Eigen::VectorXd>(d.mu.data(), q);
    const double direct = -0.5 * q * kLog2Pi - 0.5 * std::log(S.determinant()) - 0.5 * dv.dot(S.fullPivLu().solve(dv));
    auto e = make_variant("chol", head(d, 1));
    std::vector<double> g(q);
    const double lp = e->lp_grad(x.data(), g.data()) + e->constant;
    if (std::abs(lp - direct) > 1e-9 * std::max(1.0, std::abs(direct))) {
      std::snprintf(buf, sizeof buf, "log density of x[1]: %.15g, direct formula %.15g", lp, direct);
      return buf;
    }
  }
  auto a = make_variant("chol", d), b = make_variant("prec", d);
  const size_t dim = size_t(d.N) * d.q;
  std::vector<double> ga(dim), gb(dim);
  const double la = a->lp_grad(x.data(), ga.data()), lb = b->lp_grad(x.data(), gb.data());
  if (std::abs(la - lb) > 1e-9 * std::max(1.0, std::abs(la))) {
    std::snprintf(buf, sizeof buf, "chol and prec disagree on lp: %.15g vs %.15g", la, lb);
    return buf;
  }
  for (size_t i = 0; i < dim; ++i)
    if (std::abs(ga[i] - gb[i]) > 1e-8 * std::max(1.0, std::abs(ga[i]))) {
      std::snprintf(buf, sizeof buf, "chol and prec disagree on grad[%zu]: %.15g vs %.15g", i, ga[i], gb[i]);
      return buf;
    }
  return "";
}

int usage() {
  std::fprintf(stderr,
               "usage: hand_latent [--batches B] [--min-batch-ms T] [--point normal|zeros] [--seed S]\n"
               "                   [--variants chol,prec] DATA.json...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int batches = 15;
  double min_batch_ms = 20;
  std::string point = "normal", variants = "chol,prec";
  unsigned seed = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "hand_latent: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--batches") batches = std::atoi(val().c_str());
    else if (a == "--min-batch-ms") min_batch_ms = std::atof(val().c_str());
    else if (a == "--point") point = val();
    else if (a == "--seed") seed = unsigned(std::atol(val().c_str()));
    else if (a == "--variants") variants = val();
    else if (a == "-h" || a == "--help") return usage(), 0;
    else if (!a.empty() && a[0] == '-') return usage();
    else files.push_back(a);
  }
  if (files.empty() || batches < 1 || (point != "normal" && point != "zeros")) return usage();
  std::vector<std::string> vlist;
  for (size_t s = 0; s <= variants.size();) {
    size_t e = variants.find(',', s);
    if (e == std::string::npos) e = variants.size();
    if (e > s) vlist.push_back(variants.substr(s, e - s));
    s = e + 1;
  }

  int status = 0;
  for (const auto& path : files) {
    try {
      auto t0 = std::chrono::steady_clock::now();
      LatentData d = load(path);
      const size_t dim = size_t(d.N) * d.q;
      const std::vector<double> x = mvn_bench::bench_point(dim, point, seed);
      const double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      const std::string bad = self_check(d, x);
      if (!bad.empty()) {
        std::fprintf(stderr, "hand_latent: %s: self-check FAILED: %s\n", path.c_str(), bad.c_str());
        std::printf("{\"bench\":\"hand_latent\",\"data\":%s,\"N\":%d,\"q\":%d,\"error\":%s}\n",
                    json_str(path).c_str(), d.N, d.q, json_str("self-check failed: " + bad).c_str());
        std::fflush(stdout);
        status = 1;
        continue;
      }
      for (const auto& v : vlist) {
        auto s0 = std::chrono::steady_clock::now();
        auto e = make_variant(v, d);
        const double setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0).count();
        std::vector<double> grad(dim);
        double lp = 0;
        volatile double sink = 0;
        auto t = mvn_bench::time_calls([&] { lp = e->lp_grad(x.data(), grad.data()); sink = sink + grad[0]; },
                                       batches, min_batch_ms);
        std::printf("{\"bench\":\"hand_latent\",\"variant\":%s,\"data\":%s,\"N\":%d,\"q\":%d,\"dim\":%zu,"
                    "\"point\":%s,\"seed\":%u,\"us_per_grad\":%.4f,\"us_min\":%.4f,\"us_max\":%.4f,"
                    "\"batches\":%d,\"reps_per_batch\":%ld,\"lp_propto\":%.17g,\"lp_full\":%.17g,"
                    "\"load_ms\":%.2f,\"setup_ms\":%.3f,\"self_check\":\"ok\",\"maxrss_kb\":%ld}\n",
                    json_str(v).c_str(), json_str(path).c_str(), d.N, d.q, dim, json_str(point).c_str(), seed,
                    t.median_us, t.min_us, t.max_us, t.batches, t.reps, lp, lp + e->constant, load_ms, setup_ms,
                    mvn_bench::peak_rss_kb());
        std::fflush(stdout);
      }
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "hand_latent: %s: %s\n", path.c_str(), ex.what());
      std::printf("{\"bench\":\"hand_latent\",\"data\":%s,\"error\":%s}\n", json_str(path).c_str(),
                  json_str(ex.what()).c_str());
      std::fflush(stdout);
      status = 1;
    }
  }
  return status;
}
