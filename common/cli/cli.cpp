#include "cli/cli.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "pg/db.hpp"
#include "base/log.hpp"
#include "cli/upstream.hpp"
#include "cli/version.hpp"

namespace mig {
namespace {

// Flags declared only to be refused with a hint (mig-fleet's tool's flags); never in --help.
constexpr const char* kToolsOwnGroup = "Tool's own";

void add_common_options(cxxopts::Options& options, const ToolSpec& spec) {
  std::string formats;
  for (const auto& f : spec.formats) formats += (formats.empty() ? "" : "|") + f;
  options.add_options("Output")
      ("h,help", "show this help and exit")
      ("version", "print the version and exit")
      ("v,verbose", "more log detail on stderr (repeat for trace)")
      ("q,quiet", "only warnings and errors on stderr")
      ("format", formats + " (default: text on a terminal, json otherwise)", cxxopts::value<std::string>(), "FORMAT")
      ("config", "config file (default ./mig.json when present)", cxxopts::value<std::string>(), "FILE");
  if (spec.upstream) {
    options.add_options("Output")
        ("from", "read upstream mig result documents from FILE, or - for stdin", cxxopts::value<std::string>(), "FILE");
  }
  const std::string tools_own = spec.runs_tools ? kToolsOwnGroup : "";
  options.add_options(tools_own.empty() ? "Output" : tools_own)
      ("events", "write NDJSON progress events to stdout before the result");
  options.add_options(tools_own.empty() ? "Migrations" : tools_own)
      ("dir", "migrations folder (env MIG_DIR; default ./migrations)", cxxopts::value<std::string>(), "DIR");
  if (spec.database) {
    options.add_options("Database")
        ("dsn", "connection string, URI or key=value (env DATABASE_URL, else libpq's PG* variables)",
         cxxopts::value<std::string>(), "DSN");
    options.add_options(tools_own.empty() ? "Database" : tools_own)
        ("schema", "schema of the history table (default public)", cxxopts::value<std::string>(), "NAME")
        ("table", "history table (default migration_history)", cxxopts::value<std::string>(), "NAME");
  }
  if (spec.locking) {
    options.add_options("Locking")
        ("lock-wait", "how long to wait for the migration lock (default 10min)", cxxopts::value<std::string>(), "D")
        ("lock-timeout", "lock_timeout for each migration (default 1s: readers queue behind a waiting lock)", cxxopts::value<std::string>(), "D")
        ("statement-timeout", "statement_timeout for each migration (default none)", cxxopts::value<std::string>(), "D")
        ("retries", "retries after a lock timeout or deadlock, backing off 1s, 2s, 4s ... 30s (default 10)", cxxopts::value<std::string>(), "N");
  }
}

void add_backfill_options(cxxopts::Options& options) {
  options.add_options("Backfills")
      ("batch-time", "target time of one backfill batch (default 200ms; a file's -- mig:batch-time wins)", cxxopts::value<std::string>(), "D")
      ("max-replica-lag", "pause backfills while a standby's replay is further behind (default 10s)", cxxopts::value<std::string>(), "D")
      ("max-rows-per-second", "cap on the keys a backfill goes through per second (default none)", cxxopts::value<std::string>(), "N");
}

void set_up_logging(const ToolSpec& spec, const cxxopts::ParseResult& args) {
  const auto verbose = args.count("verbose");
  log::set_up(spec.name, args.count("quiet") ? log::Level::warn
                         : verbose >= 2      ? log::Level::trace
                         : verbose == 1      ? log::Level::debug
                                             : log::Level::info);
}

ConfigFlags config_flags(const cxxopts::ParseResult& args) {
  ConfigFlags f;
  const auto take = [&](const char* name, std::optional<std::string>& into) {
    if (args.count(name)) into = args[name].as<std::string>();
  };
  take("dsn", f.dsn);
  take("dir", f.dir);
  take("schema", f.schema);
  take("table", f.table);
  take("lock-wait", f.lock_wait);
  take("lock-timeout", f.lock_timeout);
  take("statement-timeout", f.statement_timeout);
  take("retries", f.retries);
  take("config", f.config_file);
  // Tool-specific folder flags (count() is 0 for a flag the tool does not declare).
  take("schema-dir", f.schema_dir);
  take("backup-dir", f.backup_dir);
  take("seeds", f.seeds_dir);
  take("batch-time", f.batch_time);
  take("max-replica-lag", f.max_replica_lag);
  take("max-rows-per-second", f.max_rows_per_second);
  return f;
}

// CONTRACT §2: no password in a process title. ps reads this process's argv
// memory, so a --dsn value is masked there once it has been parsed.
void mask_dsn_passwords_in_argv(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return;
    std::string dsn;
    char* value = nullptr;
    if (arg == "--dsn" && i + 1 < argc) {
      value = argv[++i];
      dsn = value;
    } else if (arg.rfind("--dsn=", 0) == 0) {
      value = argv[i];
      dsn = arg.substr(6);
    }
    if (!value) continue;
    try {
      mask_password_in_place(value, dsn);
    } catch (const Error&) {  // a DSN libpq cannot parse: its parts are unknown; mask it whole
      for (char* c = value + (value == argv[i] && arg != "--dsn" ? 6 : 0); *c; ++c) *c = '*';
    }
  }
}

// The format is needed even to report a usage error, so it is found first.
Format format_from_argv(int argc, char** argv, const ToolSpec& spec) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--format") {
      try {
        return parse_format(argv[i + 1], spec.formats);
      } catch (const Error&) {
      }
    }
  }
  return default_format();
}

