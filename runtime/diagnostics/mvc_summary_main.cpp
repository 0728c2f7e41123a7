// Standalone `mvc-summary FILES...`, the same as `mvc summary FILES...`.
#include <iostream>

#include "summary_command.h"

int main(int argc, char** argv) {
  return mvc::diag::summary_command(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
