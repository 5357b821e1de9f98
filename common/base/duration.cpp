#include "base/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "base/errors.hpp"

namespace mig {
namespace {

double unit_in_ms(const std::string& unit) {
  if (unit.empty() || unit == "s" || unit == "sec" || unit == "secs") return 1000;
  if (unit == "ms") return 1;
  if (unit == "min" || unit == "m" || unit == "mins") return 60'000;
  if (unit == "h" || unit == "hour" || unit == "hours") return 3'600'000;
  if (unit == "d") return 86'400'000;
  return -1;
}

}  // namespace

Duration parse_duration(const std::string& text, const std::string& what) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  const std::string number = text.substr(0, i);
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  const double per_unit = unit_in_ms(unit);
  char* end = nullptr;
  const double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || per_unit < 0 || value < 0) {
    throw usage_error(what + ": '" + text + "' is not a duration (a number and ms, s, min, h or d, e.g. 500ms, 10s, 5min, 1h; a bare number is seconds)");
  }
  // PostgreSQL's timeouts are int milliseconds: anything longer cannot be set (nor meant).
  const double ms = value * per_unit;
  if (!(ms <= static_cast<double>(kMaxDurationMs))) {
    throw usage_error(what + ": '" + text + "' is too long (at most " + std::to_string(kMaxDurationMs / 86'400'000) +
                      " days)");
  }
  return Duration(static_cast<long long>(std::llround(ms)));
}

std::string format_duration(Duration d) {
  const long long ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace mig
