/* mvc/compiled.h: the ABI between the code that `mvc compile` generates with LLVM
 * (compiler/codegen) and the runtime's value library (runtime/compiled).
 *
 * The generated object defines exactly one symbol, `mvc_cg_module_desc` (below). The runtime
 * library mvc_compiled implements the generated-code contract of mvc/generated.h (every
 * mvc_gen_* function) on top of it, so the BridgeStan layer (runtime/model) is the same for
 * hand-written and compiled models.
 *
 * Generated code is the IR's control flow (loops, conditionals, the reverse sweep) compiled to
 * native code; every IR value is a handle `mvc_v*` to a runtime value, and every operation on
 * values is a call of an mvc_v_* function below, which implements it with the same code the
 * reference interpreter uses (runtime/compiled/values.*: built-ins with Eigen, densities and
 * transforms through runtime/math). See docs/codegen.md.
 *
 * Conventions
 *  - Every function takes the evaluation state `mvc_st*` first. Values it returns live in the
 *    state's arena until the end of the evaluation (construction: the life of the model).
 *  - Errors are C++ exceptions thrown by these functions (a domain error, an index out of
 *    range, bad data, reject()); generated functions carry unwind tables and hold no
 *    resources, so exceptions pass through them to the mvc_gen_* wrapper, which catches them
 *    and returns the status with the message (mvc/generated.h).
 *  - Types are described by `elem` (enum mvc_elem), `array_dims` (array depth) and resolved
 *    sizes `dims` (array dims outermost, then rows, then columns; as many as the type has).
 *  - Index operands: `kinds` has one letter per index position (s single, r range a:b, l
 *    lower a:, u upper :b, a all, m multi), and `ops` the operands in order (r takes two,
 *    a none, the others one): int values, an int array for m. Indexes are 1-based as in the
 *    language and are checked.
 *  - Density attributes: `name` is the signature's name ("normal_lpdf", "multi_normal_lpdf",
 *    "normal_lcdf"), `family` its family ("normal"); `can_drop` is 1 when the term may drop
 *    constants (a '~' statement or a _lupdf/_lupmf call): they are dropped when the
 *    evaluation's propto flag is also set. `active` has bit k set when argument k depends on
 *    parameters (the compiler's activity analysis); the kernel may skip the others' terms.
 */
#ifndef MVC_COMPILED_H
#define MVC_COMPILED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mvc_v mvc_v;    /* a value: int, real, vector, row_vector, matrix, or an array of them */
typedef struct mvc_st mvc_st;  /* one evaluation (construction, log density, write_array) */

enum mvc_elem { MVC_ELEM_INT = 0, MVC_ELEM_REAL = 1, MVC_ELEM_VECTOR = 2, MVC_ELEM_ROW_VECTOR = 3, MVC_ELEM_MATRIX = 4 };
enum mvc_out_role { MVC_OUT_TPARAM = 1, MVC_OUT_GQ = 2 }; /* = MVC_GEN_TPARAM / MVC_GEN_GQ */

/* ---- what the generated object defines ---------------------------------------------- */

typedef struct mvc_cg_module {
  const char* name;    /* the model's name (file name without extension) */
  int32_t nslots;      /* model slots: values computed at construction and used later */
  /* Construction: the data and transformed data sections; stores into the model's slots the
   * values later functions use; declares parameters (mvc_st_declare_param, in order) and the
   * outputs (mvc_st_declare_out: transformed parameters, then generated quantities). */
  void (*construct)(mvc_st* st);
  /* The parameters and model sections, then (when mvc_st_wants_gradient) the reverse sweep. */
  void (*log_density)(mvc_st* st);
  /* The parameters section, the transformed parameters (when mvc_st_include_tp or _gq: the
   * generated quantities may read them) and the generated quantities (when
   * mvc_st_include_gq); writes every output with mvc_v_out. */
  void (*write_array)(mvc_st* st);
  /* The parameters section with each param node replaced by mvc_v_param_unconstrain (bounds
   * may depend on data and on earlier parameters). */
  void (*unconstrain)(mvc_st* st);
} mvc_cg_module;

