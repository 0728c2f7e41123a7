// Batched multivariate normals: values against an Eigen reference written from the textbook
// density (explicit inverse and determinant, fine in a test), batched == sum of single calls,
// broadcasting, propto, the prepared variant, gradients against finite differences (ordinary,
// tiny and huge scales, near-singular covariance), non-positive-definite errors with the index.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dist_test_util.h"
#include "mvc/distributions.h"

using namespace mvc_test;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

const double kLog2Pi = std::log(2 * 3.14159265358979323846);

MatrixXd random_spd(int q, std::mt19937& rng, double scale = 1.0, double cond = 10.0) {
  std::normal_distribution<double> nd;
  MatrixXd A(q, q);
  for (int i = 0; i < A.size(); ++i) A(i) = nd(rng);
  Eigen::HouseholderQR<MatrixXd> qr(A);
  MatrixXd Q = qr.householderQ();
  VectorXd ev(q);
  for (int i = 0; i < q; ++i) ev(i) = scale * std::pow(cond, -double(i) / std::max(1, q - 1));
  MatrixXd S = Q * ev.asDiagonal() * Q.transpose();
  return 0.5 * (S + S.transpose());
}

double ref_mvn(const VectorXd& y, const VectorXd& mu, const MatrixXd& S) {
  const VectorXd r = y - mu;
  return -0.5 * y.size() * kLog2Pi - 0.5 * std::log(S.determinant()) -
         0.5 * r.dot(S.inverse() * r);
}

struct Batch {
  int q, N;
  Vec y, mu, S;  // (N,q), (N,q), (N,q,q)
};

Batch make_batch(int q, int N, unsigned seed, double scale = 1.0, double cond = 10.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> nd;
  Batch b{q, N, Vec(N * q), Vec(N * q), Vec(N * q * q)};
  for (auto& v : b.y) v = nd(rng) * std::sqrt(scale);
  for (auto& v : b.mu) v = 0.3 * nd(rng) * std::sqrt(scale);
  for (int n = 0; n < N; ++n) {
    MatrixXd S = random_spd(q, rng, scale, cond);
    std::copy(S.data(), S.data() + q * q, b.S.begin() + n * q * q);
  }
  return b;
}

Eigen::Map<const MatrixXd> mat(const Vec& v, int n, int q) {
  return Eigen::Map<const MatrixXd>(v.data() + n * q * q, q, q);
}
Eigen::Map<const VectorXd> vec(const Vec& v, int n, int q) {
  return Eigen::Map<const VectorXd>(v.data() + n * q, q);
}

class MvnQ : public ::testing::TestWithParam<int> {};

TEST_P(MvnQ, BatchedEqualsSumOfSinglesAndReference) {
  const int q = GetParam(), N = 5;
  Batch b = make_batch(q, N, 11 + q);
  double out = 0;
  mvc_dist_error err;
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 7, 0, &out,
                                  nullptr, &err), 0);
  double sum = 0, ref = 0;
  for (int n = 0; n < N; ++n) {
    double o;
    ASSERT_EQ(mvc_multi_normal_lpdf(&b.y[n * q], 1, &b.mu[n * q], 1, &b.S[n * q * q], 1, q, 7, 0,
                                    &o, nullptr, nullptr), 0);
    sum += o;
    ref += ref_mvn(vec(b.y, n, q), vec(b.mu, n, q), mat(b.S, n, q));
  }
  expect_rel(out, sum, 1e-12, "batched vs singles");
  expect_rel(out, ref, 1e-10, "batched vs reference");
}

TEST_P(MvnQ, BroadcastMeanAndCovariance) {
  const int q = GetParam(), N = 4;
  Batch b = make_batch(q, N, 5 + q);
  double out = 0, ref = 0;
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), 1, b.S.data(), 1, q, 7, 0, &out,
                                  nullptr, nullptr), 0);
  for (int n = 0; n < N; ++n) ref += ref_mvn(vec(b.y, n, q), vec(b.mu, 0, q), mat(b.S, 0, q));
  expect_rel(out, ref, 1e-10, "broadcast");
}

