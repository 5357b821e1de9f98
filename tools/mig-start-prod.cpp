// mig-start-prod [options] -- CMD [ARGS...]: the production start wrapper.
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "cli/cli.hpp"
#include "pg/db.hpp"
#include "start/start_prod.hpp"

namespace {

using nlohmann::json;

mig::StartProdOptions start_options(mig::ToolRun& run) {
  mig::StartProdOptions o;
  o.dsn = run.config.dsn;
  o.migrations_dir = run.config.dir;
  o.table = run.config.table;
  o.session_pooler = run.config.session_pooler;
  o.timeouts = run.config.timeouts;
  o.backfill = run.config.backfill;
  const std::string backfills = run.flag<std::string>("backfills").value_or("foreground");
  if (backfills != "foreground" && backfills != "background") throw mig::usage_error("--backfills takes foreground or background");
  o.backfills_in_background = backfills == "background";
  if (auto wait = run.flag<std::string>("wait")) o.wait = mig::parse_duration(*wait, "--wait");
  o.backup = run.args.count("no-backup") == 0;
  o.backup_options.dir = run.config.backup_dir;
  if (auto wait = run.flag<std::string>("lock-wait-timeout")) {
    if (run.args.count("no-backup")) throw mig::usage_error("--lock-wait-timeout is for the backup: it does not go with --no-backup");
    o.backup_options.lock_wait_timeout = mig::parse_duration(*wait, "--lock-wait-timeout");
  }
  o.schema_file = run.flag<std::string>("schema-file");
  o.listen = run.flag<std::string>("listen");
  o.metrics_file = run.flag<std::string>("metrics-file");
  o.replicas.enabled = run.args.count("wait-replicas") > 0;
  o.replicas.replica_dsns = run.flag<std::vector<std::string>>("replica-dsn").value_or(std::vector<std::string>{});
  if (auto t = run.flag<std::string>("replica-timeout")) o.replicas.timeout = mig::parse_duration(*t, "--replica-timeout");
  if (!o.replicas.enabled && (run.args.count("replica-dsn") || run.args.count("replica-timeout"))) {
    throw mig::usage_error("--replica-dsn and --replica-timeout go with --wait-replicas");
  }
  for (const std::string& dsn : o.replicas.replica_dsns) mig::describe_dsn(dsn);  // exit 2/3 now, not after migrating
  o.supervisor.command = run.args.unmatched();
  if (o.supervisor.command.empty()) throw mig::usage_error("missing the command to run: mig-start-prod [options] -- CMD [ARGS...]");
  o.supervisor.workers = run.whole_number("workers").value_or(1);
  if (o.supervisor.workers < 1) throw mig::usage_error("--workers must be at least 1");
  const std::string restart = run.flag<std::string>("restart").value_or("no");
  if (restart != "no" && restart != "on-failure") throw mig::usage_error("--restart takes no or on-failure");
  o.supervisor.restart_on_failure = restart == "on-failure";
  if (auto grace = run.flag<std::string>("grace")) o.supervisor.grace = mig::parse_duration(*grace, "--grace");
  // Workers reach the database as we did: DATABASE_URL in their environment, never argv.
  if (!o.dsn.empty() && !std::getenv("DATABASE_URL")) o.supervisor.env["DATABASE_URL"] = o.dsn;
  return o;
}

void start(mig::ToolRun& run) {
  const mig::StartProdOptions options = start_options(run);
  mig::Output* out = &run.output;
  mig::StartProdHooks hooks{[out](const std::string& e, const json& f) { out->event(e, f); },
                            [out](mig::Database& db) {
                              const auto a = db.address();
                              out->database = {{"host", a.host}, {"port", a.port}, {"dbname", a.dbname}};
                            },
                            // Nothing to stop gracefully yet: leave now, with the shell's 128 + signal.
                            [](int signal) { _exit(128 + signal); }};
  const int status = mig::start_prod(options, hooks, run.data);
  if (status != 0) {
    run.finding = mig::Error(static_cast<mig::ExitCode>(status), "worker_failed",
                             "a worker exited with " + std::to_string(status));
  }
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  for (const json& s : d.value("steps", json::array())) {
    out << (s["ok"].get<bool>() ? "  ok    " : "  FAIL  ") << s["step"].get<std::string>() << "  " << s["duration_ms"] << " ms\n";
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::block_supervisor_signals();  // before any thread exists
  mig::ToolSpec spec{"mig-start-prod", "The production start wrapper: wait for the database, back up, migrate, verify, run workers.",
                     "[options] -- CMD [ARGS...]"};
  spec.locking = true;
  spec.backfills = true;
  spec.takes_command = true;
  spec.epilog =
      "Steps: wait for the database (--wait), take the migration lock (many replicas: one migrates, the\n"
      "others wait and find nothing pending), back up if anything is pending (--no-backup skips it),\n"
      "apply, verify (nothing pending/edited/missing/failed, every <version>_<name>.verify.sql passes,\n"
      "--schema-file matches), release the lock, run --workers copies of CMD with WORKER_ID set.\n"
      "Any failure exits with the contract's code and no worker starts. SIGTERM/SIGINT before the workers\n"
      "start: exit 128+signal at once (the server cancels a running migration). Then they stop the workers\n"
      "(--grace, then SIGKILL); SIGHUP is forwarded. --listen serves /ready, /metrics and a status page at /.\n"
      "--wait-replicas: after verifying, read pg_current_wal_lsn() on the primary; workers start when every\n"
      "standby has replayed past it (/ready stays 503 meanwhile; db_migration_replica_lag_bytes per standby).\n"
      "--backfills background: a replica whose only pending work is an unfinished backfill takes no lock; a\n"
      "failure in the background is logged, shown on the status page and sets db_migration_status 0, and the\n"
      "workers go on; when the workers stop, the backfill stops between two batches (progress kept).";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("wait", "how long to wait for the database (default 60s)", cxxopts::value<std::string>(), "D")
            ("backup-dir", "where the pre-migration backup goes (default ./backups)", cxxopts::value<std::string>(), "DIR")
            ("no-backup", "migrate without taking a backup first")
            ("lock-wait-timeout", "how long the backup's pg_dump waits for its table locks (default 1min; then exit 6, "
             "naming the blocking session)", cxxopts::value<std::string>(), "D")
            ("schema-file", "the live schema must equal this snapshot (from mig-dryrun --schema-out)", cxxopts::value<std::string>(), "FILE")
            ("workers", "how many copies of CMD to run (default 1)", cxxopts::value<std::string>(), "N")
            ("restart", "no (default: exit with the first worker's code) or on-failure (restart with backoff)",
             cxxopts::value<std::string>(), "POLICY")
            ("grace", "how long workers get to stop after SIGTERM (default 10s)", cxxopts::value<std::string>(), "D")
            ("listen", "serve GET /ready and GET /metrics on HOST:PORT", cxxopts::value<std::string>(), "ADDR")
            ("metrics-file", "write the metrics here for node_exporter's textfile collector", cxxopts::value<std::string>(), "FILE")
            ("wait-replicas", "after verifying, start workers only once every standby has replayed the migration "
             "(those in pg_stat_replication, or each --replica-dsn)")
            ("replica-dsn", "a standby to wait for, polled with pg_last_wal_replay_lsn() (repeatable)",
             cxxopts::value<std::vector<std::string>>(), "DSN")
            ("replica-timeout", "how long to wait for the standbys (default 60s; then exit 6, kind replica_lag)",
             cxxopts::value<std::string>(), "D")
            ("backfills", "foreground (default: before the workers) or background: workers start once everything before "
             "the first unfinished -- mig:backfill is applied and verified; it and what follows run beside them",
             cxxopts::value<std::string>(), "WHEN");
      },
      start, render);
}
