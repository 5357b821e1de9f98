#include "catalog/catalog.hpp"

#include <algorithm>
#include <iterator>

namespace mig::catalog {

const Object* Catalog::find(const std::string& key) const {
  auto it = objects.find(key);
  return it == objects.end() ? nullptr : &it->second;
}

Catalog with_indexes_valid(Catalog catalog) {
  for (auto& [key, object] : catalog.objects) {
    if (object.kind == "index") object.fields.erase("invalid");
  }
  return catalog;
}

Catalog without_extension_versions(Catalog catalog) {
  for (auto& [key, object] : catalog.objects) {
    if (object.kind == "extension") object.fields.erase("version");
  }
  return catalog;
}

std::vector<std::string> catalog_lines(const Catalog& catalog) {
  std::vector<std::string> lines;
  lines.reserve(catalog.objects.size());
  for (const auto& [key, object] : catalog.objects) lines.push_back(key + " " + object.fields.dump());
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> catalog_difference(const Catalog& expected, const Catalog& actual) {
  return line_difference(catalog_lines(expected), catalog_lines(actual));
}

std::vector<std::string> line_difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> missing, extra, diff;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(missing));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(extra));
  for (const auto& l : missing) diff.push_back("- " + l);
  for (const auto& l : extra) diff.push_back("+ " + l);
  return diff;
}

}  // namespace mig::catalog
