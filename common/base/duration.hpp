// Durations as users write them: "500ms", "10s", "5min", "1h"; a bare number is seconds.
#pragma once
#include <chrono>
#include <string>

namespace mig {

using Duration = std::chrono::milliseconds;

// The longest duration accepted: PostgreSQL's timeouts are int milliseconds (~24.8 days).
constexpr long long kMaxDurationMs = 2'147'483'647;

// Throws mig::Error (usage) naming `what` when the text is not a duration.
Duration parse_duration(const std::string& text, const std::string& what);

// "5s", "250ms", "10min": the shortest exact spelling, for logs and SET commands.
std::string format_duration(Duration d);

}  // namespace mig
