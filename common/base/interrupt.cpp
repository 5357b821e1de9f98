#include "base/interrupt.hpp"

#include <csignal>
#include <cstring>

#include "base/errors.hpp"

namespace mig {
namespace {

volatile std::sig_atomic_t g_signal = 0;
InterruptHooks g_hooks;  // set once, at start-up, before any handler is installed

extern "C" void on_interrupt(int signal) {
  g_signal = signal;
  if (g_hooks.on_signal) g_hooks.on_signal();
}

}  // namespace

void handle_interrupts() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  if (g_hooks.on_install) g_hooks.on_install();
}

void set_interrupt_hooks(InterruptHooks hooks) { g_hooks = hooks; }

int interrupt_signal() { return g_signal; }

void request_interrupt(int signal) { g_signal = signal; }

void throw_if_interrupted(const std::string& what) {
  if (!g_signal) return;
  throw Error(ExitCode::interrupted, "interrupted",
              std::string(g_signal == SIGINT ? "SIGINT" : "SIGTERM") + " received: " + what);
}

}  // namespace mig
