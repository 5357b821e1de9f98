// How many keys the next backfill batch takes: it starts from -- mig:batch-size
// and moves toward the target batch time (learned from GitLab's batch
// optimizer: a moving average of the time per row, alpha 0.4; at most 1.2x
// growth and 0.5x shrink per batch; within fixed bounds).
#pragma once
#include "base/duration.hpp"

namespace mig {

class BatchSizer {
 public:
  static constexpr long long kMin = 10;
  static constexpr long long kMax = 2'000'000;

  BatchSizer(long long initial, Duration target);
  long long size() const { return size_; }
  // A batch of `keys` keys took `took`: the next size.
  void record(long long keys, Duration took);

 private:
  long long size_;
  Duration target_;
  double ms_per_key_ = -1;  // moving average; < 0 until the first batch
};

}  // namespace mig
