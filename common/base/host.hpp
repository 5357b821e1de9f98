// Where mig runs: the host name that history rows and scratch database tags carry.
#pragma once
#include <string>

namespace mig {

// This machine's host name, or "unknown".
std::string this_host();

// True while process `pid` of this host exists, also when it belongs to
// another user (kill(pid, 0) fails with EPERM then): the one liveness rule for
// leftovers of killed runs (scratch databases, sandbox roles, dump files).
bool process_alive(int pid);

}  // namespace mig
