// Step 4 of mig-start-prod: is the database exactly what the files describe?
// Nothing pending, nothing edited, missing or failed, every verify script of
// an applied migration passes, and (optionally) the schema equals a snapshot.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pg/history.hpp"

namespace mig {

class Database;
struct MigrationSet;

// Throws mig::Error: exit 3/7 for an inconsistent history, exit 8 when a verify
// script or the schema check fails. Returns what was checked.
// `before_version`: only what comes before it (an unfinished backfill running in the background).
nlohmann::json check_deployment(Database& db, const MigrationSet& set, const HistoryTableName& table,
                                const std::optional<std::string>& schema_file,
                                const std::optional<std::string>& before_version = std::nullopt);

}  // namespace mig
