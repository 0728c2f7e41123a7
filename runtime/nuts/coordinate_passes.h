// The sampler's passes over the coordinates with a diagonal metric (m = the inverse metric's
// diagonal): plain loops over raw arrays, built for the host CPU like the batched
// multivariate normal kernels (see CMakeLists.txt). When a gradient costs microseconds at
// thousands of dimensions these loops are most of a leapfrog step, and the host's wider
// vectors shorten them by a quarter or more. No Eigen here: Eigen's types must have the same
// layout in every file, which host-CPU flags would change.
//
// The arrays passed to one call must not overlap: the loops are `omp simd` loops, which
// vectorise on that promise (every caller passes distinct buffers of one subtree).
#pragma once

#include <cstddef>

namespace mvc::nuts::passes {

// The first half kick and the drift: p += half g; q += eps m p.
void kick_drift(double* p, double* q, const double* g, const double* m, std::size_t n,
                double half, double eps);

// The last half kick p += half g, then the records of a leaf: v = m p into v_out, p into
// p_out. Returns p . v (twice the kinetic energy).
double kick_record(double* p, const double* g, const double* m, std::size_t n, double half,
                   double* v_out, double* p_out);

// The same for the second point of a two-point subtree whose first point has momentum
// p_first and velocity v_first: also rho = p_first + p, and the U-turn dot products
// v_first . rho and v . rho.
double kick_record_pair(double* p, const double* g, const double* m, std::size_t n,
                        double half, double* v_out, double* p_out, const double* p_first,
                        const double* v_first, double* rho, double& first_dot,
                        double& this_dot);

// A merge of two adjacent subtrees: rho = rho_init + rho_final, and the six dot products of
// Stan's three U-turn checks: p#_beg and p#_end with rho; p#_beg and p#_final_beg with
// rho_init + p_final_beg; p#_init_end and p#_end with rho_final + p_init_end.
// Returns whether all six are positive.
bool merge(double* rho, const double* rho_init, const double* rho_final,
           const double* p_init_end, const double* p_final_beg, const double* p_sharp_beg,
           const double* p_sharp_init_end, const double* p_sharp_final_beg,
           const double* p_sharp_end, std::size_t n);

}  // namespace mvc::nuts::passes
