// A throwaway database on the DSN's server (mig-dryrun --scratch, mig-diff):
// created with a random name, commented with "mig-dryrun pid N on HOST", and
// dropped when the object goes away, also when the tool fails. A later run
// drops the leftovers of a process that was killed before it could clean up.
#pragma once
#include <optional>
#include <string>

namespace mig {

class Database;

// Drops scratch databases, then sandbox roles (mig_sandbox_*), whose creating
// process on this host is gone. A process of another user counts as alive.
void drop_abandoned_scratch_databases(Database& admin);

// "<host tag>_<pid>_<random>_<serial>": unique, and names the process that made
// it even before its comment is written (a kill between CREATE and COMMENT).
std::string scratch_name_suffix();
// The comment a scratch object carries: "mig-dryrun pid N on HOST".
std::string scratch_label();

// Waits (up to about 200 ms, in 1 ms steps) until no session is in `database`.
// DROP DATABASE, or CREATE DATABASE from it as a template, that finds a session
// still ending (its client closed the connection a moment ago) sleeps 100 ms
// before it looks again; waiting here first saves most of that.
void wait_for_sessions_to_leave(Database& admin, const std::string& database);

class ScratchDatabase {
 public:
  // `admin` must outlive this object; `template_db` must have no other sessions;
  // `owner` (a role admin may act for) owns the database and its public schema.
  // `file_copy`: copy the template's files (STRATEGY FILE_COPY, PostgreSQL 15+),
  // faster than the WAL-logged copy for a template with many relations.
  ScratchDatabase(Database& admin, const std::optional<std::string>& template_db,
                  const std::optional<std::string>& owner = std::nullopt, bool file_copy = false);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  const std::string& name() const { return name_; }

 private:
  Database& admin_;
  std::string name_;
};

}  // namespace mig