TEST_P(MvnQ, ProptoDropsConstantAndLogDetOfDataCovariance) {
  const int q = GetParam(), N = 3;
  Batch b = make_batch(q, N, 7 + q);
  double full, p_y, p_all, p_none;
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 1, 0, &full, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 1, 1, &p_y, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 4, 1, &p_all, nullptr, nullptr), 0);
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 0, 1, &p_none, nullptr, nullptr), 0);
  double c = 0, ld = 0;
  for (int n = 0; n < N; ++n) {
    c += -0.5 * q * kLog2Pi;
    ld += -0.5 * std::log(mat(b.S, n, q).determinant());
  }
  expect_rel(full - p_y, c + ld, 1e-10, "sigma data: drops constant and log det");
  expect_rel(full - p_all, c, 1e-10, "sigma active: drops only the constant");
  EXPECT_EQ(p_none, 0.0);
}

TEST_P(MvnQ, CholeskyPrecisionAndPreparedAgree) {
  const int q = GetParam(), N = 4;
  Batch b = make_batch(q, N, 3 + q);
  Vec L(N * q * q), P(N * q * q);
  for (int n = 0; n < N; ++n) {
    MatrixXd Ln = mat(b.S, n, q).llt().matrixL();
    MatrixXd Pn = mat(b.S, n, q).inverse();
    Pn = 0.5 * (Pn + Pn.transpose()).eval();
    std::copy(Ln.data(), Ln.data() + q * q, L.begin() + n * q * q);
    std::copy(Pn.data(), Pn.data() + q * q, P.begin() + n * q * q);
  }
  for (int propto : {0, 1}) {
    for (uint32_t act : {7u, 3u}) {
      double a, c, p;
      ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, act, propto, &a, nullptr, nullptr), 0);
      ASSERT_EQ(mvc_multi_normal_cholesky_lpdf(b.y.data(), N, b.mu.data(), N, L.data(), N, q, act, propto, &c, nullptr, nullptr), 0);
      ASSERT_EQ(mvc_multi_normal_prec_lpdf(b.y.data(), N, b.mu.data(), N, P.data(), N, q, act, propto, &p, nullptr, nullptr), 0);
      expect_rel(c, a, 1e-10, "cholesky");
      expect_rel(p, a, 1e-9, "precision");
      if (act == 3u) {  // data covariance: the prepared forms equal it
        for (int kind = 0; kind < 3; ++kind) {
          Vec prep(mvc_multi_normal_prepared_size(N, q));
          const Vec& src = kind == 0 ? b.S : kind == 1 ? L : P;
          auto prepfn = kind == 0 ? mvc_multi_normal_prepare
                        : kind == 1 ? mvc_multi_normal_cholesky_prepare : mvc_multi_normal_prec_prepare;
          ASSERT_EQ(prepfn(src.data(), N, q, prep.data(), nullptr), 0);
          double o;
          ASSERT_EQ(mvc_multi_normal_prepared_lpdf(b.y.data(), N, b.mu.data(), N, prep.data(), N, q, act, propto, &o, nullptr), 0);
          expect_rel(o, a, 1e-9, "prepared");
          Vec gy(N * q, 0.0), gmu(N * q, 0.0), gy2(N * q, 0.0), gmu2(N * q, 0.0);
          ASSERT_EQ(mvc_multi_normal_prepared_lpdf_grad(b.y.data(), N, b.mu.data(), N, prep.data(), N, q, act, propto, 1.0, gy.data(), gmu.data(), nullptr), 0);
          ASSERT_EQ(mvc_multi_normal_lpdf_grad(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, act, propto, 1.0, gy2.data(), gmu2.data(), nullptr, nullptr, nullptr), 0);
          for (int i = 0; i < N * q; ++i) {
            EXPECT_NEAR(gy[i], gy2[i], 1e-8 * (1 + std::fabs(gy2[i])));
            EXPECT_NEAR(gmu[i], gmu2[i], 1e-8 * (1 + std::fabs(gmu2[i])));
          }
        }
      }
    }
  }
}

// ---- gradients by finite differences. Symmetric matrices: perturb (i,j) and (j,i) together,
// which changes f by (g_ij + g_ji) h.
enum Kind { COV, CHOL, PREC, STUDENT };

