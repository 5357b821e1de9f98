// The version every tool reports (`--version`, SARIF, man pages).
#pragma once
#include <string>

namespace mig {

constexpr const char* kVersion = MIG_VERSION;  // from CMake's project(VERSION)

// "0.1.0 (commit 1a2b3c4, libpq 15.18)": the git commit the build was
// configured from ("unknown" outside a git checkout) and the libpq loaded now.
std::string version_line();

}  // namespace mig
