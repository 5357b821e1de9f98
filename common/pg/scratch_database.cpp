#include "pg/scratch_database.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "text/source_text.hpp"
#include "base/host.hpp"
#include "base/log.hpp"

namespace mig {
namespace {

const std::string kCommentPrefix = "mig-dryrun pid ";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// 8 hex digits of this host's name: scratch names carry it, so an unlabelled
// one is still known to be this host's.
std::string host_tag() { return sha256_checksum(this_host()).substr(7, 8); }

// True when the scratch object `name` (prefix + suffix) with `comment` was made
// by a process of this host that is gone.
bool abandoned(const std::string& prefix, const std::string& name, const std::string& comment) {
  if (comment.rfind(kCommentPrefix, 0) == 0) {
    if (!ends_with(comment, " on " + this_host())) return false;
    return !process_alive(std::atoi(comment.c_str() + kCommentPrefix.size()));
  }
  // No label yet: the name says whose it is.
  const std::string tagged = prefix + host_tag() + "_";
  if (name.rfind(tagged, 0) != 0) return false;
  return !process_alive(std::atoi(name.c_str() + tagged.size()));
}

}  // namespace

std::string scratch_name_suffix() {
  static std::atomic<int> serial{0};
  std::mt19937 rng(std::random_device{}());
  return host_tag() + "_" + std::to_string(getpid()) + "_" + std::to_string(rng() % 1000000) + "_" + std::to_string(++serial);
}

void wait_for_sessions_to_leave(Database& admin, const std::string& database) {
  const std::string sessions = "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = " + admin.literal(database);
  for (int i = 0; i < 200 && admin.query(sessions).scalar().value_or("0") != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string scratch_label() { return kCommentPrefix + std::to_string(getpid()) + " on " + this_host(); }

void drop_abandoned_scratch_databases(Database& admin) {
  const auto databases = admin.query(
      "SELECT d.datname, shobj_description(d.oid, 'pg_database') FROM pg_database d WHERE d.datname LIKE 'mig\\_scratch\\_%'");
  for (const Row& r : databases.rows) {
    if (!abandoned("mig_scratch_", r[0].value_or(""), r[1].value_or(""))) continue;
    log::info("dropping abandoned scratch database ", r[0].value_or(""));
    admin.query("DROP DATABASE IF EXISTS " + admin.identifier(r[0].value_or("")) + " WITH (FORCE)");
  }
  const auto roles = admin.query(
      "SELECT r.rolname, shobj_description(r.oid, 'pg_authid') FROM pg_roles r WHERE r.rolname LIKE 'mig\\_sandbox\\_%'");
  for (const Row& r : roles.rows) {
    if (!abandoned("mig_sandbox_", r[0].value_or(""), r[1].value_or(""))) continue;
    log::info("dropping abandoned sandbox role ", r[0].value_or(""));
    try {
      admin.query("DROP ROLE IF EXISTS " + admin.identifier(r[0].value_or("")));
    } catch (const Error& e) {
      log::warn("could not drop sandbox role ", r[0].value_or(""), ": ", server_message_line(e.what()));
    }
  }
}

ScratchDatabase::ScratchDatabase(Database& admin, const std::optional<std::string>& template_db,
                                 const std::optional<std::string>& owner, bool file_copy)
    : admin_(admin) {
  name_ = "mig_scratch_" + scratch_name_suffix();
  if (template_db && *template_db != "template0") wait_for_sessions_to_leave(admin_, *template_db);
  admin_.query("CREATE DATABASE " + admin_.identifier(name_) +
               (template_db ? " TEMPLATE " + admin_.identifier(*template_db) : "") +
               (owner ? " OWNER " + admin_.identifier(*owner) : "") +
               (file_copy && admin_.server_version() >= 150000 ? " STRATEGY FILE_COPY" : ""));
  admin_.query("COMMENT ON DATABASE " + admin_.identifier(name_) + " IS " + admin_.literal(scratch_label()));
}

ScratchDatabase::~ScratchDatabase() {
  try {
    wait_for_sessions_to_leave(admin_, name_);
    admin_.query("DROP DATABASE IF EXISTS " + admin_.identifier(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    log::error("could not drop scratch database ", name_, ": ", e.what());
  }
}

}  // namespace mig
