#include "base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace mig {

void for_each_index(std::size_t count, std::size_t max_workers, const std::function<void(std::size_t)>& work) {
  // Below this many items a thread costs more than it saves.
  constexpr std::size_t kItemsPerWorker = 64;
  const std::size_t cores = std::max<std::size_t>(1, std::thread::hardware_concurrency());
  const std::size_t workers = std::min({max_workers, cores, std::max<std::size_t>(1, count / kItemsPerWorker)});
  std::atomic<std::size_t> next{0};
  const auto drain = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  std::vector<std::thread> helpers;
  for (std::size_t w = 1; w < workers; ++w) helpers.emplace_back(drain);
  drain();
  for (auto& t : helpers) t.join();
}

}  // namespace mig