struct Case {
  Kind kind;
  int q, N;
  int64_t nmu, nM;
  double scale, cond;
};

double call(Kind k, const Batch& b, const Vec& M, const Vec& nu, int64_t nmu, int64_t nM,
            uint32_t act, int propto) {
  double o = NAN;
  const int q = b.q, N = b.N;
  int st;
  switch (k) {
    case COV: st = mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), nmu, M.data(), nM, q, act, propto, &o, nullptr, nullptr); break;
    case CHOL: st = mvc_multi_normal_cholesky_lpdf(b.y.data(), N, b.mu.data(), nmu, M.data(), nM, q, act, propto, &o, nullptr, nullptr); break;
    case PREC: st = mvc_multi_normal_prec_lpdf(b.y.data(), N, b.mu.data(), nmu, M.data(), nM, q, act, propto, &o, nullptr, nullptr); break;
    default: st = mvc_multi_student_t_lpdf(b.y.data(), N, nu.data(), (int64_t)nu.size(), b.mu.data(), nmu, M.data(), nM, q, act, propto, &o, nullptr, nullptr);
  }
  return st == 0 ? o : NAN;
}

void check_gradients(const Case& c) {
  SCOPED_TRACE("q=" + std::to_string(c.q) + " N=" + std::to_string(c.N) + " nM=" + std::to_string(c.nM) + " scale=" + std::to_string(c.scale) + " cond=" + std::to_string(c.cond));
  Batch b = make_batch(c.q, c.N, 100 + c.q * 7 + c.N, c.scale, c.cond);
  const int q = c.q, qq = q * q;
  b.mu.resize(c.nmu * q);
  Vec M(b.S.begin(), b.S.begin() + c.nM * qq);
  if (c.kind == CHOL || c.kind == PREC)
    for (int n = 0; n < c.nM; ++n) {
      MatrixXd X = c.kind == CHOL ? MatrixXd(mat(b.S, n, q).llt().matrixL()) : MatrixXd(mat(b.S, n, q).inverse());
      if (c.kind == PREC) X = 0.5 * (X + X.transpose()).eval();
      std::copy(X.data(), X.data() + qq, M.begin() + n * qq);
    }
  Vec nu = c.kind == STUDENT ? Vec{4.5} : Vec{};
  const bool st = c.kind == STUDENT;
  const uint32_t all = st ? 15u : 7u;
  for (uint32_t act : {all, st ? 8u : 4u, 1u}) {
    for (int propto : {0, 1}) {
      Vec gy(b.y.size(), 0.0), gmu(b.mu.size(), 0.0), gM(M.size(), 0.0), gnu(nu.size(), 0.0);
      const double adj = 0.9;
      int status;
      switch (c.kind) {
        case COV: status = mvc_multi_normal_lpdf_grad(b.y.data(), c.N, b.mu.data(), c.nmu, M.data(), c.nM, q, act, propto, adj, gy.data(), gmu.data(), gM.data(), nullptr, nullptr); break;
        case CHOL: status = mvc_multi_normal_cholesky_lpdf_grad(b.y.data(), c.N, b.mu.data(), c.nmu, M.data(), c.nM, q, act, propto, adj, gy.data(), gmu.data(), gM.data(), nullptr, nullptr); break;
        case PREC: status = mvc_multi_normal_prec_lpdf_grad(b.y.data(), c.N, b.mu.data(), c.nmu, M.data(), c.nM, q, act, propto, adj, gy.data(), gmu.data(), gM.data(), nullptr, nullptr); break;
        default: status = mvc_multi_student_t_lpdf_grad(b.y.data(), c.N, nu.data(), 1, b.mu.data(), c.nmu, M.data(), c.nM, q, act, propto, adj, gy.data(), gnu.data(), gmu.data(), gM.data(), nullptr, nullptr);
      }
      ASSERT_EQ(status, 0);
      const double f0 = call(c.kind, b, M, nu, c.nmu, c.nM, act, propto);
      double hscale = std::sqrt(c.scale);
      // y
      for (size_t i = 0; i < b.y.size(); ++i) {
        auto f = [&](const Vec& v) { Batch bb = b; bb.y = v; return call(c.kind, bb, M, nu, c.nmu, c.nM, act, propto); };
        const double h = 1e-5 * hscale;
        expect_grad_near(gy[i], adj * fd(f, b.y, i, h), adj * f0, h, "d/dy");
      }
      for (size_t i = 0; i < b.mu.size(); ++i) {
        auto f = [&](const Vec& v) { Batch bb = b; bb.mu = v; return call(c.kind, bb, M, nu, c.nmu, c.nM, act, propto); };
        const double h = 1e-5 * hscale;
        expect_grad_near(gmu[i], adj * fd(f, b.mu, i, h), adj * f0, h, "d/dmu");
      }
      if (st) {
        auto f = [&](const Vec& v) { return call(c.kind, b, M, v, c.nmu, c.nM, act, propto); };
        expect_grad_near(gnu[0], adj * fd(f, nu, 0, 1e-4), adj * f0, 1e-4, "d/dnu");
      }
      // matrix: lower triangle entries; symmetric kinds move both (i,j) and (j,i)
      const double hm = 1e-5 * c.scale / c.cond;
      const double noise = std::max(1e-12, 1e-15 * c.cond);
      for (int n = 0; n < c.nM; ++n)
        for (int j = 0; j < q; ++j)
          for (int i = j; i < q; ++i) {
            const int a = n * qq + i + j * q, bt = n * qq + j + i * q;
            auto f = [&](const Vec& t) {
              Vec MM = M;
              MM[a] += t[0];
              if (c.kind != CHOL && a != bt) MM[bt] += t[0];
              return call(c.kind, b, MM, nu, c.nmu, c.nM, act, propto);
            };
            double h = c.kind == PREC ? 1e-5 * c.cond / c.scale : hm;
            if (c.kind == CHOL) h = 1e-5 * std::sqrt(c.scale / c.cond);
            const double d = fd(f, Vec{0.0}, 0, h);
            const double g = (c.kind == CHOL || a == bt) ? gM[a] : gM[a] + gM[bt];
            if (c.kind != CHOL) {
              EXPECT_NEAR(gM[a], gM[bt], 1e-9 * (1 + std::fabs(gM[a]))) << "symmetric gradient";
            }
            expect_grad_near(g, adj * d, adj * f0, h, "d/dmatrix", noise);
          }
      if (c.kind == CHOL) {  // upper triangle is never written
        for (int n = 0; n < c.nM; ++n)
          for (int j = 0; j < q; ++j)
            for (int i = 0; i < j; ++i) EXPECT_EQ(gM[n * qq + i + j * q], 0.0);
      }
    }
  }
}

