// Runs and supervises the workers of mig-start-prod: forwards SIGTERM, SIGINT
// and SIGHUP, restarts crashed workers with backoff when asked, stops them
// with a grace period, and leaves no orphans.
#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "base/duration.hpp"

namespace mig {

struct SupervisorOptions {
  std::vector<std::string> command;
  int workers = 1;
  bool restart_on_failure = false;
  Duration grace = std::chrono::seconds(10);
  std::map<std::string, std::string> env;  // WORKER_ID is added per worker
};

// Blocks the signals the supervisor waits for. Call first thing in main(),
// before any thread starts, so only sigtimedwait() ever sees them.
void block_supervisor_signals();

// Until the workers run, SIGTERM or SIGINT calls `on_signal` (mig-start-prod ends
// the process at once with exit 128 + signal: no worker has started that needs a
// graceful stop, the server cancels a migration whose client is gone (see
// MigrationLock), and a running pg_dump dies with its parent). Those signals stay
// blocked for the supervisor, so a thread waits for them meanwhile. Destroy it
// before supervise().
class StopUntilWorkersRun {
 public:
  explicit StopUntilWorkersRun(std::function<void(int signal)> on_signal);
  ~StopUntilWorkersRun();
  StopUntilWorkersRun(const StopUntilWorkersRun&) = delete;
  StopUntilWorkersRun& operator=(const StopUntilWorkersRun&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread watcher_;
};

// Returns the exit status to leave with: a worker's code when one ended
// without a restart policy, 0 after a requested stop, 8 if a worker could not start.
int supervise(const SupervisorOptions& options, const std::function<void(const std::string& event, int worker, int code)>& on_event);

}  // namespace mig
