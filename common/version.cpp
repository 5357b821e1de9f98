#include "version.hpp"

#include <libpq-fe.h>

namespace mig {

std::string version_line() {
  const int libpq = PQlibVersion();  // 150018 -> 15.18
  return std::string(kVersion) + " (commit " + MIG_GIT_COMMIT + ", libpq " + std::to_string(libpq / 10000) + "." +
         std::to_string(libpq % 10000) + ")";
}

}  // namespace mig
