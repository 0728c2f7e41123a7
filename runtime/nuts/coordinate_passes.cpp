#include "coordinate_passes.h"

// Reductions are declared with `omp simd reduction` (built with -fopenmp-simd: no OpenMP
// runtime) so that the compiler may vectorise them; without it a floating-point sum keeps
// its sequential order and its loop stays scalar.

namespace mvc::nuts::passes {

void kick_drift(double* p, double* q, const double* g, const double* m, std::size_t n,
                double half, double eps) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += half * g[i];
    q[i] += eps * (m[i] * p[i]);
  }
}

double kick_record(double* p, const double* g, const double* m, std::size_t n, double half,
                   double* v_out, double* p_out) {
  double pv = 0;
#pragma omp simd reduction(+ : pv)
  for (std::size_t i = 0; i < n; ++i) {
    const double pi = p[i] + half * g[i], vi = m[i] * pi;
    p[i] = pi;
    p_out[i] = pi;
    v_out[i] = vi;
    pv += pi * vi;
  }
  return pv;
}

double kick_record_pair(double* p, const double* g, const double* m, std::size_t n,
                        double half, double* v_out, double* p_out, const double* p_first,
                        const double* v_first, double* rho, double& first_dot,
                        double& this_dot) {
  double pv = 0, fd = 0, td = 0;
#pragma omp simd reduction(+ : pv, fd, td)
  for (std::size_t i = 0; i < n; ++i) {
    const double pi = p[i] + half * g[i], vi = m[i] * pi, ri = p_first[i] + pi;
    p[i] = pi;
    p_out[i] = pi;
    v_out[i] = vi;
    rho[i] = ri;
    pv += pi * vi;
    fd += v_first[i] * ri;
    td += vi * ri;
  }
  first_dot = fd;
  this_dot = td;
  return pv;
}

bool merge(double* rho, const double* rho_init, const double* rho_final,
           const double* p_init_end, const double* p_final_beg, const double* p_sharp_beg,
           const double* p_sharp_init_end, const double* p_sharp_final_beg,
           const double* p_sharp_end, std::size_t n) {
  double whole_beg = 0, whole_end = 0, init_beg = 0, init_end = 0, final_beg = 0, final_end = 0;
#pragma omp simd reduction(+ : whole_beg, whole_end, init_beg, init_end, final_beg, final_end)
  for (std::size_t i = 0; i < n; ++i) {
    const double whole = rho_init[i] + rho_final[i];
    const double ext_init = rho_init[i] + p_final_beg[i];    // init's rho + final's start
    const double ext_final = rho_final[i] + p_init_end[i];  // init's end + final's rho
    rho[i] = whole;
    whole_beg += p_sharp_beg[i] * whole;
    whole_end += p_sharp_end[i] * whole;
    init_beg += p_sharp_beg[i] * ext_init;
    init_end += p_sharp_final_beg[i] * ext_init;
    final_beg += p_sharp_init_end[i] * ext_final;
    final_end += p_sharp_end[i] * ext_final;
  }
  return whole_beg > 0 && whole_end > 0 && init_beg > 0 && init_end > 0 && final_beg > 0 &&
         final_end > 0;
}

}  // namespace mvc::nuts::passes
