// mig-fleet's scheduler: one child run of a mig tool per target, canaries
// first and alone, then at most `parallel` at a time, stopping on the first
// failure unless told to continue.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fleet/targets.hpp"

namespace mig {

struct FleetOptions {
  std::vector<std::string> command;  // the tool (a path) and its arguments
  int parallel = 4;
  int canary = 0;                    // the first N targets (besides group "canary") run first, alone
  bool continue_on_error = false;
  std::optional<std::chrono::milliseconds> timeout;  // per target: then SIGTERM, exit 6
  std::string stdin_text;            // upstream documents for `--from -` children
};

struct TargetOutcome {
  const Target* target = nullptr;
  int exit_code = 0;
  bool timed_out = false;
  bool interrupted = false;
  bool canary = false;
  std::size_t still_running = 0;  // other targets running when this one finished
  std::chrono::milliseconds duration{0};
  nlohmann::json result;  // the child's result document, or null
  std::string stderr_tail;
};

struct FleetRun {
  std::vector<TargetOutcome> finished;  // in the order they finished
  std::vector<const Target*> skipped;   // never started
};

// `on_finish` is called once per finished target, one call at a time.
// `stop` is polled: a non-zero signal stops new starts and is forwarded.
FleetRun run_fleet(const std::vector<Target>& targets, const FleetOptions& options,
                   const std::function<void(const TargetOutcome&)>& on_finish, const std::function<int()>& stop);

// The last line of a tool's stdout that is a mig result document, or null.
nlohmann::json last_result_document(const std::string& stdout_text);

}  // namespace mig
