#include "base/colour.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace mig::colour {
namespace {

bool wanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;  // set and not empty, as no-color.org says
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fd) == 1;
}

}  // namespace

bool for_stdout() {
  static const bool on = wanted(STDOUT_FILENO);
  return on;
}

bool for_stderr() {
  static const bool on = wanted(STDERR_FILENO);
  return on;
}

std::string paint(const std::string& text, Tone tone, bool on) {
  if (!on) return text;
  const char* code = tone == Tone::good ? "\033[32m" : tone == Tone::bad ? "\033[1;31m" : "\033[33m";
  return code + text + "\033[0m";
}

}  // namespace mig::colour
