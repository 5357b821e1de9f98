// A migration file's header directives (CONTRACT §3): -- mig:no-transaction,
// -- mig:lock-timeout D, -- mig:statement-timeout D, read from its leading comments.
#pragma once
#include <optional>

#include "duration.hpp"
#include "migration_set.hpp"

namespace mig {

struct Directives {
  bool no_transaction = false;
  std::optional<Duration> lock_timeout;
  std::optional<Duration> statement_timeout;
};

// Throws mig::Error (exit 3) naming file and line for an unknown directive or bad value.
Directives read_directives(const MigrationFile& file);
// The same from a scan already made of the file's text.
struct ScannedSql;
Directives read_directives(const MigrationFile& file, const ScannedSql& scanned);

}  // namespace mig
