// Elementwise constraint transforms: <lower>, <upper>, <lower, upper>,
// <offset, multiplier>. Stan's definitions (stan/math/prim/constraint/lb_*,
// ub_*, lub_*, offset_multiplier_*); math in docs/transforms.md.
#include <cmath>

#include "mvc/transforms.h"
#include "transforms_util.h"

using namespace mvc::tf;

namespace {

// ---- lower bound -----------------------------------------------------------

inline double lb_value(double x, double lb) {
  return lb == -kInf ? x : std::exp(x) + lb;
}

inline int lb_check_one(int64_t n, int64_t i, double y, double lb, char* err,
                        int64_t err_len) {
  if (!(y >= lb))
    return fail(err, err_len, "%s is %.10g, but must be greater than or equal to %.10g",
                ElementName(n, i).text, y, lb);
  return MVC_TF_OK;
}

// ---- upper bound -----------------------------------------------------------

inline double ub_value(double x, double ub) {
  return ub == kInf ? x : ub - std::exp(x);
}

inline int ub_check_one(int64_t n, int64_t i, double y, double ub, char* err,
                        int64_t err_len) {
  if (!(y <= ub))
    return fail(err, err_len, "%s is %.10g, but must be less than or equal to %.10g",
                ElementName(n, i).text, y, ub);
  return MVC_TF_OK;
}

// ---- lower and upper bound -------------------------------------------------

inline int lub_bounds_ok(int64_t n, int64_t i, double lb, double ub, char* err,
                         int64_t err_len) {
  if (!(lb < ub))
    return fail(err, err_len,
                "%s: lower bound is %.10g, but must be less than the upper bound %.10g",
                ElementName(n, i).text, lb, ub);
  return MVC_TF_OK;
}

inline int om_params_ok(int64_t n, int64_t i, double mu, double sigma, char* err,
                        int64_t err_len) {
  if (!std::isfinite(mu))
    return fail(err, err_len, "%s: offset is %.10g, but must be finite",
                ElementName(n, i).text, mu);
  if (!(sigma > 0) || !std::isfinite(sigma))
    return fail(err, err_len, "%s: multiplier is %.10g, but must be positive finite",
                ElementName(n, i).text, sigma);
  return MVC_TF_OK;
}

}  // namespace

