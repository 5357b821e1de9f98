#include "dryrun/schema.hpp"

#include <algorithm>
#include <sstream>

#include "catalog/catalog.hpp"
#include "text/source_text.hpp"

namespace mig {

// Column order is not part of it: re-adding a column in a down migration puts
// it last, which no query notices.
std::vector<std::string> describe_schema(Database& db, const HistoryTableName& history) {
  return catalog::catalog_lines(catalog::read_catalog(db, history));
}

std::vector<std::string> round_trip_schema(Database& db, const HistoryTableName& history) {
  return catalog::catalog_lines(catalog::without_extension_versions(catalog::read_catalog(db, history)));
}

std::vector<std::string> read_schema_file(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(read_file_bytes(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> schema_diff(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  return catalog::line_difference(expected, actual);
}

}  // namespace mig
