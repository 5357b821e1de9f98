// The role schema files run as: a throwaway login role with no power beyond
// the scratch database it owns (not a superuser, no CREATEDB, CREATEROLE,
// REPLICATION or BYPASSRLS, no memberships). Parsing refuses cluster-level
// statements; this is the wall for what parsing cannot see (a DO block, a
// function body): COPY ... TO PROGRAM, ALTER ROLE, dblink and the like are
// refused by the server itself for such a role.
#pragma once
#include <string>

namespace mig {
class Database;
}

namespace mig::diff {

class SandboxRole {
 public:
  // Creates the role on `admin`'s server; exit 3 when admin may not create roles.
  explicit SandboxRole(Database& admin);
  ~SandboxRole();  // drops it (after the databases it owns are gone)
  SandboxRole(const SandboxRole&) = delete;
  SandboxRole& operator=(const SandboxRole&) = delete;

  const std::string& name() const { return name_; }
  // `dsn` logging in as this role (its random password is never shown).
  std::string login_dsn(const std::string& dsn) const;

 private:
  Database& admin_;
  std::string name_;
  std::string password_;
};

}  // namespace mig::diff
