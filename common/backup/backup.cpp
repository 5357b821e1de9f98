#include "backup/backup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <random>

#include "pg/db.hpp"
#include "base/durable_file.hpp"
#include "base/errors.hpp"
#include "base/log.hpp"
#include "backup/manifest.hpp"
#include "engine/migration_set.hpp"
#include "cli/output.hpp"
#include "pg/pg_tools.hpp"
#include "base/process.hpp"
#include "engine/status.hpp"

namespace fs = std::filesystem;

namespace mig {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

Error backup_failed(const std::string& kind, const std::string& message) {
  return Error(ExitCode::external_failed, kind, message);
}

std::string new_backup_id() {
  const auto now = std::chrono::system_clock::now();
  std::string stamp = rfc3339_utc(now);  // 2026-11-21T06:25:12.123Z
  std::string compact;
  for (char c : stamp) {
    if (c != '-' && c != ':' && c != '.') compact.push_back(c);
  }
  std::mt19937 rng(std::random_device{}());
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(rng() & 0xFFFFFF));
  return compact + "-" + suffix;  // 20261121T062512123Z-a1b2c3: sorts by time
}

std::string field_or_empty(Database& db, const std::string& sql) {
  try {
    return db.query(sql).scalar().value_or("");
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    return "";  // e.g. pg_control_system() needs privileges some roles lack
  }
}

json server_facts(Database& db) {
  return {{"name", db.address().dbname},
          {"oid", field_or_empty(db, "SELECT oid FROM pg_database WHERE datname = current_database()")},
          {"system_identifier", field_or_empty(db, "SELECT system_identifier FROM pg_control_system()")},
          {"server_version", field_or_empty(db, "SHOW server_version")},
          {"server_version_num", db.server_version()}};
}

json migration_state(Database& db, const HistoryTableName& table, const std::string& migrations_dir) {
  const auto rows = History(db, table).read();
  json state = {{"last_applied_version", nullptr}, {"pending", nullptr}};
  for (const HistoryRow& r : rows) {
    if (r.status == "applied") state["last_applied_version"] = r.version;
  }
  std::error_code ec;
  if (fs::is_directory(migrations_dir, ec)) {
    const MigrationSet set = load_migration_set(migrations_dir);
    json pending = json::array();
    for (const Migration* m : compare_with_history(set, rows).pending) pending.push_back(m->version);
    state["pending"] = pending;
  }
  return state;
}

