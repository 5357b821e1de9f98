// Readers for libpg_query's JSON parse trees (PostgreSQL 15 shapes), as views
// into a simdjson DOM: decoding trees with nlohmann took half of mig-lint's
// time (bench/README.md). A Tree is valid until its parser parses again.
#pragma once
#include <simdjson.h>

#include <functional>
#include <string>
#include <vector>

namespace mig::lint {

// One JSON value of a parse tree, or nothing (a field that is absent).
class Tree {
 public:
  Tree() = default;
  explicit Tree(simdjson::dom::element element) : element_(element), present_(true) {}

  bool present() const { return present_; }
  bool is_object() const { return present_ && element_.type() == simdjson::dom::element_type::OBJECT; }
  bool is_array() const { return present_ && element_.type() == simdjson::dom::element_type::ARRAY; }
  // Absent, or an empty object or array.
  bool empty() const;
  const simdjson::dom::element& element() const { return element_; }

 private:
  simdjson::dom::element element_;
  bool present_ = false;
};

// A field of an object (absent when the node is no object or lacks it).
Tree field(const Tree& node, const char* name);
// The items of an array field (empty when absent).
std::vector<Tree> list(const Tree& node, const char* name);
// The body of a wrapped node: {"ColumnDef":{...}} -> {...}.
Tree unwrap(const Tree& node, const char* type);
// A string field, or "".
std::string text(const Tree& node, const char* field_name);
// A boolean field that libpg_query leaves out when false.
bool flag(const Tree& node, const char* field_name);
// An integer field, or `fallback`.
long long integer(const Tree& node, const char* field_name, long long fallback = 0);
// {"String":{"sval":"x"}} -> "x" (PostgreSQL 13's "str" too).
std::string string_value(const Tree& node);
// A RangeVar -> "schema.name" or "name".
std::string relation_name(const Tree& range_var);
// A TypeName -> its last name part: "int4", "serial", "json", "bpchar", ...
std::string type_name(const Tree& type);
// The "location" of a node (an offset in the statement), or `fallback`.
std::size_t location_of(const Tree& node, std::size_t fallback = 0);
// Whether a DefElem list (VACUUM/REINDEX options) names `option`.
bool has_option(const std::vector<Tree>& options, const std::string& option);
// Calls `visit` for every object in the tree that holds `type` as a key.
void for_each_node(const Tree& tree, const char* type, const std::function<void(const Tree&)>& visit);

}  // namespace mig::lint
