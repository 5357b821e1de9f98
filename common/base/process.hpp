// Running external programs: pg_dump and pg_restore, workers, the tools
// mig-fleet runs. The only place that includes Boost.Process, and one spawn
// core for every child (a process group of its own where it is signalled as
// one, death with mig where it must not outlive it, signals reset). Children
// get secrets through their environment, never their argv.
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
};  // stdin and stdout are /dev/null

struct ProcessOutcome {
  int exit_code = 0;
  bool signaled = false;  // killed by a signal (exit_code then holds the signal number)
  int pid = 0;
  std::string stderr_text;  // the last ~4 KiB of what it printed on stderr
  bool ok() const { return !signaled && exit_code == 0; }
  std::string describe() const;
};

// Runs to completion (it dies with mig); `tick` is called about every
// `interval` while it runs (progress reporting) with the child's pid.
ProcessOutcome run_process(const ProcessSpec& spec, const std::function<void(int pid)>& tick = {},
                           std::chrono::milliseconds interval = std::chrono::milliseconds(1000));

// Runs and returns stdout (for `pg_dump --version`); throws mig::Error (exit 8) on failure.
std::string process_output(const std::string& program, const std::vector<std::string>& args);

// The one program lookup: a name with a '/' as it is (when executable); else, with
// `beside_self`, next to this process's own executable first (an unpacked package,
// a build folder), then each folder of PATH. nullopt when none has it.
std::optional<std::string> find_program(const std::string& name, bool beside_self);

}  // namespace mig

namespace mig {

// Starts a long-running child (a worker): argv[0] looked up in PATH, our
// environment plus `extra_env`, signal mask and dispositions reset, in a
// process group of its own (the group id is its pid). Returns its pid; throws
// mig::Error (exit 8) when it cannot be started.
int spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env);

}  // namespace mig

namespace mig {

// One run of a mig tool for mig-fleet: stdin fed from `stdin_text`, stdout
// kept, stderr's tail kept, bounded by `timeout`, stopped when `stop` says so.
struct CapturedSpec {
  std::vector<std::string> argv;                 // argv[0]: a path, or a name looked up in PATH
  std::map<std::string, std::string> extra_env;  // e.g. DATABASE_URL (never argv: ps shows argv)
  std::string stdin_text;                        // empty: stdin is /dev/null
  std::optional<std::chrono::milliseconds> timeout;
  std::chrono::milliseconds grace{10000};  // after SIGTERM, before SIGKILL
};

struct CapturedOutcome {
  int exit_code = 0;        // the child's, or 128+signal when a signal ended it
  bool timed_out = false;   // the timeout ran out: it was sent SIGTERM
  bool interrupted = false; // `stop` returned a signal: it was forwarded
  int signal = 0;           // the signal that ended it, or 0
  int pid = 0;
  std::string stdout_text;
  std::string stderr_tail;  // the last ~4 KiB
  std::chrono::milliseconds duration{0};
};

// Runs to completion. `stop` is polled about every 100 ms: a non-zero signal
// number is forwarded to the child's process group, once.
CapturedOutcome run_captured(const CapturedSpec& spec, const std::function<int()>& stop = {});

}  // namespace mig
