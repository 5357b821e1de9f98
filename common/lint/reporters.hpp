// mig-lint's views of a report: the result document's data, gcc-style text,
// GitHub workflow annotations, and SARIF 2.1.0 for code-scanning uploads.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "lint.hpp"

namespace mig::lint {

nlohmann::json report_data(const LintReport& report);
std::string render_text(const nlohmann::json& data);
std::string render_github(const nlohmann::json& data);
std::string render_sarif(const nlohmann::json& data, const std::string& tool_version);

}  // namespace mig::lint
