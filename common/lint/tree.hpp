// Small readers for libpg_query's JSON parse trees (PostgreSQL 15 shapes).
#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace mig::lint {

using Tree = nlohmann::json;

// {"String":{"sval":"x"}} -> "x" (PostgreSQL 13's "str" too).
std::string string_value(const Tree& node);
// A RangeVar -> "schema.name" or "name".
std::string relation_name(const Tree& range_var);
// A TypeName -> its last name part: "int4", "serial", "json", "bpchar", ...
std::string type_name(const Tree& type);
// The "location" of a node (an offset in the statement), or `fallback`.
std::size_t location_of(const Tree& node, std::size_t fallback = 0);
// Whether a DefElem list (VACUUM/REINDEX options) names `option`.
bool has_option(const Tree& options, const std::string& option);
// The body of a wrapped node: {"ColumnDef":{...}} -> {...}, or an empty object.
const Tree& unwrap(const Tree& node, const char* type);
// A field of an object by reference, or an empty object / array when absent.
// (nlohmann's value() returns a copy: a reference into it would dangle.)
const Tree& field(const Tree& node, const char* name);
const Tree& list(const Tree& node, const char* name);
// A boolean field that libpg_query leaves out when false.
bool flag(const Tree& node, const char* field);
// A string field, or "" when absent.
std::string text(const Tree& node, const char* field);
// Calls `visit` for every object in the tree that holds `type` as a key.
void for_each_node(const Tree& tree, const char* type, const std::function<void(const Tree&)>& visit);

}  // namespace mig::lint
