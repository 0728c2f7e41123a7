// Initial values, as Stan's services/util/initialize.hpp:
//   init=R (a number > 0): each unconstrained coordinate ~ uniform(-R, R), R = 2 by default;
//   init=0: all unconstrained coordinates 0;
//   init=file.json: constrained values of the parameters (CmdStan JSON). Parameters missing
//     from the file are drawn as for init=2 (a partial init, as CmdStan allows).
// A point is accepted when the model evaluates there and lp and its gradient are finite.
// Random inits are retried up to 100 times; a fixed init (0 or a complete file) is tried
// once. Each rejection is reported on `messages` with Stan's wording.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>

#include "hamiltonian.h"
#include "io/json_data.h"
#include "model.h"
#include "rng.h"

namespace mvc::nuts {

class InitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns a point with q, lp and g set. Throws InitError (with Stan's message) or
// io::JsonError / ModelError for an unreadable init file.
PhasePoint initialize(const Model& model, const std::string& init, Rng& rng,
                      std::ostream& messages);

// The JSON text of constrained parameter values: `names` in BridgeStan's order
// ("a", "b.1", "S.1.2", column-major), nested as CmdStan writes arrays (arrays of rows).
// Variables present in `given` take their values from there instead.
std::string params_to_json(const std::vector<std::string>& names,
                           const std::vector<double>& values,
                           const io::DataMap* given = nullptr);

}  // namespace mvc::nuts
