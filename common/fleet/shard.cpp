#include "fleet/shard.hpp"

#include <cstdint>

#include "base/errors.hpp"

namespace mig {
namespace {

constexpr int kMaxShards = 100000;

// A whole number in [low, high], or nullopt.
std::optional<int> whole(const std::string& text, int low, int high) {
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int n = std::stoi(text);
  if (n < low || n > high) return std::nullopt;
  return n;
}

}  // namespace

std::optional<Shard> shard_from_flags(const std::optional<std::string>& shard, const std::optional<std::string>& shards,
                                      const char* job_index) {
  if (shard && shards) throw usage_error("give --shard I/N or --shards N (with JOB_COMPLETION_INDEX), not both");
  if (shard) {
    const std::size_t slash = shard->find('/');
    const auto count = slash == std::string::npos ? std::nullopt : whole(shard->substr(slash + 1), 1, kMaxShards);
    const auto index = count ? whole(shard->substr(0, slash), 0, *count - 1) : std::nullopt;
    if (!index) {
      throw usage_error("--shard: '" + *shard + "' is not I/N with 0 <= I < N <= " + std::to_string(kMaxShards) +
                        " (e.g. 0/4 ... 3/4)");
    }
    return Shard{*index, *count};
  }
  if (shards) {
    const auto count = whole(*shards, 1, kMaxShards);
    if (!count) throw usage_error("--shards: '" + *shards + "' is not a whole number from 1 to " + std::to_string(kMaxShards));
    if (!job_index) throw usage_error("--shards needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it); else use --shard I/N");
    const auto index = whole(job_index, 0, *count - 1);
    if (!index) {
      throw usage_error("JOB_COMPLETION_INDEX '" + std::string(job_index) + "' is not a shard of --shards " + *shards +
                        " (0 to " + std::to_string(*count - 1) + ")");
    }
    return Shard{*index, *count};
  }
  return std::nullopt;
}

int shard_of(const std::string& name, int count) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int>(hash % static_cast<std::uint64_t>(count));
}

std::vector<Target> in_shard(const std::vector<Target>& targets, const Shard& shard) {
  std::vector<Target> mine;
  for (const Target& t : targets) {
    if (shard_of(t.name, shard.count) == shard.index) mine.push_back(t);
  }
  return mine;
}

}  // namespace mig
