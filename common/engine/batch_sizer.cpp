#include "engine/batch_sizer.hpp"

#include <algorithm>

namespace mig {

BatchSizer::BatchSizer(long long initial, Duration target) : size_(std::clamp(initial, kMin, kMax)), target_(target) {}

void BatchSizer::record(long long keys, Duration took) {
  if (keys <= 0) return;
  const double per_key = std::max(1e-4, static_cast<double>(took.count()) / static_cast<double>(keys));
  ms_per_key_ = ms_per_key_ < 0 ? per_key : 0.4 * per_key + 0.6 * ms_per_key_;
  const double wanted = static_cast<double>(target_.count()) / ms_per_key_;
  const double bounded = std::clamp(wanted, 0.5 * static_cast<double>(size_), 1.2 * static_cast<double>(size_));
  size_ = std::clamp(static_cast<long long>(bounded), kMin, kMax);
}

}  // namespace mig
