// mig-import: another tool's migrations (and its history) into mig's layout.
#include <filesystem>
#include <sstream>

#include "cli/cli.hpp"
#include "engine/migrator.hpp"
#include "import/foreign_history.hpp"
#include "import/importer.hpp"
#include "import/js_baseline.hpp"
#include "import/sources.hpp"
#include "pg/db.hpp"

namespace imp = mig::importing;
using nlohmann::json;

namespace {

struct Request {
  imp::SourceOptions source;
  bool history = false;
};

// Every flag checked before anything is read or connected.
Request read_request(const mig::ToolRun& run) {
  Request r;
  const auto from = run.flag<std::string>("from");
  if (!from) throw mig::usage_error("missing --from FORMAT (one of " + imp::format_names() + ")");
  const auto format = imp::parse_source_format(*from);
  if (!format) throw mig::usage_error("--from " + *from + ": not one of " + imp::format_names());
  r.source.format = *format;
  r.source.dir = run.flag<std::string>("source").value_or(".");
  for (const std::string& p : run.args.count("placeholder") ? run.args["placeholder"].as<std::vector<std::string>>()
                                                             : std::vector<std::string>{}) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) throw mig::usage_error("--placeholder " + p + ": not NAME=VALUE");
    r.source.placeholders[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!r.source.placeholders.empty() && r.source.format != imp::SourceFormat::flyway) {
    throw mig::usage_error("--placeholder is for --from flyway");
  }
  r.history = !run.config.dsn.empty() || run.args.count("history");
  if (run.args.count("files-only") && run.args.count("history")) throw mig::usage_error("--files-only and --history contradict");
  if (run.args.count("files-only")) r.history = false;
  if (imp::is_javascript(r.source.format) && !r.history) {
    throw mig::usage_error(*from + " migrations are JavaScript: mig-import baselines the live schema, so it needs the "
                           "database (--dsn, DATABASE_URL, or --history for libpq's PG* variables)");
  }
  if (imp::is_javascript(r.source.format) && run.args.count("source")) {
    throw mig::usage_error("--source: " + *from + "'s JavaScript files are not read (the baseline comes from the database)");
  }
  return r;
}

json migrations_json(const std::vector<imp::ImportedMigration>& set) {
  json list = json::array();
  for (const auto& m : set) {
    list.push_back({{"version", m.version}, {"name", m.name}, {"sources", m.sources}, {"down", m.down.has_value()},
                    {"verify", m.verify.has_value()}, {"no_transaction", m.no_transaction},
                    {"no_transaction_why", m.why_no_transaction.empty() ? json(nullptr) : json(m.why_no_transaction)}});
    if (m.repeatable) list.back()["repeatable"] = true;
  }
  return list;
}

// Knex, Umzug: one baseline migration of the live schema, recorded applied.
void baseline(mig::ToolRun& run, const Request& r) {
  auto db = run.connect();
  mig::MigratorContext ctx = run.migrator_context(*db);
  const auto history = imp::read_js_history(*db, r.source.format);
  const auto b = imp::baseline_of(ctx, r.source.format, history, run.config.dir);
  imp::ImportedMigration m;
  m.version = b.version;
  m.name = b.name;
  m.sources = {history.table};
  const std::vector<imp::WrittenFile> files = {{b.path, b.text}};
  imp::require_free(files, {m}, run.config.dir);
  run.data = {{"from", imp::format_name(r.source.format)}, {"source", history.table}, {"dir", run.config.dir},
              {"migrations", migrations_json({m})}, {"written", json::array()}, {"history", nullptr}};
  run.data["history"] = imp::record_baseline(ctx, r.source.format, history, b);
  run.data["written"] = imp::write_after_history(ctx, files, run.data["history"]).files;
}

