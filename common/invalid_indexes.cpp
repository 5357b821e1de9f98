#include "invalid_indexes.hpp"

#include "db.hpp"

namespace mig {

std::vector<InvalidIndex> invalid_indexes(Database& db) {
  const QueryResult result = db.query(
      "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
      "AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid) "
      "ORDER BY 1");
  std::vector<InvalidIndex> out;
  for (const Row& r : result.rows) out.push_back({r[0].value_or(""), r[1].value_or("")});
  return out;
}

std::string describe(const std::vector<InvalidIndex>& indexes) {
  std::string text;
  for (const InvalidIndex& i : indexes) text += (text.empty() ? "" : ", ") + i.index + " on " + i.table;
  return text;
}

}  // namespace mig
