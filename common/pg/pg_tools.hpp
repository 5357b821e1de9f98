// Which pg_dump / pg_restore to run: the server's own major version when
// Debian has it installed, else whatever PATH (or --pg-bin) offers, checked.
#pragma once
#include <map>
#include <optional>
#include <string>

namespace mig {

struct PgTools {
  std::string pg_dump;
  std::string pg_restore;
  std::string pg_dump_version;  // "15.18"
};

// Throws mig::Error (exit 8) when pg_dump is missing or older than the server
// (pg_dump cannot dump a newer server).
PgTools find_pg_tools(int server_version_num, const std::optional<std::string>& pg_bin);

// "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" -> "15.18"
std::string version_from_banner(const std::string& banner);

}  // namespace mig

namespace mig {
// pg_restore for archives made by pg_dump `major` (no server needed).
std::string pg_restore_for(int major, const std::optional<std::string>& pg_bin);
}  // namespace mig

namespace mig {
// The environment for a libpq child program: its application_name, and the
// DSN's password (never its argv, which ps shows).
std::map<std::string, std::string> pg_child_env(const std::string& dsn, const char* application_name);
}  // namespace mig
