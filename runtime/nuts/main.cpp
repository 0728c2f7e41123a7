// main() of every compiled model program. Kept in its own library (mvc_sampler_main) so that
// tests linking mvc_sampler do not get a second main() (TOOLCHAIN.md pitfall 10).
#include <iostream>

#include "sampler.h"

int main(int argc, char** argv) {
  return mvc::nuts::run_sampler_program(argc, argv, std::cout, std::cerr);
}
