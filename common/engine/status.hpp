// Files against history: what is applied, pending, edited, missing or failed.
// Pure: no database, no output.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "pg/history.hpp"
#include "engine/migration_set.hpp"

namespace mig {

struct ChangedMigration {
  std::string version;
  std::string name;
  std::string file_checksum;
  std::string recorded_checksum;
};

// A <name>.repeatable.sql file against its history row.
struct RepeatableStatus {
  const Migration* file;
  std::string state;  // "new" (never applied), "changed" (checksum differs), "unchanged"
  std::optional<std::string> recorded_checksum;
};

struct MigrationStatus {
  MigrationStatus() = default;
  MigrationStatus(MigrationStatus&&) = default;
  MigrationStatus& operator=(MigrationStatus&&) = default;
  MigrationStatus(const MigrationStatus&) = delete;  // `applied` points into `history`

  std::vector<HistoryRow> history;          // every versioned row, ordered by version
  std::vector<const HistoryRow*> applied;   // status applied, file present and unchanged or not
  std::vector<const Migration*> pending;    // files never applied, in order
  std::vector<const Migration*> out_of_order;  // pending below the highest applied version
  std::vector<ChangedMigration> changed;    // applied, file edited since
  std::vector<HistoryRow> missing;          // applied, file gone
  std::vector<HistoryRow> failed;           // a no-transaction migration stopped part way
  std::vector<const HistoryRow*> running;   // backfills begun and not finished (also in pending)
  std::optional<std::string> current_version;  // highest applied
  std::vector<RepeatableStatus> repeatables;   // every repeatable file, in name order
  std::vector<const Migration*> repeatables_due;  // new or changed: run after the versioned ones
  std::vector<HistoryRow> repeatable_rows;     // recorded repeatables (their batches count too)
  std::vector<HistoryRow> repeatables_gone;    // recorded, file removed since (its objects stay)

  bool ready() const {
    return pending.empty() && changed.empty() && missing.empty() && failed.empty() && repeatables_due.empty();
  }
};

// `set` must outlive the result (pending points into it); the rows move into it.
// Rows of repeatable migrations (History::read_all) are told apart by their key.
MigrationStatus compare_with_history(const MigrationSet& set, std::vector<HistoryRow> rows);

// Throws the contract's error for an unhealthy history: failed -> exit 7,
// edited or missing applied files -> exit 3.
void require_consistent(const MigrationStatus& status);

}  // namespace mig
