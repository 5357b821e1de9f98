// mig-dryrun: rehearse pending migrations in a transaction that is always
// rolled back, tracing locks; or a scratch round trip and schema snapshot check.
#include <sstream>

#include "cli/cli.hpp"
#include "pg/db.hpp"
#include "dryrun/rehearsal.hpp"
#include "dryrun/scratch.hpp"
#include "engine/migration_set.hpp"

namespace {

using nlohmann::json;

void dryrun(mig::ToolRun& run) {
  const mig::MigrationSet set = mig::load_migration_set(run.config.dir);
  auto db = run.connect();
  mig::MigratorContext ctx = run.migrator_context(*db);
  const bool scratch = run.args.count("scratch") || run.args.count("schema-out") || run.args.count("compare");
  if (scratch) {
    mig::ScratchOptions o;
    o.dsn = run.config.dsn;
    o.template_db = run.flag<std::string>("scratch-template");
    o.schema_out = run.flag<std::string>("schema-out");
    o.compare = run.flag<std::string>("compare");
    o.round_trip = run.args.count("scratch") > 0;
    mig::ScratchResult result = mig::scratch_round_trip(ctx, set, o);
    run.data = result.data;
    run.finding = result.failure;
    return;
  }
  mig::RehearsalResult result = mig::rehearse(ctx, set, run.args.count("allow-out-of-order") > 0);
  run.data = result.data;
  run.finding = result.failure;
}

std::string rows(const json& estimate) {
  const long long n = estimate.get<long long>();
  return n >= 1'000'000 ? std::to_string(n / 1'000'000) + "M rows"
         : n >= 1'000   ? std::to_string(n / 1'000) + "k rows"
                        : std::to_string(n) + " rows";
}

// A backfill is rehearsed by its first batch: what that batch was, and whether it used the key's index.
std::string backfill_line(const json& d, const std::string& version) {
  for (const json& b : d.value("backfills", json::array())) {
    if (b.value("version", "") != version) continue;
    std::string key;
    for (const json& k : b["key"]) key += (key.empty() ? "" : ", ") + k.get<std::string>();
    return "  backfill of " + b.value("table", "") + " in batches by (" + key + "), first batch of " +
           std::to_string(b.value("batch_size", 0)) + " rehearsed: " +
           (b.value("full_scan", false) ? "reads the WHOLE table\n" : "no full scan\n");
  }
  return "";
}

std::string render_rehearsal(const json& d) {
  std::ostringstream out;
  for (const json& m : d["migrations"]) {
    out << mig::migration_label(m);
    if (!m["rehearsed"].get<bool>()) {
      out << "  not rehearsed: " << m.value("reason", "") << "\n";
      continue;
    }
    out << "  (" << m["duration_ms"] << " ms)\n";
    if (m.value("backfill", false)) out << backfill_line(d, m["version"].get<std::string>());
    for (const json& s : m["statements"]) {
      out << "  line " << s["line"] << "  " << s["duration_ms"] << " ms";
      bool quiet = true;
      for (const json& l : s["locks"]) {
        out << "\n      " << l["mode"].get<std::string>() << " on " << l["relation"].get<std::string>() << " ("
            << rows(l["estimated_rows"]) << ")";
        quiet = false;
      }
      for (const json& r : s["rewrites"]) {
        out << "\n      REWRITES " << r["relation"].get<std::string>() << " (" << rows(r["estimated_rows"]) << ")";
        quiet = false;
      }
      for (const json& c : s["validated_constraints"]) {
        out << "\n      validates " << c.get<std::string>() << " now (full scan)";
        quiet = false;
      }
      if (quiet && m.value("locks_already_held", json::array()).empty()) {
        out << "  no locks on existing tables\n";
      } else if (quiet) {
        out << "  no new locks; held since an earlier migration of this rehearsal:";
        for (const json& l : m["locks_already_held"]) out << " " << l["mode"].get<std::string>() << " on " << l["relation"].get<std::string>() << ";";
        out << "\n";
      } else {
        out << "\n";
      }
    }
    if (m.contains("failed")) out << "  FAILED at line " << m["failed"]["line"] << ": " << m["failed"]["message"].get<std::string>() << "\n";
  }
  out << "rolled back: nothing was committed\n";
  return out.str();
}

std::string render(const json& d, mig::Format) {
  if (d.contains("migrations")) return render_rehearsal(d);
  std::ostringstream out;
  for (const json& s : d.value("round_trip", json::array())) {
    out << "round trip " << s["version"].get<std::string>() << "_" << s["name"].get<std::string>() << ": "
        << s["result"].get<std::string>() << "\n";
  }
  for (const json& line : d.value("schema_diff", json::array())) out << "  " << line.get<std::string>() << "\n";
  out << d.value("schema_lines", 0) << " schema line(s); scratch database " << d.value("scratch_database", "")
      << " dropped\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-dryrun",
                     "Rehearse pending migrations in a rolled-back transaction, or round-trip them in a scratch database.",
                     "[options]"};
  spec.locking = true;
  spec.epilog =
      "The JSON result is a plan: mig-apply --plan FILE (or --from -) applies exactly those versions and\n"
      "checksums, or refuses with exit 3.\n"
      "Exit 0: no migration failed (one that cannot be rehearsed in place, a -- mig:no-transaction file or\n"
      "one after it that needs it, is reported rehearsed:false with the reason and does not fail the run;\n"
      "--scratch runs it for real in a throwaway database). 1 --compare found a different schema,\n"
      "3 invalid set, 4 database unreachable, 5 a migration (or a backfill's first batch) failed, 6 a\n"
      "lock was busy.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("scratch", "apply all, then revert and re-apply each newest-first, in a throwaway database")
            ("scratch-template", "template for the scratch database", cxxopts::value<std::string>(), "NAME")
            ("schema-out", "write the schema the migrations produce to FILE (implies a scratch run)", cxxopts::value<std::string>(), "FILE")
            ("compare", "exit 1 when the migrations produce a schema other than FILE's (implies a scratch run)",
             cxxopts::value<std::string>(), "FILE")
            ("allow-out-of-order", "rehearse pending versions older than the newest applied one");
      },
      dryrun, render);
}
