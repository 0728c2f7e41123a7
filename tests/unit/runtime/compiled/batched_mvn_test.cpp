// The batched multivariate normal path of the value library (batched_mvn.cpp) against the
// sum of single densities, item by item: every family, every mode of the matrix argument
// (broadcast, per item, gathered through a group index in no particular order), with and
// without factors prepared at construction; values and gradients (relative 1e-12), the same
// through partials kept by a forward call, and the errors (a matrix that is not positive definite, an index out of range).
#include <gtest/gtest.h>

#include <random>

#include "compiled/values.h"

namespace {
using mvc::values::Args;
using mvc::values::Value;

Eigen::MatrixXd spd(std::mt19937& r, int q) {
  std::normal_distribution<double> z;
  Eigen::MatrixXd A(q, q);
  for (int i = 0; i < q; ++i)
    for (int j = 0; j < q; ++j) A(i, j) = z(r);
  return A * A.transpose() + q * Eigen::MatrixXd::Identity(q, q);
}

Value vecOf(std::mt19937& r, int q) {
  std::normal_distribution<double> z;
  Eigen::MatrixXd v(q, 1);
  for (int i = 0; i < q; ++i) v(i, 0) = z(r);
  return Value::vec(v);
}

struct Case {
  std::string family;
  char matrixMode;  // b, s, g
  bool prepared;
};

class BatchedMvn : public ::testing::TestWithParam<Case> {};

TEST_P(BatchedMvn, EqualsTheSumOfSingleDensities) {
  const Case c = GetParam();
  const bool st = c.family == "multi_student_t";
  const int q = 3, N = 7, K = 3;
  std::mt19937 r(5);
  // arguments: y (s), [nu (b)], mu (s), matrix (b | s | g)
  std::vector<Value> ys, mus, mats;
  for (int n = 0; n < N; ++n) ys.push_back(vecOf(r, q)), mus.push_back(vecOf(r, q));
  int nm = c.matrixMode == 's' ? N : K;
  for (int m = 0; m < nm; ++m) {
    Eigen::MatrixXd S = spd(r, q);
    if (c.family == "multi_normal_cholesky") S = Eigen::MatrixXd(S.llt().matrixL());
    mats.push_back(Value::mat(S));
  }
  Value y = Value::array(ys), mu = Value::array(mus), M = c.matrixMode == 'b' ? mats[0] : Value::array(mats);
  Value gidx = Value::array({});
  std::vector<int64_t> group = {3, 1, 3, 2, 1, 3, 2};
  for (int64_t g : group) gidx.a.push_back(Value::integer(g));
  Value lo = Value::integer(1), hi = Value::integer(N), nu = Value::real(4.5);

  std::vector<const Value*> in = {&lo, &hi, &y};
  std::string modes = "s";
  if (st) in.push_back(&nu), modes += "b";
  in.push_back(&mu), modes += "s";
  in.push_back(&M), modes += c.matrixMode;
  if (c.matrixMode == 'g') in.push_back(&gidx);
  const size_t nargs = modes.size(), mi = nargs - 1;

  Value prep;
  if (c.prepared) prep = mvc::values::batchedMvnPrepare(c.family, c.matrixMode, M);
  const Value* pp = c.prepared ? &prep : nullptr;
  uint32_t active = c.prepared ? (st ? 7u : 3u) : (1u << nargs) - 1;
  std::string mask(nargs, 'a');
  if (c.prepared) mask[mi] = '-';

  for (bool propto : {false, true}) {
    SCOPED_TRACE(c.family + " " + c.matrixMode + (c.prepared ? " prepared" : "") + (propto ? " propto" : ""));
    double lp = mvc::values::batchedMvn(c.family, modes, "", Args(in), active, propto, 0, nullptr, pp);
    // gradients into accumulators shaped like the arguments
    Value gy = mvc::values::zerosLike(y), gnu = Value::real(0), gmu = mvc::values::zerosLike(mu),
          gM = mvc::values::zerosLike(M);
    std::vector<Value*> accs = {&gy};
    if (st) accs.push_back(&gnu);
    accs.push_back(&gmu);
    if (!c.prepared) accs.push_back(&gM);
    const double adj = 0.7;
    mvc::values::batchedMvn(c.family, modes, mask, Args(in), active, propto, adj, accs.data(), pp);

    // the partials kept by a forward call, applied in the reverse sweep, give the same
    mvc::values::MvnPartials kept;
    double lpk = mvc::values::batchedMvn(c.family, modes, "", Args(in), active, propto, 1, nullptr, pp, &kept);
    EXPECT_NEAR(lpk, lp, 1e-12 * std::abs(lp));
    Value ky = mvc::values::zerosLike(y), knu = Value::real(0), kmu = mvc::values::zerosLike(mu),
          kM = mvc::values::zerosLike(M);
    std::vector<Value*> kaccs = {&ky};
    if (st) kaccs.push_back(&knu);
    kaccs.push_back(&kmu);
    if (!c.prepared) kaccs.push_back(&kM);
    ASSERT_TRUE(mvc::values::applyMvnPartials(kept, c.family, modes, mask, Args(in), propto, adj, kaccs.data(), pp));
    // ... and are not taken for another call (other inputs) or another propto
    std::vector<const Value*> other = in;
    Value y2 = y;
    other[2] = &y2;
    EXPECT_FALSE(mvc::values::applyMvnPartials(kept, c.family, modes, mask, Args(other), propto, adj, kaccs.data(), pp));
    EXPECT_FALSE(mvc::values::applyMvnPartials(kept, c.family, modes, mask, Args(in), !propto, adj, kaccs.data(), pp));

    // the reference: one single density per item
    double ref = 0;
    Value ry = mvc::values::zerosLike(y), rnu = Value::real(0), rmu = mvc::values::zerosLike(mu),
          rM = mvc::values::zerosLike(M);
    for (int n = 0; n < N; ++n) {
      const Value& Mn = c.matrixMode == 'b' ? M : c.matrixMode == 's' ? M.a[n] : M.a[group[n] - 1];
      Value& gMn = c.matrixMode == 'b' ? rM : c.matrixMode == 's' ? rM.a[n] : rM.a[group[n] - 1];
      std::vector<const Value*> args = {&y.a[n]};
      if (st) args.push_back(&nu);
      args.push_back(&mu.a[n]);
      args.push_back(&Mn);
      ref += mvc::values::density(c.family + "_lpdf", c.family, false, Args(args), active, propto);
      Value ay = Value::vec(Eigen::MatrixXd::Zero(q, 1)), amu = ay, aM = Value::mat(Eigen::MatrixXd::Zero(q, q)),
            anu = Value::real(0);
      std::vector<Value*> a = {&ay};
      if (st) a.push_back(&anu);
      a.push_back(&amu);
      if (!c.prepared) a.push_back(&aM);
      mvc::values::densityGrad(c.family + "_lpdf", c.family, false, mask, propto, adj, Args(args), a.data());
      ry.a[n].m += ay.m;
      rmu.a[n].m += amu.m;
      rnu.d += anu.d;
      if (!c.prepared) gMn.m += aM.m;
    }
    EXPECT_NEAR(lp, ref, 1e-12 * std::abs(ref));
    auto close = [](const Value& a, const Value& b, const char* what) {
      std::vector<double> x, z;
      mvc::values::flatten(a, x);
      mvc::values::flatten(b, z);
      ASSERT_EQ(x.size(), z.size());
      for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], z[i], 1e-12 * std::max(1.0, std::abs(z[i]))) << what << " " << i;
    };
    close(gy, ry, "y");
    close(gmu, rmu, "mu");
    if (st) {
      EXPECT_NEAR(gnu.d, rnu.d, 1e-12 * std::max(1.0, std::abs(rnu.d)));
    }
    if (!c.prepared) close(gM, rM, "matrix");
    close(ky, ry, "y (kept partials)");
    close(kmu, rmu, "mu (kept partials)");
    if (st) {
      EXPECT_NEAR(knu.d, rnu.d, 1e-12 * std::max(1.0, std::abs(rnu.d)));
    }
    if (!c.prepared) close(kM, rM, "matrix (kept partials)");
  }
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (std::string f : {"multi_normal", "multi_normal_cholesky", "multi_normal_prec", "multi_student_t"})
    for (char m : {'b', 's', 'g'})
      for (bool p : {false, true})
        if (!p || f != "multi_student_t") out.push_back({f, m, p});
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, BatchedMvn, ::testing::ValuesIn(cases()), [](const auto& i) {
  return i.param.family + "_" + i.param.matrixMode + (i.param.prepared ? "_prepared" : "");
});

