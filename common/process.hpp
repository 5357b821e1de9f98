// Running external programs (pg_dump, pg_restore). The only place that
// includes Boost.Process. Children get secrets through their environment,
// never their argv.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mig {

struct ProcessSpec {
  std::string program;  // a path, or a name looked up in PATH
  std::vector<std::string> args;
  std::map<std::string, std::string> extra_env;  // added to (or replacing in) our environment
  std::optional<std::string> stdout_path;        // else stdout is discarded
};

struct ProcessOutcome {
  int exit_code = 0;
  bool signaled = false;  // killed by a signal (exit_code then holds the signal number)
  int pid = 0;
  std::string stderr_text;  // the last ~4 KiB of what it printed on stderr
  bool ok() const { return !signaled && exit_code == 0; }
  std::string describe() const;
};

// Runs to completion; `tick` is called about every `interval` while it runs
// (progress reporting) with the child's pid.
ProcessOutcome run_process(const ProcessSpec& spec, const std::function<void(int pid)>& tick = {},
                           std::chrono::milliseconds interval = std::chrono::milliseconds(1000));

// Runs and returns stdout (for `pg_dump --version`); throws mig::Error (exit 8) on failure.
std::string process_output(const std::string& program, const std::vector<std::string>& args);

}  // namespace mig

namespace mig {

// Starts a long-running child (a worker): argv[0] looked up in PATH, our
// environment plus `extra_env`, signal mask and dispositions reset, in a
// process group of its own (the group id is its pid). Returns its pid; throws
// mig::Error (exit 8) when it cannot be started.
int spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env);

}  // namespace mig
