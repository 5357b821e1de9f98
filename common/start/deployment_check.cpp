#include "start/deployment_check.hpp"

#include <algorithm>
#include <sstream>

#include "pg/db.hpp"
#include "dryrun/schema.hpp"
#include "base/errors.hpp"
#include "pg/invalid_indexes.hpp"
#include "engine/migration_set.hpp"
#include "engine/transaction_batch.hpp"
#include "text/source_text.hpp"
#include "engine/status.hpp"

namespace mig {
namespace {

// Runs a verify script in a transaction that is rolled back: an error, or a
// first row whose first column is false, fails it.
void run_verify_script(Database& db, const MigrationFile& file) {
  TransactionBatch batch;
  batch.script().add_file(file);
  const QueryResult result = batch.roll_back(db, [&](const BatchFailure& f) {
    const std::optional<int> line = f.at ? f.at->line : std::nullopt;
    return Error(ExitCode::external_failed, "verification_failed",
                 file.path + (line ? ":" + std::to_string(*line) : "") + ": " + server_message_line(f.cause.what()))
        .with_position({file.path, line, std::nullopt});
  });
  if (result.scalar() == std::string("f")) {
    throw Error(ExitCode::external_failed, "verification_failed", file.path + ": returned false")
        .with_position({file.path, std::nullopt, std::nullopt});
  }
}

}  // namespace

nlohmann::json check_deployment(Database& db, const MigrationSet& all, const HistoryTableName& table,
                                const std::optional<std::string>& schema_file, const std::optional<std::string>& before_version) {
  MigrationSet set = all;
  std::vector<HistoryRow> rows = History(db, table).read_all();
  if (before_version) {  // repeatables run after the last version: not yet
    set.repeatables.clear();
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const HistoryRow& r) { return is_repeatable_key(r.version); }),
               rows.end());
    const auto later = [&](const std::string& v) { return compare_versions(v, *before_version) >= 0; };
    set.migrations.erase(std::remove_if(set.migrations.begin(), set.migrations.end(), [&](const Migration& m) { return later(m.version); }),
                         set.migrations.end());
    rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const HistoryRow& r) { return later(r.version); }), rows.end());
  }
  const MigrationStatus status = compare_with_history(set, std::move(rows));
  require_consistent(status);
  if (!status.pending.empty()) {
    throw Error(ExitCode::external_failed, "verification_failed",
                std::to_string(status.pending.size()) + " migration(s) still pending after migrating");
  }
  if (!status.repeatables_due.empty()) {
    throw Error(ExitCode::external_failed, "verification_failed",
                "repeatable migration " + status.repeatables_due.front()->label() +
                    " is still not applied as the file is now after migrating");
  }
  if (const auto invalid = invalid_indexes(db); !invalid.empty()) {
    throw Error(ExitCode::external_failed, "invalid_index",
                "INVALID index(es) left by a failed CREATE INDEX CONCURRENTLY: " + describe(invalid));
  }
  nlohmann::json verified = nlohmann::json::array();
  for (const Migration& m : set.migrations) {
    if (!m.verify) continue;
    run_verify_script(db, *m.verify);
    verified.push_back(m.version);
  }
  nlohmann::json check = {{"current_version", status.current_version.value_or("")}, {"verify_scripts", verified}};
  if (schema_file) {
    const auto diff = schema_diff(read_schema_file(*schema_file), describe_schema(db, table));
    if (!diff.empty()) {
      std::string text;
      for (const auto& l : diff) text += "\n" + l;
      throw Error(ExitCode::external_failed, "schema_mismatch", "the live schema differs from " + *schema_file + ":" + text);
    }
    check["schema"] = "matches " + *schema_file;
  }
  return check;
}

}  // namespace mig
