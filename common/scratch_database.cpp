#include "scratch_database.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include "db.hpp"
#include "host.hpp"
#include "log.hpp"

namespace mig {
namespace {

const std::string kCommentPrefix = "mig-dryrun pid ";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void drop_abandoned_scratch_databases(Database& admin) {
  const auto rows = admin.query(
      "SELECT d.datname, shobj_description(d.oid, 'pg_database') FROM pg_database d WHERE d.datname LIKE 'mig\\_scratch\\_%'");
  const std::string suffix = " on " + this_host();
  for (const Row& r : rows.rows) {
    const std::string comment = r[1].value_or("");
    if (comment.rfind(kCommentPrefix, 0) != 0 || !ends_with(comment, suffix)) continue;
    const int pid = std::atoi(comment.c_str() + kCommentPrefix.size());
    if (pid > 0 && kill(pid, 0) == 0) continue;  // still running
    log::info("dropping abandoned scratch database ", r[0].value_or(""));
    admin.query("DROP DATABASE IF EXISTS " + admin.identifier(r[0].value_or("")) + " WITH (FORCE)");
  }
}

ScratchDatabase::ScratchDatabase(Database& admin, const std::optional<std::string>& template_db) : admin_(admin) {
  static std::atomic<int> serial{0};
  std::mt19937 rng(std::random_device{}());
  name_ = "mig_scratch_" + std::to_string(getpid()) + "_" + std::to_string(rng() % 1000000) + "_" +
          std::to_string(++serial);
  admin_.query("CREATE DATABASE " + admin_.identifier(name_) +
               (template_db ? " TEMPLATE " + admin_.identifier(*template_db) : ""));
  admin_.query("COMMENT ON DATABASE " + admin_.identifier(name_) + " IS " +
               admin_.literal(kCommentPrefix + std::to_string(getpid()) + " on " + this_host()));
}

ScratchDatabase::~ScratchDatabase() {
  try {
    admin_.query("DROP DATABASE IF EXISTS " + admin_.identifier(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    log::error("could not drop scratch database ", name_, ": ", e.what());
  }
}

}  // namespace mig
