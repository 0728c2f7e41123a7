/* BridgeStan 2.x functions that mvc/bridgestan.h does not declare but BridgeStan's clients
 * bind when they load a library (Python's StanModel, the R and Julia packages), so that a
 * model built with `mvc compile --shared` loads in them. Same names, signatures and
 * semantics as BridgeStan's. */
#ifndef MVC_MODEL_EXT_H
#define MVC_MODEL_EXT_H

#include <stddef.h>

#include "mvc/bridgestan.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#endif
