// mig-fleet [options] -- TOOL [ARGS...]: one mig tool over many databases.
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <sstream>

#include "base/process.hpp"
#include "cli/cli.hpp"
#include "pg/db.hpp"
#include "base/duration.hpp"
#include "fleet/fleet.hpp"
#include "fleet/shard.hpp"
#include "base/interrupt.hpp"
#include "cli/upstream.hpp"

namespace {

using nlohmann::json;

// TOOL next to mig-fleet first (an unpacked package, a build folder), then PATH.
std::string resolve_tool(const std::string& tool) {
  if (auto found = mig::find_program(tool, true)) return *found;
  throw mig::usage_error(tool + (tool.find('/') != std::string::npos ? ": not an executable file"
                                                                     : ": not found next to mig-fleet or in PATH"));
}

// Children must print their result document as JSON and reach their own
// target (a --dsn would send every child to one database); `--from -` means
// they read the upstream documents the fleet reads from its own stdin.
bool reads_stdin(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--dsn" || args[i].rfind("--dsn=", 0) == 0) {
      throw mig::usage_error("--dsn after -- would send every target's tool to one database: each target's DSN "
                             "reaches its tool as DATABASE_URL");
    }
    if (args[i] == "--from=-" || (args[i] == "--from" && i + 1 < args.size() && args[i + 1] == "-")) return true;
    if ((args[i] == "--format" && i + 1 < args.size() && args[i + 1] != "json") ||
        (args[i].rfind("--format=", 0) == 0 && args[i] != "--format=json")) {
      throw mig::usage_error("the tool's --format must be json (mig-fleet reads each result document)");
    }
  }
  return false;
}

int bounded_number(const mig::ToolRun& run, const std::string& name, int fallback, int low, int high) {
  const int n = run.whole_number(name).value_or(fallback);
  if (n < low || n > high) {
    throw mig::usage_error("--" + name + " must be between " + std::to_string(low) + " and " + std::to_string(high));
  }
  return n;
}

mig::FleetOptions fleet_options(const mig::ToolRun& run) {
  for (const char* theirs : {"dir", "schema", "table", "events"}) {
    if (run.args.count(theirs)) {
      throw mig::usage_error(std::string("--") + theirs + " is the tool's option: put it after -- (mig-fleet -- TOOL --" +
                             theirs + " ...), or per target in a JSON targets file's \"args\"");
    }
  }
  mig::FleetOptions o;
  o.command = run.args.unmatched();
  if (o.command.empty()) throw mig::usage_error("missing the tool to run: mig-fleet [options] -- TOOL [ARGS...]");
  o.command[0] = resolve_tool(o.command[0]);
  o.parallel = bounded_number(run, "parallel", 4, 1, 1000);
  o.canary = bounded_number(run, "canary", 0, 0, 1000000);
  const std::string on_error = run.flag<std::string>("on-error").value_or("stop");
  if (on_error != "stop" && on_error != "continue") throw mig::usage_error("--on-error takes stop or continue");
  o.continue_on_error = on_error == "continue";
  if (auto t = run.flag<std::string>("timeout")) o.timeout = mig::parse_duration(*t, "--timeout");
  if (run.args.count("targets") == run.args.count("targets-query")) {
    throw mig::usage_error("give exactly one of --targets FILE and --targets-query SQL");
  }
  return o;
}

std::vector<mig::Target> load_targets(mig::ToolRun& run) {
  std::vector<mig::Target> targets;
  std::string source;
  if (auto file = run.flag<std::string>("targets")) {
    targets = mig::read_targets_file(*file);
    source = *file;
  } else {
    auto registry = run.connect();
    targets = mig::query_targets(*registry, *run.flag<std::string>("targets-query"));
    source = "--targets-query";
  }
  mig::require_usable(targets, source);
  return targets;
}

