/*
 * The model API: the C API of BridgeStan 2.x, with BridgeStan's names, signatures and
 * semantics (DESIGN.md section 5). Every compiled mvc model exports these symbols; the
 * sampler program uses nothing else to talk to a model.
 *
 * Conventions (as BridgeStan documents them):
 *  - Functions returning int return 0 on success and -1 on failure. On failure, if
 *    `error_msg` is not null, *error_msg is set to a newly allocated message that the
 *    caller releases with bs_free_error_msg.
 *  - Parameter names and values are in declaration order, column-major within a variable
 *    (`a.1.1, a.2.1, a.1.2, ...`), 1-based, indices separated by periods.
 *  - Strings returned by bs_name, bs_model_info, bs_param_names and bs_param_unc_names are
 *    owned by the model and stay valid until bs_model_destruct.
 *  - A model may be used from several threads at once (one chain each); an RNG must not be.
 */
#ifndef MVC_BRIDGESTAN_H
#define MVC_BRIDGESTAN_H

#ifdef __cplusplus
#include <cstddef>
class bs_model;
class bs_rng;
extern "C" {
#else
#include <stdbool.h>
#include <stddef.h>
typedef struct bs_model bs_model; /* opaque model with its data */
typedef struct bs_rng bs_rng;     /* opaque pseudo-random number generator */
#endif

#if defined _WIN32 || defined __MINGW32__
#ifdef BRIDGESTAN_EXPORT
#define BS_PUBLIC __declspec(dllexport)
#else
#define BS_PUBLIC __declspec(dllimport)
#endif
#else
#define BS_PUBLIC __attribute__((visibility("default")))
#endif

/* Version of the BridgeStan API this model implements (not a Stan version). */
BS_PUBLIC extern const int bs_major_version;
BS_PUBLIC extern const int bs_minor_version;
BS_PUBLIC extern const int bs_patch_version;

/* Constructs a model. `data` is a path to a file ending in ".json", a JSON string, or an
 * empty string / null for no data. `seed` seeds the RNG of transformed data.
 * Returns null on failure (and sets *error_msg). */
BS_PUBLIC bs_model* bs_model_construct(const char* data, unsigned int seed, char** error_msg);

BS_PUBLIC void bs_model_destruct(bs_model* m);

BS_PUBLIC void bs_free_error_msg(char* error_msg);

BS_PUBLIC const char* bs_name(const bs_model* m);

BS_PUBLIC const char* bs_model_info(const bs_model* m);

/* Comma-separated constrained names: parameters, then transformed parameters (include_tp)
 * and generated quantities (include_gq). */
BS_PUBLIC const char* bs_param_names(const bs_model* m, bool include_tp, bool include_gq);

/* Comma-separated names of the unconstrained parameters. */
BS_PUBLIC const char* bs_param_unc_names(const bs_model* m);

BS_PUBLIC int bs_param_num(const bs_model* m, bool include_tp, bool include_gq);

BS_PUBLIC int bs_param_unc_num(const bs_model* m);

/* theta_unc (bs_param_unc_num values) -> theta (bs_param_num(include_tp, include_gq)
 * values). `rng` is required when include_gq is true and may be null otherwise. */
BS_PUBLIC int bs_param_constrain(const bs_model* m, bool include_tp, bool include_gq,
                                 const double* theta_unc, double* theta, bs_rng* rng,
                                 char** error_msg);

/* theta (bs_param_num(false, false) constrained values) -> theta_unc. */
BS_PUBLIC int bs_param_unconstrain(const bs_model* m, const double* theta, double* theta_unc,
                                   char** error_msg);

/* Constrained parameter values given as CmdStan JSON -> theta_unc. */
BS_PUBLIC int bs_param_unconstrain_json(const bs_model* m, const char* json, double* theta_unc,
                                        char** error_msg);

/* Log density at theta_unc; propto drops constants, jacobian adds the change of variables. */
BS_PUBLIC int bs_log_density(const bs_model* m, bool propto, bool jacobian,
                             const double* theta_unc, double* lp, char** error_msg);

/* Log density and its gradient (grad has bs_param_unc_num entries). */
BS_PUBLIC int bs_log_density_gradient(const bs_model* m, bool propto, bool jacobian,
                                      const double* theta_unc, double* lp, double* grad,
                                      char** error_msg);

/* Log density, gradient and Hessian (hessian: N*N entries). Optional for mvc models: the
 * sampler never calls it. */
BS_PUBLIC int bs_log_density_hessian(const bs_model* m, bool propto, bool jacobian,
                                     const double* theta_unc, double* lp, double* grad,
                                     double* hessian, char** error_msg);

/* An RNG for generated quantities; one per thread. */
BS_PUBLIC bs_rng* bs_rng_construct(unsigned int seed, char** error_msg);

BS_PUBLIC void bs_rng_destruct(bs_rng* rng);

/* Also exported by BridgeStan 2.x and bound by its clients when they load a library. */
typedef void (*MVC_BS_STREAM_CALLBACK)(const char* data, size_t size);

/* Where print() output of every model goes (NULL: stdout). */
BS_PUBLIC int bs_set_print_callback(MVC_BS_STREAM_CALLBACK callback, char** error_msg);

/* Log density, gradient and the product of the Hessian with `vector` (central finite
 * differences of the gradient, as BridgeStan does by default). */
BS_PUBLIC int bs_log_density_hessian_vector_product(const bs_model* m, bool propto, bool jacobian,
                                                    const double* theta_unc, const double* vector,
                                                    double* lp, double* hvp, char** error_msg);

#ifdef __cplusplus
}
#endif

#endif /* MVC_BRIDGESTAN_H */
