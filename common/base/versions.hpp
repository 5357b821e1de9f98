// Migration versions: 1-20 digits, ordered as numbers (leading zeros do not count).
#pragma once
#include <string>

namespace mig {

// True for a version as file names carry it: 1 to 20 digits.
bool is_version(const std::string& text);

// Numeric order of two version strings: <0, 0, >0.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace mig
