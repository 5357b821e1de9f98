// A migration file's header directives (CONTRACT §3, §12): -- mig:no-transaction,
// -- mig:lock-timeout D, -- mig:statement-timeout D, -- mig:backfill and its
// -- mig:key, -- mig:batch-size, -- mig:batch-time, read from its leading comments.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/duration.hpp"
#include "engine/migration_set.hpp"

namespace mig {

struct Directives {
  bool no_transaction = false;
  std::optional<Duration> lock_timeout;
  std::optional<Duration> statement_timeout;
  // A backfill (CONTRACT §12): -- mig:backfill, with -- mig:key col[,col],
  // -- mig:batch-size N and -- mig:batch-time D only beside it.
  bool backfill = false;
  std::vector<std::string> key;
  std::optional<long long> batch_size;
  std::optional<Duration> batch_time;
  // -- mig:checkpoint (mig-new --checkpoint): the whole schema, for empty databases.
  bool checkpoint = false;
};

// Throws mig::Error (exit 3) naming file and line for an unknown directive or bad value.
Directives read_directives(const MigrationFile& file);
// The same from a scan already made of the file's text.
struct ScannedSql;
Directives read_directives(const MigrationFile& file, const ScannedSql& scanned);

// A repeatable migration's file: it runs again, in one transaction, whenever it
// changes, so no-transaction, backfill or checkpoint cannot mark it (exit 3, file:1).
void require_fits_repeatable(const MigrationFile& file, const Directives& d);

}  // namespace mig
