#include "cli/version.hpp"

#include "pg/db.hpp"

namespace mig {

std::string version_line() {
  return std::string(kVersion) + " (commit " + MIG_GIT_COMMIT + ", libpq " + libpq_version() + ")";
}

}  // namespace mig
