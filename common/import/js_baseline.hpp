// Knex and Umzug (Sequelize) keep JavaScript migrations that cannot become SQL.
// A team moving from them starts mig from one baseline migration: the live
// schema as mig-diff --dump writes it, at the version of their newest
// history entry, recorded as applied. Their history table is read (and left).
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "import/sources.hpp"

namespace mig {
class Database;
struct MigratorContext;
}  // namespace mig

namespace mig::importing {

struct JsHistory {
  std::string table;               // knex_migrations, "SequelizeMeta"
  std::vector<std::string> names;  // applied migration files, oldest first
  std::string version;             // the newest one's leading digits: the baseline's version
};

// Exit 3 when the table is missing or empty, or the newest name carries no
// version (digits before '_' or '-'); exit 7 while Knex's lock is held.
JsHistory read_js_history(Database& db, SourceFormat format);

struct Baseline {
  std::string version, name, path, text;
};
// The baseline file for the live schema without the tool's own tables.
Baseline baseline_of(MigratorContext& ctx, SourceFormat format, const JsHistory& history, const std::string& dir);

// Records the baseline applied in mig's history (one transaction, under the
// migration lock): {"source_table", "recorded", "stands_for"}.
nlohmann::json record_baseline(MigratorContext& ctx, SourceFormat format, const JsHistory& history, const Baseline& baseline);

}  // namespace mig::importing
