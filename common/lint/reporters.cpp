#include "lint/reporters.hpp"

#include <cstdio>

#include "base/colour.hpp"
#include "lint/rule_catalog.hpp"

namespace mig::lint {
namespace {

using nlohmann::json;

// Buffered stdout: findings are small and many.
class StdoutBuffer {
 public:
  ~StdoutBuffer() { flush(); }
  std::string& text() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= (1 << 16)) flush();
  }
  void flush() {
    if (!buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    buffer_.clear();
    std::fflush(stdout);
  }

 private:
  std::string buffer_;
};

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && ((c == 0xE0 && byte(i + 1) < 0xA0) || (c == 0xED && byte(i + 1) >= 0xA0))) return 0;
  if (n == 4 && ((c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90))) return 0;
  return n;
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

class JsonWriter : public FindingWriter {
 public:
  JsonWriter() { out_.text() = "{\"data\":{\"findings\":["; }
  void add(const Finding& f) override {
    std::string& o = out_.text();
    o += first_ ? "{\"column\":" : ",{\"column\":";
    first_ = false;
    o += std::to_string(f.column);
    o += ",\"file\":";
    append_json_string(o, f.file);
    o += ",\"help\":";
    append_json_string(o, f.help);
    o += ",\"line\":";
    o += std::to_string(f.line);
    o += ",\"message\":";
    append_json_string(o, f.message);
    o += ",\"rule\":";
    append_json_string(o, f.rule);
    o += ",\"severity\":\"";
    o += severity_name(f.severity);
    o += "\"}";
    out_.maybe_flush();
  }
  // The document's dump starts with {"data":{ (keys are sorted): the findings
  // array goes in front of the other data fields.
  void finish(const json& document) override {
    const std::string rest = document.dump(-1, ' ', false, json::error_handler_t::replace);
    const std::string head = "{\"data\":{";
    std::string& o = out_.text();
    o += "]";
    if (rest.compare(0, head.size(), head) == 0) {
      o += rest[head.size()] == '}' ? "" : ",";
      o.append(rest, head.size(), std::string::npos);
    } else {
      o += "}}";  // not reached: every document has data
    }
    o += '\n';
    out_.flush();
  }

 private:
  StdoutBuffer out_;
  bool first_ = true;
};

class TextWriter : public FindingWriter {
 public:
  void add(const Finding& f) override {
    std::string& o = out_.text();
    const colour::Tone tone = f.severity == Severity::error ? colour::Tone::bad : colour::Tone::warn;
    o += f.file + ':' + std::to_string(f.line) + ':' + std::to_string(f.column) + ": " +
         colour::paint(severity_name(f.severity), tone, colour::for_stdout()) + ": " + f.message + " [" + f.rule +
         "]\n    help: " + f.help + '\n';
    out_.maybe_flush();
  }
  void finish(const json& document) override {
    const json& data = document["data"];
    if (data.contains("files")) {
      out_.text() += std::to_string(data["errors"].get<int>()) + " error(s), " +
                     std::to_string(data["warnings"].get<int>()) + " warning(s) in " +
                     std::to_string(data["files"].get<int>()) + " file(s), " +
                     std::to_string(data["statements"].get<int>()) + " statement(s)\n";
    }
    out_.flush();
  }

 private:
  StdoutBuffer out_;
};

class GithubWriter : public FindingWriter {
 public:
  void add(const Finding& f) override {
    out_.text() += std::string("::") + severity_name(f.severity) + " file=" + escape_property(f.file) +
                   ",line=" + std::to_string(f.line) + ",col=" + std::to_string(f.column) +
                   ",title=" + escape_property(f.rule) + "::" + escape_data(f.message + " (" + f.help + ")") + '\n';
    out_.maybe_flush();
  }
  void finish(const json&) override { out_.flush(); }

 private:
  StdoutBuffer out_;
};

class SarifWriter : public FindingWriter {
 public:
  explicit SarifWriter(const std::string& tool_version) {
    json rules = json::array();
    for (const RuleInfo& r : rule_catalog()) {
      rules.push_back({{"id", r.id},
                       {"shortDescription", {{"text", r.help}}},
                       {"help", {{"text", r.help}}},
                       {"defaultConfiguration", {{"level", r.default_severity == Severity::error ? "error" : "warning"}}}});
    }
    const json driver = {{"name", "mig-lint"}, {"version", tool_version}, {"rules", rules}};
    out_.text() = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":" +
                  driver.dump() + "},\"results\":[";
  }
  void add(const Finding& f) override {
    std::string& o = out_.text();
    o += first_ ? "{\"ruleId\":" : ",{\"ruleId\":";
    first_ = false;
    append_json_string(o, f.rule);
    o += ",\"level\":\"";
    o += severity_name(f.severity);
    o += "\",\"message\":{\"text\":";
    append_json_string(o, f.message + " (" + f.help + ")");
    o += "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
    append_json_string(o, f.file);
    o += "},\"region\":{\"startLine\":" + std::to_string(f.line) + ",\"startColumn\":" + std::to_string(f.column) +
         "}}}]}";
    out_.maybe_flush();
  }
  void finish(const json&) override {
    out_.text() += "]}]}\n";
    out_.flush();
  }

 private:
  StdoutBuffer out_;
  bool first_ = true;
};

}  // namespace

void append_json_string(std::string& out, const std::string& s) {
  static const char* const hex = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s, i, n);
        i += n;
      }
      continue;
    }
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20) out += std::string("\\u00") + hex[c >> 4] + hex[c & 15];
    else out += static_cast<char>(c);
    ++i;
  }
  out += '"';
}

std::unique_ptr<FindingWriter> make_finding_writer(Format format, const std::string& tool_version) {
  switch (format) {
    case Format::json: return std::make_unique<JsonWriter>();
    case Format::github: return std::make_unique<GithubWriter>();
    case Format::sarif: return std::make_unique<SarifWriter>(tool_version);
    case Format::text: break;
  }
  return std::make_unique<TextWriter>();
}

json report_data(const LintReport& report) {
  return {{"files", report.files},
          {"statements", report.statements},
          {"errors", report.errors},
          {"warnings", report.warnings}};
}

}  // namespace mig::lint
