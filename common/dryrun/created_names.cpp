#include "dryrun/created_names.hpp"

#include <nlohmann/json.hpp>

#include "text/sql.hpp"

namespace mig {
namespace {

using nlohmann::json;

// The last String of a name list ([{"String":{"sval":"public"}}, {"String":{"sval":"t"}}] -> "t").
std::string last_name(const json& list) {
  if (!list.is_array() || list.empty()) return "";
  return list.back().value("String", json::object()).value("sval", "");
}

void add(std::set<std::string>& names, const std::string& name) {
  if (!name.empty()) names.insert(name);
}

// Names a node itself creates, by node type.
void created_by(const std::string& type, const json& body, std::set<std::string>& names) {
  if (type == "CreateStmt" || type == "CreateSeqStmt") add(names, body.value("relation", json::object()).value("relname", ""));
  if (type == "CreateSeqStmt") add(names, body.value("sequence", json::object()).value("relname", ""));
  if (type == "ViewStmt") add(names, body.value("view", json::object()).value("relname", ""));
  if (type == "IntoClause") add(names, body.value("rel", json::object()).value("relname", ""));
  if (type == "CompositeTypeStmt") add(names, body.value("typevar", json::object()).value("relname", ""));
  if (type == "CreateEnumStmt" || type == "CreateRangeStmt") add(names, last_name(body.value("typeName", json::array())));
  if (type == "CreateDomainStmt") add(names, last_name(body.value("domainname", json::array())));
  if (type == "DefineStmt") add(names, last_name(body.value("defnames", json::array())));
  if (type == "CreateFunctionStmt") add(names, last_name(body.value("funcname", json::array())));
  if (type == "CreateSchemaStmt") add(names, body.value("schemaname", ""));
  if (type == "IndexStmt") add(names, body.value("idxname", ""));
  if (type == "ColumnDef") add(names, body.value("colname", ""));
  if (type == "Constraint") add(names, body.value("conname", ""));
  if (type == "AlterEnumStmt") add(names, body.value("newVal", ""));
}

void walk(const json& node, std::set<std::string>& names) {
  if (node.is_array()) {
    for (const json& item : node) walk(item, names);
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (value.is_object() && !key.empty() && std::isupper(static_cast<unsigned char>(key[0]))) created_by(key, value, names);
      walk(value, names);
    }
  }
}

}  // namespace

std::set<std::string> created_names(const std::string& sql) {
  std::set<std::string> names;
  const ScanOutcome scanned = scan_sql(sql);
  for (const SqlStatement& s : scanned.sql.statements) {
    const ParseOutcome parsed = parse_sql(sql.substr(s.begin, s.end - s.begin));
    if (!parsed.error) walk(json::parse(parsed.tree_json), names);
  }
  return names;
}

bool mentions_any(const std::string& message, const std::set<std::string>& names) {
  for (const std::string& name : names) {
    if (message.find("\"" + name + "\"") != std::string::npos) return true;
  }
  return false;
}

}  // namespace mig