void import(mig::ToolRun& run) {
  const Request r = read_request(run);
  if (imp::is_javascript(r.source.format)) return baseline(run, r);
  const auto set = imp::read_source(r.source);
  const auto files = imp::converted_files(set, r.source.format, run.config.dir);
  imp::require_free(files, set, run.config.dir);
  run.data = {{"from", imp::format_name(r.source.format)}, {"source", r.source.dir}, {"dir", run.config.dir},
              {"migrations", migrations_json(set)}, {"written", json::array()}, {"history", nullptr}};
  if (!r.history) {
    run.data["written"] = imp::write_all(files).files;
    return;
  }
  auto db = run.connect();
  mig::MigratorContext ctx = run.migrator_context(*db);
  const auto foreign = imp::read_foreign_history(*db, r.source.format, set);  // refusals before any write
  run.data["history"] = foreign ? imp::record_history(ctx, *foreign, r.source.format, set)
                                 : json{{"source_table", nullptr}, {"recorded", json::array()}};
  run.data["written"] = imp::write_after_history(ctx, files, run.data["history"]).files;
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  out << "imported " << d["migrations"].size() << " " << d["from"].get<std::string>() << " migration(s) from "
      << d["source"].get<std::string>() << " into " << d["dir"].get<std::string>() << "\n";
  for (const auto& m : d["migrations"]) {
    out << "  " << mig::migration_label(m)
        << (m["down"].get<bool>() ? "  +down" : "") << (m["verify"].get<bool>() ? "  +verify" : "")
        << (m["no_transaction"].get<bool>() ? "  no-transaction" : "") << "\n";
  }
  const json& h = d["history"];
  if (h.is_null()) {
    out << "history: not read (no --dsn; --history reads it through PG* variables)\n";
  } else if (h["source_table"].is_null()) {
    out << "history: the source tool's table is not in this database; nothing recorded\n";
  } else {
    out << "history: " << h["recorded"].size() << " recorded from " << h["source_table"].get<std::string>() << ", "
        << h["already"].size() << " already there, " << h["pending"].size() << " not applied yet\n";
    if (!h.value("stale", json::array()).empty()) {
      out << h["stale"].size() << " repeatable migration(s) were applied with another text: mig-apply runs them again\n";
    }
    if (h.contains("stands_for")) out << "the baseline stands for " << h["stands_for"].size() << " applied migration(s)\n";
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-import", "Convert another tool's migrations (and its history) into mig's layout.",
                     "--from FORMAT [options]"};
  spec.upstream = false;
  spec.epilog =
      "Formats: " + imp::format_names() +
      ".\n"
      "Writes <version>_<name>.up.sql (and .down.sql, .verify.sql) into --dir, keeping versions, order,\n"
      "names, down files and transaction opt-outs (as -- mig:no-transaction); Flyway's R__ files become\n"
      "<name>.repeatable.sql. Nothing is written when any\n"
      "file cannot be converted faithfully (exit 3, naming the file and why) or a target file exists.\n"
      "With a DSN (--dsn, DATABASE_URL, mig.json; or --history for libpq's PG* variables) the source\n"
      "tool's history table is read first: a failed, dirty or unknown row is exit 7 (nothing written);\n"
      "then its applied migrations are recorded in mig's history in one transaction under the migration\n"
      "lock, with their applied time and the converted file's checksum. The source table is not touched.\n"
      "Knex and Umzug (Sequelize) migrations are JavaScript: --from knex|umzug with a DSN writes one\n"
      "baseline migration of the live schema (mig-diff --dump's text, without their tables) at the\n"
      "version of the newest entry of knex_migrations or SequelizeMeta, and records it applied.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("from", "the source tool: " + imp::format_names(), cxxopts::value<std::string>(), "FORMAT")
            ("source", "the source tool's migrations folder (default .)", cxxopts::value<std::string>(), "DIR")
            ("placeholder", "a Flyway ${NAME} value (repeatable)", cxxopts::value<std::vector<std::string>>(), "NAME=VALUE")
            ("history", "read the source history through libpq's PG* variables (no DSN given)")
            ("files-only", "convert the files; do not read or record any history")
            ("lock-wait", "how long to wait for the migration lock (default 10min)", cxxopts::value<std::string>(), "D");
      },
      import, render);
}