extern const mvc_cg_module mvc_cg_module_desc;

/* ---- the state ---------------------------------------------------------------------- */

/* The model's slots (construction: writable; later: read-only values from construction). */
mvc_v** mvc_st_slots(mvc_st* st);
int32_t mvc_st_wants_gradient(mvc_st* st);
int32_t mvc_st_include_tp(mvc_st* st);
int32_t mvc_st_include_gq(mvc_st* st);

/* Declares parameter k (0-based, in order): its transform ("" none, "lower", "upper",
 * "lower_upper", "offset_multiplier", "simplex", "unit_vector", "ordered",
 * "positive_ordered", "cholesky_factor_corr", "cholesky_factor_cov", "corr_matrix",
 * "cov_matrix": the IR's attribute) and type with resolved sizes. Construction only. */
void mvc_st_declare_param(mvc_st* st, const char* name, const char* transform, int32_t elem, int32_t array_dims,
                          int32_t ndims, const int64_t* dims);
/* Declares output k after the parameters: a transformed parameter or generated quantity. */
void mvc_st_declare_out(mvc_st* st, const char* name, int32_t role, int32_t elem, int32_t array_dims, int32_t ndims,
                        const int64_t* dims);

/* ---- values ------------------------------------------------------------------------- */

mvc_v* mvc_v_int(mvc_st* st, int64_t v);
mvc_v* mvc_v_real(mvc_st* st, double v);
int64_t mvc_v_as_int(const mvc_v* v);   /* an int value (loop bounds, sizes) */
double mvc_v_as_real(const mvc_v* v);   /* an int or real value */
int32_t mvc_v_truth(const mvc_v* v);    /* a condition: nonzero */

/* A data variable as declared (index: its position among the data variables; type_text:
 * the declared type as written, for messages), read through mvc_rt_data. Construction only. */
mvc_v* mvc_v_data(mvc_st* st, const char* name, const char* type_text, int32_t elem, int32_t array_dims,
                  int32_t ndims, const int64_t* dims);

/* Checks value against a declared constraint (transform as above, or "lower", "upper",
 * "lower_upper" for bounds; bounds: the IR's inputs after the value). `what` names the
 * variable. In construction a failure is a data error (status 2), otherwise a rejection
 * (status 1). */
void mvc_v_check(mvc_st* st, const char* what, const char* transform, const mvc_v* value, int32_t nbounds,
                 const mvc_v* const* bounds);

/* Parameter k on the constrained scale from the evaluation's unconstrained vector; adds the
 * log-Jacobian to the target when the evaluation asks for it. */
mvc_v* mvc_v_param(mvc_st* st, int32_t k, int32_t nbounds, const mvc_v* const* bounds);
/* Pulls adj (the adjoint of parameter k's constrained value `value`) back through the
 * transform, plus the log-Jacobian's gradient when asked, into the gradient output; and, for
 * each bound whose letter in `mask` is 'a' (one letter per bound; null: none), the bound's
 * adjoint into the next of `accs`. */
void mvc_v_param_grad(mvc_st* st, int32_t k, const mvc_v* value, int32_t nbounds, const mvc_v* const* bounds,
                      const mvc_v* adj, const char* mask, mvc_v* const* accs);

/* unconstrain: parameter k's constrained value from the evaluation's input (checked against
 * its constraint: a violation throws status 2 naming the parameter), written unconstrained
 * into the output vector; returns the constrained value. */
mvc_v* mvc_v_param_unconstrain(mvc_st* st, int32_t k, int32_t nbounds, const mvc_v* const* bounds);

/* Variables: a new variable of the type (reals NaN, ints 0); load copies its value; store
 * assigns the whole variable (kinds "") or the indexed part, converting int to real where
 * the variable is real. */
