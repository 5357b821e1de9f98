#include "cli/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "base/colour.hpp"

namespace mig {

Format parse_format(const std::string& text, const std::vector<std::string>& allowed) {
  bool ok = false;
  for (const auto& a : allowed) ok = ok || a == text;
  if (!ok) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
    throw usage_error("--format: '" + text + "' is not one of " + list);
  }
  if (text == "json") return Format::json;
  if (text == "github") return Format::github;
  if (text == "sarif") return Format::sarif;
  return Format::text;
}

Format default_format() { return isatty(STDOUT_FILENO) ? Format::text : Format::json; }

std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms));
  return buf;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json e = {{"kind", error.kind()}, {"message", error.what()}};
  if (error.sqlstate() && !error.sqlstate()->empty()) e["sqlstate"] = *error.sqlstate();
  if (error.position()) {
    if (!error.position()->file.empty()) e["file"] = error.position()->file;
    if (error.position()->line) e["line"] = *error.position()->line;
    if (error.position()->column) e["column"] = *error.position()->column;
  }
  return e;
}

Output::Output(std::string tool, Format format, bool events)
    : tool_(std::move(tool)),
      format_(format),
      events_(events),
      started_at_(std::chrono::system_clock::now()),
      started_(std::chrono::steady_clock::now()) {}

void Output::event(const std::string& name, const nlohmann::json& fields) const {
  if (!events_) return;
  nlohmann::json line = {{"event", name}, {"tool", tool_}, {"at", rfc3339_utc(std::chrono::system_clock::now())}};
  line.update(fields);
  std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

nlohmann::json Output::document(nlohmann::json data, const std::optional<Error>& error, ExitCode code) const {
  const auto elapsed = std::chrono::steady_clock::now() - started_;
  return nlohmann::json{
      {"schema", "mig/1"},
      {"tool", tool_},
      {"ok", code == ExitCode::ok},
      {"exit_code", exit_status(code)},
      {"started_at", rfc3339_utc(started_at_)},
      {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()},
      {"database", database},
      {"data", data.is_null() ? nlohmann::json::object() : std::move(data)},
      {"error", error ? error_json(*error) : nlohmann::json(nullptr)},
      {"upstream", upstream},
  };
}

void Output::print(const nlohmann::json& document, const TextRenderer& render) const {
  if (format_ != Format::json) {
    if (finish_stream) {
      finish_stream(document);
    } else if (render && !document["data"].empty()) {
      std::cout << render(document["data"], format_);
    }
    // A streaming text report (mig-lint's) ends with its own summary of the findings: not said twice.
    const bool summarised = format_ == Format::text && finish_stream && document.value("exit_code", 0) == 1;
    if (!document["error"].is_null() && !summarised) {
      std::cerr << tool_ << ": " << colour::paint("error", colour::Tone::bad, colour::for_stderr()) << ": "
                << document["error"]["message"].get<std::string>() << '\n';
    }
    std::cout << std::flush;
    return;
  }
  if (finish_stream) {
    finish_stream(document);
  } else {
    std::cout << document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  }
  // In a pipe the document goes to the next tool; the person watching reads stderr. An upstream
  // failure was already said there by the tool that failed.
  const auto& error = document["error"];
  if (!error.is_null() && error.value("kind", "") != "upstream_failed") {
    std::cerr << tool_ << ": " << colour::paint("error", colour::Tone::bad, colour::for_stderr()) << ": "
              << error.value("message", "") << '\n';
  }
}

std::string migration_label(const nlohmann::json& item) {
  const std::string name = item.value("name", "");
  if (item.value("repeatable", false)) return name + ".repeatable";
  return item.value("version", "") + "_" + name;
}

}  // namespace mig
