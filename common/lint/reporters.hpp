// mig-lint's views of its findings, written as the findings come: the result
// document (JSON, still one line), gcc-style text, GitHub workflow
// annotations, and SARIF 2.1.0 for code-scanning uploads.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "lint/lint.hpp"
#include "cli/output.hpp"

namespace mig::lint {

class FindingWriter {
 public:
  virtual ~FindingWriter() = default;
  virtual void add(const Finding& f) = 0;
  // Completes stdout from the tool's result document (its data has the
  // counts; the findings were written already).
  virtual void finish(const nlohmann::json& document) = 0;
};

std::unique_ptr<FindingWriter> make_finding_writer(Format format, const std::string& tool_version);

// The counts in the result document's data (findings[] is streamed).
nlohmann::json report_data(const LintReport& report);

// JSON string escaping, invalid UTF-8 replaced by U+FFFD (as the documents' dump does).
void append_json_string(std::string& out, const std::string& s);

}  // namespace mig::lint
