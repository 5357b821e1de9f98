// mig-backup: pg_dump with a verified manifest; verify; restore; retention.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "backup/backup.hpp"
#include "cli/cli.hpp"
#include "pg/db.hpp"

namespace {

// On a terminal: one line, redrawn in place while pg_dump runs, cleared when it ends.
void draw_progress_line(const mig::DumpProgressReport& p) {
  if (p.finished) {
    std::fprintf(stderr, "\r\033[K");
    return;
  }
  const double mb = static_cast<double>(p.bytes) / 1e6;
  std::fprintf(stderr, "\r\033[Kmig-backup: dumping %.1f MB, %.1f MB/s, %.0fs%s", mb, p.seconds > 0 ? mb / p.seconds : 0.0,
               p.seconds, p.waiting_for.empty() ? "" : (", waiting for a lock held by " + p.waiting_for).c_str());
}

using nlohmann::json;

mig::BackupOptions backup_options(mig::ToolRun& run) {
  mig::BackupOptions o;
  o.dir = run.config.backup_dir;
  o.format = run.flag<std::string>("dump-format").value_or("custom");
  if (o.format != "custom" && o.format != "directory") throw mig::usage_error("--dump-format takes custom or directory");
  o.jobs = run.whole_number("jobs").value_or(1);
  if (o.jobs < 1) throw mig::usage_error("--jobs must be at least 1");
  if (o.jobs > 1 && o.format != "directory") throw mig::usage_error("--jobs needs --dump-format directory");
  o.compression = run.whole_number("compress");
  o.verify = run.args.count("no-verify") == 0;
  o.keep = run.whole_number("keep");
  if (o.keep && *o.keep < 1) throw mig::usage_error("--keep must be at least 1");
  if (auto wait = run.flag<std::string>("lock-wait-timeout")) o.lock_wait_timeout = mig::parse_duration(*wait, "--lock-wait-timeout");
  o.pg_bin = run.flag<std::string>("pg-bin");
  return o;
}

void backup(mig::ToolRun& run) {
  const auto pg_bin = run.flag<std::string>("pg-bin");
  if (auto path = run.flag<std::string>("verify")) {
    run.data = mig::verify_backup(*path, pg_bin);
    return;
  }
  const mig::BackupOptions options = backup_options(run);
  auto db = run.connect();
  mig::Output* out = &run.output;
  mig::BackupContext ctx{*db, run.config.dsn, run.config.table, run.config.dir,
                         [out](const std::string& e, const json& f) { out->event(e, f); }};
  if (isatty(STDERR_FILENO)) ctx.progress = draw_progress_line;
  if (auto path = run.flag<std::string>("restore")) {
    const auto target = run.flag<std::string>("target-db");
    if (!target) throw mig::usage_error("--restore needs --target-db NAME");
    run.data = mig::restore_backup(ctx, *path, *target, run.args.count("force") > 0, options.jobs, pg_bin);
    return;
  }
  run.data = mig::take_backup(ctx, options);
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  const json& b = d["backup"];
  out << "backup " << b["id"].get<std::string>() << ": " << b["path"].get<std::string>() << " ("
      << b["bytes"].get<std::uint64_t>() << " bytes, " << (b["verified"].get<bool>() ? "verified" : "NOT verified")
      << ")\n";
  if (d.contains("restore")) {
    out << "restored into " << d["restore"]["target_db"].get<std::string>() << ": " << d["restore"]["tables"]
        << " table(s), last applied migration " << d["restore"]["last_applied_version"].dump() << '\n';
  }
  for (const auto& id : d.value("deleted", json::array())) out << "deleted old backup " << id.get<std::string>() << '\n';
  for (const auto& c : d.value("corrupt_manifests", json::array())) out << "corrupt backup manifest (left alone): " << c.get<std::string>() << '\n';
  return out.str();
}

}  // namespace


int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-backup", "pg_dump with a verified manifest; --verify, --restore, retention.", "[options]"};
  spec.epilog =
      "Default action: dump the database into --backup-dir (env MIG_BACKUP_DIR, default ./backups) under a\n"
      "temporary name, fsync, rename, verify (SHA-256 re-read and a full pg_restore read), then write\n"
      "<id>.json. The password reaches pg_dump through its environment only. Exit 8 when pg_dump,\n"
      "verification or pg_restore fails; no manifest then claims a verified backup.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("backup-dir", "where backups go (default ./backups)", cxxopts::value<std::string>(), "DIR")
            ("dump-format", "custom (default) or directory", cxxopts::value<std::string>(), "FORMAT")
            ("jobs", "parallel pg_dump/pg_restore jobs (directory format)", cxxopts::value<std::string>(), "N")
            ("compress", "pg_dump compression level 0-9", cxxopts::value<std::string>(), "LEVEL")
            ("no-verify", "skip verification (the manifest then says verified:false)")
            ("keep", "keep the newest N verified backups of this database, delete older ones", cxxopts::value<std::string>(), "N")
            ("lock-wait-timeout", "how long pg_dump waits for its table locks (default 1min)", cxxopts::value<std::string>(), "D")
            ("verify", "re-check an existing backup (its .json, or the dump beside it)", cxxopts::value<std::string>(), "PATH")
            ("restore", "restore a backup (its .json or dump) into --target-db", cxxopts::value<std::string>(), "PATH")
            ("target-db", "database to create and restore into", cxxopts::value<std::string>(), "NAME")
            ("force", "with --restore: replace an existing target database")
            ("pg-bin", "folder holding pg_dump and pg_restore", cxxopts::value<std::string>(), "DIR");
      },
      backup, render);
}
