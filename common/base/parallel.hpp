// Spreading independent pieces of work over the machine's cores.
#pragma once
#include <cstddef>
#include <functional>

namespace mig {

// Calls work(i) once for every i in [0, count), on up to `max_workers` threads
// (the caller's included; fewer when count is small). work must not throw.
void for_each_index(std::size_t count, std::size_t max_workers, const std::function<void(std::size_t)>& work);

}  // namespace mig
