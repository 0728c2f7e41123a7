/* mvc/generated.h: the contract between a model object that `mvc compile` generates and the
 * runtime library that turns it into the BridgeStan C API (runtime/model/).
 *
 * The generated object defines the functions declared below (C linkage, exactly these
 * names); the runtime defines the mvc_rt_* services it calls back and every bs_* function of
 * BridgeStan 2.x (mvc/bridgestan.h). Until the code generator exists, tests implement this
 * contract by hand in C++ (tests/unit/runtime/model/), which is also the reference for what
 * the generator must emit.
 *
 * Conventions
 *  - A model instance is an opaque mvc_gen_model* created by mvc_gen_construct and owned by
 *    the runtime's bs_model. All sizes are fixed by the data, so after construction every
 *    function below runs without heap allocation (scratch is sized at construction).
 *  - Values are doubles in Stan's memory layout: arrays outermost, vectors and matrices
 *    column-major, and the unconstrained parameter vector in declaration order (as Stan's
 *    deserializer reads it). The runtime converts from and to BridgeStan's flat order
 *    (column-major over all dims of a variable); see docs/model-runtime.md.
 *  - Errors: functions return 0 on success and nonzero on failure, after calling
 *    mvc_rt_error(ctx, ...) with a message for the user. Status 1 is a domain error during
 *    sampling (reject the proposal); status 2 is an error in the data or inits (stop).
 *  - Thread safety: one mvc_gen_model may be used by several threads at once; every function
 *    that evaluates the model takes an mvc_gen_scratch* that belongs to one thread.
 */
#ifndef MVC_GENERATED_H
#define MVC_GENERATED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mvc_gen_model mvc_gen_model;      /* data and transformed data: read-only after construction */
typedef struct mvc_gen_scratch mvc_gen_scratch;  /* per-thread working memory */
typedef struct mvc_rt_context mvc_rt_context;    /* the runtime's side: data access, errors, printing, RNG */

/* ---- what the runtime provides to generated code ------------------------------------ */

/* A data variable as declared, for mvc_rt_data and the checks below. Generated code emits
 * one static description per data variable and fills in the sizes after reading them. */
typedef struct mvc_rt_decl {
  const char* name;          /* "y" */
  const char* type;          /* the declared type as written, without the name:
                                "array[N] real<lower=0>", "cov_matrix[K]", "int<lower=0>" */
  int is_int;                /* int or array of int */
  int ndims;                 /* dims of the value: array dims, then rows/columns (<= 8) */
  int array_ndims;           /* how many of them are array dims (the rest: vector/matrix) */
  const int64_t* dims;       /* outermost first; cov_matrix[K] has dims {K, K} */
  int nsizes;                /* the size expressions named in messages ("N = 10") */
  const char* const* size_names;  /* their source text: "N", "K + 1" (literals: omit them) */
  const int64_t* size_values;
} mvc_rt_decl;

/* Data: the runtime has read the JSON. Looks up decl->name, checks that it is present, that
 * its kind matches (is_int: every value an integer within 32-bit int range) and that its dims
 * equal decl->dims, and returns its values in the layout of generated code (arrays
 * outermost, each vector/matrix element column-major; the JSON reader's order is
 * column-major over all dims, so the runtime reorders). On a mismatch it records a message
 * naming the variable, the declared type with its sizes and what the data has, e.g.
 *   variable 'y': declared array[N] real with N = 10, so the data must have dims [10], but it has dims [9]
 * and returns NULL. A variable with no elements may be missing. The values stay valid until
 * the model is destroyed (mvc_gen_destruct runs first), so generated code may keep the
 * pointer instead of copying. */
const double* mvc_rt_data(mvc_rt_context* ctx, const mvc_rt_decl* decl);

/* Checks lower/upper bounds of a data variable (values as mvc_rt_data returned them). lb / ub
 * NULL: no such bound; otherwise element i's bound is lb[i * lb_stride] (stride 0: one bound
 * for all). Returns 0, or 2 after recording, e.g.
 *   variable 'sigma': declared array[J] real<lower=0> with J = 8, but sigma[3] is -1 (it must be >= 0) */
int mvc_rt_check_bounds(mvc_rt_context* ctx, const mvc_rt_decl* decl, const double* values,
                        const double* lb, int64_t lb_stride, const double* ub, int64_t ub_stride);

