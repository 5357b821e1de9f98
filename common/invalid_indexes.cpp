#include "invalid_indexes.hpp"

#include "db.hpp"

namespace mig {

std::vector<InvalidIndex> invalid_indexes(Database& db) {
  // Cheap in the usual case (no row): a status run pays one small catalog read.
  const QueryResult found = db.query(
      "SELECT indexrelid::regclass::text, indrelid::regclass::text, indexrelid::text FROM pg_index "
      "WHERE NOT indisvalid AND indexrelid >= 16384");
  if (found.rows.empty()) return {};
  // Only then: leave out indexes a session is building right now (they are invalid until done).
  const QueryResult building = db.query("SELECT index_relid::text FROM pg_stat_progress_create_index");
  std::vector<InvalidIndex> out;
  for (const Row& r : found.rows) {
    const std::string oid = r[2].value_or("");
    bool in_progress = false;
    for (const Row& b : building.rows) in_progress = in_progress || b[0].value_or("") == oid;
    if (!in_progress) out.push_back({r[0].value_or(""), r[1].value_or("")});
  }
  return out;
}

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