extern "C" {

// ============================ lower bound ===================================

int mvc_tf_lb_constrain(int64_t n, const double* x, const double* lb,
                        int64_t lb_stride, double* y, double* lp, char*, int64_t) {
  double acc = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i);
    y[i] = lb_value(x[i], l);
    if (l != -kInf) acc += x[i];
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_lb_grad(int64_t n, const double* x, const double*, const double* lb,
                    int64_t lb_stride, const double* y_adj, int jacobian,
                    double* x_adj, double* lb_adj) {
  for (int64_t i = 0; i < n; ++i) {
    if (bound(lb, lb_stride, i) == -kInf) {
      x_adj[i] += y_adj[i];
      continue;
    }
    x_adj[i] += y_adj[i] * std::exp(x[i]) + (jacobian ? 1.0 : 0.0);
    if (lb_adj) lb_adj[i * lb_stride] += y_adj[i];
  }
}

int mvc_tf_lb_check(int64_t n, const double* y, const double* lb,
                    int64_t lb_stride, char* err, int64_t err_len) {
  for (int64_t i = 0; i < n; ++i)
    if (lb_check_one(n, i, y[i], bound(lb, lb_stride, i), err, err_len))
      return MVC_TF_ERROR;
  return MVC_TF_OK;
}

int mvc_tf_lb_free(int64_t n, const double* y, const double* lb,
                   int64_t lb_stride, double* x, char* err, int64_t err_len) {
  if (mvc_tf_lb_check(n, y, lb, lb_stride, err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i);
    x[i] = l == -kInf ? y[i] : std::log(y[i] - l);
  }
  return MVC_TF_OK;
}

// ============================ upper bound ===================================

int mvc_tf_ub_constrain(int64_t n, const double* x, const double* ub,
                        int64_t ub_stride, double* y, double* lp, char*, int64_t) {
  double acc = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double u = bound(ub, ub_stride, i);
    y[i] = ub_value(x[i], u);
    if (u != kInf) acc += x[i];
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_ub_grad(int64_t n, const double* x, const double*, const double* ub,
                    int64_t ub_stride, const double* y_adj, int jacobian,
                    double* x_adj, double* ub_adj) {
  for (int64_t i = 0; i < n; ++i) {
    if (bound(ub, ub_stride, i) == kInf) {
      x_adj[i] += y_adj[i];
      continue;
    }
    x_adj[i] += -y_adj[i] * std::exp(x[i]) + (jacobian ? 1.0 : 0.0);
    if (ub_adj) ub_adj[i * ub_stride] += y_adj[i];
  }
}

int mvc_tf_ub_check(int64_t n, const double* y, const double* ub,
                    int64_t ub_stride, char* err, int64_t err_len) {
  for (int64_t i = 0; i < n; ++i)
    if (ub_check_one(n, i, y[i], bound(ub, ub_stride, i), err, err_len))
      return MVC_TF_ERROR;
  return MVC_TF_OK;
}

int mvc_tf_ub_free(int64_t n, const double* y, const double* ub,
                   int64_t ub_stride, double* x, char* err, int64_t err_len) {
  if (mvc_tf_ub_check(n, y, ub, ub_stride, err, err_len)) return MVC_TF_ERROR;
  for (int64_t i = 0; i < n; ++i) {
    const double u = bound(ub, ub_stride, i);
    x[i] = u == kInf ? y[i] : std::log(u - y[i]);
  }
  return MVC_TF_OK;
}

// ======================= lower and upper bound ==============================

int mvc_tf_lub_constrain(int64_t n, const double* x, const double* lb,
                         int64_t lb_stride, const double* ub, int64_t ub_stride,
                         double* y, double* lp, char* err, int64_t err_len) {
  double acc = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i), u = bound(ub, ub_stride, i);
    const bool l_inf = l == -kInf, u_inf = u == kInf;
    if (l_inf && u_inf) {
      y[i] = x[i];
    } else if (u_inf) {
      y[i] = lb_value(x[i], l);
      acc += x[i];
    } else if (l_inf) {
      y[i] = ub_value(x[i], u);
      acc += x[i];
    } else {
      if (lub_bounds_ok(n, i, l, u, err, err_len)) return MVC_TF_ERROR;
      const double diff = u - l;
      const double ax = std::fabs(x[i]);
      acc += std::log(diff) - ax - 2 * std::log1p(std::exp(-ax));
      y[i] = diff * inv_logit(x[i]) + l;
    }
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_lub_grad(int64_t n, const double* x, const double*, const double* lb,
                     int64_t lb_stride, const double* ub, int64_t ub_stride,
                     const double* y_adj, int jacobian, double* x_adj,
                     double* lb_adj, double* ub_adj) {
  const double jac = jacobian ? 1.0 : 0.0;
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i), u = bound(ub, ub_stride, i);
    const bool l_inf = l == -kInf, u_inf = u == kInf;
    const double g = y_adj[i];
    if (l_inf && u_inf) {
      x_adj[i] += g;
    } else if (u_inf) {
      x_adj[i] += g * std::exp(x[i]) + jac;
      if (lb_adj) lb_adj[i * lb_stride] += g;
    } else if (l_inf) {
      x_adj[i] += -g * std::exp(x[i]) + jac;
      if (ub_adj) ub_adj[i * ub_stride] += g;
    } else {
      // y = l + d s(x), d = u - l;  log|J| = log d + log s + log(1 - s).
      double s, t;
      logistic_pair(x[i], s, t);
      const double diff = u - l;
      x_adj[i] += g * diff * s * t + jac * (t - s);
      if (lb_adj) lb_adj[i * lb_stride] += g * t - jac / diff;
      if (ub_adj) ub_adj[i * ub_stride] += g * s + jac / diff;
    }
  }
}

