#include "import/importer.hpp"

#include <filesystem>
#include <map>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/durable_file.hpp"
#include "base/errors.hpp"
#include "base/log.hpp"
#include "engine/migration_set.hpp"
#include "engine/migrator.hpp"
#include "engine/transaction_batch.hpp"
#include "pg/db.hpp"
#include "pg/history.hpp"
#include "pg/lock.hpp"
#include "text/source_text.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace mig::importing {
namespace {

std::string header(const std::string& source, SourceFormat format, bool no_transaction, const std::string& why) {
  std::string text = "-- Imported by mig-import from " + format_name(format) + ": " + source + "\n";
  if (no_transaction) text += "-- mig:no-transaction\n" + (why.empty() ? "" : "-- (" + why + ")\n");
  return text + "\n";
}

std::string up_text(const ImportedMigration& m, SourceFormat format) {
  return header(m.sources.front(), format, m.no_transaction, m.why_no_transaction) + m.up;
}

// The file is there with exactly this text: an earlier run of the same import wrote it.
bool already_written(const WrittenFile& f) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(f.path, ec)) && read_file_bytes(f.path) == f.text;
}

std::string stem(const ImportedMigration& m, const std::string& dir) { return dir + "/" + m.version + "_" + m.name; }

// The checksum mig records for an imported migration the source applied: its
// converted file's, unless the source ran another text of a repeatable one
// (then one that differs, so mig-apply runs it again, as the source would have).
std::string imported_checksum(const ImportedMigration& m, const AppliedMigration& a, SourceFormat format) {
  if (m.repeatable && a.source_checksum != m.source_checksum) {
    return "flyway-crc32:" + (a.source_checksum ? std::to_string(*a.source_checksum) : std::string("none"));
  }
  return sha256_checksum(up_text(m, format));
}

}  // namespace

std::vector<WrittenFile> converted_files(const std::vector<ImportedMigration>& set, SourceFormat format,
                                         const std::string& dir) {
  std::vector<WrittenFile> files;
  for (const ImportedMigration& m : set) {
    if (m.repeatable) {
      files.push_back({dir + "/" + m.name + ".repeatable.sql", up_text(m, format)});
      continue;
    }
    files.push_back({stem(m, dir) + ".up.sql", up_text(m, format)});
    if (m.down) {
      files.push_back({stem(m, dir) + ".down.sql", header(m.sources.front(), format, m.down_no_transaction, "") + *m.down});
    }
    if (m.verify) files.push_back({stem(m, dir) + ".verify.sql", header(m.sources.front(), format, false, "") + *m.verify});
  }
  return files;
}

void require_free(const std::vector<WrittenFile>& files, const std::vector<ImportedMigration>& set, const std::string& dir) {
  std::error_code ec;
  for (const WrittenFile& f : files) {
    if (fs::exists(fs::symlink_status(f.path, ec)) && !already_written(f)) {
      throw invalid_input("import_target_exists", f.path + ": already there, and different (mig-import never overwrites a file)");
    }
  }
  if (!fs::is_directory(dir, ec)) return;
  std::map<std::string, std::string> versions;
  for (const auto& m : set) versions[m.version] = m.name;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    const std::size_t sep = file.find('_');
    if (sep == std::string::npos) continue;
    auto it = versions.find(file.substr(0, sep));
    const bool ours = std::any_of(files.begin(), files.end(), [&](const WrittenFile& f) {
      return fs::path(f.path).filename() == entry.path().filename() && already_written(f);
    });
    if (it != versions.end() && !ours) {
      throw invalid_input("import_target_exists", entry.path().string() + ": version " + it->first +
                                                        " is taken in " + dir + " (the import would write " + it->second + ")");
    }
  }
}

void undo(const Written& written) {
  std::error_code ec;
  for (const std::string& f : written.files) fs::remove(f, ec);
  for (auto it = written.folders.rbegin(); it != written.folders.rend(); ++it) fs::remove(*it, ec);  // deepest first
}

Written write_all(const std::vector<WrittenFile>& files) {
  Written written;
  try {
    for (const WrittenFile& f : files) {
      // Each missing folder on the way, outermost first, so undo can take them back.
      std::vector<fs::path> missing;
      for (fs::path p = fs::path(f.path).parent_path(); !p.empty() && !fs::exists(p); p = p.parent_path()) missing.push_back(p);
      for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        fs::create_directory(*it);
        written.folders.push_back(it->string());
      }
      if (already_written(f)) continue;  // a run that stopped before recording the history: same file
      write_file_atomically(f.path, f.text);
      written.files.push_back(f.path);
    }
  } catch (const std::exception& e) {
    undo(written);
    throw invalid_input("unwritable", std::string("cannot write the converted migrations (none were kept): ") + e.what());
  }
  return written;
}

Written write_after_history(MigratorContext& ctx, const std::vector<WrittenFile>& files, const json& history) {
  try {
    return write_all(files);
  } catch (...) {
    History rows(ctx.db, ctx.table);
    for (const auto& version : history.value("recorded", json::array())) rows.forget(version.get<std::string>());
    throw;
  }
}

json record_history(MigratorContext& ctx, const ForeignHistory& foreign, SourceFormat format,
                    const std::vector<ImportedMigration>& set) {
  History history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  lock.acquire(ctx.timeouts.lock_wait);
  history.create();
  const auto rows = history.read_all();
  std::map<std::string, std::string> recorded_checksums;
  for (const HistoryRow& r : rows) recorded_checksums[r.version] = r.checksum;
  std::map<std::string, const ImportedMigration*> by_version;
  for (const auto& m : set) by_version[m.version] = &m;

  const long long batch = history.next_batch(rows);
  json out = {{"source_table", foreign.table}, {"recorded", json::array()}, {"already", json::array()},
              {"pending", json::array()}, {"stale", json::array()}};
  TransactionBatch transaction;
  for (const AppliedMigration& a : foreign.applied) {
    const ImportedMigration& m = *by_version.at(a.version);
    const std::string checksum = imported_checksum(m, a, format);
    auto recorded = recorded_checksums.find(m.version);
    if (recorded != recorded_checksums.end()) {
      if (recorded->second != checksum && !m.repeatable) {  // mig may have run a repeatable since
        throw Error(ExitCode::needs_repair, "history_conflict",
                    history.qualified_name() + " already records " + m.version + " with another checksum (" +
                        recorded->second + "): it is not this import's file");
      }
      out["already"].push_back(m.version);
      continue;
    }
    transaction.script().add_statement(
        history.record_imported_sql({m.version, m.name, checksum}, batch, a.applied_at, a.execution_ms, format_name(format)));
    out["recorded"].push_back(m.version);
    if (m.repeatable && checksum.rfind("sha256:", 0) != 0) out["stale"].push_back(m.version);
  }
  for (const auto& m : set) {
    const bool applied = std::any_of(foreign.applied.begin(), foreign.applied.end(),
                                     [&](const AppliedMigration& a) { return a.version == m.version; });
    if (!applied) out["pending"].push_back(m.version);
  }
  transaction.commit(ctx.db, [&](const BatchFailure& f) {
    return Error(ExitCode::migration_failed, "import_failed",
                 "recording the imported history failed (nothing recorded): " + server_message_line(f.cause.what()));
  });
  lock.release();
  return out;
}

}  // namespace mig::importing
