#include "base/errors.hpp"

#include "base/interrupt.hpp"

namespace mig {

int exit_status(ExitCode code) {
  if (code == ExitCode::interrupted) return 128 + (interrupt_signal() ? interrupt_signal() : 15);
  return static_cast<int>(code);
}

}  // namespace mig