TEST_P(MvnQ, GradientsMatchFiniteDifferences) {
  const int q = GetParam();
  for (Kind k : {COV, CHOL, PREC, STUDENT}) {
    SCOPED_TRACE(k);
    check_gradients({k, q, 3, 3, 3, 1.0, 10.0});    // own mean and matrix
    check_gradients({k, q, 3, 1, 1, 1.0, 10.0});    // broadcast mean and matrix
  }
}

TEST_P(MvnQ, GradientsAtEdges) {
  const int q = GetParam();
  for (Kind k : {COV, CHOL, STUDENT}) {
    SCOPED_TRACE(k);
    check_gradients({k, q, 2, 2, 2, 1e-6, 10.0});   // tiny scale
    check_gradients({k, q, 2, 2, 2, 1e6, 10.0});    // huge scale
    if (q > 1) check_gradients({k, q, 2, 2, 1, 1.0, 1e5});  // near-singular
  }
}

// Items that share mu and the matrix, summarised by count, mean and centered scatter: the
// same value and partials as the per-item kernel over the items, for the three
// parameterisations, with and without propto, whichever arguments are active; and a mean far
// from the data (the centered form does not cancel).
TEST_P(MvnQ, SufficientStatisticsEqualThePerItemKernel) {
  const int q = GetParam(), N = 7, qq = q * q;
  for (double shift : {0.0, 1e4}) {
    Batch b = make_batch(q, N, 21 + q);
    Vec mu(b.mu.begin(), b.mu.begin() + q);
    for (double& m : mu) m += shift;
    for (double& y : b.y) y += shift;
    const MatrixXd S0 = mat(b.S, 0, q);
    MatrixXd L0 = S0.llt().matrixL();
    MatrixXd P0 = S0.inverse();
    P0 = 0.5 * (P0 + P0.transpose()).eval();
    VectorXd ybar = VectorXd::Zero(q);
    for (int n = 0; n < N; ++n) ybar += vec(b.y, n, q) / N;
    MatrixXd C = MatrixXd::Zero(q, q);
    for (int n = 0; n < N; ++n) C += (vec(b.y, n, q) - ybar) * (vec(b.y, n, q) - ybar).transpose();
    const double* Ms[3] = {S0.data(), L0.data(), P0.data()};
    auto items = std::array{&mvc_multi_normal_lpdf_vgrad, &mvc_multi_normal_cholesky_lpdf_vgrad,
                            &mvc_multi_normal_prec_lpdf_vgrad};
    for (int fam = 0; fam < 3; ++fam)
      for (int propto : {0, 1})
        for (uint32_t act : {6u, 2u, 4u, 0u}) {
          SCOPED_TRACE("family " + std::to_string(fam) + " propto " + std::to_string(propto) + " active " +
                       std::to_string(act) + " shift " + std::to_string(shift));
          Vec gmu(q, 0.0), gM(qq, 0.0), gmu_ref(q, 0.0), gM_ref(qq, 0.0), gy(N * q, 0.0);
          double out = 0, ref = 0;
          ASSERT_EQ(mvc_multi_normal_stats_lpdf_vgrad(fam, q, N, ybar.data(), C.data(), mu.data(), Ms[fam], act, propto,
                                                      &out, gmu.data(), gM.data(), nullptr),
                    0);
          ASSERT_EQ(items[fam](b.y.data(), N, mu.data(), 1, Ms[fam], 1, q, act, propto, &ref, 1.0, gy.data(),
                               gmu_ref.data(), gM_ref.data(), nullptr, nullptr),
                    0);
          const double tol = shift ? 1e-7 : 1e-11;
          EXPECT_NEAR(out, ref, tol * std::max(1.0, std::fabs(ref)));
          for (int i = 0; i < q; ++i) EXPECT_NEAR(gmu[i], gmu_ref[i], tol * std::max(1.0, std::fabs(gmu_ref[i]))) << i;
          for (int k = 0; k < qq; ++k) EXPECT_NEAR(gM[k], gM_ref[k], tol * std::max(1.0, std::fabs(gM_ref[k]))) << k;
        }
  }
}

