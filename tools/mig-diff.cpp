// mig-diff: the declarative workflow. The desired schema (schema/*.sql) and
// the current one (what migrations/ produce, or a live database) are built
// and read from PostgreSQL's catalogs; the difference is a plan, proven on a
// copy before it is printed, written as a migration, or pushed.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "cli/cli.hpp"
#include "pg/db.hpp"
#include "diff/migration_files.hpp"
#include "diff/phase_clock.hpp"
#include "diff/push.hpp"
#include "diff/schema_dump.hpp"
#include "diff/session.hpp"
#include "lint/rule_catalog.hpp"
#include "engine/migration_set.hpp"

namespace {

using nlohmann::json;

enum class Action { show, check, write, push, dump };

struct Request {
  Action action = Action::show;
  std::string schema_dir;
  std::string name;                  // --write
  std::string dump_to;               // --dump
  std::set<std::string> allowed;     // --allow-hazards
  bool force = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

// Every flag checked before anything connects.
Request read_request(const mig::ToolRun& run) {
  Request r;
  int actions = 0;
  for (const char* a : {"check", "write", "push", "dump"}) actions += run.args.count(a) ? 1 : 0;
  if (actions > 1) throw mig::usage_error("--check, --write, --push and --dump are separate actions: give one");
  if (run.args.count("check")) r.action = Action::check;
  if (run.args.count("write")) r.action = Action::write;
  if (run.args.count("push")) r.action = Action::push;
  if (run.args.count("dump")) r.action = Action::dump;
  if ((run.args.count("allow-hazards") || run.args.count("force")) && r.action != Action::push) {
    throw mig::usage_error("--allow-hazards and --force only go with --push");
  }
  if (run.args.count("from-migrations") && r.action != Action::dump) throw mig::usage_error("--from-migrations only goes with --dump");
  if (run.args.count("against-db") && r.action == Action::dump) {
    throw mig::usage_error("--dump reads the DSN's database already (or the migrations with --from-migrations)");
  }
  if (r.action == Action::write) {
    r.name = run.args["write"].as<std::string>();
    if (const auto problem = mig::new_migration_name_problem(r.name)) throw mig::usage_error("--write: " + *problem);
  }
  if (r.action == Action::dump) {
    r.dump_to = run.args["dump"].as<std::string>();
    if (r.dump_to.empty()) throw mig::usage_error("--dump needs a file, or - for standard output");
    const std::filesystem::path to(r.dump_to);
    const std::filesystem::path folder = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
    if (r.dump_to != "-" && (!std::filesystem::is_directory(folder) || std::filesystem::is_directory(to))) {
      throw mig::invalid_input("unwritable", r.dump_to + ": not a file in an existing folder");
    }
  }
  if (auto pg_bin = run.flag<std::string>("pg-bin")) {
    if (!run.args.count("against-db") && r.action != Action::push) {
      throw mig::usage_error("--pg-bin only goes with --against-db or --push (pg_dump copies the live database)");
    }
    if (!std::filesystem::is_directory(*pg_bin)) throw mig::usage_error("--pg-bin " + *pg_bin + ": no such folder");
  }
  for (const std::string& rule : split_list(run.flag<std::string>("allow-hazards").value_or(""))) {
    if (!mig::lint::find_rule(rule)) throw mig::usage_error("--allow-hazards: '" + rule + "' is not a mig-lint rule id");
    r.allowed.insert(rule);
  }
  if (run.args.count("allow-hazards") && r.allowed.empty()) throw mig::usage_error("--allow-hazards needs RULE[,RULE]");
  r.force = run.args.count("force") > 0;
  r.schema_dir = run.config.schema_dir;
  return r;
}

mig::diff::DiffOptions diff_options(const mig::ToolRun& run, bool against_db) {
  mig::diff::DiffOptions o = mig::diff::diff_options_from(run.config);
  o.against_db = against_db;
  o.pg_bin = run.flag<std::string>("pg-bin");
  o.cache = run.args.count("no-cache") == 0;
  return o;
}

json statements_json(const std::vector<mig::diff::PlannedStatement>& statements) {
  json out = json::array();
  for (const auto& s : statements) out.push_back({{"sql", s.sql}, {"transactional", s.transactional}, {"hazards", s.hazards}});
  return out;
}

void dump(mig::ToolRun& run, const Request& r) {
  auto db = run.connect();
  const mig::catalog::Catalog schema = run.args.count("from-migrations")
                                           ? mig::diff::migrations_catalog(*db, diff_options(run, false))
                                           : mig::catalog::read_catalog(*db, run.config.table,
                                                                        mig::diff::live_read_bounds(diff_options(run, false)));
  const mig::diff::SchemaDump dumped = mig::diff::schema_dump(schema, "schema dumped by mig-diff --dump", false);
  const std::string& sql = dumped.sql;
  run.data = {{"objects", dumped.objects}, {"statements", dumped.statements}, {"unsupported", schema.unsupported}};
  if (r.dump_to == "-") {
    run.data["sql"] = sql;
    return;
  }
  std::ofstream out(r.dump_to, std::ios::binary | std::ios::trunc);
  out << sql;
  if (!out) throw mig::invalid_input("unwritable", r.dump_to + ": cannot write");
  run.data["file"] = r.dump_to;
}

void diff(mig::ToolRun& run) {
  const Request r = read_request(run);
  if (r.action == Action::dump) return dump(run, r);
  mig::diff::PhaseClock clock;
  const auto schema = mig::diff::read_schema_dir(r.schema_dir);
  clock.mark("schema files read and checked");
  if (r.action == Action::write && !std::filesystem::is_directory(run.config.dir)) {
    throw mig::invalid_input("missing_dir", run.config.dir + ": no such folder to write the migration into");
  }
  mig::diff::DiffOptions o = diff_options(run, run.args.count("against-db") > 0 || r.action == Action::push);
  o.validate = r.action != Action::check;
  o.renames = mig::diff::find_renames(schema);
  clock.mark("renames found");
  // The up plan's hazards are found while it is replayed.
  std::future<std::vector<mig::diff::PlannedStatement>> up_linted;
  o.on_planned = [&up_linted](const mig::diff::Plan& up) {
    up_linted = std::async(std::launch::async, [up] { return mig::diff::planned_statements(up); });
  };
  auto db = run.connect();
  mig::diff::PushOutcome pushed;
  if (r.action == Action::push) {
    mig::MigratorContext ctx = run.migrator_context(*db);
    pushed = mig::diff::push(ctx, o, schema, {r.allowed, r.force});
  } else {
    pushed.diff = mig::diff::compute_diff(*db, o, schema);
  }
  const mig::diff::DiffOutcome& out = pushed.diff;
  clock.mark("diff done");

  const auto statements = up_linted.valid() ? up_linted.get() : mig::diff::planned_statements(out.up);
  auto down = mig::diff::planned_statements(mig::diff::online_down(out.down_separate));
  for (auto& s : mig::diff::planned_statements(out.down)) down.push_back(s);
  for (auto& s : mig::diff::planned_statements(out.down_before)) down.push_back(s);
  clock.mark("hazards of each statement");
  std::set<std::string> unsupported(out.current.unsupported.begin(), out.current.unsupported.end());
  unsupported.insert(out.desired.unsupported.begin(), out.desired.unsupported.end());
  for (const auto& file : schema) {
    for (const auto& s : file.statements) {
      if (s.owner) unsupported.insert("owner change at " + file.path + ":" + std::to_string(s.line) + " (owners are not diffed; skipped)");
    }
  }
  json renames = json::array();
  for (const auto& rn : out.renames) {
    renames.push_back({{"table", rn.schema + "." + rn.table}, {"column", rn.column}, {"from", rn.old_name}, {"file", rn.file}, {"line", rn.line}});
  }
  run.data = {{"schema_dir", r.schema_dir},
              {"current", o.against_db ? "database" : "migrations"},
              {"difference", out.different()},
              {"statements", statements_json(statements)},
              {"down", statements_json(down)},
              {"unsupported", unsupported},
              {"renames", renames},
              // Only a replayed plan is known to converge (--check replays nothing); no difference needs no plan.
              {"converged", out.validated || !out.different() ? json(out.converged) : json(nullptr)},
              {"validated", out.validated},
              {"cache", out.cache},
              {"written", json::array()},
              {"pushed", false}};
  if (!out.remaining.empty()) run.data["remaining"] = out.remaining;

  if (r.action == Action::check) {
    if (out.different()) {
      run.finding = mig::Error(mig::ExitCode::check_failed, "schema_drift",
                               std::to_string(statements.size()) + " statement(s) would change the " +
                                   (o.against_db ? "database" : "schema the migrations produce") + " into " + r.schema_dir + "/");
    }
    return;
  }
  if (out.different() && !out.converged) {
    std::string why;
    for (const auto& l : out.remaining) why += "\n" + l;
    run.finding = mig::Error(mig::ExitCode::migration_failed, "not_converged",
                             "the plan does not reproduce the desired schema; nothing was written or applied:" + why);
    return;
  }
  if (r.action == Action::write && out.different()) {
    run.data["written"] = mig::diff::write_migrations(run.config.dir, r.name, out, std::time(nullptr));
  }
  if (!pushed.refused.empty()) {
    std::string list;
    for (const auto& l : pushed.refused) list += "\n  " + l;
    run.finding = mig::Error(mig::ExitCode::check_failed, "hazards_refused",
                             "--push refuses statements that lose data (allow with --allow-hazards RULE[,RULE] or --force):" + list);
  }
  run.data["pushed"] = pushed.pushed;
}

std::string render_statements(const json& list) {
  std::string out;
  bool separate = false;
  for (const json& s : list) {
    if (!s["transactional"].get<bool>() && !separate) {
      out += out.empty() ? "-- outside a transaction (-- mig:no-transaction):\n"
                         : "-- outside a transaction (-- mig:no-transaction), after the statements above:\n";
      separate = true;
    }
    out += s["sql"].get<std::string>() + ";";
    if (!s["hazards"].empty()) {
      std::string h;
      for (const json& id : s["hazards"]) h += (h.empty() ? "" : ", ") + id.get<std::string>();
      out += "  -- hazards: " + h;
    }
    out += "\n";
  }
  return out;
}

std::string render(const json& d, mig::Format) {
  if (d.contains("sql")) return d["sql"].get<std::string>();
  if (d.contains("objects")) {
    return "dumped " + std::to_string(d["objects"].get<int>()) + " objects as " + std::to_string(d["statements"].get<int>()) +
           " statements to " + d.value("file", "") + "\n";
  }
  std::ostringstream out;
  if (!d["difference"].get<bool>()) {
    out << "no difference: " << d["schema_dir"].get<std::string>() << "/ matches the " << d["current"].get<std::string>() << "\n";
  } else {
    out << "-- up\n" << render_statements(d["statements"]);
    if (!d["down"].empty()) out << "\n-- down\n" << render_statements(d["down"]);
    if (d["validated"].get<bool>()) {
      out << "\n" << (d["converged"].get<bool>() ? "converged: replayed on the current schema, the result matches the desired "
                                                    "schema and the down plan restores the current one\n"
                                                  : "NOT converged\n");
    }
  }
  for (const json& u : d["unsupported"]) out << "unsupported (not diffed): " << u.get<std::string>() << "\n";
  for (const json& w : d["written"]) out << "wrote " << w.get<std::string>() << "\n";
  if (d["pushed"].get<bool>()) out << "pushed to the database\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-diff",
                     "Plan the migration from what migrations/ (or a database) hold to schema/*.sql; check, write, push.",
                     "[options]"};
  spec.locking = true;
  spec.epilog =
      "Both sides are built in scratch databases on the DSN's server and read from the catalogs; the DSN's\n"
      "database is only read (--against-db) and only changed by --push. Every plan is replayed on the\n"
      "current side (never the DSN's database) before it is shown, written or pushed: the result must equal\n"
      "the desired schema and the down plan must restore the current one. `-- mig:renamed-from OLD` on the\n"
      "line before a table or column in schema/ makes a rename instead of drop + add. The current side is\n"
      "kept on the server as a mig_cache_* database named from everything that built it; the next run with\n"
      "the same inputs reads it and replays in it inside a transaction it rolls back (data.cache: hit, miss,\n"
      "off; --no-cache builds it and keeps nothing).\n"
      "Exit 0 done (no difference, or written/pushed), 1 --check found a difference or --push refused a\n"
      "data-loss hazard, 2 usage, 3 bad schema file or migration set, 4 unreachable, 5 the plan did not\n"
      "converge (nothing written or applied), 6 migration lock busy or lock conflicts after --retries (--push), 8 pg_dump/pg_restore failed.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("schema-dir", "the desired schema's folder (default schema; env MIG_SCHEMA_DIR, mig.json schema_dir)",
             cxxopts::value<std::string>(), "DIR")
            ("against-db", "the current side is the DSN's database (read-only), not what migrations/ produce")
            ("check", "exit 1 when there is a difference (CI drift check); nothing is replayed")
            ("write", "write the plan as migrations/<UTC version>_NAME.up.sql and .down.sql, plus a _online pair (-- mig:no-transaction) when part of it must run outside a transaction, and before both a _enum_values pair when the plan uses enum values it adds", cxxopts::value<std::string>(), "NAME")
            ("push", "apply the plan to the DSN's database under the migration lock (development)")
            ("allow-hazards", "with --push: run statements tripping these data-loss rules", cxxopts::value<std::string>(), "RULE[,RULE]")
            ("force", "with --push: run every statement, data loss included")
            ("dump", "write the DSN database's schema as runnable SQL, one transaction, to FILE (- for stdout)",
             cxxopts::value<std::string>(), "FILE")
            ("from-migrations", "with --dump: the schema migrations/ produce instead")
            ("pg-bin", "folder of pg_dump/pg_restore (--against-db, --push)", cxxopts::value<std::string>(), "DIR")
            ("no-cache", "build the current side from scratch and keep nothing on the server for the next run "
                         "(by default it is kept as a mig_cache_* database keyed by what built it)");
      },
      diff, render);
}
