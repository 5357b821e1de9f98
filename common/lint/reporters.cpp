#include "reporters.hpp"

#include <sstream>

#include "rule_catalog.hpp"

namespace mig::lint {
namespace {

using nlohmann::json;

std::string summary(const json& data) {
  std::ostringstream out;
  out << data["errors"].get<int>() << " error(s), " << data["warnings"].get<int>() << " warning(s) in "
      << data["files"].get<int>() << " file(s), " << data["statements"].get<int>() << " statement(s)\n";
  return out.str();
}

// GitHub's workflow-command escaping: data, and property values (which also escape ':' and ',').
std::string escape_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_property(const std::string& s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

json report_data(const LintReport& report) {
  json findings = json::array();
  for (const Finding& f : report.findings) {
    findings.push_back({{"file", f.file}, {"line", f.line}, {"column", f.column}, {"rule", f.rule},
                        {"severity", severity_name(f.severity)}, {"message", f.message}, {"help", f.help}});
  }
  return {{"files", report.files},
          {"statements", report.statements},
          {"errors", report.count(Severity::error)},
          {"warnings", report.count(Severity::warning)},
          {"findings", findings}};
}

std::string render_text(const json& data) {
  std::ostringstream out;
  for (const json& f : data["findings"]) {
    out << f["file"].get<std::string>() << ':' << f["line"] << ':' << f["column"] << ": "
        << f["severity"].get<std::string>() << ": " << f["message"].get<std::string>() << " ["
        << f["rule"].get<std::string>() << "]\n    help: " << f["help"].get<std::string>() << '\n';
  }
  return out.str() + summary(data);
}

std::string render_github(const json& data) {
  std::ostringstream out;
  for (const json& f : data["findings"]) {
    out << "::" << f["severity"].get<std::string>() << " file=" << escape_property(f["file"]) << ",line=" << f["line"]
        << ",col=" << f["column"] << ",title=" << escape_property(f["rule"]) << "::"
        << escape_data(f["message"].get<std::string>() + " (" + f["help"].get<std::string>() + ")") << '\n';
  }
  return out.str();
}

std::string render_sarif(const json& data, const std::string& tool_version) {
  json rules = json::array();
  for (const RuleInfo& r : rule_catalog()) {
    rules.push_back({{"id", r.id},
                     {"shortDescription", {{"text", r.help}}},
                     {"help", {{"text", r.help}}},
                     {"defaultConfiguration", {{"level", r.default_severity == Severity::error ? "error" : "warning"}}}});
  }
  json results = json::array();
  for (const json& f : data["findings"]) {
    results.push_back(
        {{"ruleId", f["rule"]},
         {"level", f["severity"]},
         {"message", {{"text", f["message"].get<std::string>() + " (" + f["help"].get<std::string>() + ")"}}},
         {"locations",
          json::array({{{"physicalLocation",
                         {{"artifactLocation", {{"uri", f["file"]}}},
                          {"region", {{"startLine", f["line"]}, {"startColumn", f["column"]}}}}}}})}});
  }
  const json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({{{"tool", {{"driver", {{"name", "mig-lint"}, {"version", tool_version}, {"rules", rules}}}}},
                              {"results", results}}})}};
  return sarif.dump(2) + "\n";
}

}  // namespace mig::lint