TEST(Mvn, SufficientStatisticsReportABadMatrix) {
  const double ybar[2] = {0, 0}, C[4] = {1, 0, 0, 1}, mu[2] = {0, 0};
  const double notPd[4] = {1, 2, 2, 1}, badChol[4] = {1, 0, 0, -1};
  double out = 0;
  mvc_dist_error err;
  EXPECT_EQ(mvc_multi_normal_stats_lpdf_vgrad(0, 2, 3, ybar, C, mu, notPd, 6, 0, &out, nullptr, nullptr, &err),
            MVC_DIST_ERR_NOT_PD);
  EXPECT_NE(std::string(err.message).find("not positive definite"), std::string::npos) << err.message;
  EXPECT_EQ(mvc_multi_normal_stats_lpdf_vgrad(1, 2, 3, ybar, C, mu, badChol, 6, 0, &out, nullptr, nullptr, &err),
            MVC_DIST_ERR_NOT_PD);
}

INSTANTIATE_TEST_SUITE_P(Q, MvnQ, ::testing::Values(1, 2, 3, 4, 5, 9));

// n doubles that end where an inaccessible page begins: reading past them is a segfault.
class GuardedDoubles {
 public:
  explicit GuardedDoubles(const Vec& v) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t bytes = v.size() * sizeof(double);
    len_ = (bytes + page - 1) / page * page + page;
    base_ = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base_ == MAP_FAILED) throw std::runtime_error("mmap failed");
    char* guard = static_cast<char*>(base_) + len_ - page;
    if (mprotect(guard, page, PROT_NONE) != 0) throw std::runtime_error("mprotect failed");
    data_ = reinterpret_cast<double*>(guard - bytes);
    std::copy(v.begin(), v.end(), data_);
  }
  ~GuardedDoubles() { munmap(base_, len_); }
  GuardedDoubles(const GuardedDoubles&) = delete;
  GuardedDoubles& operator=(const GuardedDoubles&) = delete;
  double* data() const { return data_; }

 private:
  void* base_;
  size_t len_;
  double* data_;
};