mvc_v* mvc_v_var(mvc_st* st, int32_t elem, int32_t array_dims, int32_t ndims, const int64_t* dims);
mvc_v* mvc_v_load(mvc_st* st, const mvc_v* var);
void mvc_v_store(mvc_st* st, mvc_v* var, const mvc_v* value, const char* kinds, int32_t nops,
                 const mvc_v* const* ops);
mvc_v* mvc_v_index(mvc_st* st, const mvc_v* base, const char* kinds, int32_t nops, const mvc_v* const* ops);

/* A built-in function or operator by the signature's name ("operator*", "exp",
 * "diag_pre_multiply"); the result is converted to the result type (int -> real). `cache`
 * points to a pointer-sized global of the call site, zero at first, where the runtime keeps
 * the resolved implementation. An unknown name throws. */
mvc_v* mvc_v_call(mvc_st* st, void** cache, const char* name, int32_t result_elem, int32_t result_array_dims,
                  int32_t nargs, const mvc_v* const* args);
/* A kernel built-in's adjoint w.r.t. argument k (the IR's call.grad). */
mvc_v* mvc_v_call_grad(mvc_st* st, const char* name, int32_t k, const mvc_v* adj_y, const mvc_v* y, int32_t nargs,
                       const mvc_v* const* args);
/* A _rng call (construction: the construction RNG; write_array: the caller's RNG). */
mvc_v* mvc_v_rng(mvc_st* st, const char* name, int32_t result_elem, int32_t result_array_dims, int32_t nargs,
                 const mvc_v* const* args);

/* {a, b, ...} (promote_real: the array's elements are real, convert ints) and [a, b, ...]
 * (scalars: a row_vector; row_vectors: a matrix with them as rows). */
mvc_v* mvc_v_make_array(mvc_st* st, int32_t promote_real, int32_t n, const mvc_v* const* elems);
mvc_v* mvc_v_make_row(mvc_st* st, int32_t n, const mvc_v* const* elems);

/* ---- the log density ---------------------------------------------------------------- */

void mvc_v_target_add(mvc_st* st, const mvc_v* v);  /* a container is summed */
mvc_v* mvc_v_target_get(mvc_st* st);

/* A density term (the IR's density, and call of a density/cdf signature): a real. */
mvc_v* mvc_v_density(mvc_st* st, const char* name, const char* family, int32_t is_cdf, int32_t can_drop,
                     uint32_t active, int32_t nargs, const mvc_v* const* args);
/* density.grad: adds adj * d term / d arg k into accs (one per 'a' in mask, in order). */
void mvc_v_density_grad(mvc_st* st, const char* name, const char* family, int32_t is_cdf, int32_t can_drop,
                        const char* mask, const mvc_v* adj, int32_t nargs, const mvc_v* const* args, int32_t naccs,
                        mvc_v* const* accs);
/* density.batched: modes as the IR's attr s (one letter per argument: b one value, s an
 * array over n, g an array gathered by an int array); inputs: lo, hi, then each argument
 * (followed by its index array for g), as in the IR. */
mvc_v* mvc_v_density_batched(mvc_st* st, const char* name, const char* family, int32_t can_drop, const char* modes,
                             uint32_t active, int32_t ninputs, const mvc_v* const* inputs);
/* density.batched.grad: modes_mask is the IR's attr s ("MODES/MASK"); inputs as above;
 * accs: one per active argument, each shaped like the whole argument. */
void mvc_v_density_batched_grad(mvc_st* st, const char* name, const char* family, int32_t can_drop,
                                const char* modes_mask, const mvc_v* adj, int32_t ninputs,
                                const mvc_v* const* inputs, int32_t naccs, mvc_v* const* accs,
                                double* const* flat);
/* The gradient vector at parameter k's unconstrained coordinates (null without a gradient):
 * the target of mask 'p' (an untransformed parameter; its accs entry is null and flat's is
 * this). */
