// mig-new: create the up/down pair for a new migration.
#include <ctime>
#include <filesystem>
#include <fstream>

#include "cli/cli.hpp"
#include "engine/migration_set.hpp"

namespace fs = std::filesystem;

namespace {

void write_new_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw mig::Error(mig::ExitCode::invalid_input, "unwritable", path.string() + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-new", "Create migrations/<UTC yyyymmddHHMMSS>_<name>.up.sql and .down.sql.", "[options] NAME"};
  spec.database = false;
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()("name", "migration name, [A-Za-z0-9_-]+", cxxopts::value<std::string>());
        o.parse_positional({"name"});
      },
      [](mig::ToolRun& run) {
        const auto name = run.flag<std::string>("name");
        if (!name) throw mig::usage_error("missing NAME (e.g. mig-new add_orders_table)");
        if (const auto problem = mig::new_migration_name_problem(*name)) throw mig::usage_error(*problem);
        const std::string& dir = run.config.dir;
        fs::create_directories(dir);
        const std::string version = mig::next_free_version(dir, std::time(nullptr));
        const fs::path up = fs::path(dir) / (version + "_" + *name + ".up.sql");
        const fs::path down = fs::path(dir) / (version + "_" + *name + ".down.sql");
        write_new_file(up, "-- " + *name + ": the change.\n-- Directives go here, e.g. -- mig:lock-timeout 10s\n\n");
        write_new_file(down, "-- " + *name + ": undo the change.\n\n");
        run.data = {{"version", version}, {"name", *name}, {"up", up.string()}, {"down", down.string()}};
      },
      [](const nlohmann::json& d, mig::Format) {
        return "created " + d["up"].get<std::string>() + "\ncreated " + d["down"].get<std::string>() + "\n";
      });
}
