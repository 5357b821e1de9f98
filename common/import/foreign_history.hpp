// The history tables other tools keep, read as "which of the imported
// migrations are applied, and when". Rows that say a migration failed or
// stopped part way are refused (exit 7) with what the source tool repairs them with.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "import/sources.hpp"

namespace mig {
class Database;
}

namespace mig::importing {

struct AppliedMigration {
  std::string version;  // the imported migration's (mig's) version
  std::string applied_at;  // timestamptz text, or "" when the tool does not keep it
  long long execution_ms = 0;
  std::optional<long long> source_checksum;  // what the tool recorded of the file (Flyway's CRC32)
};

struct ForeignHistory {
  std::string table;  // as read, e.g. "public.schema_migrations"
  std::vector<AppliedMigration> applied;
};

// nullopt when the tool's table is not there. A row that names no imported
// migration is exit 7 too: the database has a change the files do not.
std::optional<ForeignHistory> read_foreign_history(Database& db, SourceFormat format,
                                                   const std::vector<ImportedMigration>& set);

}  // namespace mig::importing
