// A throwaway database on the DSN's server (mig-dryrun --scratch, mig-diff):
// created with a random name, commented with "mig-dryrun pid N on HOST", and
// dropped when the object goes away, also when the tool fails. A later run
// drops the leftovers of a process that was killed before it could clean up.
#pragma once
#include <optional>
#include <string>

namespace mig {

class Database;

// Drops scratch databases whose creating process (on this host) is gone.
void drop_abandoned_scratch_databases(Database& admin);

class ScratchDatabase {
 public:
  // `admin` must outlive this object; `template_db` must have no other sessions.
  ScratchDatabase(Database& admin, const std::optional<std::string>& template_db);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const std::string& name() const { return name_; }

 private:
  Database& admin_;
  std::string name_;
};

}  // namespace mig
