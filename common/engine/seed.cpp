#include "engine/seed.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "pg/lock.hpp"
#include "base/log.hpp"
#include "engine/migration_script.hpp"
#include "engine/transaction_batch.hpp"
#include "engine/migration_set.hpp"
#include "text/source_text.hpp"

namespace fs = std::filesystem;

namespace mig {
namespace {

using nlohmann::json;

std::vector<MigrationFile> read_seed_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw invalid_input("invalid_seed_set", dir + ": seeds folder not found");
  std::vector<MigrationFile> seeds;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name[0] == '.' || entry.path().extension() != ".sql") continue;
    if (!entry.is_regular_file()) throw invalid_input("invalid_seed_set", entry.path().string() + ": not a regular file");
    const std::string bytes = read_file_bytes(entry.path().string());
    if (auto bad = find_encoding_problem(bytes)) {
      throw invalid_input("invalid_seed_set", entry.path().string() + ":" + std::to_string(bad->line) + ": " + bad->reason)
          .with_position({entry.path().string(), bad->line, std::nullopt});
    }
    MigrationFile seed{entry.path().string(), normalize_source(bytes), ""};
    seed.checksum = sha256_checksum(seed.text);
    seeds.push_back(std::move(seed));
  }
  std::sort(seeds.begin(), seeds.end(), [](const MigrationFile& a, const MigrationFile& b) { return a.path < b.path; });
  return seeds;
}

std::string seed_table(Database& db, const HistoryTableName& table) {
  return db.identifier(table.schema) + "." + db.identifier("seed_history");
}

// One round trip: the seed and its history row commit together or not at all.
long long run_seed(Database& db, const std::string& table, const MigrationFile& seed, const std::string& name) {
  TransactionBatch batch;
  batch.script().add_statement(kMarkStartSql);
  batch.script().add_file(seed);
  batch.script().add_statement("INSERT INTO " + table + " (name, checksum, execution_ms) VALUES (" + db.literal(name) +
                               ", " + db.literal(seed.checksum) + ", " + kElapsedMsSql +
                               ") ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now(), "
                               "execution_ms = excluded.execution_ms");
  const auto name_failure = [&](const BatchFailure& f) {
    const SourcePosition at = f.at.value_or(SourcePosition{seed.path, std::nullopt, std::nullopt});
    const std::string where = at.file + (at.line ? ":" + std::to_string(*at.line) : "");
    return Error(ExitCode::migration_failed, "seed_failed", where + ": " + server_message_line(f.cause.what()) + " (rolled back)")
        .with_sqlstate(f.cause.sqlstate().value_or(""))
        .with_position(at);
  };
  const QueryResult recorded =
      batch.commit(db, name_failure, "SELECT execution_ms FROM " + table + " WHERE name = " + db.literal(name));
  return std::stoll(recorded.scalar().value_or("0"));
}

}  // namespace

json apply_seeds(MigratorContext& ctx, const SeedOptions& options) {
  const std::vector<MigrationFile> seeds = read_seed_files(options.dir);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  lock.acquire(ctx.timeouts.lock_wait);
  const std::string table = seed_table(ctx.db, ctx.table);
  ctx.db.query("CREATE TABLE IF NOT EXISTS " + table +
               " (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
               "execution_ms bigint NOT NULL DEFAULT 0)");
  std::map<std::string, std::string> applied;
  for (const Row& r : ctx.db.query("SELECT name, checksum FROM " + table).rows) applied[r[0].value_or("")] = r[1].value_or("");

  json result = {{"seeded", json::array()}, {"unchanged", json::array()}, {"changed_skipped", json::array()}};
  for (const MigrationFile& seed : seeds) {
    const std::string name = fs::path(seed.path).filename().string();
    auto recorded = applied.find(name);
    if (recorded != applied.end() && recorded->second == seed.checksum) {
      result["unchanged"].push_back(name);
      continue;
    }
    if (recorded != applied.end() && !options.rerun_changed) {
      log::warn("seed ", name, " changed since it was applied; not run again without --rerun-changed");
      result["changed_skipped"].push_back(name);
      continue;
    }
    log::info("seeding ", name);
    const long long ms = run_seed(ctx.db, table, seed, name);
    result["seeded"].push_back({{"name", name}, {"checksum", seed.checksum}, {"duration_ms", ms}});
  }
  lock.release();
  return result;
}

}  // namespace mig
