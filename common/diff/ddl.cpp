#include "diff/ddl.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <stdexcept>
#include <utility>

#include "catalog/catalog.hpp"
#include "diff/schema_dir.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;
using catalog::Object;
using nlohmann::json;

std::string text(const json& fields, const char* name) {
  auto it = fields.find(name);
  if (it == fields.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

bool flag(const json& fields, const char* name) { return fields.value(name, false); }

std::string literal(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

const Object& parent_of(const Object& object, const Catalog& catalog) {
  const Object* parent = catalog.find(object.parent);
  if (!parent) throw std::logic_error("catalog object without its parent: " + object.key);
  return *parent;
}

// The table (or view) a column, default, constraint, trigger or policy belongs to.
const Object& table_of(const Object& object, const Catalog& catalog) {
  const Object& parent = parent_of(object, catalog);
  return parent.kind == "column" ? parent_of(parent, catalog) : parent;
}

std::string alter_table(const Object& object, const Catalog& catalog) {
  return "ALTER TABLE " + table_of(object, catalog).name;
}

bool partitioned(const Object& table) {
  return table.fields.contains("partition_key") || table.fields.contains("partition_of");
}

// True when the object's table exists before the plan runs (online strategies apply).
bool on_existing_table(const Object& object, const DdlContext& c) {
  const Object& table = table_of(object, c.to);
  return c.online && table.kind == "table" && !c.created.count(table.key) && !partitioned(table);
}

std::string sequence_options(const json& f, bool with_type) {
  std::string sql = with_type ? " AS " + text(f, "type") : "";
  sql += " INCREMENT BY " + text(f, "increment") + " MINVALUE " + text(f, "min") + " MAXVALUE " + text(f, "max") +
         " START WITH " + text(f, "start") + " CACHE " + text(f, "cache") + (flag(f, "cycle") ? " CYCLE" : " NO CYCLE");
  return sql;
}

std::string identity_clause(const json& column) {
  const std::string mode = text(column, "identity") == "a" ? "ALWAYS" : "BY DEFAULT";
  std::string options = column.contains("identity_options") ? sequence_options(column["identity_options"], false) : "";
  return "GENERATED " + mode + " AS IDENTITY" + (options.empty() ? "" : " (" + options.substr(1) + ")");
}

std::string type_clause(const json& f) {
  std::string sql = text(f, "type");
  if (f.contains("collation")) sql += " COLLATE " + text(f, "collation");
  return sql;
}

std::string column_definition(const Object& column, const Object* default_value) {
  const json& f = column.fields;
  std::string sql = column.name + " " + type_clause(f);
  if (f.contains("generated")) sql += " GENERATED ALWAYS AS (" + text(f, "generated") + ") STORED";
  if (!text(f, "identity").empty()) sql += " " + identity_clause(f);
  if (default_value) sql += " DEFAULT " + text(default_value->fields, "expr");
  if (flag(f, "not_null")) sql += " NOT NULL";
  return sql;
}

// "storage" is "<column's>/<type's>" when the column's differs from its type's.
std::string storage_step(const Object& column, const Catalog& catalog, const std::string& storage) {
  static const std::map<char, std::string> kStorage = {{'p', "PLAIN"}, {'e', "EXTERNAL"}, {'m', "MAIN"}, {'x', "EXTENDED"}};
  return alter_table(column, catalog) + " ALTER COLUMN " + column.name + " SET STORAGE " + kStorage.at(storage.at(0));
}

std::string options_list(const json& options) {
  std::string list;
  for (const auto& o : options) list += (list.empty() ? "" : ", ") + o.get<std::string>();
  return list;
}

// Storage parameters from `a`'s to `b`'s: RESET the old ones, SET the new.
void options_steps(const std::string& alter, const json& a, const json& b, std::vector<Step>& steps) {
  std::string reset;
  for (const auto& o : a.value("options", json::array())) {
    const std::string item = o.get<std::string>();
    reset += (reset.empty() ? "" : ", ") + item.substr(0, item.find('='));
  }
  if (!reset.empty()) steps.push_back({alter + " RESET (" + reset + ")"});
  if (b.contains("options")) steps.push_back({alter + " SET (" + options_list(b["options"]) + ")"});
}

std::string relation_word(const Object& o) {
  if (o.kind == "view") return "VIEW";
  if (o.kind == "matview") return "MATERIALIZED VIEW";
  if (o.kind == "sequence") return "SEQUENCE";
  return "TABLE";
}

std::string function_word(const Object& o) { return text(o.fields, "kind") == "p" ? "PROCEDURE" : "FUNCTION"; }

// How COMMENT ON names an object.
std::string comment_target(const Object& o, const Catalog& catalog) {
  if (o.kind == "column") return "COLUMN " + parent_of(o, catalog).name + "." + o.name;
  if (o.kind == "constraint" || o.kind == "trigger" || o.kind == "policy") {
    std::string word = o.kind == "constraint" ? "CONSTRAINT " : o.kind == "trigger" ? "TRIGGER " : "POLICY ";
    return word + o.name + " ON " + parent_of(o, catalog).name;
  }
  if (o.kind == "domain-constraint") return "CONSTRAINT " + o.name + " ON DOMAIN " + parent_of(o, catalog).name;
  if (o.kind == "function") return function_word(o) + " " + o.name;
  if (o.kind == "enum" || o.kind == "composite") return "TYPE " + o.name;
  if (o.kind == "index" || o.kind == "schema" || o.kind == "extension" || o.kind == "domain") {
    std::string word = o.kind;
    for (char& ch : word) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return word + " " + o.name;
  }
  return relation_word(o) + " " + o.name;
}

// What a comment object comments on: its parent, or a column of the view it belongs to.
std::string commented(const Object& comment, const Catalog& catalog) {
  const Object& target = parent_of(comment, catalog);
  if (comment.fields.contains("column")) return "COLUMN " + target.name + "." + text(comment.fields, "column");
  return comment_target(target, catalog);
}

// GRANT/REVOKE's "priv [(col)] ON kind name".
std::string grant_target(const Object& grant, const Catalog& catalog) {
  const Object& target = parent_of(grant, catalog);
  const std::string privilege = text(grant.fields, "privilege");
  if (target.kind == "column") return privilege + " (" + target.name + ") ON TABLE " + parent_of(target, catalog).name;
  if (target.kind == "schema") return privilege + " ON SCHEMA " + target.name;
  if (target.kind == "function") return privilege + " ON " + function_word(target) + " " + target.name;
  return privilege + " ON " + (target.kind == "sequence" ? "SEQUENCE " : "TABLE ") + target.name;
}

std::string policy_sql(const Object& p, const Catalog& catalog) {
  static const std::map<std::string, std::string> kCommand = {{"r", "SELECT"}, {"a", "INSERT"}, {"w", "UPDATE"}, {"d", "DELETE"}, {"*", "ALL"}};
  const json& f = p.fields;
  std::string roles;
  for (const auto& r : f.value("roles", json::array())) roles += (roles.empty() ? "" : ", ") + r.get<std::string>();
  std::string sql = "CREATE POLICY " + p.name + " ON " + parent_of(p, catalog).name + " AS " +
                    (flag(f, "permissive") ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + kCommand.at(text(f, "command")) +
                    " TO " + (roles.empty() ? "public" : roles);
  if (f.contains("using")) sql += " USING (" + text(f, "using") + ")";
  if (f.contains("check")) sql += " WITH CHECK (" + text(f, "check") + ")";
  return sql;
}

std::string trigger_state_sql(const Object& trigger, const Catalog& catalog) {
  static const std::map<std::string, std::string> kState = {{"O", "ENABLE"}, {"D", "DISABLE"}, {"R", "ENABLE REPLICA"}, {"A", "ENABLE ALWAYS"}};
  return "ALTER TABLE " + parent_of(trigger, catalog).name + " " + kState.at(text(trigger.fields, "enabled")) + " TRIGGER " + trigger.name;
}

std::string view_sql(const Object& v) {
  std::string def = text(v.fields, "def");
  while (!def.empty() && (def.back() == ';' || def.back() == ' ' || def.back() == '\n')) def.pop_back();
  std::string options = v.fields.contains("options") ? " WITH (" + options_list(v.fields["options"]) + ")" : "";
  return std::string(v.kind == "view" ? "CREATE VIEW " : "CREATE MATERIALIZED VIEW ") + v.name + options + " AS\n" + def;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == ';')) s.pop_back();
  return s;
}

std::string index_sql(const Object& index, bool concurrently) {
  std::string def = text(index.fields, "def");
  const auto only = def.find(" ON ONLY ");  // pg_get_indexdef's form for a partitioned table
  if (only != std::string::npos) def.replace(only, 9, " ON ");
  // Outside a transaction a retry must find what the first attempt built.
  if (concurrently) def.insert(def.find(" INDEX ") + 7, "CONCURRENTLY IF NOT EXISTS ");
  return def;
}

// CREATE TABLE with its columns (and their defaults) inline.
std::vector<Step> create_table(const Object& t, const std::vector<const Object*>& inlined, const DdlContext& c) {
  const json& f = t.fields;
  std::vector<const Object*> columns;
  std::map<std::string, const Object*> defaults;
  for (const Object* o : inlined) {
    if (o->kind == "column") columns.push_back(o);
    if (o->kind == "default") defaults[o->parent] = o;
  }
  std::sort(columns.begin(), columns.end(), [](const Object* a, const Object* b) { return a->position < b->position; });
  std::string sql = std::string("CREATE ") + (text(f, "persistence") == "u" ? "UNLOGGED " : "") + "TABLE " + t.name;
  std::vector<Step> extra;
  if (f.contains("partition_of")) {
    sql += " PARTITION OF " + text(f, "partition_of") + " " + text(f, "bound");
  } else {
    sql += " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      auto d = defaults.find(columns[i]->key);
      sql += std::string(i ? "," : "") + "\n  " + column_definition(*columns[i], d == defaults.end() ? nullptr : d->second);
      if (columns[i]->fields.contains("storage")) extra.push_back({storage_step(*columns[i], c.to, text(columns[i]->fields, "storage"))});
    }
    sql += columns.empty() ? ")" : "\n)";
    if (f.contains("inherits")) sql += " INHERITS (" + options_list(f["inherits"]) + ")";
  }
  if (f.contains("partition_key")) sql += " PARTITION BY " + text(f, "partition_key");
  if (f.contains("options")) sql += " WITH (" + options_list(f["options"]) + ")";
  std::vector<Step> steps = {{sql}};
  if (flag(f, "rls")) steps.push_back({"ALTER TABLE " + t.name + " ENABLE ROW LEVEL SECURITY"});
  if (flag(f, "force_rls")) steps.push_back({"ALTER TABLE " + t.name + " FORCE ROW LEVEL SECURITY"});
  steps.insert(steps.end(), extra.begin(), extra.end());
  return steps;
}

std::vector<Step> create_constraint(const Object& k, const DdlContext& c) {
  const std::string def = text(k.fields, "def");
  const std::string type = text(k.fields, "type");
  const std::string add = alter_table(k, c.to) + " ADD CONSTRAINT " + k.name + " " + def;
  const bool validatable = (type == "f" || type == "c") && def.find("NOT VALID") == std::string::npos;
  if (!validatable || !on_existing_table(k, c)) return {{add}};
  // Added without scanning (a brief lock), validated in a transaction of its own (no writes blocked).
  return {{add + " NOT VALID"}, {alter_table(k, c.to) + " VALIDATE CONSTRAINT " + k.name, false}};
}

// SET NOT NULL on a filled table without a full scan under an exclusive lock.
std::vector<Step> set_not_null(const Object& column, const DdlContext& c) {
  const std::string table = alter_table(column, c.to);
  const std::string set = table + " ALTER COLUMN " + column.name + " SET NOT NULL";
  if (!on_existing_table(column, c) || !text(column.fields, "identity").empty()) return {{set}};
  std::string check = parent_of(column, c.to).name;
  check = check.substr(check.rfind('.') + 1) + "_" + column.name + "_not_null";
  std::string plain;
  for (char ch : check) if (ch != '"') plain += ch;
  const std::string name = "\"" + plain.substr(0, 63) + "\"";
  return {{table + " ADD CONSTRAINT " + name + " CHECK (" + column.name + " IS NOT NULL) NOT VALID"},
          {table + " VALIDATE CONSTRAINT " + name, false},
          {set, false},
          {table + " DROP CONSTRAINT IF EXISTS " + name, false}};
}

std::optional<std::vector<Step>> alter_column(const Object& before, const Object& after, const DdlContext& c) {
  const json &a = before.fields, &b = after.fields;
  if (text(a, "generated") != text(b, "generated")) return std::nullopt;
  const std::string column = alter_table(after, c.to) + " ALTER COLUMN " + after.name;
  std::vector<Step> steps;
  const std::string id_a = text(a, "identity"), id_b = text(b, "identity");
  if (!id_a.empty() && id_b.empty()) steps.push_back({column + " DROP IDENTITY"});
  if (text(a, "type") != text(b, "type") || text(a, "collation") != text(b, "collation")) {
    // Enums cast to nothing but text: go through it.
    const bool via_text = c.from.find("enum " + text(a, "type")) || c.to.find("enum " + text(b, "type"));
    steps.push_back({column + " TYPE " + type_clause(b) + " USING " + after.name + (via_text ? "::text::" : "::") + text(b, "type")});
  }
  if (flag(a, "not_null") && !flag(b, "not_null")) steps.push_back({column + " DROP NOT NULL"});
  if (!flag(a, "not_null") && flag(b, "not_null")) {
    for (Step& s : set_not_null(after, c)) steps.push_back(s);
  }
  if (id_a.empty() && !id_b.empty()) {
    steps.push_back({column + " ADD " + identity_clause(b)});
  } else if (!id_a.empty() && !id_b.empty()) {
    if (id_a != id_b) steps.push_back({column + " SET GENERATED " + (id_b == "a" ? "ALWAYS" : "BY DEFAULT")});
    if (a.value("identity_options", json()) != b.value("identity_options", json())) {
      // "SET INCREMENT BY 1 SET MINVALUE 1 ...": ALTER COLUMN's form of the sequence options.
      std::string sets;
      const json& o = b["identity_options"];
      sets = " SET INCREMENT BY " + text(o, "increment") + " SET MINVALUE " + text(o, "min") + " SET MAXVALUE " +
             text(o, "max") + " SET START WITH " + text(o, "start") + " SET CACHE " + text(o, "cache") +
             (flag(o, "cycle") ? " SET CYCLE" : " SET NO CYCLE");
      steps.push_back({column + sets});
    }
  }
  if (text(a, "storage") != text(b, "storage")) {
    const std::string back_to_type = text(a, "storage").substr(text(a, "storage").find('/') + 1);
    steps.push_back({storage_step(after, c.to, b.contains("storage") ? text(b, "storage") : back_to_type)});
  }
  return steps;
}

std::optional<std::vector<Step>> alter_table_object(const Object& before, const Object& after) {
  const json &a = before.fields, &b = after.fields;
  // "inherits": see inheritance_steps.
  if (a.value("partition_key", json()) != b.value("partition_key", json())) return std::nullopt;
  const bool repartitioned = a.value("partition_of", json()) != b.value("partition_of", json()) ||
                             a.value("bound", json()) != b.value("bound", json());
  if (repartitioned && !(a.contains("partition_of") && b.contains("partition_of"))) return std::nullopt;
  const std::string table = "ALTER TABLE " + after.name;
  std::vector<Step> steps;
  if (repartitioned) {
    // A partition's new bounds (or parent) keep its rows: ATTACH checks them against the new bounds.
    steps.push_back({"ALTER TABLE " + text(a, "partition_of") + " DETACH PARTITION " + after.name});
    steps.push_back({"ALTER TABLE " + text(b, "partition_of") + " ATTACH PARTITION " + after.name + " " + text(b, "bound")});
  }
  if (text(a, "persistence") != text(b, "persistence")) {
    steps.push_back({table + (text(b, "persistence") == "u" ? " SET UNLOGGED" : " SET LOGGED")});
  }
  if (a.value("options", json()) != b.value("options", json())) options_steps(table, a, b, steps);
  if (flag(a, "rls") != flag(b, "rls")) steps.push_back({table + (flag(b, "rls") ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY"});
  if (flag(a, "force_rls") != flag(b, "force_rls")) {
    steps.push_back({table + (flag(b, "force_rls") ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY"});
  }
  return steps;
}

// Values only added (in order): ADD VALUE. Same count with some renamed: RENAME VALUE.
std::optional<std::vector<Step>> alter_enum(const Object& before, const Object& after) {
  const std::vector<std::string> a = before.fields["labels"], b = after.fields["labels"];
  std::vector<Step> steps;
  std::size_t i = 0;
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (i < a.size() && a[i] == b[j]) {
      ++i;
      continue;
    }
    steps.push_back({"ALTER TYPE " + after.name + " ADD VALUE " + literal(b[j]) +
                         (i < a.size() ? " BEFORE " + literal(a[i]) : j > 0 ? " AFTER " + literal(b[j - 1]) : ""),
                     true, after.name, literal(b[j])});
  }
  if (i == a.size()) return steps;
  if (a.size() != b.size()) return std::nullopt;
  steps.clear();
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] == b[k]) continue;
    if (std::find(a.begin(), a.end(), b[k]) != a.end()) return std::nullopt;  // reordered, not renamed
    steps.push_back({"ALTER TYPE " + after.name + " RENAME VALUE " + literal(a[k]) + " TO " + literal(b[k])});
  }
  return steps;
}

std::string strip_deferrable(std::string def) {
  for (const char* clause : {" NOT DEFERRABLE", " DEFERRABLE", " INITIALLY DEFERRED", " INITIALLY IMMEDIATE"}) {
    for (auto at = def.find(clause); at != std::string::npos; at = def.find(clause)) def.erase(at, std::string(clause).size());
  }
  return def;
}

std::optional<std::vector<Step>> alter_constraint(const Object& before, const Object& after, const DdlContext& c) {
  const std::string a = text(before.fields, "def"), b = text(after.fields, "def");
  const std::string table = alter_table(after, c.to);
  if (a == b + " NOT VALID") return std::vector<Step>{{table + " VALIDATE CONSTRAINT " + after.name}};
  if (text(after.fields, "type") == "f" && strip_deferrable(a) == strip_deferrable(b)) {
    const bool deferrable = b.find(" DEFERRABLE") != std::string::npos && b.find(" NOT DEFERRABLE") == std::string::npos;
    const bool deferred = b.find("INITIALLY DEFERRED") != std::string::npos;
    return std::vector<Step>{{table + " ALTER CONSTRAINT " + after.name + (deferrable ? " DEFERRABLE" : " NOT DEFERRABLE") +
                              (deferred ? " INITIALLY DEFERRED" : " INITIALLY IMMEDIATE")}};
  }
  return std::nullopt;
}

}  // namespace

bool inlines_into_parent(const std::string& child_kind) { return child_kind == "column" || child_kind == "default"; }

int kind_rank(const Object& o) {
  static const std::map<std::string, int> kRank = {
      {"schema", 0},  {"extension", 1}, {"enum", 2},        {"domain", 3},  {"domain-constraint", 4}, {"composite", 4},
      {"sequence", 5}, {"function", 6}, {"table", 7},       {"column", 8},  {"default", 9},
      {"sequence-owner", 10}, {"partition-column", 10}, {"constraint", 11}, {"index", 14}, {"view", 15}, {"matview", 16},
      {"trigger", 17}, {"policy", 18}, {"comment", 19}, {"grant", 20}};
  auto it = kRank.find(o.kind);
  int rank = it == kRank.end() ? 21 : it->second;
  if (o.kind == "constraint") rank += text(o.fields, "type") == "c" ? 1 : text(o.fields, "type") == "f" ? 2 : 0;
  return rank;
}

namespace {

using Inlined = std::vector<const Object*>;
using Steps = std::vector<Step>;
using MaybeSteps = std::optional<Steps>;

// One row per object kind: how it is created, dropped, and altered in place
// (nullopt from `alter`: it must be dropped and created again; no `alter`: always).
struct KindDdl {
  std::function<Steps(const Object&, const Inlined&, const DdlContext&)> create;
  std::function<Steps(const Object&, const DdlContext&)> drop;
  std::function<MaybeSteps(const Object&, const Object&, const DdlContext&)> alter;
};

Steps create_enum(const Object& o, const Inlined&, const DdlContext&) {
  std::string labels;
  for (const auto& l : o.fields["labels"]) labels += (labels.empty() ? "" : ", ") + literal(l.get<std::string>());
  return {{"CREATE TYPE " + o.name + " AS ENUM (" + labels + ")"}};
}

Steps create_composite(const Object& o, const Inlined&, const DdlContext&) {
  std::string attributes;
  for (const auto& a : o.fields["attributes"]) {
    attributes += (attributes.empty() ? "" : ", ") + a["name"].get<std::string>() + " " + a["type"].get<std::string>();
    if (a.contains("collation") && a["collation"].is_string()) attributes += " COLLATE " + a["collation"].get<std::string>();
  }
  return {{"CREATE TYPE " + o.name + " AS (" + attributes + ")"}};
}

Steps create_domain(const Object& o, const Inlined&, const DdlContext&) {
  const json& f = o.fields;
  std::string sql = "CREATE DOMAIN " + o.name + " AS " + type_clause(f);
  if (f.contains("default")) sql += " DEFAULT " + text(f, "default");
  if (flag(f, "not_null")) sql += " NOT NULL";
  return {{sql}};
}

MaybeSteps alter_domain(const Object& before, const Object& after, const DdlContext&) {
  const json &a = before.fields, &b = after.fields;
  if (type_clause(a) != type_clause(b)) return std::nullopt;
  Steps steps;
  const std::string domain = "ALTER DOMAIN " + after.name;
  if (text(a, "default") != text(b, "default")) {
    steps.push_back({domain + (b.contains("default") ? " SET DEFAULT " + text(b, "default") : " DROP DEFAULT")});
  }
  if (flag(a, "not_null") != flag(b, "not_null")) steps.push_back({domain + (flag(b, "not_null") ? " SET NOT NULL" : " DROP NOT NULL")});
  return steps;
}

MaybeSteps alter_sequence(const Object& before, const Object& after, const DdlContext&) {
  const json &a = before.fields, &b = after.fields;
  // A raised MINVALUE (or lowered MAXVALUE) refuses the current value: restart at START.
  const bool narrower = b.value("min", 0LL) > a.value("min", 0LL) || b.value("max", 0LL) < a.value("max", 0LL);
  return Steps{{"ALTER SEQUENCE " + after.name + sequence_options(b, true) + (narrower ? " RESTART" : "")}};
}

// A parent's ADD COLUMN reaches the tables inheriting from it: a child's
// column that comes from a parent is added only if the parent's has not.
Steps create_column(const Object& o, const Inlined& inlined, const DdlContext& c) {
  const Object* default_value = inlined.empty() ? nullptr : inlined.front();
  const std::string if_not_exists = inherited_column_sources(o, c.to).empty() ? "" : "IF NOT EXISTS ";
  Steps steps = {{alter_table(o, c.to) + " ADD COLUMN " + if_not_exists + column_definition(o, default_value)}};
  if (o.fields.contains("storage")) steps.push_back({storage_step(o, c.to, text(o.fields, "storage"))});
  return steps;
}

// A parent's DROP COLUMN reaches the tables inheriting from it: ONLY when a
// child keeps the column (PostgreSQL then makes it the child's own), and a
// child's column that comes from a parent is dropped only if it is still there
// (it was the child's own too).
Steps drop_column(const Object& o, const DdlContext& c) {
  const Object& table = parent_of(o, c.from);
  bool kept_by_a_child = false;
  for (const auto& [key, child] : c.from.objects) {
    if (inherits_from(child, table.name) && c.to.find("column " + child.name + "." + o.name)) kept_by_a_child = true;
  }
  const std::string if_exists = inherited_column_sources(o, c.from).empty() ? "" : "IF EXISTS ";
  return {{"ALTER TABLE " + std::string(kept_by_a_child ? "ONLY " : "") + table.name + " DROP COLUMN " + if_exists + o.name}};
}

Steps create_index(const Object& o, const Inlined&, const DdlContext& c) {
  const Object& table = parent_of(o, c.to);
  const bool online = c.online && !c.created.count(table.key) && !partitioned(table);
  if (!online) return {{index_sql(o, false)}};
  return {{index_sql(o, true), false, {}, {}, index_sql(o, false)}};
}

MaybeSteps alter_view(const Object& before, const Object& after, const DdlContext&) {
  if (text(before.fields, "def") != text(after.fields, "def")) return std::nullopt;
  Steps steps;
  options_steps("ALTER " + relation_word(after) + " " + after.name, before.fields, after.fields, steps);
  return steps;
}

// EXECUTE for PUBLIC on a function the plan creates: CREATE FUNCTION grants it.
bool implicit_on_creation(const Object& grant, const DdlContext& c) {
  const Object& target = parent_of(grant, c.to);
  return target.kind == "function" && c.created.count(target.key) && text(grant.fields, "grantee") == "PUBLIC" &&
         text(grant.fields, "privilege") == "EXECUTE";
}

// A new function may be executed by PUBLIC unless it is revoked: when the
// model grants PUBLIC nothing on it, the creation revokes that.
Steps create_function(const Object& o, const Inlined&, const DdlContext& c) {
  Steps steps = {{trimmed(text(o.fields, "def"))}};
  if (!c.to.find("grant " + o.key + " PUBLIC EXECUTE")) steps.push_back({"REVOKE EXECUTE ON " + function_word(o) + " " + o.name + " FROM PUBLIC"});
  return steps;
}

MaybeSteps alter_function(const Object& before, const Object& after, const DdlContext&) {
  for (const char* fixed : {"result", "args", "kind"}) {
    if (text(before.fields, fixed) != text(after.fields, fixed)) return std::nullopt;
  }
  return Steps{{trimmed(text(after.fields, "def"))}};
}

Steps create_trigger(const Object& o, const Inlined&, const DdlContext& c) {
  Steps steps = {{text(o.fields, "def")}};
  if (text(o.fields, "enabled") != "O") steps.push_back({trigger_state_sql(o, c.to)});
  return steps;
}

MaybeSteps alter_trigger(const Object& before, const Object& after, const DdlContext& c) {
  if (text(before.fields, "def") != text(after.fields, "def")) return std::nullopt;
  return Steps{{trigger_state_sql(after, c.to)}};
}

// A partition's own default or NOT NULL, where it differs from its parent's
// ("of"): its parent's ALTER COLUMN ... SET/DROP DEFAULT reaches the partitions,
// so the own value is set again after any change of the parent's ("parent_default").
std::string partition_column(const Object& o, const Catalog& catalog) {
  return "ALTER TABLE " + parent_of(o, catalog).name + " ALTER COLUMN " + o.name;
}

Steps partition_column_steps(const json& a, const Object& after, const DdlContext& c) {
  const json& b = after.fields;
  const std::string column = partition_column(after, c.to);
  Steps steps;
  if (text(a, "default") != text(b, "default") || text(a, "parent_default") != text(b, "parent_default") || a.empty()) {
    if (b.contains("default")) {
      steps.push_back({column + " SET DEFAULT " + text(b, "default")});
    } else if (b.contains("parent_default") || a.contains("default")) {
      steps.push_back({column + " DROP DEFAULT"});
    }
  }
  if (flag(a, "not_null") != flag(b, "not_null")) steps.push_back({column + (flag(b, "not_null") ? " SET NOT NULL" : " DROP NOT NULL")});
  return steps;
}

// Back to what the parent gives it (the parent's new default; NOT NULL only if the parent's column has it).
Steps reset_partition_column(const Object& o, const DdlContext& c) {
  const std::string of = text(o.fields, "of");
  const Object* parent_default = c.to.find("default " + of + "." + o.name);
  const Object* parent_column = c.to.find("column " + of + "." + o.name);
  const std::string column = partition_column(o, c.from);
  Steps steps;
  if (text(o.fields, "default") != text(o.fields, "parent_default")) {
    steps.push_back({parent_default ? column + " SET DEFAULT " + text(parent_default->fields, "expr") : column + " DROP DEFAULT"});
  }
  if (flag(o.fields, "not_null") && !(parent_column && flag(parent_column->fields, "not_null"))) steps.push_back({column + " DROP NOT NULL"});
  return steps;
}

// A new version through the update scripts the extension ships. A down plan
// (offline) leaves the version as it is: extensions ship upgrade paths, not
// downgrades, so the older schema runs on the newer extension version.
MaybeSteps alter_extension(const Object& before, const Object& after, const DdlContext& c) {
  Steps steps;
  if (text(before.fields, "schema") != text(after.fields, "schema")) {
    steps.push_back({"ALTER EXTENSION " + after.name + " SET SCHEMA " + text(after.fields, "schema")});
  }
  if (c.online && text(before.fields, "version") != text(after.fields, "version")) {
    steps.push_back({"ALTER EXTENSION " + after.name + " UPDATE TO " + literal(text(after.fields, "version"))});
  }
  return steps;
}

// Kinds whose new state is simply created again over the old one.
MaybeSteps recreate_in_place(const Object&, const Object& after, const DdlContext& c);

const std::map<std::string, KindDdl>& kind_ddl() {
  static const std::map<std::string, KindDdl> kKinds = {
      {"schema", {[](const Object& o, const Inlined&, const DdlContext&) { return Steps{{"CREATE SCHEMA IF NOT EXISTS " + o.name}}; },
                  [](const Object& o, const DdlContext&) { return Steps{{"DROP SCHEMA " + o.name}}; }, nullptr}},
      {"extension",
       {[](const Object& o, const Inlined&, const DdlContext&) {
          const std::string version = o.fields.contains("version") ? " VERSION " + literal(text(o.fields, "version")) : "";
          return Steps{{"CREATE EXTENSION IF NOT EXISTS " + o.name + " WITH SCHEMA " + text(o.fields, "schema") + version}};
        },
        [](const Object& o, const DdlContext&) { return Steps{{"DROP EXTENSION " + o.name}}; }, alter_extension}},
      {"enum", {create_enum, [](const Object& o, const DdlContext&) { return Steps{{"DROP TYPE " + o.name}}; },
                [](const Object& before, const Object& after, const DdlContext&) { return alter_enum(before, after); }}},
      {"composite", {create_composite, [](const Object& o, const DdlContext&) { return Steps{{"DROP TYPE " + o.name}}; }, nullptr}},
      {"domain", {create_domain, [](const Object& o, const DdlContext&) { return Steps{{"DROP DOMAIN " + o.name}}; }, alter_domain}},
      {"domain-constraint",
       {[](const Object& o, const Inlined&, const DdlContext& c) {
          return Steps{{"ALTER DOMAIN " + parent_of(o, c.to).name + " ADD CONSTRAINT " + o.name + " " + text(o.fields, "def")}};
        },
        [](const Object& o, const DdlContext& c) {
          return Steps{{"ALTER DOMAIN " + parent_of(o, c.from).name + " DROP CONSTRAINT " + o.name}};
        },
        nullptr}},
      // DROP ... IF EXISTS: a sequence OWNED BY a dropped column went with it.
      {"sequence", {[](const Object& o, const Inlined&, const DdlContext&) { return Steps{{"CREATE SEQUENCE " + o.name + sequence_options(o.fields, true)}}; },
                    [](const Object& o, const DdlContext&) { return Steps{{"DROP SEQUENCE IF EXISTS " + o.name}}; }, alter_sequence}},
      {"sequence-owner",
       {[](const Object& o, const Inlined&, const DdlContext&) { return Steps{{"ALTER SEQUENCE " + o.name + " OWNED BY " + text(o.fields, "column")}}; },
        [](const Object& o, const DdlContext&) { return Steps{{"ALTER SEQUENCE " + o.name + " OWNED BY NONE"}}; }, recreate_in_place}},
      {"table", {create_table, [](const Object& o, const DdlContext&) { return Steps{{"DROP TABLE " + o.name}}; },
                 [](const Object& before, const Object& after, const DdlContext&) { return alter_table_object(before, after); }}},
      {"column", {create_column, drop_column, alter_column}},
      {"partition-column",
       {[](const Object& o, const Inlined&, const DdlContext& c) { return partition_column_steps(json::object(), o, c); },
        reset_partition_column,
        [](const Object& before, const Object& after, const DdlContext& c) { return MaybeSteps(partition_column_steps(before.fields, after, c)); }}},
      {"default",
       {[](const Object& o, const Inlined&, const DdlContext& c) {
          return Steps{{alter_table(o, c.to) + " ALTER COLUMN " + o.name + " SET DEFAULT " + text(o.fields, "expr")}};
        },
        [](const Object& o, const DdlContext& c) { return Steps{{alter_table(o, c.from) + " ALTER COLUMN " + o.name + " DROP DEFAULT"}}; },
        recreate_in_place}},
      {"constraint", {[](const Object& o, const Inlined&, const DdlContext& c) { return create_constraint(o, c); },
                      [](const Object& o, const DdlContext& c) { return Steps{{alter_table(o, c.from) + " DROP CONSTRAINT " + o.name}}; },
                      alter_constraint}},
      {"index", {create_index, [](const Object& o, const DdlContext&) { return Steps{{"DROP INDEX " + o.name}}; }, nullptr}},
      {"view", {[](const Object& o, const Inlined&, const DdlContext&) { return Steps{{view_sql(o)}}; },
                [](const Object& o, const DdlContext&) { return Steps{{"DROP VIEW " + o.name}}; }, alter_view}},
      {"matview", {[](const Object& o, const Inlined&, const DdlContext&) { return Steps{{view_sql(o)}}; },
                   [](const Object& o, const DdlContext&) { return Steps{{"DROP MATERIALIZED VIEW " + o.name}}; }, alter_view}},
      {"function", {create_function,
                    [](const Object& o, const DdlContext&) { return Steps{{"DROP " + function_word(o) + " " + o.name}}; }, alter_function}},
      {"trigger", {create_trigger,
                   [](const Object& o, const DdlContext& c) { return Steps{{"DROP TRIGGER " + o.name + " ON " + parent_of(o, c.from).name}}; },
                   alter_trigger}},
      {"policy", {[](const Object& o, const Inlined&, const DdlContext& c) { return Steps{{policy_sql(o, c.to)}}; },
                  [](const Object& o, const DdlContext& c) { return Steps{{"DROP POLICY " + o.name + " ON " + parent_of(o, c.from).name}}; },
                  nullptr}},
      {"comment",
       {[](const Object& o, const Inlined&, const DdlContext& c) {
          return Steps{{"COMMENT ON " + commented(o, c.to) + " IS " + literal(text(o.fields, "text"))}};
        },
        [](const Object& o, const DdlContext& c) { return Steps{{"COMMENT ON " + commented(o, c.from) + " IS NULL"}}; },
        recreate_in_place}},
      {"grant",
       {[](const Object& o, const Inlined&, const DdlContext& c) {
          const bool grantable = text(o.fields, "grantable") == "true";
          if (implicit_on_creation(o, c) && !grantable) return Steps{};
          return Steps{{"GRANT " + grant_target(o, c.to) + " TO " + text(o.fields, "grantee") + (grantable ? " WITH GRANT OPTION" : "")}};
        },
        [](const Object& o, const DdlContext& c) { return Steps{{"REVOKE " + grant_target(o, c.from) + " FROM " + text(o.fields, "grantee")}}; },
        nullptr}},
  };
  return kKinds;
}

const KindDdl& ddl_of(const Object& o) {
  const auto it = kind_ddl().find(o.kind);
  if (it == kind_ddl().end()) throw std::logic_error("no DDL for " + o.key);
  return it->second;
}

MaybeSteps recreate_in_place(const Object&, const Object& after, const DdlContext& c) { return ddl_of(after).create(after, {}, c); }

}  // namespace

std::vector<Step> create_steps(const Object& o, const std::vector<const Object*>& inlined, const DdlContext& c) {
  return ddl_of(o).create(o, inlined, c);
}

std::vector<Step> drop_steps(const Object& o, const DdlContext& c) { return ddl_of(o).drop(o, c); }

std::optional<std::vector<Step>> alter_steps(const Object& before, const Object& after, const DdlContext& c) {
  const KindDdl& ddl = ddl_of(after);
  if (!ddl.alter) return std::nullopt;
  return ddl.alter(before, after, c);
}

namespace {

// "schema"."name" or schema.name: the schema as written, the name unquoted.
std::pair<std::string, std::string> split_qualified(const std::string& name) {
  bool quoted = false;
  std::size_t dot = std::string::npos;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '"') quoted = !quoted;
    if (name[i] == '.' && !quoted) dot = i;
  }
  const std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
  std::string raw = last;
  if (last.size() >= 2 && last.front() == '"') {
    raw.clear();
    for (std::size_t i = 1; i + 1 < last.size(); ++i) {
      raw += last[i];
      if (last[i] == '"') ++i;  // "" inside quotes is one "
    }
  }
  return {dot == std::string::npos ? "" : name.substr(0, dot), raw};
}

// The name the old type has while its columns move to the new one.
// 54 bytes of the name (whole UTF-8 characters) + "__mig_old": within NAMEDATALEN.
std::string old_enum_identifier(const Object& type) {
  std::string raw = split_qualified(type.name).second;
  if (raw.size() > 54) {
    std::size_t cut = 54;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw.resize(cut);
  }
  return quoted(raw + "__mig_old");
}

std::string old_enum_name(const Object& type) {
  const std::string schema = split_qualified(type.name).first;
  return (schema.empty() ? "" : schema + ".") + old_enum_identifier(type);
}

}  // namespace