// The prepared form's SIMD loop reads a vector of 2, 4 or 8 values at each item, past the
// item's q values when q is not one of those widths, and pads broadcast arguments and the
// last item. Every q (9: the general path), several N (1: only the padded item) and every
// broadcast pattern: the value equals the reference, and the gradient, added into
// accumulators that hold values already, equals the covariance form's (so neither a
// neighbour's lanes nor a padded copy leaks into a sum). y, mu, the prepared buffer and the
// gradients end at an inaccessible page, so a read or write past them fails the test.
TEST(Mvn, PreparedEveryQBatchSizeAndBroadcast) {
  for (int q = 1; q <= 9; ++q)
    for (int N : {1, 2, 3, 5, 8})
      for (int pattern = 0; pattern < 8; ++pattern) {
        const int64_t ny = pattern & 1 ? 1 : N, nmu = pattern & 2 ? 1 : N, np = pattern & 4 ? 1 : N;
        Batch b = make_batch(q, N, 100 + 10 * q + N);
        // mu far from y, so that a neighbour's value in a lane would change the sum visibly
        for (auto& v : b.mu) v += 3.0;
        const Vec y(b.y.begin(), b.y.begin() + ny * q), mu(b.mu.begin(), b.mu.begin() + nmu * q),
            S(b.S.begin(), b.S.begin() + np * q * q);
        Vec prep(mvc_multi_normal_prepared_size(np, q));
        ASSERT_EQ(mvc_multi_normal_prepare(S.data(), np, q, prep.data(), nullptr), 0);
        const std::string at = "q " + std::to_string(q) + ", N " + std::to_string(N) + ", pattern " +
                               std::to_string(pattern);
        const int items = pattern == 7 ? 1 : N;  // (all broadcast: one item)
        double ref = 0;
        for (int n = 0; n < items; ++n)
          ref += ref_mvn(vec(y, ny == 1 ? 0 : n, q), vec(mu, nmu == 1 ? 0 : n, q), mat(S, np == 1 ? 0 : n, q));
        double o = NAN, ov = NAN;
        const GuardedDoubles gd_y(y), gd_mu(mu), gd_prep(prep);
        ASSERT_EQ(mvc_multi_normal_prepared_lpdf(gd_y.data(), ny, gd_mu.data(), nmu, gd_prep.data(), np, q, 3u, 0, &o,
                                                 nullptr),
                  0)
            << at;
        expect_rel(o, ref, 1e-10, ("prepared value, " + at).c_str());
        Vec gy(ny * q), gmu(nmu * q), gy_ref(ny * q), gmu_ref(nmu * q);
        for (size_t i = 0; i < gy.size(); ++i) gy[i] = gy_ref[i] = 0.25 * double(i) - 1.0;
        for (size_t i = 0; i < gmu.size(); ++i) gmu[i] = gmu_ref[i] = 1.5 - 0.5 * double(i);
        {
          const GuardedDoubles gd_gy(gy), gd_gmu(gmu);
          ASSERT_EQ(mvc_multi_normal_prepared_lpdf_vgrad(gd_y.data(), ny, gd_mu.data(), nmu, gd_prep.data(), np, q, 3u,
                                                         0, &ov, 0.75, gd_gy.data(), gd_gmu.data(), nullptr),
                    0)
              << at;
          std::copy(gd_gy.data(), gd_gy.data() + gy.size(), gy.begin());
          std::copy(gd_gmu.data(), gd_gmu.data() + gmu.size(), gmu.begin());
        }
        expect_rel(ov, ref, 1e-10, ("prepared vgrad value, " + at).c_str());
        ASSERT_EQ(mvc_multi_normal_lpdf_grad(y.data(), ny, mu.data(), nmu, S.data(), np, q, 3u, 0, 0.75, gy_ref.data(),
                                             gmu_ref.data(), nullptr, nullptr, nullptr),
                  0);
        for (size_t i = 0; i < gy.size(); ++i) {
          ASSERT_NEAR(gy[i], gy_ref[i], 1e-9 * (1 + std::fabs(gy_ref[i]))) << at;
        }
        for (size_t i = 0; i < gmu.size(); ++i) {
          ASSERT_NEAR(gmu[i], gmu_ref[i], 1e-9 * (1 + std::fabs(gmu_ref[i]))) << at;
        }
        // only mu's gradient (y data), and a NaN in the last item is an error naming it
        Vec gmu_only(nmu * q, 0.0);
        {
          const GuardedDoubles gd_gmu(gmu_only);
          ASSERT_EQ(mvc_multi_normal_prepared_lpdf_grad(gd_y.data(), ny, gd_mu.data(), nmu, gd_prep.data(), np, q, 2u, 0,
                                                        1.0, nullptr, gd_gmu.data(), nullptr),
                    0);
          std::copy(gd_gmu.data(), gd_gmu.data() + gmu_only.size(), gmu_only.begin());
        }
        for (size_t i = 0; i < gmu.size(); ++i) {
          ASSERT_NEAR(gmu_only[i], (gmu_ref[i] - (1.5 - 0.5 * double(i))) / 0.75, 1e-9 * (1 + std::fabs(gmu_ref[i])))
              << at;
        }
        // only y's gradient (mu data: the latent model's path)
        Vec gy_only(ny * q, 0.0);
        {
          const GuardedDoubles gd_gy(gy_only);
          ASSERT_EQ(mvc_multi_normal_prepared_lpdf_grad(gd_y.data(), ny, gd_mu.data(), nmu, gd_prep.data(), np, q, 1u, 0,
                                                        1.0, gd_gy.data(), nullptr, nullptr),
                    0);
          std::copy(gd_gy.data(), gd_gy.data() + gy_only.size(), gy_only.begin());
        }
        for (size_t i = 0; i < gy.size(); ++i) {
          ASSERT_NEAR(gy_only[i], (gy_ref[i] - (0.25 * double(i) - 1.0)) / 0.75, 1e-9 * (1 + std::fabs(gy_ref[i])))
              << at;
        }
        Vec ynan = y;
        ynan.back() = NAN;
        mvc_dist_error err;
        EXPECT_EQ(mvc_multi_normal_prepared_lpdf(ynan.data(), ny, mu.data(), nmu, prep.data(), np, q, 3u, 0, &o, &err),
                  MVC_DIST_ERR_DOMAIN)
            << at;
        EXPECT_EQ(err.index, ny == 1 ? 0 : items - 1) << at;
      }
}

