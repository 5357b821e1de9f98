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

// What a signal also does at once, set by the room that can stop work (pg/db: cancel
// the query in flight on the thread that installed the handlers). `on_signal` runs in
// the signal handler, so it must be async-signal-safe; `on_install` runs in
// handle_interrupts() on that thread. Base knows nothing of PostgreSQL.
struct InterruptHooks {
  void (*on_signal)() noexcept = nullptr;
  void (*on_install)() = nullptr;
};
void set_interrupt_hooks(InterruptHooks hooks);

}  // namespace mig
