#include "cli/upstream.hpp"

#include <fstream>
#include <iostream>

#include "base/errors.hpp"

namespace mig {
namespace {

bool is_result_document(const nlohmann::json& j) {
  return j.is_object() && j.contains("schema") && j["schema"].is_string() &&
         j["schema"].get<std::string>().rfind("mig/", 0) == 0 && j.contains("tool") && !j.contains("event");
}

}  // namespace

std::vector<nlohmann::json> result_documents_in(std::istream& in) {
  std::vector<nlohmann::json> documents;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && is_result_document(j)) documents.push_back(std::move(j));
  }
  return documents;
}

std::vector<nlohmann::json> parse_upstream(std::istream& in, const std::string& source) {
  std::vector<nlohmann::json> documents = result_documents_in(in);
  if (documents.empty()) {
    throw invalid_input("bad_upstream", source + ": no mig result document found (was the upstream tool run with "
                                                 "--format json?)");
  }
  return documents;
}

std::vector<nlohmann::json> read_upstream(const std::string& source) {
  if (source == "-") return parse_upstream(std::cin, "stdin");
  std::ifstream in(source);
  if (!in) throw invalid_input("bad_upstream", source + ": cannot read upstream results");
  return parse_upstream(in, source);
}

nlohmann::json flatten_upstream(const std::vector<nlohmann::json>& documents) {
  nlohmann::json flat = nlohmann::json::array();
  for (const auto& doc : documents) {
    if (doc.contains("upstream") && doc["upstream"].is_array()) {
      for (const auto& carried : doc["upstream"]) flat.push_back(carried);
    }
    nlohmann::json own = doc;
    own.erase("upstream");
    flat.push_back(std::move(own));
  }
  return flat;
}

void require_upstream_ok(const std::vector<nlohmann::json>& documents) {
  for (const auto& doc : flatten_upstream(documents)) {
    if (doc.value("ok", true)) continue;
    const int code = doc.value("exit_code", 1);
    const std::string tool = doc.value("tool", "upstream tool");
    throw Error(static_cast<ExitCode>(code == 0 ? 1 : code), "upstream_failed",
                tool + " failed (exit " + std::to_string(code) + "); nothing was done");
  }
}

std::optional<nlohmann::json> upstream_from(const std::vector<nlohmann::json>& documents, const std::string& tool) {
  const nlohmann::json flat = flatten_upstream(documents);
  for (auto it = flat.rbegin(); it != flat.rend(); ++it) {
    if (it->value("tool", "") == tool) return *it;
  }
  return std::nullopt;
}

}  // namespace mig
