// Colour for the text reporters, only where a person reads it: the stream is a
// terminal, NO_COLOR (https://no-color.org) is unset and TERM is not "dumb".
#pragma once
#include <string>

namespace mig::colour {

enum class Tone { good, bad, warn };

bool for_stdout();
bool for_stderr();

// `text` wrapped in the tone's ANSI colour when `on`, else unchanged.
std::string paint(const std::string& text, Tone tone, bool on);

}  // namespace mig::colour