double* mvc_st_grad_at(mvc_st* st, int32_t k);

/* Data matrices factored once. For a density.batched of multi_normal, multi_normal_cholesky
 * or multi_normal_prec whose matrix argument (the third) is data, generated code factors
 * every matrix of that argument at construction: `mode` is the argument's mode ('b': one
 * matrix; 's' or 'g': an array of matrices, all of which are factored). A matrix that is not
 * positive definite is a data error naming its index. The result is kept in a model slot and
 * passed to the _prepared forms below, which take the same inputs as density.batched(.grad)
 * (the matrix input is then only used for its index array and sizes). */
mvc_v* mvc_v_batched_prepare(mvc_st* st, const char* family, int32_t mode, const mvc_v* matrices);
/* Data items y[lo..hi] summarised per group of the data index G (null: one group): count,
 * mean and centered scatter (values::batchedMvnStats), for a density.batched whose y is data,
 * mu one vector and matrix per group or broadcast. Passed as `prepared` to the _prepared forms
 * below. */
mvc_v* mvc_v_batched_stats(mvc_st* st, int64_t lo, int64_t hi, const mvc_v* y, const mvc_v* G);
mvc_v* mvc_v_density_batched_prepared(mvc_st* st, const mvc_v* prepared, const char* name, const char* family,
                                      int32_t can_drop, const char* modes, uint32_t active, int32_t ninputs,
                                      const mvc_v* const* inputs);
void mvc_v_density_batched_grad_prepared(mvc_st* st, const mvc_v* prepared, const char* name, const char* family,
                                         int32_t can_drop, const char* modes_mask, const mvc_v* adj, int32_t ninputs,
                                         const mvc_v* const* inputs, int32_t naccs, mvc_v* const* accs,
                                         double* const* flat);

/* The direct form of a prepared batched multivariate normal whose term goes straight to
 * target (adjoint 1): y and mu (arguments 0 and 1) are each an untransformed parameter array
 * (params[k] its index: read from the unconstrained vector, gradient added into the gradient
 * vector in place), data packed at construction (mode 's': mvc_v_pack_items; vals[k]), or one
 * broadcast value (mode 'b': vals[k]). Items lo..hi. Returns the log density term; there is no
 * reverse call. */
double mvc_v_density_batched_direct(mvc_st* st, const mvc_v* prepared, const char* family, int32_t can_drop,
                                    const char* modes, uint32_t active, int64_t lo, int64_t hi, const int32_t* params,
                                    const mvc_v* const* vals);
/* An array of K vectors of one size as a size x K matrix (items contiguous). */
mvc_v* mvc_v_pack_items(mvc_st* st, const mvc_v* array);
/* The first dimension of parameter k (size() of an array parameter without its value). */
int32_t mvc_st_param_len(mvc_st* st, int32_t k);

/* ---- the reverse sweep -------------------------------------------------------------- */

mvc_v* mvc_v_adj(mvc_st* st, const mvc_v* like);          /* zeros shaped like `like` (ints: reals) */
mvc_v* mvc_v_adj_get(mvc_st* st, const mvc_v* acc);       /* the accumulator's current value */
void mvc_v_adj_add(mvc_st* st, mvc_v* acc, const mvc_v* value, const char* kinds, int32_t nops,
                   const mvc_v* const* ops);               /* acc[idx] += value (scalar broadcast) */
void mvc_v_adj_zero(mvc_st* st, mvc_v* acc, const char* kinds, int32_t nops, const mvc_v* const* ops);
/* adj.get acc[idx] for a store's reverse: acc[idx], a repeated multi-index position getting
 * the adjoint only at its last occurrence (values::storeAdjoint). */
mvc_v* mvc_v_adj_get_at(mvc_st* st, const mvc_v* acc, const char* kinds, int32_t nops, const mvc_v* const* ops);

