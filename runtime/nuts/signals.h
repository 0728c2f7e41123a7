// SIGINT / SIGTERM: the handler only records the signal; chains poll stop_requested()
// once per iteration, stop, and leave their CSV files complete up to the last draw. The
// handler is installed with SA_RESETHAND, so a second Ctrl-C kills the program at once.
#pragma once

namespace mvc::nuts {

void install_stop_handlers();
bool stop_requested();
int stop_signal();  // 0 when none was received
// For tests: request a stop as a signal would.
void request_stop(int signo);

}  // namespace mvc::nuts
