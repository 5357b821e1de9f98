// mig-start-prod, what every replica runs at boot: wait for the database,
// take the migration lock, back up and migrate if anything is pending,
// verify, release the lock, then run and supervise the workers.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "backup/backup.hpp"
#include "engine/migrator.hpp"
#include "start/replica_wait.hpp"
#include "start/supervisor.hpp"

namespace mig {

struct StartProdOptions {
  std::string dsn;
  std::string migrations_dir;
  HistoryTableName table;
  bool session_pooler = false;  // Config::session_pooler
  Timeouts timeouts;
  Duration wait = std::chrono::seconds(60);
  bool backup = true;
  BackupOptions backup_options;
  std::optional<std::string> schema_file;
  SupervisorOptions supervisor;
  std::optional<std::string> listen;
  std::optional<std::string> metrics_file;
  ReplicaWaitOptions replicas;  // --wait-replicas, --replica-dsn, --replica-timeout
  BackfillSettings backfill;
  // --backfills background: migrate and verify what comes before the first
  // unfinished backfill, start the workers, then run the backfill and what
  // follows it on a thread of its own (/ready does not wait for it).
  bool backfills_in_background = false;
};

struct StartProdHooks {
  EventSink events;
  std::function<void(Database& db)> on_connected;  // to name the database in the result
  // SIGTERM/SIGINT before any worker runs: the tool ends the process at once (the library
  // never exits by itself). Called on a watcher thread with the signal's number.
  std::function<void(int signal)> on_stop_before_workers = nullptr;
};

// Fills `data` step by step; returns the exit status (the workers' outcome).
// Throws mig::Error for a failure before any worker starts.
int start_prod(const StartProdOptions& options, const StartProdHooks& hooks, nlohmann::json& data);

}  // namespace mig