/* Reports a failed structural check of a data variable: `element` is the 0-based index of
 * the failing vector/matrix among the array elements (arrays outermost), or -1 when the
 * variable is not an array; `what` is the mvc_tf_*_check message. Returns 2. E.g.
 *   variable 'Sigma': declared array[G] cov_matrix[K] with G = 2, K = 3, but Sigma[2] is not symmetric: ... */
int mvc_rt_data_constraint_error(mvc_rt_context* ctx, const mvc_rt_decl* decl, int64_t element,
                                 const char* what);

/* Records an error message (printf-style) for the user; returns `status` for convenience. */
int mvc_rt_error(mvc_rt_context* ctx, int status, const char* fmt, ...);

/* print() and reject() output (the pieces are already formatted by generated code). */
void mvc_rt_print(mvc_rt_context* ctx, const char* text);

/* Uniform draw in the open interval (0, 1) from the runtime's RNG for this call: the
 * construction RNG (seeded by bs_model_construct's seed) in transformed data, the caller's
 * bs_rng in generated quantities. NaN, with an error recorded, where no RNG is available. */
double mvc_rt_uniform(mvc_rt_context* ctx);

/* ---- what generated code provides --------------------------------------------------- */

/* The model's name (the file name without extension). */
const char* mvc_gen_name(void);

/* Reads and validates the data (declared sizes, types, constraints), runs transformed data.
 * Returns NULL after mvc_rt_error on any problem. */
mvc_gen_model* mvc_gen_construct(mvc_rt_context* ctx);
void mvc_gen_destruct(mvc_gen_model* m);
mvc_gen_scratch* mvc_gen_scratch_new(const mvc_gen_model* m);
void mvc_gen_scratch_delete(mvc_gen_scratch* s);

/* One output variable of the model (a parameter, transformed parameter or generated
 * quantity), with its sizes resolved by the data. */
enum mvc_gen_role { MVC_GEN_PARAM = 0, MVC_GEN_TPARAM = 1, MVC_GEN_GQ = 2 };
typedef struct mvc_gen_var {
  const char* name;
  int role;            /* enum mvc_gen_role */
  int ndims;           /* array dims then rows/columns; 0 for a scalar */
  int64_t dims[8];
  int array_ndims;     /* how many of dims are array dims */
  int is_int;          /* generated quantities may be int */
  /* Parameters: the unconstrained coordinates. unconstrained_size is their number; unc_dims
   * the shape Stan names them with: dims itself when the transform keeps the shape (none,
   * bounds, offset/multiplier, unit_vector, ordered), else the array dims then one dim of
   * the element's free size (simplex[K]: K - 1, cov_matrix[K]: K (K + 1) / 2, ...).
   * Other roles: 0 and unc_ndims = 0. */
  int64_t unconstrained_size;
  int unc_ndims;
  int64_t unc_dims[8];
} mvc_gen_var;

/* The variables in declaration order: parameters, transformed parameters, generated
 * quantities. Sets *count. The array belongs to the model. */
const mvc_gen_var* mvc_gen_vars(const mvc_gen_model* m, int* count);

/* log density at the unconstrained point theta. propto != 0 drops constant terms (as '~'),
 * jacobian != 0 adds the transforms' log-Jacobians. When grad is not NULL it receives the
 * gradient (length = total unconstrained size). Returns 0, or 1 when the density is not
 * defined there (the message says why). */
int mvc_gen_log_density(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* theta,
                        int propto, int jacobian, double* lp, double* grad);

/* The constrained values of the parameters, then (if asked) the transformed parameters and
 * generated quantities, in the order of mvc_gen_vars, into out; each variable in the layout
 * of generated code (arrays outermost, vectors/matrices column-major). The runtime reorders
 * to BridgeStan's order (column-major over all dims). Generated quantities draw through
 * mvc_rt_uniform. Returns 0, or 1 with a message (a reject(), a failed check). */
int mvc_gen_write_array(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* theta,
                        int include_tp, int include_gq, double* out);

/* The inverse: constrained parameter values (in the order of mvc_gen_vars, parameters only,
 * each in generated code's layout) to the unconstrained vector. Returns 2 with a message if
 * a value violates its constraint. */
int mvc_gen_unconstrain(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* constrained,
                        double* theta);

#ifdef __cplusplus
}
#endif

#endif
