// mig-backup's library: a verified pg_dump with a manifest, re-verification,
// restore into a new database, and retention. Nothing here prints or exits.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/duration.hpp"
#include "pg/history.hpp"

namespace mig {

class Database;

struct BackupOptions {
  std::string dir = "backups";
  std::string format = "custom";  // custom | directory
  int jobs = 1;                   // directory format only
  std::optional<int> compression;
  bool verify = true;
  std::optional<int> keep;
  Duration lock_wait_timeout = std::chrono::minutes(1);
  std::optional<std::string> pg_bin;
};

// How far pg_dump has come, every half second while it runs, and once when it ends.
struct DumpProgressReport {
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::string waiting_for;  // the session the dump waits behind, or ""
  bool finished = false;
};

struct BackupContext {
  Database& db;
  std::string dsn;  // for the children: its password goes to their environment only
  HistoryTableName table;
  std::string migrations_dir;
  std::function<void(const std::string& event, const nlohmann::json& fields)> events;
  // A live progress line is the tool's to draw (mig-backup on a terminal); without
  // one, progress goes to the log every few seconds. The library prints nothing itself.
  std::function<void(const DumpProgressReport&)> progress = nullptr;
};

// Returns {"backup": {...}, "deleted": [ids]}; throws mig::Error (exit 8 for a
// failed or unverifiable dump; no manifest then claims anything).
nlohmann::json take_backup(BackupContext& ctx, const BackupOptions& options);

// Re-checks a backup (its manifest, or the dump beside one): seal, sizes,
// SHA-256s, and a full pg_restore read. Throws exit 8 when damaged.
nlohmann::json verify_backup(const std::string& path, const std::optional<std::string>& pg_bin);

// Verifies, creates `target`, restores into it. Refuses an existing database
// (exit 3) unless `force`; never the backup's own source database.
nlohmann::json restore_backup(BackupContext& ctx, const std::string& path, const std::string& target, bool force,
                              int jobs, const std::optional<std::string>& pg_bin);

}  // namespace mig
