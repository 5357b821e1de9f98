// What every mig binary shares: common flags, config, logging, --from, the
// result document, and turning errors into exit codes. A tool's main() is
// run_tool(spec, its own flags, its body, its text view).
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cxxopts.hpp>

#include "cli/config.hpp"
#include "cli/output.hpp"

namespace mig {

class Database;

struct ToolSpec {
  ToolSpec(std::string n, std::string s, std::string u) : name(std::move(n)), summary(std::move(s)), usage(std::move(u)) {}
  std::string name;
  std::string summary;
  std::string usage;          // after the tool name in --help, e.g. "[options] NAME"
  bool database = true;       // --dsn, --schema, --table
  bool locking = false;       // --lock-wait, --lock-timeout, --statement-timeout, --retries
  bool takes_command = false;  // arguments after "--" are a command to run (mig-start-prod)
  bool backfills = false;      // --batch-time, --max-replica-lag, --max-rows-per-second (it runs backfills)
  // mig-fleet: --dir, --schema, --table and --events belong to the tool it runs. They are
  // declared (so the tool can say "put it after --") but left out of --help.
  bool runs_tools = false;
  bool upstream = true;        // --from FILE reads upstream result documents (mig-import's --from is its own)
  std::vector<std::string> formats = {"text", "json"};
  std::string epilog;         // extra --help text
};

class ToolRun {
 public:
  ToolRun(const ToolSpec& spec, const cxxopts::ParseResult& args, Config config, Output& output);

  const ToolSpec& spec;
  const cxxopts::ParseResult& args;
  Config config;
  Output& output;
  nlohmann::json data = nlohmann::json::object();
  // A finding that is not an exception (status --check found pending): ok:false with this exit code.
  std::optional<Error> finding;
  // The upstream result documents read with --from, oldest first.
  std::vector<nlohmann::json> upstream;
  // A connection the body is done with, closed only once the result is printed:
  // the server's work on the disconnect then no longer competes with printing.
  std::unique_ptr<Database> close_after_output;

  // Connects as this tool (application_name), recording where in the document.
  std::unique_ptr<Database> connect();
  MigratorContext migrator_context(Database& db);

  // A whole-number flag (--steps, --jobs, ...): exit 2 naming the flag when it is not one.
  std::optional<int> whole_number(const std::string& name) const;

  template <typename T>
  std::optional<T> flag(const std::string& name) const {
    if (!args.count(name)) return std::nullopt;
    return args[name].as<T>();
  }
};

using ToolOptions = std::function<void(cxxopts::Options&)>;
using ToolBody = std::function<void(ToolRun&)>;

int run_tool(int argc, char** argv, const ToolSpec& spec, const ToolOptions& add_options, const ToolBody& body,
             const TextRenderer& render);

}  // namespace mig
