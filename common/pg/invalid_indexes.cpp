#include "pg/invalid_indexes.hpp"

#include "pg/db.hpp"

namespace mig {

const char* invalid_indexes_sql() {
  // Indexes a session is building right now are invalid until done: left out.
  return "SELECT indexrelid::regclass::text, indrelid::regclass::text FROM pg_catalog.pg_index "
         "WHERE NOT indisvalid AND indexrelid >= 16384 "
         "AND indexrelid NOT IN (SELECT index_relid FROM pg_catalog.pg_stat_progress_create_index WHERE index_relid IS NOT NULL)";
}

std::vector<InvalidIndex> invalid_indexes_from(const QueryResult& result) {
  std::vector<InvalidIndex> out;
  for (const Row& r : result.rows) out.push_back({r[0].value_or(""), r[1].value_or("")});
  return out;
}

std::vector<InvalidIndex> invalid_indexes(Database& db) { return invalid_indexes_from(db.query(invalid_indexes_sql())); }

std::vector<std::string> invalid_indexes_of(Database& db, const std::string& table) {
  std::vector<std::string> out;
  for (const Row& r : db.query("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid "
                               "AND indrelid = to_regclass(" + db.literal(table) + ")").rows) {
    out.push_back(r[0].value_or(""));
  }
  return out;
}

std::string describe(const std::vector<InvalidIndex>& indexes) {
  std::string text;
  for (const InvalidIndex& i : indexes) text += (text.empty() ? "" : ", ") + i.index + " on " + i.table;
  return text;
}

}  // namespace mig