/* The undo tape (IR ops tape.*, docs/autodiff.md): save var[idx] before a store overwrites
 * it; restore the newest saved value; restore saved values through the newest mark `id`. They
 * do nothing unless a gradient is wanted. */
void mvc_v_tape_mark(mvc_st* st, int64_t id);
void mvc_v_tape_save(mvc_st* st, mvc_v* var, const char* kinds, int32_t nops, const mvc_v* const* ops);
void mvc_v_tape_pop(mvc_st* st);
void mvc_v_tape_restore(mvc_st* st, int64_t id);
/* 1 when, from the newest entry down, a mark `iteration` comes before a mark `loop` (0 without
 * a gradient). */
int64_t mvc_v_tape_more(mvc_st* st, int64_t iteration, int64_t loop);

/* ---- effects -------------------------------------------------------------------------- */

/* print / reject / fatal_error: pieces as the IR's attr s: comma-separated, each a quoted
 * string literal as written ("x = ") or $ for the next value. reject throws status 1 (a
 * rejection during sampling; a data error in construction); fatal_error throws a fatal
 * error. */
void mvc_v_print(mvc_st* st, const char* pieces, int32_t n, const mvc_v* const* vals);
void mvc_v_reject(mvc_st* st, int32_t fatal, const char* pieces, int32_t n, const mvc_v* const* vals);

/* ---- user-defined functions that are not inlined (recursive, or returning from inside a
 * loop) are functions of the generated object: f(st, depth, arguments...). Their depth (1 for
 * a call from a model function, the caller's + 1 otherwise) is checked against a limit; past
 * it mvc_fn_too_deep throws "recursion deeper than LIMIT calls in 'NAME'" (status 1; a data
 * error in construction). mvc_fn_no_return: a function that ends without `return` (fatal).
 * mvc_v_promote_real: an int or int array passed or returned where reals are declared. */
void mvc_fn_too_deep(mvc_st* st, const char* name, int32_t limit);
void mvc_fn_no_return(mvc_st* st, const char* name);
mvc_v* mvc_v_promote_real(mvc_st* st, const mvc_v* value);

/* write_array: output k (parameters first, then the declared outputs) = value. */
void mvc_v_out(mvc_st* st, int32_t k, const mvc_v* value);

/* ---- scalar fast paths ---------------------------------------------------------------
 * Generated code keeps int and real scalars in registers (i64, double) and computes scalar
 * arithmetic inline; these avoid making handles for them. */

/* base[i1, ..., in] with n single 1-based indexes that select one int or real element. */
double mvc_v_index_real(mvc_st* st, const mvc_v* base, int32_t n, const int64_t* idx);
int64_t mvc_v_index_int(mvc_st* st, const mvc_v* base, int32_t n, const int64_t* idx);
/* var = x for a scalar variable (a real variable converts an int). */
void mvc_v_store_real(mvc_st* st, mvc_v* var, double x);
void mvc_v_store_int(mvc_st* st, mvc_v* var, int64_t x);
void mvc_v_target_add_real(mvc_st* st, double x);
/* The same for element writes and the reverse sweep, for n single 1-based indexes (n = 0: the
 * whole variable or accumulator): var[idx] = x for a real element; acc[idx] += x (x broadcast
 * over what the indexes select) and acc[idx] = 0; the undo tape's save of var[idx]. Each falls
 * back to the general form when the indexes do not select one real. (Scalar accumulators are
 * not handles at all: generated code keeps them in stack slots.) */
void mvc_v_store_real_at(mvc_st* st, mvc_v* var, double x, int32_t n, const int64_t* idx);
void mvc_v_adj_add_real_at(mvc_st* st, mvc_v* acc, double x, int32_t n, const int64_t* idx);
void mvc_v_adj_zero_at(mvc_st* st, mvc_v* acc, int32_t n, const int64_t* idx);
void mvc_v_tape_save_at(mvc_st* st, mvc_v* var, int32_t n, const int64_t* idx);

#ifdef __cplusplus
}
#endif

#endif
