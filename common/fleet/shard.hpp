// mig-fleet's shards: many pods (a Kubernetes Indexed Job) split one fleet
// without a coordinator. A target's shard is a stable hash of its name, the same
// on every machine, run and pod, so N shards cover every target exactly once.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "fleet/targets.hpp"

namespace mig {

struct Shard {
  int index = 0;  // 0-based, as JOB_COMPLETION_INDEX is
  int count = 1;
};

// --shard I/N, or --shards N with the index from JOB_COMPLETION_INDEX
// (`job_index`, null when unset). Exit 2 naming what is wrong: not whole
// numbers, I outside 0..N-1, both flags, --shards without the variable.
std::optional<Shard> shard_from_flags(const std::optional<std::string>& shard, const std::optional<std::string>& shards,
                                      const char* job_index);

// The shard `name` falls in: FNV-1a (64 bit) of its bytes, modulo `count`.
int shard_of(const std::string& name, int count);

// The targets of `targets` in `shard`, in their order.
std::vector<Target> in_shard(const std::vector<Target>& targets, const Shard& shard);

}  // namespace mig