TEST(BatchedMvnErrors, ANonPositiveDefiniteDataMatrixNamesItsIndex) {
  Eigen::MatrixXd good = Eigen::MatrixXd::Identity(2, 2), bad(2, 2);
  bad << 1, 2, 2, 1;
  Value M = Value::array({Value::mat(good), Value::mat(bad)});
  try {
    mvc::values::batchedMvnPrepare("multi_normal", 's', M);
    FAIL() << "no error";
  } catch (const mvc::values::Error& e) {
    EXPECT_STREQ(e.what(), "multi_normal: the covariance matrix [2] is not positive definite");
  }
}

TEST(BatchedMvnErrors, AGroupIndexOutOfRangeSaysSo) {
  Value y = Value::array({Value::vec(Eigen::MatrixXd::Zero(2, 1))}), mu = y;
  Value M = Value::array({Value::mat(Eigen::MatrixXd::Identity(2, 2))});
  Value g = Value::array({Value::integer(2)}), lo = Value::integer(1), hi = Value::integer(1);
  std::vector<const Value*> in = {&lo, &hi, &y, &mu, &M, &g};
  try {
    mvc::values::batchedMvn("multi_normal", "ssg", "", Args(in), 7, false, 0, nullptr, nullptr);
    FAIL() << "no error";
  } catch (const mvc::values::Error& e) {
    EXPECT_STREQ(e.what(), "index 2 out of range; expecting index to be between 1 and 1");
  }
}

}  // namespace