int mvc_tf_lub_check(int64_t n, const double* y, const double* lb,
                     int64_t lb_stride, const double* ub, int64_t ub_stride,
                     char* err, int64_t err_len) {
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i), u = bound(ub, ub_stride, i);
    if (!(y[i] >= l && y[i] <= u))
      return fail(err, err_len, "%s is %.10g, but must be in the interval [%.10g, %.10g]",
                  ElementName(n, i).text, y[i], l, u);
  }
  return MVC_TF_OK;
}

int mvc_tf_lub_free(int64_t n, const double* y, const double* lb,
                    int64_t lb_stride, const double* ub, int64_t ub_stride,
                    double* x, char* err, int64_t err_len) {
  if (mvc_tf_lub_check(n, y, lb, lb_stride, ub, ub_stride, err, err_len))
    return MVC_TF_ERROR;
  for (int64_t i = 0; i < n; ++i) {
    const double l = bound(lb, lb_stride, i), u = bound(ub, ub_stride, i);
    const bool l_inf = l == -kInf, u_inf = u == kInf;
    if (l_inf && u_inf) {
      x[i] = y[i];
    } else if (u_inf) {
      x[i] = std::log(y[i] - l);
    } else if (l_inf) {
      x[i] = std::log(u - y[i]);
    } else {
      if (lub_bounds_ok(n, i, l, u, err, err_len)) return MVC_TF_ERROR;
      const double p = (y[i] - l) / (u - l);
      x[i] = std::log(p / (1 - p));  // Stan's logit
    }
  }
  return MVC_TF_OK;
}

// ======================= offset and multiplier ==============================

int mvc_tf_offset_multiplier_constrain(int64_t n, const double* x,
                                       const double* mu, int64_t mu_stride,
                                       const double* sigma, int64_t sigma_stride,
                                       double* y, double* lp, char* err,
                                       int64_t err_len) {
  double acc = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double m = bound(mu, mu_stride, i), s = bound(sigma, sigma_stride, i);
    if (om_params_ok(n, i, m, s, err, err_len)) return MVC_TF_ERROR;
    y[i] = std::fma(s, x[i], m);
    acc += std::log(s);
  }
  if (lp) *lp += acc;
  return MVC_TF_OK;
}

void mvc_tf_offset_multiplier_grad(int64_t n, const double* x, const double*,
                                   const double* mu, int64_t mu_stride,
                                   const double* sigma, int64_t sigma_stride,
                                   const double* y_adj, int jacobian,
                                   double* x_adj, double* mu_adj,
                                   double* sigma_adj) {
  (void)mu;
  for (int64_t i = 0; i < n; ++i) {
    const double s = bound(sigma, sigma_stride, i);
    x_adj[i] += y_adj[i] * s;
    if (mu_adj) mu_adj[i * mu_stride] += y_adj[i];
    if (sigma_adj)
      sigma_adj[i * sigma_stride] += y_adj[i] * x[i] + (jacobian ? 1 / s : 0.0);
  }
}

int mvc_tf_offset_multiplier_free(int64_t n, const double* y, const double* mu,
                                  int64_t mu_stride, const double* sigma,
                                  int64_t sigma_stride, double* x, char* err,
                                  int64_t err_len) {
  for (int64_t i = 0; i < n; ++i) {
    const double m = bound(mu, mu_stride, i), s = bound(sigma, sigma_stride, i);
    if (om_params_ok(n, i, m, s, err, err_len)) return MVC_TF_ERROR;
    x[i] = (y[i] - m) / s;
  }
  return MVC_TF_OK;
}

}  // extern "C"
