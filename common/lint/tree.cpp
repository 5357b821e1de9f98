#include "lint/tree.hpp"

namespace mig::lint {

bool Tree::empty() const {
  if (is_object()) return simdjson::dom::object(element_).size() == 0;
  if (is_array()) return simdjson::dom::array(element_).size() == 0;
  return !present_;
}

Tree field(const Tree& node, const char* name) {
  if (!node.is_object()) return Tree();
  simdjson::dom::element value;
  if (simdjson::dom::object(node.element()).at_key(name).get(value) != simdjson::SUCCESS) return Tree();
  return Tree(value);
}

std::vector<Tree> list(const Tree& node, const char* name) {
  std::vector<Tree> items;
  const Tree array = field(node, name);
  if (!array.is_array()) return items;
  for (simdjson::dom::element item : simdjson::dom::array(array.element())) items.emplace_back(item);
  return items;
}

Tree unwrap(const Tree& node, const char* type) { return field(node, type); }

std::string text(const Tree& node, const char* field_name) {
  const Tree value = field(node, field_name);
  std::string_view s;
  if (value.present() && value.element().get(s) == simdjson::SUCCESS) return std::string(s);
  return "";
}

bool flag(const Tree& node, const char* field_name) {
  const Tree value = field(node, field_name);
  bool b = false;
  return value.present() && value.element().get(b) == simdjson::SUCCESS && b;
}

long long integer(const Tree& node, const char* field_name, long long fallback) {
  const Tree value = field(node, field_name);
  int64_t n = 0;
  if (value.present() && value.element().get(n) == simdjson::SUCCESS) return n;
  return fallback;
}

std::string string_value(const Tree& node) {
  const Tree s = unwrap(node, "String");
  const std::string sval = text(s, "sval");
  return sval.empty() ? text(s, "str") : sval;
}

std::string relation_name(const Tree& range_var) {
  const std::string name = text(range_var, "relname");
  const std::string schema = text(range_var, "schemaname");
  return schema.empty() ? name : schema + "." + name;
}

std::string type_name(const Tree& type) {
  const std::vector<Tree> names = list(type, "names");
  return names.empty() ? "" : string_value(names.back());
}

std::size_t location_of(const Tree& node, std::size_t fallback) {
  const long long at = integer(node, "location", -1);
  return at >= 0 ? static_cast<std::size_t>(at) : fallback;
}

bool has_option(const std::vector<Tree>& options, const std::string& option) {
  for (const Tree& o : options) {
    if (text(unwrap(o, "DefElem"), "defname") == option) return true;
  }
  return false;
}

void for_each_node(const Tree& tree, const char* type, const std::function<void(const Tree&)>& visit) {
  if (tree.is_object()) {
    for (auto [key, value] : simdjson::dom::object(tree.element())) {
      if (key == type) visit(Tree(value));
      for_each_node(Tree(value), type, visit);
    }
  } else if (tree.is_array()) {
    for (simdjson::dom::element item : simdjson::dom::array(tree.element())) for_each_node(Tree(item), type, visit);
  }
}

}  // namespace mig::lint