// Reads the upstream documents the children will get; a failed upstream starts nothing.
std::string upstream_for_children(mig::ToolRun& run) {
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  std::istringstream in(text);
  run.upstream = mig::parse_upstream(in, "stdin");
  run.output.upstream = mig::flatten_upstream(run.upstream);
  mig::require_upstream_ok(run.upstream);
  return text;
}

json outcome_line(const mig::TargetOutcome& o) {
  json line = {{"target", o.target->name}, {"group", o.target->group}, {"exit_code", o.exit_code},
               {"duration_ms", o.duration.count()}, {"result", o.result}};
  if (o.timed_out) line["timed_out"] = true;
  if (o.interrupted) line["interrupted"] = true;
  if (o.exit_code != 0 && o.result.is_null() && !o.stderr_tail.empty()) line["stderr"] = o.stderr_tail;
  return line;
}

std::string failure_message(const mig::TargetOutcome& o) {
  if (o.timed_out) return "ran out of --timeout";
  if (o.interrupted) return "interrupted";
  if (o.result.is_object() && o.result.contains("error") && o.result["error"].is_object()) {
    return o.result["error"].value("message", "");
  }
  std::string tail = o.stderr_tail;
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  return tail.substr(tail.rfind('\n') == std::string::npos ? 0 : tail.rfind('\n') + 1);
}

class Progress {
 public:
  Progress(std::size_t total, mig::Format format) : total_(total), format_(format), terminal_(isatty(STDERR_FILENO)) {}

  void finished(const mig::TargetOutcome& o) {
    ++done_;
    if (o.exit_code != 0) ++failed_;
    if (format_ == mig::Format::json) {
      std::cout << outcome_line(o).dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
    } else {
      std::cout << (o.exit_code == 0 ? "  ok    " : "  FAIL  ") << o.target->name << "  exit " << o.exit_code << "  "
                << o.duration.count() << " ms" << (o.exit_code ? "  " + failure_message(o) : "") << '\n'
                << std::flush;
    }
    if (terminal_) {
      std::fprintf(stderr, "\r%zu/%zu done, %zu failed, %zu running   ", done_, total_, failed_, o.still_running);
      if (done_ == total_) std::fputc('\n', stderr);
      std::fflush(stderr);
    }
  }

 private:
  std::size_t total_, done_ = 0, failed_ = 0;
  mig::Format format_;
  bool terminal_;
};

