// Where mig runs: the host name that history rows and scratch database tags carry.
#pragma once
#include <string>

namespace mig {

// This machine's host name, or "unknown".
std::string this_host();

}  // namespace mig
