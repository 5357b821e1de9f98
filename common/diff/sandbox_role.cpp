#include "diff/sandbox_role.hpp"

#include <openssl/rand.h>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/log.hpp"
#include "pg/scratch_database.hpp"

namespace mig::diff {
namespace {

std::string random_password() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error(ExitCode::internal, "internal", "no random bytes for the sandbox role");
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace

SandboxRole::SandboxRole(Database& admin) : admin_(admin), name_("mig_sandbox_" + scratch_name_suffix()), password_(random_password()) {
  const Row can = admin_.query("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user").rows.at(0);
  const bool superuser = can[0].value_or("f") == "t";
  if (!superuser && can[1].value_or("f") != "t") {
    throw invalid_input("sandbox_unavailable",
                        "mig-diff runs schema files as a throwaway role with no power beyond its scratch database, and the "
                        "DSN's user may not create roles: connect as a user with CREATEROLE (and CREATEDB)");
  }
  // Only a SCRAM verifier is sent: the password itself stays in this process.
  admin_.query("CREATE ROLE " + admin_.identifier(name_) +
               " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 4 PASSWORD " +
               admin_.literal(admin_.password_verifier(password_, name_)));
  admin_.query("COMMENT ON ROLE " + admin_.identifier(name_) + " IS " + admin_.literal(scratch_label()));
  // CREATE DATABASE ... OWNER needs the creator to act for the owner (PostgreSQL 15).
  if (!superuser) admin_.query("GRANT " + admin_.identifier(name_) + " TO CURRENT_USER");
}

SandboxRole::~SandboxRole() {
  try {
    admin_.query("DROP ROLE IF EXISTS " + admin_.identifier(name_));
  } catch (const std::exception& e) {
    log::error("could not drop sandbox role ", name_, ": ", e.what());
  }
}

std::string SandboxRole::login_dsn(const std::string& dsn) const { return dsn_with_login(dsn, name_, password_); }

}  // namespace mig::diff
