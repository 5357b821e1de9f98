// Plan and run migrations: up, down, baseline, repair. Each entry point is a
// flat list of named steps; nothing here prints or exits.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/duration.hpp"
#include "engine/backfill_settings.hpp"
#include "pg/history.hpp"

namespace mig {

class Database;
struct MigrationSet;

struct Timeouts {
  Duration lock_wait = std::chrono::minutes(10);
  Duration lock_timeout = std::chrono::seconds(1);  // short: a waiting ALTER stalls every reader behind it
  std::optional<Duration> statement_timeout;
  int retries = 10;
};

// One step of an exact plan (mig-dryrun's result): apply only this, in this order.
struct PlannedMigration {
  std::string version;
  std::string checksum;
};

struct ApplyOptions {
  bool down = false;
  std::optional<std::string> to_version;
  std::optional<int> steps;
  bool single_transaction = false;
  bool allow_out_of_order = false;
  std::optional<std::string> backup_id;
  std::optional<std::vector<PlannedMigration>> plan;
};

struct MigrationOutcome {
  std::string version;
  std::string name;
  long long duration_ms = 0;
  int attempts = 1;
  bool transactional = true;
  // A checkpoint: "ran" (an empty database started from it; `covered` are the
  // versions before it, recorded with it) or "recorded" (the database had them).
  std::string checkpoint;
  std::vector<std::string> covered;
};

struct ApplyResult {
  std::string direction;  // "up" or "down"
  long long batch = 0;
  std::vector<MigrationOutcome> migrations;
};

// Progress events ("migration_started", "migration_applied", "retrying", ...).
using EventSink = std::function<void(const std::string& event, const nlohmann::json& fields)>;

struct MigratorContext {
  Database& db;
  HistoryTableName table;
  Timeouts timeouts;
  // Opens another connection to the same database (for the blocker watch).
  std::function<std::unique_ptr<Database>()> connect_again;
  EventSink events;
  BackfillSettings backfill = {};
  // "applying V_name" at info; off for a build nobody asked to watch (mig-diff's scratch side).
  bool announce = true;
  // The DSN goes through a pooler in session mode (Config::session_pooler): the lock holds.
  bool session_pooler = false;
};

ApplyResult migrate(MigratorContext& ctx, const MigrationSet& set, const ApplyOptions& options);

// A transactional file that commits or rolls back on its own would split the
// migration from its history row (or commit a rehearsal): exit 3, file:line.
struct MigrationFile;
struct ScanOutcome;
void require_no_transaction_control(const MigrationFile& file);
void require_no_transaction_control(const MigrationFile& file, const ScanOutcome& scanned);

// Records every migration up to `version` as applied without running it.
ApplyResult baseline(MigratorContext& ctx, const MigrationSet& set, const std::string& version);

// After a human fixed the database: mark `version` applied with the current
// file's checksum, or (forget) remove its row so it runs again.
nlohmann::json repair(MigratorContext& ctx, const MigrationSet& set, const std::string& version, bool forget);

}  // namespace mig
