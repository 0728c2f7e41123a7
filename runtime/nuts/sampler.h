// The sampler program: what main() of every compiled model runs.
//
//   ./model sample ... | info | help    (CmdStan's grammar, see io/cli.h)
//
// Return codes as CmdStan's: 0 on success (and for help/info), 1 for usage errors and for
// data, model, initialization or output errors; 128 + signal (130 for SIGINT, 143 for
// SIGTERM) when interrupted, after the CSV files are complete up to the last draw and the
// summary of what was drawn has been printed.
#pragma once

#include <ostream>

namespace mvc::nuts {

int run_sampler_program(int argc, const char* const* argv, std::ostream& out,
                        std::ostream& err);

}  // namespace mvc::nuts
