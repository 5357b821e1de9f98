#include "base/host.hpp"

#include <signal.h>

#include <cerrno>

#include <unistd.h>

namespace mig {

std::string this_host() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

bool process_alive(int pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace mig
