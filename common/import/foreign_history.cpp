#include "import/foreign_history.hpp"

#include <map>

#include "base/errors.hpp"
#include "base/versions.hpp"
#include "pg/db.hpp"

namespace mig::importing {
namespace {

// Where each format keeps its history, and one query that reads it as
// (key, applied_at, execution_ms, problem[, checksum]): a non-empty problem
// refuses the row ("marker" rows are skipped).
struct HistorySource {
  const char* table;
  const char* query;
  const char* repair;  // what to run in the source tool before importing
};

HistorySource source_of(SourceFormat format) {
  switch (format) {
    case SourceFormat::golang_migrate:
      // One row: the current version, and whether it stopped part way.
      return {"schema_migrations", "SELECT version::text, '', 0, CASE WHEN dirty THEN 'dirty' ELSE '' END FROM schema_migrations",
              "fix the schema by hand, then `migrate force VERSION`"};
    case SourceFormat::sqlx:
      return {"_sqlx_migrations",
              "SELECT version::text, installed_on::text, execution_time / 1000000, CASE WHEN success THEN '' ELSE 'failed' END "
              "FROM _sqlx_migrations ORDER BY version",
              "fix the schema by hand and delete the failed row"};
    case SourceFormat::dbmate:
      return {"schema_migrations", "SELECT version::text, '', 0, '' FROM schema_migrations ORDER BY version", ""};
    case SourceFormat::goose:
      // The newest row per version says whether it is applied now.
      return {"goose_db_version",
              "SELECT DISTINCT ON (version_id) version_id::text, tstamp::text, 0, CASE WHEN is_applied THEN '' ELSE 'reverted' END "
              "FROM goose_db_version WHERE version_id > 0 ORDER BY version_id, id DESC",
              ""};
    case SourceFormat::flyway:
      // Repeatable rows have no version: "R:<description>", one row per run (the last one counts).
      return {"flyway_schema_history",
              "SELECT coalesce(version, 'R:' || description), installed_on::text, execution_time, "
              "CASE WHEN NOT success THEN 'failed' WHEN type = 'BASELINE' THEN 'baseline' WHEN type LIKE 'UNDO%' THEN 'undone' "
              "WHEN type = 'SCHEMA' THEN 'marker' ELSE '' END, checksum::text "
              "FROM flyway_schema_history WHERE version IS NOT NULL OR type = 'SQL' ORDER BY installed_rank",
              "`flyway repair` after fixing the schema"};
    case SourceFormat::diesel:
      return {"__diesel_schema_migrations", "SELECT version, run_on::text, 0, '' FROM __diesel_schema_migrations ORDER BY version", ""};
    case SourceFormat::prisma:
      return {"_prisma_migrations",
              "SELECT migration_name, finished_at::text, coalesce((extract(epoch FROM finished_at - started_at) * 1000)::bigint, 0), "
              "CASE WHEN rolled_back_at IS NOT NULL THEN 'rolled back' WHEN finished_at IS NULL THEN 'failed' ELSE '' END "
              "FROM _prisma_migrations ORDER BY started_at",
              "`prisma migrate resolve --applied NAME` or `--rolled-back NAME`"};
    case SourceFormat::drizzle:
      return {"drizzle.__drizzle_migrations",
              "SELECT created_at::text, to_timestamp(created_at / 1000.0)::text, 0, '' FROM drizzle.__drizzle_migrations ORDER BY id",
              ""};
    case SourceFormat::knex:
    case SourceFormat::umzug:
      break;  // import/js_baseline reads theirs
    case SourceFormat::sqitch:
      // A reworked change has a row per deployed instance: the n-th is "name#n-1", as the import names it.
      return {"sqitch.changes",
              "SELECT change || CASE WHEN n > 1 THEN '#' || (n - 1) ELSE '' END, committed_at::text, 0, '' FROM "
              "(SELECT change, committed_at, row_number() OVER (PARTITION BY change ORDER BY committed_at) AS n "
              "FROM sqitch.changes) c ORDER BY committed_at",
              ""};
  }
  return {"", "", ""};
}

Error refused(const std::string& table, const std::string& key, const std::string& problem, const std::string& repair) {
  return Error(ExitCode::needs_repair, "source_history_" + std::string(problem == "dirty" ? "dirty" : "failed"),
               table + ": " + key + " is " + problem + (repair.empty() ? "" : ": " + repair) +
                   " before importing (nothing was written)");
}

}  // namespace

std::optional<ForeignHistory> read_foreign_history(Database& db, SourceFormat format,
                                                   const std::vector<ImportedMigration>& set) {
  const HistorySource source = source_of(format);
  if (db.query("SELECT to_regclass(" + db.literal(source.table) + ") IS NOT NULL").scalar() != std::string("t")) {
    return std::nullopt;
  }
  std::map<std::string, const ImportedMigration*> by_key;
  for (const auto& m : set) by_key[m.history_key] = &m;
  ForeignHistory history{source.table, {}};
  std::map<std::string, AppliedMigration> applied;
  for (const Row& r : db.query(source.query).rows) {
    const std::string key = r[0].value_or("");
    const std::string problem = r[3].value_or("");
    if (problem == "reverted" || problem == "rolled back" || problem == "undone") {
      if (by_key.count(key)) applied.erase(by_key[key]->version);
      continue;
    }
    if (problem == "marker") continue;  // Flyway's "<< Flyway Schema Creation >>"
    if (problem == "dirty" || problem == "failed") throw refused(source.table, key, problem, source.repair);
    const bool up_to = format == SourceFormat::golang_migrate || problem == "baseline";
    if (up_to && (key.empty() || key[0] == '-')) continue;  // golang-migrate's "nothing applied"
    if (!up_to && !by_key.count(key)) {
      throw Error(ExitCode::needs_repair, "source_history_unknown",
                  std::string(source.table) + ": " + key + " is applied but no imported file is it (nothing was written)");
    }
    // "Everything up to this version": the imported migration's version, or the number itself.
    std::string bound = by_key.count(key) ? by_key[key]->version : key;
    if (up_to && bound.find_first_not_of("0123456789") != std::string::npos) {
      throw Error(ExitCode::needs_repair, "source_history_unknown",
                  std::string(source.table) + ": baseline " + key + " is no imported version (nothing was written)");
    }
    for (const auto& m : set) {
      const bool counts = up_to ? compare_versions(m.version, bound) <= 0 : m.history_key == key;
      if (!counts) continue;
      applied[m.version] = {m.version, r[1].value_or(""), std::stoll(r[2].value_or("0")), std::nullopt};
      if (r.size() > 4 && r[4]) applied[m.version].source_checksum = std::stoll(*r[4]);
    }
  }
  for (const auto& m : set) {
    if (applied.count(m.version)) history.applied.push_back(applied[m.version]);
  }
  return history;
}

}  // namespace mig::importing
