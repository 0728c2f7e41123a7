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
 *  - Values are doubles in Stan's layout: arrays outermost, matrices column-major, and the
 *    unconstrained parameter vector in declaration order.
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

/* Data: the runtime has read the JSON. Looks up `name`, checks that it is present, that its
 * kind matches (is_int: every value an integer) and that its dims equal `dims` (ndims of them,
 * outermost first; for matrices rows then columns), and returns its values in Stan's layout.
 * On a mismatch it records a message naming the variable, the declared shape (with the sizes
 * it was given) and what the data has, and returns NULL. */
const double* mvc_rt_data(mvc_rt_context* ctx, const char* name, int is_int, int ndims, const int64_t* dims);

/* Records an error message (printf-style) for the user; returns `status` for convenience. */
int mvc_rt_error(mvc_rt_context* ctx, int status, const char* fmt, ...);

/* print() and reject() output (the pieces are already formatted by generated code). */
void mvc_rt_print(mvc_rt_context* ctx, const char* text);

/* Uniform(0, 1) draw from the runtime's RNG for this call (generated quantities, _rng). */
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
  int is_int;          /* generated quantities may be int */
  int64_t unconstrained_size;  /* parameters: its number of unconstrained coordinates; else 0 */
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
 * generated quantities, in the order of mvc_gen_vars, into out. */
int mvc_gen_write_array(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* theta,
                        int include_tp, int include_gq, double* out);

/* The inverse: constrained parameter values (in the order of mvc_gen_vars, parameters only)
 * to the unconstrained vector. Returns 2 with a message if a value violates its constraint. */
int mvc_gen_unconstrain(const mvc_gen_model* m, mvc_gen_scratch* s, mvc_rt_context* ctx, const double* constrained,
                        double* theta);

#ifdef __cplusplus
}
#endif

#endif
