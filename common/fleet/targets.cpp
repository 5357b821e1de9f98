#include "fleet/targets.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pg/db.hpp"
#include "base/errors.hpp"

namespace mig {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

Error bad_targets(const std::string& where, const std::string& what) {
  return invalid_input("bad_targets", where + ": " + what);
}

std::string string_field(const nlohmann::json& item, const char* key, const std::string& where, bool required) {
  if (!item.contains(key)) {
    if (required) throw bad_targets(where, std::string("\"") + key + "\" is missing");
    return "";
  }
  if (!item[key].is_string()) throw bad_targets(where, std::string("\"") + key + "\" must be a string");
  return item[key].get<std::string>();
}

std::vector<Target> targets_from_json(const std::string& text, const std::string& path) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) throw bad_targets(path, "not a JSON array of {\"name\",\"dsn\",\"group\",\"args\"}");
  std::vector<Target> targets;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::string where = path + " item " + std::to_string(i + 1);
    const nlohmann::json& item = doc[i];
    if (!item.is_object()) throw bad_targets(where, "not an object");
    for (const auto& [key, value] : item.items()) {
      if (key != "name" && key != "dsn" && key != "group" && key != "args") {
        throw bad_targets(where, "unknown key \"" + key + "\" (known: name, dsn, group, args)");
      }
    }
    Target t{string_field(item, "name", where, true), string_field(item, "dsn", where, true),
             string_field(item, "group", where, false), {}};
    if (item.contains("args")) {
      if (!item["args"].is_array()) throw bad_targets(where, "\"args\" must be an array of strings");
      for (const auto& a : item["args"]) {
        if (!a.is_string()) throw bad_targets(where, "\"args\" must be an array of strings");
        t.args.push_back(a.get<std::string>());
      }
    }
    if (trimmed(t.name).empty() || trimmed(t.dsn).empty()) throw bad_targets(where, "empty name or dsn");
    targets.push_back(std::move(t));
  }
  return targets;
}

std::vector<Target> targets_from_lines(const std::string& text, const std::string& path) {
  std::vector<Target> targets;
  std::istringstream in(text);
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    const std::string dsn = trimmed(line);
    if (dsn.empty() || dsn[0] == '#') continue;
    std::string name;
    try {
      name = describe_dsn(dsn).dbname;
    } catch (const Error& e) {
      // A line that does not parse is bad input (exit 3), whatever describe_dsn calls it for a flag.
      throw bad_targets(path + ":" + std::to_string(line_number), e.what()).with_position({path, line_number, std::nullopt});
    }
    if (name.empty()) name = "line " + std::to_string(line_number);
    targets.push_back({name, dsn, "", {}});
  }
  return targets;
}

}  // namespace

std::vector<Target> read_targets_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw invalid_input("bad_targets", path + ": cannot read the targets file");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  const auto first = content.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && content[first] == '[') return targets_from_json(content, path);
  return targets_from_lines(content, path);
}

std::vector<Target> query_targets(Database& registry, const std::string& sql) {
  const QueryResult result = registry.query(sql);
  std::vector<Target> targets;
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const Row& row = result.rows[i];
    const std::string where = "--targets-query row " + std::to_string(i + 1);
    if (row.size() < 2) throw bad_targets("--targets-query", "must return name, dsn[, group]");
    if (!row[0] || !row[1] || row[0]->empty() || row[1]->empty()) throw bad_targets(where, "null or empty name or dsn");
    targets.push_back({*row[0], *row[1], row.size() > 2 && row[2] ? *row[2] : "", {}});
  }
  return targets;
}

void require_usable(const std::vector<Target>& targets, const std::string& source) {
  if (targets.empty()) throw invalid_input("bad_targets", source + ": no targets");
  std::set<std::string> names;
  for (const Target& t : targets) {
    if (!names.insert(t.name).second) {
      throw invalid_input("bad_targets", source + ": two targets are named '" + t.name +
                                             "' (give them names in a JSON targets file)");
    }
  }
}

}  // namespace mig
