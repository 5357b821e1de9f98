#include "errors.hpp"

namespace mig {

int exit_status(ExitCode code) { return static_cast<int>(code); }

}  // namespace mig
