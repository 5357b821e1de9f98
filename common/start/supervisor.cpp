#include "start/supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>

#include "base/errors.hpp"
#include "base/log.hpp"
#include "base/process.hpp"

namespace mig {
namespace {

using Clock = std::chrono::steady_clock;

sigset_t supervisor_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, sig);
  return set;
}

int exit_status_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

class Workers {
 public:
  Workers(const SupervisorOptions& o, const std::function<void(const std::string&, int, int)>& on_event)
      : options_(o), on_event_(on_event) {}

  void start(int id) {
    auto env = options_.env;
    env["WORKER_ID"] = std::to_string(id);
    const int pid = spawn_child(options_.command, env);
    pids_[pid] = id;
    log::info("worker ", id, " started (pid ", pid, ")");
    if (on_event_) on_event_("worker_started", id, 0);
  }

  // Each worker leads its own process group: signal the group, so a shell
  // worker's children hear it too.
  void signal_all(int sig) {
    for (const auto& [pid, id] : pids_) kill(-pid, sig);
  }

  bool empty() const { return pids_.empty(); }

  // Reaps every child that ended; returns (worker id, exit status) pairs.
  std::vector<std::pair<int, int>> reap() {
    std::vector<std::pair<int, int>> ended;
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      auto it = pids_.find(pid);
      if (it == pids_.end()) continue;
      ended.emplace_back(it->second, exit_status_of(status));
      kill(-pid, SIGKILL);  // whatever the worker left running in its group: no orphans
      pids_.erase(it);
    }
    return ended;
  }

 private:
  const SupervisorOptions& options_;
  const std::function<void(const std::string&, int, int)>& on_event_;
  std::map<int, int> pids_;  // pid -> worker id
};

}  // namespace

void block_supervisor_signals() {
  const sigset_t set = supervisor_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

StopUntilWorkersRun::StopUntilWorkersRun(std::function<void(int signal)> on_signal)
    : watcher_([this, on_signal = std::move(on_signal)] {
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGINT);
        while (!done_) {
          timespec tick{0, 100'000'000};
          const int sig = sigtimedwait(&stop, nullptr, &tick);
          if (sig == SIGTERM || sig == SIGINT) {
            log::warn("received signal ", sig, " before the workers started: stopping now");
            if (on_signal) on_signal(sig);
          }
        }
      }) {}

StopUntilWorkersRun::~StopUntilWorkersRun() {
  done_ = true;
  watcher_.join();
}

int supervise(const SupervisorOptions& o, const std::function<void(const std::string&, int, int)>& on_event) {
  Workers workers(o, on_event);
  for (int id = 1; id <= o.workers; ++id) workers.start(id);
  const sigset_t waited = supervisor_signals();
  std::map<int, int> failures;                      // worker id -> consecutive failures
  std::map<int, Clock::time_point> restart_at;      // worker id -> when to restart it
  bool stopping = false;
  int result = 0;
  Clock::time_point kill_at{};
  int running = o.workers;

  while (running > 0 || !restart_at.empty()) {
    timespec tick{0, 200'000'000};
    siginfo_t info{};
    const int sig = sigtimedwait(&waited, &info, &tick);
    if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
      workers.signal_all(sig);
      if (sig != SIGHUP && !stopping) {
        log::info("received signal ", sig, ": stopping workers (grace ", format_duration(o.grace), ")");
        stopping = true;
        restart_at.clear();
        kill_at = Clock::now() + o.grace;
      }
    }
    for (const auto& [id, status] : workers.reap()) {
      --running;
      if (on_event) on_event("worker_exited", id, status);
      log::at(status == 0 || stopping ? log::Level::info : log::Level::warn, "worker ", id, " exited with ", status);
      if (stopping) continue;
      if (o.restart_on_failure && status != 0) {
        const int n = ++failures[id];
        const auto backoff = std::chrono::milliseconds(std::min(30'000, 250 << std::min(n, 7)));
        restart_at[id] = Clock::now() + backoff;
        log::warn("restarting worker ", id, " in ", backoff.count(), " ms");
      } else if (!o.restart_on_failure) {
        // Without a restart policy the wrapper ends with the first worker: stop the rest.
        result = status;
        stopping = true;
        workers.signal_all(SIGTERM);
        kill_at = Clock::now() + o.grace;
      }
    }
    for (auto it = restart_at.begin(); it != restart_at.end();) {
      if (Clock::now() < it->second) {
        ++it;
        continue;
      }
      workers.start(it->first);
      ++running;
      it = restart_at.erase(it);
    }
    if (stopping && !workers.empty() && Clock::now() >= kill_at) {
      log::warn("grace period over: killing the remaining workers");
      workers.signal_all(SIGKILL);
      kill_at = Clock::time_point::max();
    }
  }
  return result;
}

}  // namespace mig
