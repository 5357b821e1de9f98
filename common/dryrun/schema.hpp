// A database's schema as sorted lines of the catalog model (catalog/catalog.hpp),
// without the history table: comparable and diffable.
#pragma once
#include <string>
#include <vector>

#include "pg/history.hpp"

namespace mig {

class Database;

std::vector<std::string> describe_schema(Database& db, const HistoryTableName& history);

// The same without extension versions: what a down must restore (a down never
// downgrades an extension; catalog::without_extension_versions).
std::vector<std::string> round_trip_schema(Database& db, const HistoryTableName& history);
// A schema snapshot file (from --schema-out), as sorted lines.
std::vector<std::string> read_schema_file(const std::string& path);

// "- line" for lines only in `expected`, "+ line" for lines only in `actual`.
std::vector<std::string> schema_diff(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

}  // namespace mig
