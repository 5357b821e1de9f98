#include "base/versions.hpp"

#include <algorithm>

namespace mig {

bool is_version(const std::string& text) {
  return !text.empty() && text.size() <= 20 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int compare_versions(const std::string& a, const std::string& b) {
  const std::size_t a0 = std::min(a.find_first_not_of('0'), a.size());
  const std::size_t b0 = std::min(b.find_first_not_of('0'), b.size());
  const std::size_t alen = a.size() - a0, blen = b.size() - b0;
  if (alen != blen) return alen < blen ? -1 : 1;
  return a.compare(a0, alen, b, b0, blen);
}

}  // namespace mig
