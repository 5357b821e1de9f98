// Diagnostics on stderr, a line each: "<tool>: <level>: <message>". spdlog sits
// behind log.cpp alone: its headers stay out of every other file, and its
// shared libraries out of every binary's start-up.
#pragma once
#include <string>
#include <type_traits>

namespace mig::log {

enum class Level { trace, debug, info, warn, error };

// The tool's name on every line and the lowest level printed; colours unless NO_COLOR is set.
void set_up(const std::string& tool, Level lowest);
bool enabled(Level level);
void write(Level level, const std::string& message);

// A number with a fixed count of decimals: fixed(2.345, 1) == "2.3".
std::string fixed(double value, int decimals);

namespace detail {
inline void append(std::string& out, const std::string& text) { out += text; }
inline void append(std::string& out, const char* text) { out += text; }
inline void append(std::string& out, char c) { out += c; }
template <class Number, std::enable_if_t<std::is_arithmetic_v<Number>, int> = 0>
void append(std::string& out, Number n) {
  out += std::to_string(n);
}
}  // namespace detail

// at(Level::info, "applying ", version, "_", name): the parts are joined only when the level is printed.
template <class... Parts>
void at(Level level, const Parts&... parts) {
  if (!enabled(level)) return;
  std::string message;
  (detail::append(message, parts), ...);
  write(level, message);
}
template <class... Parts>
void debug(const Parts&... parts) { at(Level::debug, parts...); }
template <class... Parts>
void info(const Parts&... parts) { at(Level::info, parts...); }
template <class... Parts>
void warn(const Parts&... parts) { at(Level::warn, parts...); }
template <class... Parts>
void error(const Parts&... parts) { at(Level::error, parts...); }

}  // namespace mig::log
