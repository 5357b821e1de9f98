// mig-new: create the up/down pair for a new migration, or a checkpoint that
// creates the whole schema the migrations produce.
#include <ctime>
#include <filesystem>
#include <fstream>

#include "base/log.hpp"
#include "cli/cli.hpp"
#include "diff/checkpoint.hpp"
#include "engine/migration_set.hpp"
#include "pg/db.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write_new_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw mig::Error(mig::ExitCode::invalid_input, "unwritable", path.string() + ": cannot write");
}

// --dsn, --schema and --table only act with --checkpoint: refused without it.
void require_checkpoint_for_database_flags(const mig::ToolRun& run) {
  if (run.args.count("checkpoint")) return;
  for (const char* flag : {"dsn", "schema", "table"}) {
    if (run.args.count(flag)) throw mig::usage_error(std::string("--") + flag + " only goes with --checkpoint");
  }
}

void new_pair(mig::ToolRun& run, const std::string& name) {
  const std::string& dir = run.config.dir;
  fs::create_directories(dir);
  const std::string version = mig::next_free_version(dir, std::time(nullptr));
  const fs::path up = fs::path(dir) / (version + "_" + name + ".up.sql");
  const fs::path down = fs::path(dir) / (version + "_" + name + ".down.sql");
  write_new_file(up, "-- " + name + ": the change.\n-- Directives go here, e.g. -- mig:lock-timeout 10s\n\n");
  write_new_file(down, "-- " + name + ": undo the change.\n\n");
  run.data = {{"version", version}, {"name", name}, {"up", up.string()}, {"down", down.string()}};
}

// <name>.repeatable.sql: applied after the versioned migrations, again whenever it changes.
void new_repeatable(mig::ToolRun& run, const std::string& name) {
  const std::string& dir = run.config.dir;
  fs::create_directories(dir);
  const fs::path file = fs::path(dir) / (name + ".repeatable.sql");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(file, ec))) {
    throw mig::invalid_input("exists", file.string() + ": already exists (edit it: it runs again whenever it changes)");
  }
  write_new_file(file, "-- " + name + ": a repeatable migration, run after the versioned ones and again whenever this\n"
                       "-- file changes. Write it so it can run again: CREATE OR REPLACE, DROP ... IF EXISTS, GRANT.\n\n");
  run.data = {{"name", name}, {"up", file.string()}, {"repeatable", true}};
}

// No down file: reverting a checkpoint would drop the whole schema.
void new_checkpoint(mig::ToolRun& run, const std::string& name) {
  const mig::MigrationSet set = mig::load_migration_set(run.config.dir);
  const std::string version = mig::next_free_version(run.config.dir, std::time(nullptr));
  if (!set.migrations.empty() && mig::compare_versions(version, set.migrations.back().version) <= 0) {
    throw mig::invalid_input("checkpoint_refused", "the newest migration's version " + set.migrations.back().version +
                                                       " is above the clock's " + version +
                                                       ": a checkpoint must come after every file it stands for");
  }
  auto admin = run.connect();
  const mig::diff::Checkpoint checkpoint = mig::diff::make_checkpoint(*admin, mig::diff::diff_options_from(run.config), set);
  const fs::path up = fs::path(run.config.dir) / (version + "_" + name + ".up.sql");
  write_new_file(up, checkpoint.text);
  json rows = json::array();
  for (const auto& r : checkpoint.rows_left_out) {
    mig::log::warn(r.file, ":", r.line, ": writes rows, which the checkpoint (schema only) does not hold: an empty "
                   "database started from it will not have them; keep such data in seeds/ or a migration after it");
    rows.push_back({{"file", r.file}, {"line", r.line}});
  }
  run.data = {{"version", version}, {"name", name}, {"up", up.string()}, {"checkpoint", true},
              {"covers_through", checkpoint.covers_through}, {"covers", checkpoint.covers},
              {"objects", checkpoint.objects}, {"rows_left_out", rows}};
  run.close_after_output = std::move(admin);
}

std::string render(const json& d) {
  std::string out = "created " + d["up"].get<std::string>() + "\n";
  if (d.contains("down")) return out + "created " + d["down"].get<std::string>() + "\n";
  if (d.value("repeatable", false)) return out;
  out += "  a checkpoint of " + std::to_string(d["objects"].get<long long>()) + " objects standing for " +
         std::to_string(d["covers"].get<long long>()) + " migration(s) through " +
         d["covers_through"].get<std::string>() + "\n";
  if (!d["rows_left_out"].empty()) {
    out += "  " + std::to_string(d["rows_left_out"].size()) + " statement(s) before it write rows it does not hold (see the warnings)\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-new", "Create migrations/<UTC yyyymmddHHMMSS>_<name>.up.sql and .down.sql.", "[options] NAME"};
  spec.epilog =
      "With --checkpoint, NAME.up.sql (no down) holds the whole schema the migrations produce, built in a\n"
      "scratch database on the DSN's server (as mig-diff --dump --from-migrations) and marked\n"
      "-- mig:checkpoint. mig-apply on an empty database runs it and records every file before it as\n"
      "applied with it; a database that has those files only records it. Schema only: statements before\n"
      "it that write rows are listed (warnings, rows_left_out).\n"
      "With --repeatable, NAME.repeatable.sql: applied after the versioned migrations, and again whenever it\n"
      "changes (views, functions, grants).\n"
      "Exit codes: 0 created, 2 bad usage, 3 bad name or migrations folder, a repeatable file that exists, or\n"
      "objects the dump cannot write (nothing written), 4 database unreachable (--checkpoint), 5 a migration\n"
      "failed in the scratch build.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()("name", "migration name, [A-Za-z0-9_-]+", cxxopts::value<std::string>())
            ("checkpoint", "write a checkpoint: the whole schema as of the newest migration (needs a database)")
            ("repeatable", "write NAME.repeatable.sql: run after the versioned migrations and again whenever it changes");
        o.parse_positional({"name"});
      },
      [](mig::ToolRun& run) {
        const auto name = run.flag<std::string>("name");
        if (!name) throw mig::usage_error("missing NAME (e.g. mig-new add_orders_table)");
        if (const auto problem = mig::new_migration_name_problem(*name)) throw mig::usage_error(*problem);
        require_checkpoint_for_database_flags(run);
        if (run.args.count("repeatable") && run.args.count("checkpoint")) {
          throw mig::usage_error("--repeatable and --checkpoint are different kinds of file: give one");
        }
        if (run.args.count("repeatable")) return new_repeatable(run, *name);
        if (run.args.count("checkpoint")) return new_checkpoint(run, *name);
        new_pair(run, *name);
      },
      [](const json& d, mig::Format) { return render(d); });
}