std::vector<Step> inheritance_steps(const Object& before, const Object& after, bool adding) {
  const json none = json::array();
  const json& old_parents = before.fields.contains("inherits") ? before.fields["inherits"] : none;
  const json& new_parents = after.fields.contains("inherits") ? after.fields["inherits"] : none;
  const json& from = adding ? new_parents : old_parents;
  const json& other = adding ? old_parents : new_parents;
  std::vector<Step> steps;
  for (const auto& p : from) {
    if (std::find(other.begin(), other.end(), p) != other.end()) continue;
    steps.push_back({"ALTER TABLE " + after.name + (adding ? " INHERIT " : " NO INHERIT ") + p.get<std::string>()});
  }
  return steps;
}

bool inherits_from(const Object& table, const std::string& parent_name) {
  if (table.kind != "table" || !table.fields.contains("inherits")) return false;
  const json& parents = table.fields["inherits"];
  return std::find(parents.begin(), parents.end(), parent_name) != parents.end();
}

std::vector<std::string> inherited_column_sources(const Object& column, const Catalog& catalog) {
  std::vector<std::string> sources;
  const Object* table = catalog.find(column.parent);
  if (!table || !table->fields.contains("inherits")) return sources;
  for (const auto& p : table->fields["inherits"]) {
    const std::string key = "column " + p.get<std::string>() + "." + column.name;
    if (catalog.find(key)) sources.push_back(key);
  }
  return sources;
}

std::vector<Step> recreate_enum_steps(const Object& before, const Object& after, const DdlContext& c) {
  std::vector<Step> steps = {{"ALTER TYPE " + before.name + " RENAME TO " + old_enum_identifier(before)}};
  for (Step& s : create_enum(after, {}, c)) steps.push_back(std::move(s));
  return steps;
}

Step recast_column_step(const Object& column, const Object& type, const DdlContext& c) {
  const std::string column_type = text(column.fields, "type");
  const std::string via = column_type == type.name + "[]" ? "::text[]::" : "::text::";
  return {alter_table(column, c.to) + " ALTER COLUMN " + column.name + " TYPE " + type_clause(column.fields) + " USING " +
          column.name + via + column_type};
}

Step drop_old_enum_step(const Object& before) { return {"DROP TYPE " + old_enum_name(before)}; }

bool alter_rebuilds_dependents(const Object& before, const Object& after) {
  if (after.kind != "column") return false;
  return text(before.fields, "type") != text(after.fields, "type") ||
         text(before.fields, "collation") != text(after.fields, "collation");
}

}  // namespace mig::diff