std::uint64_t bytes_at(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  std::uint64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

// The session holding up pg_dump, when it waits for a table lock: "pid 4711
// (psql, idle in transaction since 12:00:01): <query>", or "" when it is not waiting.
std::string dump_blocker(Database& db) {
  return db
      .query("SELECT string_agg(format('pid %s (%s, %s since %s): %s', b.pid, coalesce(nullif(b.application_name, ''), "
             "'no application_name'), b.state, to_char(b.state_change, 'YYYY-MM-DD HH24:MI:SS TZ'), "
             "left(regexp_replace(b.query, '\\s+', ' ', 'g'), 80)), '; ') "
             "FROM pg_stat_activity d CROSS JOIN LATERAL unnest(pg_blocking_pids(d.pid)) AS bp(pid) "
             "JOIN pg_stat_activity b ON b.pid = bp.pid "
             "WHERE d.application_name = 'mig-backup-dump' AND d.datname = current_database() "
             "AND d.wait_event_type = 'Lock'")
      .scalar()
      .value_or("");
}

// Logs bytes, rate and elapsed while a child writes `path`: a live line on a
// terminal. While the dump does not grow, names the session it waits behind.
class DumpProgress {
 public:
  DumpProgress(std::string path, BackupContext& ctx) : path_(std::move(path)), ctx_(ctx) {}
  void tick() {
    const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    const std::uint64_t bytes = bytes_at(path_);
    const double mb = static_cast<double>(bytes) / 1e6;
    if (bytes == last_bytes_ && seconds >= 1) {
      try {
        blocker_ = dump_blocker(ctx_.db);
      } catch (const Error& e) {
        log::debug("blocker lookup: ", e.what());
      }
      // The last tick may land just after pg_dump gave up and find no one:
      // the error still names the session it waited behind.
      if (!blocker_.empty()) last_blocker_ = blocker_;
    } else {
      blocker_.clear();
    }
    last_bytes_ = bytes;
    const std::string waiting = blocker_.empty() ? "" : ", waiting for a lock held by " + blocker_;
    if (ctx_.progress) {
      ctx_.progress({bytes, seconds, blocker_, false});
    } else if (++ticks_ % 5 == 0 || (!waiting.empty() && ticks_ % 5 == 1)) {
      log::info("dumping: ", log::fixed(mb, 1), " MB, ", log::fixed(mb / seconds, 1), " MB/s, ",
                log::fixed(seconds, 0), "s", waiting);
    }
    if (ctx_.events) {
      ctx_.events("backup_progress", {{"bytes", bytes}, {"elapsed_s", seconds}, {"waiting_for", blocker_}});
    }
  }
  void done() {
    if (ctx_.progress) ctx_.progress({last_bytes_, std::chrono::duration<double>(Clock::now() - started_).count(), "", true});
  }
  // The last session seen blocking the dump, or "".
  const std::string& blocker() const { return last_blocker_; }

 private:
  std::string path_;
  BackupContext& ctx_;
  int ticks_ = 0;
  std::uint64_t last_bytes_ = 0;
  std::string blocker_;       // blocking the dump at the last tick
  std::string last_blocker_;  // the last one seen at all
  Clock::time_point started_ = Clock::now();
};

std::vector<std::string> connection_args(const std::string& dsn) {
  if (dsn.empty()) return {};  // libpq's PG* variables, inherited
  return {"--dbname=" + dsn_without_password(dsn)};
}

void run_pg_dump(BackupContext& ctx, const PgTools& tools, const BackupOptions& o, const std::string& partial) {
  std::vector<std::string> args = {"--format=" + o.format, "--file=" + partial, "--no-password",
                                   "--lock-wait-timeout=" + std::to_string(o.lock_wait_timeout.count())};
  if (o.format == "directory") args.push_back("--jobs=" + std::to_string(o.jobs));
  if (o.compression) args.push_back("--compress=" + std::to_string(*o.compression));
  for (auto& a : connection_args(ctx.dsn)) args.push_back(a);
  DumpProgress progress(partial, ctx);
  const ProcessOutcome outcome = run_process({tools.pg_dump, args, pg_child_env(ctx.dsn, "mig-backup-dump")},
                                             [&](int) { progress.tick(); });
  progress.done();
  if (outcome.ok()) return;
  // --lock-wait-timeout is pg_dump's statement_timeout around its LOCK TABLE.
  if (outcome.stderr_text.find("could not obtain lock") != std::string::npos ||
      outcome.stderr_text.find("Query was: LOCK TABLE") != std::string::npos) {
    throw Error(ExitCode::lock_unavailable, "lock_timeout",
                "pg_dump could not lock every table within --lock-wait-timeout " + format_duration(o.lock_wait_timeout) +
                    "; blocked by " + (progress.blocker().empty() ? "a session that has gone since" : progress.blocker()));
  }
  if (outcome.stderr_text.find("connection to server") != std::string::npos ||
      outcome.stderr_text.find("terminating connection") != std::string::npos ||
      outcome.stderr_text.find("server closed the connection") != std::string::npos) {
    throw Error(ExitCode::database_unreachable, "connection_lost", "pg_dump lost the database connection: " +
                                                                        outcome.describe());
  }
  throw backup_failed("pg_dump_failed", "pg_dump " + outcome.describe());
}

// Every file of the archive, relative to the backup folder.
json archive_files(const std::string& backup_dir, const std::string& archive) {
  std::vector<std::string> paths;
  if (fs::is_directory(archive)) {
    for (const auto& entry : fs::recursive_directory_iterator(archive)) {
      if (entry.is_regular_file()) paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
  } else {
    paths.push_back(archive);
  }
  json files = json::array();
  for (const std::string& p : paths) {
    files.push_back({{"path", fs::relative(p, backup_dir).string()}, {"bytes", file_size(p)}, {"sha256", file_sha256(p)}});
  }
  return files;
}

void make_durable(const std::string& archive) {
  if (fs::is_directory(archive)) {
    for (const auto& entry : fs::recursive_directory_iterator(archive)) {
      if (entry.is_regular_file()) fsync_path(entry.path().string());
    }
  }
  fsync_path(archive);
}

void remove_quietly(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

// A full read of the archive: pg_restore --list passes a file cut in half; this does not.
void restore_to_nowhere(const std::string& pg_restore, const std::string& archive) {
  const ProcessOutcome outcome = run_process({pg_restore, {"--file=/dev/null", archive}, {}});
  if (!outcome.ok()) throw backup_failed("backup_damaged", archive + ": pg_restore could not read it: " + outcome.describe());
}

void check_files(const std::string& backup_dir, const json& files) {
  for (const json& f : files) {
    const std::string path = (fs::path(backup_dir) / f.value("path", "")).string();
    std::error_code ec;
    if (!fs::exists(path, ec)) throw backup_failed("backup_damaged", path + ": missing");
    if (file_size(path) != f.value("bytes", std::uint64_t{0})) {
      throw backup_failed("backup_damaged", path + ": size differs from the manifest (truncated?)");
    }
    if (file_sha256(path) != f.value("sha256", "")) throw backup_failed("backup_damaged", path + ": SHA-256 differs from the manifest");
  }
}

std::vector<std::string> apply_retention(const std::string& dir, const json& newest, int keep, std::vector<std::string>& corrupt) {
  std::vector<json> same_database;
  ManifestScan scan = manifests_in(dir);
  corrupt = scan.corrupt;
  for (const std::string& c : corrupt) log::warn("retention: corrupt backup manifest left alone: ", c);
  for (const json& m : scan.manifests) {
    if (m.value("id", "") == newest["id"] || !m.value("verified", false)) continue;
    if (m["database"].value("name", "") != newest["database"].value("name", "")) continue;
    if (m["database"].value("system_identifier", "") != newest["database"].value("system_identifier", "")) continue;
    same_database.push_back(m);
  }
  const int others_to_keep = std::max(0, keep - (newest.value("verified", false) ? 1 : 0));
  std::vector<std::string> deleted;
  for (int i = 0; i + others_to_keep < static_cast<int>(same_database.size()); ++i) {
    const json& old = same_database[i];  // oldest first
    for (const json& f : old["files"]) remove_quietly((fs::path(dir) / f.value("path", "")).string());
    remove_quietly((fs::path(dir) / old.value("archive", "")).string());
    remove_quietly((fs::path(dir) / (old["id"].get<std::string>() + ".json")).string());
    deleted.push_back(old["id"]);
    log::info("retention: deleted backup ", old["id"].get<std::string>());
  }
  return deleted;
}

json summary(const json& manifest, const std::string& dir) {
  std::uint64_t bytes = 0;
  for (const json& f : manifest["files"]) bytes += f.value("bytes", std::uint64_t{0});
  const json& files = manifest["files"];
  return {{"id", manifest["id"]},
          {"path", (fs::path(dir) / manifest.value("archive", "")).string()},
          {"manifest", (fs::path(dir) / (manifest["id"].get<std::string>() + ".json")).string()},
          {"format", manifest["format"]},
          {"bytes", bytes},
          {"sha256", files.size() == 1 ? files[0]["sha256"] : manifest["manifest_sha256"]},
          {"database", manifest["database"]["name"]},
          {"server_version", manifest["database"]["server_version"]},
          {"last_applied_version", manifest["migrations"]["last_applied_version"]},
          {"pending", manifest["migrations"]["pending"]},
          {"verified", manifest["verified"]}};
}

std::string manifest_path_for(const std::string& path) {
  fs::path p(path);
  if (p.extension() == ".json") return p.string();
  std::string stem = p.filename().string();
  for (const char* suffix : {".dump", ".dir"}) {
    const std::string s(suffix);
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0) stem.resize(stem.size() - s.size());
  }
  return (p.parent_path() / (stem + ".json")).string();
}

// ".<id>.dump.<pid>.partial" (or ".dir"): what a killed run left behind, once its
// process is gone. Leftovers of older versions (no pid) go too.
void remove_partial_leftovers(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    const std::string suffix = ".partial";
    if (name.size() < 2 + suffix.size() || name[0] != '.' ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const std::string stem = name.substr(0, name.size() - suffix.size());
    const std::size_t dot = stem.rfind('.');
    const std::string pid_text = dot == std::string::npos ? "" : stem.substr(dot + 1);
    const bool has_pid = !pid_text.empty() && pid_text.find_first_not_of("0123456789") == std::string::npos;
    if (has_pid && (::kill(std::stoi(pid_text), 0) == 0 || errno == EPERM)) continue;  // still being written
    log::info("removing ", entry.path().string(), ", left by a backup that did not finish");
    fs::remove_all(entry.path(), ec);
  }
}

}  // namespace

json take_backup(BackupContext& ctx, const BackupOptions& o) {
  // 1. What is being backed up, and with which pg_dump.
  const json database = server_facts(ctx.db);
  const PgTools tools = find_pg_tools(ctx.db.server_version(), o.pg_bin);
  const json migrations = migration_state(ctx.db, ctx.table, ctx.migrations_dir);
  const std::string wal_lsn = field_or_empty(
      ctx.db, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END");

  // 2. Dump under a temporary name, then make it durable under its final one.
  fs::create_directories(o.dir);
  const std::string id = new_backup_id();
  const std::string archive_name = id + (o.format == "directory" ? ".dir" : ".dump");
  const std::string archive = (fs::path(o.dir) / archive_name).string();
  remove_partial_leftovers(o.dir);
  const std::string partial =
      (fs::path(o.dir) / ("." + archive_name + "." + std::to_string(::getpid()) + ".partial")).string();
  const std::string started_at = rfc3339_utc(std::chrono::system_clock::now());
  log::info("backing up ", database["name"].get<std::string>(), " with pg_dump ", tools.pg_dump_version, " into ",
            archive);
  // A dump holds every row: only its owner may read it (pg_dump creates it under our umask).
  const mode_t umask_before = ::umask(077);
  try {
    run_pg_dump(ctx, tools, o, partial);
    ::umask(umask_before);
    make_durable(partial);
    rename_durably(partial, archive);
  } catch (...) {
    ::umask(umask_before);
    remove_quietly(partial);
    throw;
  }

  // 3. Describe every file, then prove the archive reads back whole.
  json manifest = {{"id", id},
                   {"archive", archive_name},
                   {"format", o.format},
                   {"compression", o.compression ? json(*o.compression) : json(nullptr)},
                   {"jobs", o.format == "directory" ? o.jobs : 1},
                   {"database", database},
                   {"pg_dump_version", tools.pg_dump_version},
                   {"started_at", started_at},
                   {"finished_at", rfc3339_utc(std::chrono::system_clock::now())},
                   {"wal_lsn_start", wal_lsn},
                   {"migrations", migrations},
                   {"files", archive_files(o.dir, archive)},
                   {"verified", false},
                   {"verification", nullptr}};
  if (o.verify) {
    try {
      check_files(o.dir, manifest["files"]);
      restore_to_nowhere(tools.pg_restore, archive);
    } catch (...) {
      remove_quietly(archive);  // nothing left that could pass for a good backup
      throw;
    }
    manifest["verified"] = true;
    manifest["verification"] = {{"method", "sha256 re-read + pg_restore --file=/dev/null"},
                                {"at", rfc3339_utc(std::chrono::system_clock::now())}};
  }
  manifest = seal_manifest(manifest);
  try {
    write_file_atomically((fs::path(o.dir) / (id + ".json")).string(), manifest.dump(2) + "\n");
  } catch (...) {
    remove_quietly(archive);  // a dump without its manifest is not a backup
    throw;
  }

  // 4. Retention: older verified backups of this database beyond --keep.
  json deleted = json::array();
  std::vector<std::string> corrupt;
  if (o.keep) {
    for (const auto& d : apply_retention(o.dir, manifest, *o.keep, corrupt)) deleted.push_back(d);
  }
  json result = {{"backup", summary(manifest, o.dir)}, {"deleted", deleted}};
  if (!corrupt.empty()) result["corrupt_manifests"] = corrupt;
  return result;
}

json verify_backup(const std::string& path, const std::optional<std::string>& pg_bin) {
  const std::string manifest_path = manifest_path_for(path);
  const json manifest = read_manifest(manifest_path);
  if (!manifest_seal_intact(manifest)) throw backup_failed("backup_damaged", manifest_path + ": the manifest's own SHA-256 does not match");
  const std::string dir = fs::path(manifest_path).parent_path().string();
  check_files(dir.empty() ? "." : dir, manifest["files"]);
  const int major = std::atoi(manifest.value("pg_dump_version", "15").c_str());
  restore_to_nowhere(pg_restore_for(major, pg_bin), (fs::path(dir) / manifest.value("archive", "")).string());
  json result = summary(manifest, dir);
  result["verified"] = true;
  return {{"backup", result}};
}

json restore_backup(BackupContext& ctx, const std::string& path, const std::string& target, bool force, int jobs,
                    const std::optional<std::string>& pg_bin) {
  // 1. Only a backup that verifies is restored.
  const json verified = verify_backup(path, pg_bin)["backup"];
  const json manifest = read_manifest(manifest_path_for(path));
  const json here = server_facts(ctx.db);
  const bool same_server = manifest["database"].value("system_identifier", "") == here.value("system_identifier", "");
  if (target == manifest["database"].value("name", "") && same_server) {
    throw invalid_input("restore_refused", "refusing to restore over " + target + ", the backup's own source database");
  }
  if (target == here.value("name", "")) throw invalid_input("restore_refused", "refusing to restore over the database mig-backup is connected to");

  // 2. A fresh database to restore into.
  const bool exists = ctx.db.query("SELECT 1 FROM pg_database WHERE datname = " + ctx.db.literal(target)).scalar().has_value();
  if (exists && !force) throw invalid_input("restore_refused", "database " + target + " exists; pass --force to replace it");
  if (exists) ctx.db.query("DROP DATABASE " + ctx.db.identifier(target) + " WITH (FORCE)");
  ctx.db.query("CREATE DATABASE " + ctx.db.identifier(target));

  // 3. pg_restore into it; a failed restore leaves no half database behind.
  const std::string target_dsn = dsn_with_dbname(ctx.dsn, target);
  std::vector<std::string> args = {"--exit-on-error", "--no-password", "--dbname=" + dsn_without_password(target_dsn),
                                   "--jobs=" + std::to_string(std::max(1, jobs)), verified["path"].get<std::string>()};
  const int major = std::atoi(manifest.value("pg_dump_version", "15").c_str());
  const ProcessOutcome outcome = run_process({pg_restore_for(major, pg_bin), args, pg_child_env(ctx.dsn, "mig-backup")});
  if (!outcome.ok()) {
    ctx.db.query("DROP DATABASE IF EXISTS " + ctx.db.identifier(target) + " WITH (FORCE)");
    throw backup_failed("pg_restore_failed", "pg_restore " + outcome.describe());
  }

  // 4. What arrived.
  auto restored = Database::connect(target_dsn, "mig-backup");
  const std::string tables = restored->query(
      "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").scalar().value_or("0");
  const json state = migration_state(*restored, ctx.table, "");
  return {{"backup", verified},
          {"restore", {{"target_db", target}, {"tables", std::stoi(tables)}, {"last_applied_version", state["last_applied_version"]}}}};
}

}  // namespace mig
