// SIGTERM and SIGINT for tools that change the database: remember the signal,
// cancel the statement in flight (the server rolls its transaction back), and
// let the tool finish cleanly: release the lock, print its result, exit 128+signal.
#pragma once
#include <string>

namespace mig {

// Installs the handlers (also over a SIG_IGN inherited from `cmd &` in a script).
void handle_interrupts();
// The signal received, or 0.
int interrupt_signal();
// Records `signal` as if it had been received (a thread that must stop: the
// background backfill when mig-start-prod's workers are gone).
void request_interrupt(int signal);
// Throws Error kind "interrupted" when a signal came in; `what` says what was stopped.
void throw_if_interrupted(const std::string& what);

}  // namespace mig
