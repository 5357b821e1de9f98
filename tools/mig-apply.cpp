// mig-apply: apply pending migrations, roll back, baseline, repair.
#include <sstream>

#include "cli/cli.hpp"
#include "base/colour.hpp"
#include "pg/db.hpp"
#include "base/interrupt.hpp"
#include "engine/migration_set.hpp"
#include "engine/metrics.hpp"
#include "engine/migrator.hpp"
#include "engine/status.hpp"
#include "cli/upstream.hpp"

namespace {

using nlohmann::json;

json outcome_items(const std::vector<mig::MigrationOutcome>& outcomes) {
  json out = json::array();
  for (const auto& o : outcomes) {
    out.push_back({{"version", o.version}, {"name", o.name}, {"duration_ms", o.duration_ms},
                   {"attempts", o.attempts}, {"transactional", o.transactional}});
    if (mig::is_repeatable_key(o.version)) out.back()["repeatable"] = true;
    if (!o.checkpoint.empty()) {
      out.back()["checkpoint"] = o.checkpoint;
      out.back()["covered"] = o.covered;
    }
  }
  return out;
}

std::optional<std::string> backup_id_from(const std::vector<json>& upstream) {
  const auto backup = mig::upstream_from(upstream, "mig-backup");
  if (!backup) return std::nullopt;
  const json id = backup->value("/data/backup/id"_json_pointer, json(nullptr));
  if (id.is_string()) return id.get<std::string>();
  return std::nullopt;
}

std::vector<mig::PlannedMigration> plan_from(const json& dryrun) {
  const json steps = dryrun.value("/data/migrations"_json_pointer, json(nullptr));
  if (!steps.is_array()) throw mig::invalid_input("plan_mismatch", "the plan has no data.migrations list");
  std::vector<mig::PlannedMigration> plan;
  for (const auto& s : steps) plan.push_back({s.value("version", ""), s.value("checksum", "")});
  return plan;
}

std::optional<std::vector<mig::PlannedMigration>> plan_for(mig::ToolRun& run) {
  if (auto file = run.flag<std::string>("plan")) {
    const auto documents = mig::read_upstream(*file);
    const auto dryrun = mig::upstream_from(documents, "mig-dryrun");
    if (!dryrun) throw mig::invalid_input("plan_mismatch", *file + ": no mig-dryrun result in the plan file");
    mig::require_upstream_ok({*dryrun});
    return plan_from(*dryrun);
  }
  if (auto dryrun = mig::upstream_from(run.upstream, "mig-dryrun")) return plan_from(*dryrun);
  return std::nullopt;
}

bool given(mig::ToolRun& run, const char* flag) { return run.args.count(flag) > 0; }

// Flags that cannot act together would leave one of them silently ignored.
void require_compatible_flags(mig::ToolRun& run) {
  const char* actions[] = {"down", "baseline", "repair"};
  std::string chosen;
  for (const char* a : actions) {
    if (!given(run, a)) continue;
    if (!chosen.empty()) throw mig::usage_error("--" + chosen + " and --" + a + " cannot be combined");
    chosen = a;
  }
  if (given(run, "forget") && !given(run, "repair")) throw mig::usage_error("--forget only goes with --repair V");
  const char* run_flags[] = {"to", "steps", "single-transaction", "allow-out-of-order", "plan"};
  for (const char* f : run_flags) {
    if (given(run, f) && (given(run, "baseline") || given(run, "repair"))) {
      throw mig::usage_error("--" + std::string(f) + " does not go with --" + chosen);
    }
  }
  if (given(run, "down") && (given(run, "plan") || given(run, "allow-out-of-order"))) {
    throw mig::usage_error(std::string("--") + (given(run, "plan") ? "plan" : "allow-out-of-order") +
                           " does not go with --down");
  }
  if (given(run, "to") && given(run, "steps")) throw mig::usage_error("--to and --steps cannot be combined");
  for (const char* f : {"to", "baseline", "repair"}) {
    if (auto v = run.flag<std::string>(f); v && !mig::is_version(*v)) {
      throw mig::usage_error("--" + std::string(f) + ": '" + *v + "' is not a migration version (1 to 20 digits)");
    }
  }
}

mig::ApplyOptions apply_options(mig::ToolRun& run) {
  require_compatible_flags(run);
  mig::ApplyOptions o;
  o.down = run.args.count("down") > 0;
  o.to_version = run.flag<std::string>("to");
  o.steps = run.whole_number("steps");
  if (o.steps && *o.steps < 1) throw mig::usage_error("--steps must be at least 1");
  o.single_transaction = run.args.count("single-transaction") > 0;
  o.allow_out_of_order = run.args.count("allow-out-of-order") > 0;
  o.backup_id = backup_id_from(run.upstream);
  if (!o.down) o.plan = plan_for(run);
  return o;
}

// Keeps what already committed in the document even when a later migration fails.
void collect_progress(mig::MigratorContext& ctx, mig::ToolRun& run, const char* key) {
  run.data[key] = json::array();
  ctx.events = [sink = ctx.events, &run, key](const std::string& event, const json& fields) {
    if (event == "migration_applied" || event == "migration_reverted") run.data[key].push_back(fields);
    if (event == "batch_started") run.data["batch"] = fields["batch"];
    sink(event, fields);
  };
}

// The node_exporter textfile: status, applied, and what is still pending now.
void write_metrics(mig::MigrationMetrics& metrics, mig::Database& db, mig::ToolRun& run, const mig::MigrationSet& set,
                   const std::string& path) {
  try {
    const auto after = mig::compare_with_history(set, mig::History(db, run.config.table).read_all());
    metrics.set_pending(after.pending.size() + after.repeatables_due.size());
  } catch (const mig::Error&) {
    metrics.set_pending(set.migrations.size());  // the connection is gone: the count is unknown; err high
  }
  metrics.write_file(path);
}

void apply(mig::ToolRun& run) {
  const mig::MigrationSet set = mig::load_migration_set(run.config.dir);
  const mig::ApplyOptions options = apply_options(run);
  auto db = run.connect();
  mig::MigratorContext ctx = run.migrator_context(*db);
  if (auto version = run.flag<std::string>("repair")) {
    run.data = {{"direction", "repair"}, {"repair", mig::repair(ctx, set, *version, run.args.count("forget") > 0)}};
    return;
  }
  if (auto version = run.flag<std::string>("baseline")) {
    const mig::ApplyResult result = mig::baseline(ctx, set, *version);
    run.data = {{"direction", "baseline"}, {"batch", result.batch}, {"baselined", outcome_items(result.migrations)}};
    return;
  }
  const char* key = options.down ? "reverted" : "applied";
  run.data = {{"direction", options.down ? "down" : "up"}};
  if (options.backup_id) run.data["backup_id"] = *options.backup_id;
  collect_progress(ctx, run, key);
  const auto metrics_file = run.flag<std::string>("metrics-file");
  mig::MigrationMetrics metrics;
  ctx.events = [sink = ctx.events, &metrics](const std::string& event, const json& fields) {
    metrics.record_backfill_event(event, fields);
    sink(event, fields);
  };
  try {
    const mig::ApplyResult result = mig::migrate(ctx, set, options);
    run.data["batch"] = result.batch;
    run.data[key] = outcome_items(result.migrations);
    metrics.record_applied(result);
    metrics.set_status(true);
  } catch (const mig::Error&) {
    run.data["stopped"] = true;  // the text view then shows what committed, not "nothing to apply"
    metrics.set_status(false);
    if (metrics_file) write_metrics(metrics, *db, run, set, *metrics_file);
    throw;
  }
  if (metrics_file) write_metrics(metrics, *db, run, set, *metrics_file);
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  const std::string direction = d.value("direction", "up");
  const char* key = direction == "down" ? "reverted" : direction == "baseline" ? "baselined" : "applied";
  if (direction == "repair") {
    out << "migration " << d["repair"]["version"].get<std::string>() << ": "
        << d["repair"]["action"].get<std::string>() << '\n';
    return out.str();
  }
  const bool stopped = d.value("stopped", false);
  if (!d.contains(key) || d[key].empty()) {
    if (stopped) return "";  // the error itself goes to stderr
    return direction == "down" ? "nothing to revert\n" : "nothing to apply\n";
  }
  for (const auto& m : d[key]) {
    out << "  " << mig::colour::paint(key, mig::colour::Tone::good, mig::colour::for_stdout()) << "  "
        << mig::migration_label(m);
    if (m.contains("duration_ms")) out << "  " << m["duration_ms"].get<long long>() << " ms";
    out << '\n';
  }
  if (d.contains("batch")) {
    out << d[key].size() << " migration(s) " << key << ", batch " << d["batch"] << (stopped ? " (then it stopped)" : "") << '\n';
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::handle_interrupts();
  mig::ToolSpec spec{"mig-apply", "Apply pending migrations (up), roll back (--down), baseline or repair.",
                     "[options]"};
  spec.locking = true;
  spec.backfills = true;
  spec.epilog =
      "Each transactional migration commits together with its history row; a failure rolls it back whole\n"
      "(exit 5). One applier at a time per history table (advisory lock; exit 6 after --lock-wait).\n"
      "--from - after mig-backup records the backup id; after mig-dryrun (or --plan FILE) applies exactly\n"
      "that plan or refuses with exit 3.\n"
      "SIGTERM/SIGINT cancel the running statement: its transaction rolls back, the lock is released, the\n"
      "result document says error.kind \"interrupted\", and the exit status is 128+signal (143, 130).";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("down", "revert the last batch (or --to V / --steps N)")
            ("to", "up: apply up to and including V; down: revert everything above V", cxxopts::value<std::string>(), "V")
            ("steps", "apply (or revert) at most N migrations", cxxopts::value<std::string>(), "N")
            ("single-transaction", "run the whole batch in one transaction (refused for no-transaction files)")
            ("allow-out-of-order", "apply pending versions older than the newest applied one")
            ("baseline", "adopt an existing database: record every migration <= V as applied, run nothing",
             cxxopts::value<std::string>(), "V")
            ("repair", "after fixing the database by hand: mark a failed (or edited) migration V applied",
             cxxopts::value<std::string>(), "V")
            ("forget", "with --repair V: delete V's history row instead, so it runs again")
            ("plan", "apply exactly the plan in a mig-dryrun result FILE", cxxopts::value<std::string>(), "FILE")
            ("metrics-file", "write Prometheus metrics here (node_exporter textfile collector)", cxxopts::value<std::string>(), "FILE");
      },
      apply, render);
}