void fleet(mig::ToolRun& run) {
  mig::FleetOptions options = fleet_options(run);
  const std::optional<mig::Shard> shard =
      mig::shard_from_flags(run.flag<std::string>("shard"), run.flag<std::string>("shards"), std::getenv("JOB_COMPLETION_INDEX"));
  const bool pipe = reads_stdin(options.command);
  if (pipe) options.stdin_text = upstream_for_children(run);
  const std::vector<mig::Target> all = load_targets(run);
  const std::vector<mig::Target> targets = shard ? mig::in_shard(all, *shard) : all;

  Progress progress(targets.size(), run.output.format());
  const auto on_finish = [&](const mig::TargetOutcome& o) { progress.finished(o); };
  const auto stop = [] { return mig::interrupt_signal(); };
  const mig::FleetRun result = mig::run_fleet(targets, options, on_finish, stop);

  json by_code = json::object(), failed = json::array(), skipped = json::array(), interrupted = json::array();
  std::optional<int> first_failure;
  for (const mig::TargetOutcome& o : result.finished) {
    by_code[std::to_string(o.exit_code)] = by_code.value(std::to_string(o.exit_code), 0) + 1;
    if (o.interrupted) interrupted.push_back(o.target->name);
    if (o.exit_code == 0) continue;
    if (!first_failure) first_failure = o.exit_code;
    failed.push_back({{"target", o.target->name}, {"group", o.target->group}, {"exit_code", o.exit_code},
                      {"message", failure_message(o)}});
  }
  for (const mig::Target* t : result.skipped) skipped.push_back(t->name);
  run.data = {{"targets", targets.size()}, {"finished", result.finished.size()}, {"exit_codes", by_code},
              {"failed", failed}, {"skipped", skipped}, {"interrupted", interrupted}};
  if (shard) run.data["shard"] = {{"index", shard->index}, {"count", shard->count}, {"of_targets", all.size()}};
  if (const int sig = mig::interrupt_signal()) {
    run.finding = mig::Error(mig::ExitCode::interrupted, "interrupted",
                             "stopped by signal " + std::to_string(sig) + ": " + std::to_string(interrupted.size()) +
                                 " target(s) interrupted, " + std::to_string(skipped.size()) + " not started");
  } else if (first_failure) {
    run.finding = mig::Error(static_cast<mig::ExitCode>(*first_failure), "targets_failed",
                             std::to_string(failed.size()) + " of " + std::to_string(targets.size()) +
                                 " target(s) failed, " + std::to_string(skipped.size()) + " not started");
  }
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  if (d.contains("shard")) {
    out << "shard " << d["shard"]["index"] << " of " << d["shard"]["count"] << ": " << d.value("targets", 0) << " of "
        << d["shard"]["of_targets"] << " target(s)\n";
  }
  out << d.value("finished", 0) << " of " << d.value("targets", 0) << " target(s) ran, " << d["failed"].size()
      << " failed, " << d["skipped"].size() << " not started\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a child that exits without reading its stdin
  mig::handle_interrupts();
  mig::ToolSpec spec{"mig-fleet", "Runs one mig tool over many databases: canaries first, a bounded number at a time.",
                     "[options] -- TOOL [ARGS...]"};
  spec.takes_command = true;
  spec.runs_tools = true;
  spec.epilog =
      "Each target runs TOOL [ARGS] [the target's args] with DATABASE_URL set to its DSN (never argv).\n"
      "TOOL is looked up next to mig-fleet, then in PATH. stdout: one NDJSON line per target as it\n"
      "finishes ({target, group, exit_code, duration_ms, result}), then the fleet's result document.\n"
      "Targets: --targets FILE (a DSN per line, or a JSON array of {name, dsn, group, args}) or\n"
      "--targets-query SQL on --dsn (rows: name, dsn[, group]). Canaries (--canary N, group \"canary\")\n"
      "run first, one at a time; a canary failure starts nothing else. `--from -` among ARGS: the fleet\n"
      "reads the upstream documents from its stdin once and hands them to every child; a failed upstream\n"
      "starts nothing. SIGTERM/SIGINT: no new target starts, running ones get the signal, exit 128+signal.\n"
      "Shards (--shard I/N, or --shards N with JOB_COMPLETION_INDEX): a target is in shard\n"
      "FNV-1a-64(name) mod N, so N pods with the same targets cover each exactly once.\n"
      "Exit 0 when every target exited 0, else the first failing target's code (6 for --timeout).";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()
            ("targets", "targets file: a DSN per line, or a JSON array of {name, dsn, group, args}", cxxopts::value<std::string>(), "FILE")
            ("targets-query", "SQL run on --dsn returning name, dsn[, group] (a tenant registry)", cxxopts::value<std::string>(), "SQL")
            ("parallel", "at most N targets at a time (default 4)", cxxopts::value<std::string>(), "N")
            ("canary", "run the first N targets first, one at a time; a failure there stops the fleet", cxxopts::value<std::string>(), "N")
            ("on-error", "stop (default: no new target starts after a failure) or continue", cxxopts::value<std::string>(), "WHAT")
            ("timeout", "per target, e.g. 5min: then the tool is stopped (SIGTERM) and the target exits 6", cxxopts::value<std::string>(), "D")
            ("shard", "run only shard I of N (0-based): the targets whose name hashes to I", cxxopts::value<std::string>(), "I/N")
            ("shards", "N shards, this one's index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)", cxxopts::value<std::string>(), "N");
      },
      fleet, render);
}
