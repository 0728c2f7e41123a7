// The non-template parts of special.h: Owen's T by Gauss-Legendre quadrature, log I0 and the
// Bessel ratios of the von Mises distribution.
#include "special.h"

#include <algorithm>
#include <vector>

namespace mvc::dist {
namespace {

// Gauss-Legendre nodes and weights on [-1, 1], computed once by Newton's method on P_n.
struct GaussLegendre {
  static constexpr int N = 20;
  double x[N], w[N];
  GaussLegendre() {
    for (int i = 0; i < N; ++i) {
      double z = std::cos(M_PI * (i + 0.75) / (N + 0.5)), dp = 0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1, p1 = z;
        for (int k = 2; k <= N; ++k) {
          const double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = N * (z * p1 - p0) / (z * z - 1);
        const double step = p1 / dp;
        z -= step;
        if (std::fabs(step) < 1e-16) break;
      }
      x[i] = z;
      w[i] = 2.0 / ((1 - z * z) * dp * dp);
    }
  }
};
const GaussLegendre& gauss_legendre() {
  static const GaussLegendre g;
  return g;
}

// T(h, a) for h >= 0, 0 <= a <= 1 by quadrature: panels of width <= 1 / (1 + h).
double owens_t_quadrature(double h, double a) {
  // T(h, a) <= a exp(-h^2 / 2) / (2 pi): below the smallest double for h > 40 (and no
  // unbounded number of panels for a huge h).
  if (a == 0 || !(h <= 40)) return 0;
  const GaussLegendre& g = gauss_legendre();
  const int panels = std::max(1, static_cast<int>(std::ceil(a * (1.0 + h))));
  const double width = a / panels, hh = -0.5 * h * h;
  double s = 0;
  for (int p = 0; p < panels; ++p) {
    const double mid = (p + 0.5) * width, half = 0.5 * width;
    for (int i = 0; i < GaussLegendre::N; ++i) {
      const double t = mid + half * g.x[i], u = 1.0 + t * t;
      s += g.w[i] * half * std::exp(hh * u) / u;
    }
  }
  return s / (2.0 * M_PI);
}

double Phi(double z) { return 0.5 * std::erfc(-z * M_SQRT1_2); }

}  // namespace

double owens_t(double h, double a) {
  if (std::isnan(h) || std::isnan(a)) return kNaN;
  h = std::fabs(h);
  const double sign = a < 0 ? -1.0 : 1.0;
  a = std::fabs(a);
  if (a == kInf) return sign * 0.5 * Phi(-h);  // T(h, inf) = Q(h) / 2 for h >= 0
  if (a <= 1.0) return sign * owens_t_quadrature(h, a);
  const double ah = a * h;
  const double rest = 0.5 * (Phi(h) * Phi(-ah) + Phi(ah) * Phi(-h));
  return sign * (rest - owens_t_quadrature(ah, 1.0 / a));
}

double log_bessel_i0(double kappa) {
  if (kappa < 700) return std::log(std::cyl_bessel_i(0.0, kappa));
  // I0(x) ~ e^x / sqrt(2 pi x) (1 + 1/(8x) + 9/(2 (8x)^2) + 225/(6 (8x)^3) + 11025/(24 (8x)^4))
  const double u = 1.0 / (8.0 * kappa);
  const double s = 1 + u * (1 + u * (4.5 + u * (37.5 + u * 459.375)));
  return kappa - 0.5 * std::log(2 * M_PI * kappa) + std::log(s);
}

int von_mises_terms(double kappa) { return 30 + static_cast<int>(std::ceil(9.0 * std::sqrt(kappa))); }

}  // namespace mvc::dist