TEST(Mvn, NotPositiveDefiniteNamesTheIndex) {
  const int q = 2, N = 3;
  Vec y(N * q, 0.0), mu(N * q, 0.0);
  Vec S = {1, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1};  // third: eigenvalues 3, -1
  mvc_dist_error err;
  double out;
  EXPECT_EQ(mvc_multi_normal_lpdf(y.data(), N, mu.data(), N, S.data(), N, q, 7, 0, &out, nullptr, &err), MVC_DIST_ERR_NOT_PD);
  EXPECT_EQ(err.index, 2);
  EXPECT_NE(std::string(err.message).find("covariance matrix 2 is not positive definite"), std::string::npos) << err.message;
  Vec g(N * q * q, 0.0);
  EXPECT_EQ(mvc_multi_normal_lpdf_grad(y.data(), N, mu.data(), N, S.data(), N, q, 7, 0, 1.0, nullptr, nullptr, g.data(), nullptr, &err), MVC_DIST_ERR_NOT_PD);
  Vec prep(mvc_multi_normal_prepared_size(N, q));
  EXPECT_EQ(mvc_multi_normal_prepare(S.data(), N, q, prep.data(), &err), MVC_DIST_ERR_NOT_PD);
  EXPECT_EQ(err.index, 2);
  Vec asym = {1, 0.5, 0.4, 1};
  EXPECT_EQ(mvc_multi_normal_lpdf(y.data(), 1, mu.data(), 1, asym.data(), 1, q, 7, 0, &out, nullptr, &err), MVC_DIST_ERR_NOT_SYMMETRIC);
  Vec badL = {1, 0.3, 0, -1};
  EXPECT_EQ(mvc_multi_normal_cholesky_lpdf(y.data(), 1, mu.data(), 1, badL.data(), 1, q, 7, 0, &out, nullptr, &err), MVC_DIST_ERR_NOT_PD);
  EXPECT_EQ(mvc_multi_normal_lpdf(y.data(), 3, mu.data(), 2, S.data(), 1, q, 7, 0, &out, nullptr, &err), MVC_DIST_ERR_SIZE);
  Vec ynan = {NAN, 0};
  EXPECT_EQ(mvc_multi_normal_lpdf(ynan.data(), 1, mu.data(), 1, S.data(), 1, q, 7, 0, &out, nullptr, &err), MVC_DIST_ERR_DOMAIN);
}

