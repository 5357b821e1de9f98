#include "pg/pg_tools.hpp"

#include <cctype>
#include <filesystem>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/process.hpp"

namespace mig {

std::string version_from_banner(const std::string& banner) {
  const std::size_t close = banner.find(") ");
  std::size_t i = close == std::string::npos ? 0 : close + 2;
  std::string version;
  while (i < banner.size() && (std::isdigit(static_cast<unsigned char>(banner[i])) || banner[i] == '.')) {
    version.push_back(banner[i++]);
  }
  return version;
}

PgTools find_pg_tools(int server_version_num, const std::optional<std::string>& pg_bin) {
  const int server_major = server_version_num / 10000;
  std::string dir;
  if (pg_bin) {
    dir = *pg_bin + "/";
  } else if (std::filesystem::exists("/usr/lib/postgresql/" + std::to_string(server_major) + "/bin/pg_dump")) {
    dir = "/usr/lib/postgresql/" + std::to_string(server_major) + "/bin/";
  }
  PgTools tools{dir + "pg_dump", dir + "pg_restore", ""};
  tools.pg_dump_version = version_from_banner(process_output(tools.pg_dump, {"--version"}));
  const int dump_major = std::atoi(tools.pg_dump_version.c_str());
  if (dump_major < server_major) {
    throw Error(ExitCode::external_failed, "version_mismatch",
                "pg_dump " + tools.pg_dump_version + " (" + tools.pg_dump + ") cannot dump a PostgreSQL " +
                    std::to_string(server_major) + " server; install postgresql-client-" +
                    std::to_string(server_major) + " or pass --pg-bin");
  }
  return tools;
}

}  // namespace mig

namespace mig {
std::string pg_restore_for(int major, const std::optional<std::string>& pg_bin) {
  if (pg_bin) return *pg_bin + "/pg_restore";
  const std::string debian = "/usr/lib/postgresql/" + std::to_string(major) + "/bin/pg_restore";
  return std::filesystem::exists(debian) ? debian : "pg_restore";
}
}  // namespace mig

namespace mig {
std::map<std::string, std::string> pg_child_env(const std::string& dsn, const char* application_name) {
  std::map<std::string, std::string> env = {{"PGAPPNAME", application_name}};
  if (auto password = dsn_password(dsn)) env["PGPASSWORD"] = *password;
  return env;
}
}  // namespace mig
