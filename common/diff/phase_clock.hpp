// How long each phase of a mig-diff run took, logged at -v.
#pragma once
#include <chrono>

#include "base/log.hpp"

namespace mig::diff {

// Logs (at -v) how long each phase took since the last call.
class PhaseClock {
 public:
  void mark(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    log::debug(phase, " in ", std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count(), " ms");
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace mig::diff