TEST(Mvn, StudentTMatchesReference) {
  const int q = 3, N = 2;
  Batch b = make_batch(q, N, 77);
  const Vec nu{3.5, 12.0};
  double out;
  ASSERT_EQ(mvc_multi_student_t_lpdf(b.y.data(), N, nu.data(), 2, b.mu.data(), N, b.S.data(), N, q, 15, 0, &out, nullptr, nullptr), 0);
  double ref = 0;
  for (int n = 0; n < N; ++n) {
    const VectorXd r = vec(b.y, n, q) - vec(b.mu, n, q);
    const MatrixXd S = mat(b.S, n, q);
    const double v = nu[n];
    ref += std::lgamma((v + q) / 2) - std::lgamma(v / 2) - 0.5 * q * std::log(v * 3.14159265358979323846) -
           0.5 * std::log(S.determinant()) - (v + q) / 2 * std::log(1 + r.dot(S.inverse() * r) / v);
  }
  expect_rel(out, ref, 1e-10, "multi_student_t");
}

TEST(Mvn, LargeQUsesScratchOrAllocates) {
  const int q = 12, N = 3;
  Batch b = make_batch(q, N, 9);
  Vec scratch(mvc_dist_scratch_size(q));
  double a, c;
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 7, 0, &a, scratch.data(), nullptr), 0);
  ASSERT_EQ(mvc_multi_normal_lpdf(b.y.data(), N, b.mu.data(), N, b.S.data(), N, q, 7, 0, &c, nullptr, nullptr), 0);
  double ref = 0;
  for (int n = 0; n < N; ++n) ref += ref_mvn(vec(b.y, n, q), vec(b.mu, n, q), mat(b.S, n, q));
  expect_rel(a, ref, 1e-10, "q=12 scratch");
  EXPECT_EQ(a, c);
}

}  // namespace

namespace {
TEST(Mvn, NearSingularGradientMatchesClosedForm) {
  for (int q : {2, 4, 9}) {
    Batch b = make_batch(q, 2, 1234 + q, 1.0, 1e5);
    Vec g(q * q, 0.0);
    ASSERT_EQ(mvc_multi_normal_lpdf_grad(b.y.data(), 2, b.mu.data(), 2, b.S.data(), 1, q, 7, 0, 1.0, nullptr, nullptr, g.data(), nullptr, nullptr), 0);
    const MatrixXd Si = mat(b.S, 0, q).inverse();
    MatrixXd G = -Si;
    for (int n = 0; n < 2; ++n) {
      const VectorXd w = Si * (vec(b.y, n, q) - vec(b.mu, n, q));
      G += 0.5 * w * w.transpose();
    }
    for (int k = 0; k < q * q; ++k) EXPECT_NEAR(g[k], G(k), 1e-7 * G.cwiseAbs().maxCoeff()) << q;
  }
}
}  // namespace
