// mig-seed: load seed data scripts from seeds/.
#include <cstdlib>
#include <sstream>

#include "cli/cli.hpp"
#include "pg/db.hpp"
#include "engine/seed.hpp"

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-seed", "Load seed data scripts from seeds/, each once, in name order.", "[options]"};
  spec.locking = true;
  spec.epilog =
      "Each seed runs in one transaction with its row in <schema>.seed_history (name, checksum). A seed\n"
      "already applied is skipped; one whose file changed runs again only with --rerun-changed.\n"
      "Exit 5 when a seed fails (rolled back whole), 3 for an unreadable seeds folder.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("seeds", "seeds folder (env MIG_SEEDS_DIR, mig.json seeds_dir; default ./seeds)", cxxopts::value<std::string>(), "DIR")
            ("rerun-changed", "run seeds whose file changed since they were applied");
      },
      [](mig::ToolRun& run) {
        mig::SeedOptions options;
        options.dir = run.config.seeds_dir;
        options.rerun_changed = run.args.count("rerun-changed") > 0;
        auto db = run.connect();
        mig::MigratorContext ctx = run.migrator_context(*db);
        run.data = mig::apply_seeds(ctx, options);
      },
      [](const nlohmann::json& d, mig::Format) {
        std::ostringstream out;
        for (const auto& s : d["seeded"]) out << "  seeded     " << s["name"].get<std::string>() << "  " << s["duration_ms"] << " ms\n";
        for (const auto& s : d["unchanged"]) out << "  unchanged  " << s.get<std::string>() << "\n";
        for (const auto& s : d["changed_skipped"]) out << "  CHANGED    " << s.get<std::string>() << " (not run; --rerun-changed)\n";
        return out.str();
      });
}
