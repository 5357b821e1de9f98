#include "fleet/fleet.hpp"

#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/errors.hpp"
#include "base/process.hpp"
#include "cli/upstream.hpp"

namespace mig {
namespace {

class Scheduler {
 public:
  Scheduler(const FleetOptions& options, const std::function<void(const TargetOutcome&)>& on_finish,
            const std::function<int()>& stop)
      : options_(options), on_finish_(on_finish), stop_(stop) {}

  // Runs `targets` with up to `workers` at a time; false once the fleet must stop.
  bool run(const std::vector<const Target*>& targets, int workers, bool canary) {
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (;;) {
        if (halted()) return;
        const std::size_t i = next.fetch_add(1);
        if (i >= targets.size()) return;
        ++running_;
        TargetOutcome outcome = run_one(*targets[i], canary);
        outcome.still_running = --running_;
        finish(outcome);
      }
    };
    std::vector<std::thread> threads;
    const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(workers), targets.size());
    for (std::size_t t = 1; t < count; ++t) threads.emplace_back(work);
    if (count > 0) work();
    for (std::thread& t : threads) t.join();
    for (std::size_t i = std::min(next.load(), targets.size()); i < targets.size(); ++i) {
      run_.skipped.push_back(targets[i]);
    }
    return !halted();
  }

  void skip(const std::vector<const Target*>& targets) {
    for (const Target* t : targets) run_.skipped.push_back(t);
  }

  bool failed() const { return failed_; }
  FleetRun take() { return std::move(run_); }

 private:
  bool halted() {
    if (stop_ && stop_()) return true;
    return failed_ && (!options_.continue_on_error || canary_failed_);
  }

  TargetOutcome run_one(const Target& target, bool canary) {
    CapturedSpec spec;
    spec.argv = options_.command;
    spec.argv.insert(spec.argv.end(), target.args.begin(), target.args.end());
    spec.extra_env["DATABASE_URL"] = target.dsn;
    spec.stdin_text = options_.stdin_text;
    spec.timeout = options_.timeout;
    const CapturedOutcome child = run_captured(spec, stop_);
    TargetOutcome outcome;
    outcome.target = &target;
    outcome.canary = canary;
    outcome.timed_out = child.timed_out;
    outcome.interrupted = child.interrupted;
    outcome.duration = child.duration;
    outcome.result = last_result_document(child.stdout_text);
    outcome.stderr_tail = child.stderr_tail;
    outcome.exit_code = child.timed_out ? exit_status(ExitCode::lock_unavailable) : child.exit_code;
    return outcome;
  }

  void finish(const TargetOutcome& outcome) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (outcome.exit_code != 0) {
      failed_ = true;
      canary_failed_ = canary_failed_ || outcome.canary;
    }
    run_.finished.push_back(outcome);
    on_finish_(run_.finished.back());
  }

  const FleetOptions& options_;
  const std::function<void(const TargetOutcome&)>& on_finish_;
  const std::function<int()>& stop_;
  std::mutex mutex_;
  std::atomic<bool> failed_{false};
  std::atomic<bool> canary_failed_{false};
  std::atomic<std::size_t> running_{0};
  FleetRun run_;
};

}  // namespace

nlohmann::json last_result_document(const std::string& stdout_text) {
  std::istringstream in(stdout_text);
  std::vector<nlohmann::json> documents = result_documents_in(in);
  return documents.empty() ? nlohmann::json() : std::move(documents.back());
}

FleetRun run_fleet(const std::vector<Target>& targets, const FleetOptions& options,
                   const std::function<void(const TargetOutcome&)>& on_finish, const std::function<int()>& stop) {
  std::vector<const Target*> canaries, rest;
  int by_count = options.canary;
  for (const Target& t : targets) {
    if (t.group == "canary") {
      canaries.push_back(&t);
    } else if (by_count > 0) {
      canaries.push_back(&t);
      --by_count;
    } else {
      rest.push_back(&t);
    }
  }
  Scheduler scheduler(options, on_finish, stop);
  if (scheduler.run(canaries, 1, true)) {
    scheduler.run(rest, options.parallel, false);
  } else {
    scheduler.skip(rest);
  }
  return scheduler.take();
}

}  // namespace mig
