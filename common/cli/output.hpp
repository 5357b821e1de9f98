// The result document (CONTRACT §6), progress events and the text view.
// Collect first, print once at the end.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/errors.hpp"

namespace mig {

enum class Format { text, json, github, sarif };

// Parses --format; `allowed` lists what this tool accepts (text/json for most).
Format parse_format(const std::string& text, const std::vector<std::string>& allowed);
// text on a terminal, json otherwise.
Format default_format();

nlohmann::json error_json(const Error& error);

// Renders a tool's `data` in a non-JSON format (text, or a tool's own: github, sarif).
using TextRenderer = std::function<std::string(const nlohmann::json& data, Format format)>;

class Output {
 public:
  Output(std::string tool, Format format, bool events);

  Format format() const { return format_; }
  // One NDJSON line on stdout, before the result document (with --events).
  void event(const std::string& name, const nlohmann::json& fields) const;

  // The full result document for these parts.
  nlohmann::json document(nlohmann::json data, const std::optional<Error>& error, ExitCode code) const;
  // Prints the result: the JSON document as the last stdout line, or the text view.
  void print(const nlohmann::json& document, const TextRenderer& render) const;

  nlohmann::json database = nullptr;
  // A tool that wrote part of its result on stdout while it ran (mig-lint's
  // findings) completes it here, from the document, instead of print's dump.
  std::function<void(const nlohmann::json& document)> finish_stream;
  nlohmann::json upstream = nlohmann::json::array();

 private:
  std::string tool_;
  Format format_;
  bool events_;
  std::chrono::system_clock::time_point started_at_;
  std::chrono::steady_clock::time_point started_;
};

std::string rfc3339_utc(std::chrono::system_clock::time_point t);

// How a text view names a migration item of a result document: "<version>_<name>",
// or "<name>.repeatable" for one marked "repeatable".
std::string migration_label(const nlohmann::json& item);

}  // namespace mig
