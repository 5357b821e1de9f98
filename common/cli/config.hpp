// Settings every database tool shares, merged in one place:
// flags > environment > mig.json > defaults (CONTRACT §2).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pg/history.hpp"
#include "engine/migrator.hpp"

namespace mig {

struct Config {
  std::string dsn;  // may be empty: libpq's PG* variables then decide
  std::string dir = "migrations";
  HistoryTableName table;
  Timeouts timeouts;
  // Folders some tools use: --schema-dir / MIG_SCHEMA_DIR / schema_dir, --backup-dir /
  // MIG_BACKUP_DIR / backup_dir, --seeds / MIG_SEEDS_DIR / seeds_dir.
  std::string schema_dir = "schema";
  std::string backup_dir = "backups";
  std::string seeds_dir = "seeds";
  // MIG_SESSION_POOLER / mig.json session_pooler: the DSN goes through a pooler in session mode.
  bool session_pooler = false;
  // ALLOW_BREAKING_MIGRATIONS / mig.json allow_breaking_migrations: mig-lint's breaking errors become warnings.
  bool allow_breaking_migrations = false;
  BackfillSettings backfill;  // --batch-time, --max-replica-lag, --max-rows-per-second (MIG_*, mig.json batch_time ...)
  nlohmann::json file = nlohmann::json::object();  // mig.json as read, for tool-specific keys
};

// What the command line said; unset fields fall through to env, file, default.
struct ConfigFlags {
  std::optional<std::string> dsn, dir, schema, table, lock_wait, lock_timeout, statement_timeout, retries;
  std::optional<std::string> schema_dir, backup_dir, seeds_dir;
  std::optional<std::string> batch_time, max_replica_lag, max_rows_per_second;
  std::optional<std::string> config_file;
};

// Throws exit 3 for an unreadable or malformed config file, exit 2 for a bad flag value.
Config resolve_config(const ConfigFlags& flags);

// A setting from mig.json: the value at `key`, or nullopt.
std::optional<std::string> file_setting(const Config& config, const std::string& key);

}  // namespace mig
