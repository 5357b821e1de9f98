#include "tree.hpp"

namespace mig::lint {
namespace {
const Tree kEmpty = Tree::object();
const Tree kEmptyList = Tree::array();
}

std::string string_value(const Tree& node) {
  const Tree& s = unwrap(node, "String");
  if (s.contains("sval")) return s["sval"].get<std::string>();
  if (s.contains("str")) return s["str"].get<std::string>();
  return "";
}

std::string relation_name(const Tree& range_var) {
  const std::string name = text(range_var, "relname");
  const std::string schema = text(range_var, "schemaname");
  return schema.empty() ? name : schema + "." + name;
}

std::string type_name(const Tree& type) {
  if (!type.is_object() || !type.contains("names") || type["names"].empty()) return "";
  return string_value(type["names"].back());
}

std::size_t location_of(const Tree& node, std::size_t fallback) {
  if (node.is_object() && node.contains("location") && node["location"].is_number_integer()) {
    const auto at = node["location"].get<long long>();
    if (at >= 0) return static_cast<std::size_t>(at);
  }
  return fallback;
}

bool has_option(const Tree& options, const std::string& option) {
  if (!options.is_array()) return false;
  for (const Tree& o : options) {
    if (text(unwrap(o, "DefElem"), "defname") == option) return true;
  }
  return false;
}

const Tree& unwrap(const Tree& node, const char* type) {
  if (node.is_object()) {
    auto it = node.find(type);
    if (it != node.end()) return *it;
  }
  return kEmpty;
}

const Tree& field(const Tree& node, const char* name) {
  if (node.is_object()) {
    auto it = node.find(name);
    if (it != node.end() && it->is_object()) return *it;
  }
  return kEmpty;
}

const Tree& list(const Tree& node, const char* name) {
  if (node.is_object()) {
    auto it = node.find(name);
    if (it != node.end() && it->is_array()) return *it;
  }
  return kEmptyList;
}

bool flag(const Tree& node, const char* field) {
  if (!node.is_object()) return false;
  auto it = node.find(field);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

std::string text(const Tree& node, const char* field) {
  if (!node.is_object()) return "";
  auto it = node.find(field);
  return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

void for_each_node(const Tree& tree, const char* type, const std::function<void(const Tree&)>& visit) {
  if (tree.is_object()) {
    for (auto it = tree.begin(); it != tree.end(); ++it) {
      if (it.key() == type) visit(it.value());
      for_each_node(it.value(), type, visit);
    }
  } else if (tree.is_array()) {
    for (const Tree& item : tree) for_each_node(item, type, visit);
  }
}

}  // namespace mig::lint
