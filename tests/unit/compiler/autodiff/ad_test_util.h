// Helpers for interpreter and autodiff tests: compile a program to IR (with the pass
// pipeline), optionally differentiate it, and check gradients by central finite differences.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "../frontend/test_util.h"
#include "autodiff/autodiff.h"
#include "interp/interp.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace mvc::test {

inline std::unique_ptr<ir::Module> toIr(const std::string& src, bool differentiate) {
  auto c = compile(src);
  if (!c.ok()) {
    ADD_FAILURE() << c.text();
    return nullptr;
  }
  auto m = lowerProgram(*c.program, "t");
  passes::PipelineOptions o;
  passes::runPipeline(*m, o);
  if (differentiate) autodiff::differentiate(*m);
  return m;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// max over coordinates of |g - fd| / max(1, |fd|)
inline double gradientError(interp::Interpreter& in, const std::vector<double>& theta, const interp::EvalOptions& o,
                            std::string* report = nullptr) {
  std::vector<double> g;
  double lp = in.logDensityGradient(theta, o, g);
  double lp2 = in.logDensity(theta, o);
  double worst = std::fabs(lp - lp2) / std::max(1.0, std::fabs(lp2));
  for (size_t i = 0; i < theta.size(); ++i) {
    double h = 1e-6 * std::max(1.0, std::fabs(theta[i]));
    std::vector<double> tp = theta, tm = theta;
    tp[i] += h;
    tm[i] -= h;
    double fd = (in.logDensity(tp, o) - in.logDensity(tm, o)) / (2 * h);
    // The denominator allows for the rounding error of the difference quotient (eps |lp| / h).
    double err = std::fabs(g[i] - fd) / (std::max(1.0, std::fabs(fd)) + 1e-10 * std::fabs(lp2) / h);
    if (report && err > 1e-6) *report += "  coordinate " + std::to_string(i) + ": ad " + std::to_string(g[i]) + " fd " + std::to_string(fd) + "\n";
    worst = std::max(worst, err);
  }
  return worst;
}

// The gradient of `ad` against finite differences of `fd`, a program for the same function
// (for a built-in whose value the interpreter gets wrong; the log densities are not compared).
inline double gradientErrorAgainst(interp::Interpreter& ad, interp::Interpreter& fd, const std::vector<double>& theta,
                                   const interp::EvalOptions& o, std::string* report = nullptr) {
  std::vector<double> g;
  ad.logDensityGradient(theta, o, g);
  double lp = fd.logDensity(theta, o), worst = 0;
  for (size_t i = 0; i < theta.size(); ++i) {
    double h = 1e-6 * std::max(1.0, std::fabs(theta[i]));
    std::vector<double> tp = theta, tm = theta;
    tp[i] += h;
    tm[i] -= h;
    double d = (fd.logDensity(tp, o) - fd.logDensity(tm, o)) / (2 * h);
    double err = std::fabs(g[i] - d) / (std::max(1.0, std::fabs(d)) + 1e-10 * std::fabs(lp) / h);
    if (report && err > 1e-6) *report += "  coordinate " + std::to_string(i) + ": ad " + std::to_string(g[i]) + " fd " + std::to_string(d) + "\n";
    worst = std::max(worst, err);
  }
  return worst;
}

inline std::vector<double> randomPoint(size_t n, unsigned seed, double scale = 1.0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-scale, scale);
  std::vector<double> x(n);
  for (double& v : x) v = u(rng);
  return x;
}

}  // namespace mvc::test
