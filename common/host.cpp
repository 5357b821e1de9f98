#include "host.hpp"

#include <unistd.h>

namespace mig {

std::string this_host() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace mig