// A positional nobody declared would be ignored: refuse it. Only a tool that runs
// a command takes what follows "--".
void require_no_stray_arguments(int argc, char** argv, const ToolSpec& spec, const cxxopts::ParseResult& args) {
  std::size_t after_dashes = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      after_dashes = static_cast<std::size_t>(argc - i - 1);
      break;
    }
  }
  const std::size_t allowed = spec.takes_command ? after_dashes : 0;
  if (args.unmatched().size() > allowed) {
    throw usage_error("unexpected argument '" + args.unmatched().front() + "'" +
                      (spec.takes_command ? " before --" : "") + " (see --help)");
  }
}

std::string help_text(cxxopts::Options& options, const ToolSpec& spec) {
  std::string text = options.help({"", "Options", "Output", "Migrations", "Database", "Locking", "Backfills"});
  if (!spec.epilog.empty()) text += "\n" + spec.epilog + "\n";
  return text;
}

int finish(Output& output, nlohmann::json data, const std::optional<Error>& error, const TextRenderer& render) {
  const ExitCode code = error ? error->code() : ExitCode::ok;
  output.print(output.document(std::move(data), error, code), render);
  return exit_status(code);
}

}  // namespace

ToolRun::ToolRun(const ToolSpec& s, const cxxopts::ParseResult& a, Config c, Output& o)
    : spec(s), args(a), config(std::move(c)), output(o) {}

std::unique_ptr<Database> ToolRun::connect() {
  const DatabaseAddress where = describe_dsn(config.dsn);
  output.database = {{"host", where.host}, {"port", where.port}, {"dbname", where.dbname}};
  auto db = Database::connect(config.dsn, spec.name);
  const DatabaseAddress actual = db->address();
  output.database = {{"host", actual.host}, {"port", actual.port}, {"dbname", actual.dbname}};
  return db;
}

std::optional<int> ToolRun::whole_number(const std::string& name) const {
  if (!args.count(name)) return std::nullopt;
  const std::string text = args[name].as<std::string>();
  try {
    std::size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size()) return n;
  } catch (const std::exception&) {
  }
  throw usage_error("--" + name + ": '" + text + "' is not a whole number");
}

MigratorContext ToolRun::migrator_context(Database& db) {
  const std::string dsn = config.dsn;
  const std::string app = spec.name + "-watch";
  Output* out = &output;
  return MigratorContext{db, config.table, config.timeouts,
                         [dsn, app] { return Database::connect(dsn, app); },
                         [out](const std::string& event, const nlohmann::json& fields) { out->event(event, fields); },
                         config.backfill, true, config.session_pooler};
}

int run_tool(int argc, char** argv, const ToolSpec& spec, const ToolOptions& add_options, const ToolBody& body,
             const TextRenderer& render) {
  Output output(spec.name, format_from_argv(argc, argv, spec), false);
  cxxopts::Options options(spec.name, spec.summary);
  options.custom_help(spec.usage.empty() ? "[options]" : spec.usage);
  options.positional_help("");  // spec.usage already names the positional arguments
  try {
    add_common_options(options, spec);
    if (spec.backfills) add_backfill_options(options);
    if (add_options) add_options(options);
    const cxxopts::ParseResult args = options.parse(argc, argv);
    mask_dsn_passwords_in_argv(argc, argv);
    if (args.count("help")) {
      std::cout << help_text(options, spec);
      return 0;
    }
    if (args.count("version")) {
      std::cout << spec.name << " " << version_line() << '\n';
      return 0;
    }
    require_no_stray_arguments(argc, argv, spec, args);
    set_up_logging(spec, args);
    const Format format = args.count("format") ? parse_format(args["format"].as<std::string>(), spec.formats)
                                               : default_format();
    output = Output(spec.name, format, args.count("events") > 0);
    ToolRun run(spec, args, resolve_config(config_flags(args)), output);
    try {
      if (spec.upstream && args.count("from")) {
        run.upstream = read_upstream(args["from"].as<std::string>());
        output.upstream = flatten_upstream(run.upstream);
        require_upstream_ok(run.upstream);
      }
      body(run);
      return finish(output, std::move(run.data), run.finding, render);
    } catch (const Error& e) {
      return finish(output, std::move(run.data), e, render);
    }
  } catch (const cxxopts::exceptions::exception& e) {
    return finish(output, nullptr, usage_error(std::string(e.what()) + " (see --help)"), nullptr);
  } catch (const Error& e) {
    return finish(output, nullptr, e, render);
  } catch (const std::exception& e) {
    return finish(output, nullptr, Error(ExitCode::internal, "internal", e.what()), render);
  }
}

}  // namespace mig
