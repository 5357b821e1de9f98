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

namespace {

// The fields a comparison looks at: the object's own, or (only for the few
// objects whose left-out field is set) a trimmed copy in `trimmed`.
const nlohmann::json& compared_fields(const Object& object, const Comparison& compare, nlohmann::json& trimmed) {
  const char* left_out = nullptr;
  if (!compare.index_validity && object.kind == "index") left_out = "invalid";
  if (!compare.extension_versions && object.kind == "extension") left_out = "version";
  if (left_out == nullptr || !object.fields.contains(left_out)) return object.fields;
  trimmed = object.fields;
  trimmed.erase(left_out);
  return trimmed;
}

}  // namespace

std::vector<std::string> catalog_difference(const Catalog& expected, const Catalog& actual, const Comparison& compare) {
  std::vector<std::string> missing, extra;
  nlohmann::json trimmed_a, trimmed_b;
  auto a = expected.objects.begin(), b = actual.objects.begin();
  auto line = [](const std::string& key, const nlohmann::json& fields) { return key + " " + fields.dump(); };
  while (a != expected.objects.end() || b != actual.objects.end()) {
    if (b == actual.objects.end() || (a != expected.objects.end() && a->first < b->first)) {
      missing.push_back(line(a->first, compared_fields(a->second, compare, trimmed_a)));
      ++a;
    } else if (a == expected.objects.end() || b->first < a->first) {
      extra.push_back(line(b->first, compared_fields(b->second, compare, trimmed_b)));
      ++b;
    } else {
      const nlohmann::json& fa = compared_fields(a->second, compare, trimmed_a);
      const nlohmann::json& fb = compared_fields(b->second, compare, trimmed_b);
      if (fa != fb) {
        missing.push_back(line(a->first, fa));
        extra.push_back(line(b->first, fb));
      }
      ++a;
      ++b;
    }
  }
  std::sort(missing.begin(), missing.end());
  std::sort(extra.begin(), extra.end());
  std::vector<std::string> diff;
  diff.reserve(missing.size() + extra.size());
  for (const auto& l : missing) diff.push_back("- " + l);
  for (const auto& l : extra) diff.push_back("+ " + l);
  return diff;
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
