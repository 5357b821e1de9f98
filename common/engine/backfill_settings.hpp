// Run-wide settings of backfills (CONTRACT §12): flags, environment, mig.json.
#pragma once
#include <chrono>
#include <optional>

#include "base/duration.hpp"

namespace mig {

struct BackfillSettings {
  std::optional<Duration> batch_time;                 // --batch-time; a file's -- mig:batch-time wins; default 200ms
  Duration max_replica_lag = std::chrono::seconds(10);  // --max-replica-lag: wait while a standby is further behind
  std::optional<double> max_rows_per_second;          // --max-rows-per-second
};

}  // namespace mig
