#include "diff/renames.hpp"

#include <algorithm>

#include "catalog/catalog.hpp"
#include "pg/db.hpp"

namespace mig::diff {

std::vector<Rename> apply_renames(Database& db, const std::vector<Rename>& wanted) {
  std::vector<Rename> applied;
  for (const Rename& r : wanted) {
    const std::string table = quoted_table(r.schema, r.table);
    std::string check, sql;
    if (r.column.empty()) {
      check = "SELECT to_regclass(" + db.literal(quoted_table(r.schema, r.old_name)) + ") IS NOT NULL AND to_regclass(" +
              db.literal(table) + ") IS NULL";
      sql = "ALTER TABLE " + quoted_table(r.schema, r.old_name) + " RENAME TO " + quoted(r.table);
    } else {
      check = "SELECT count(*) FILTER (WHERE attname = " + db.literal(r.old_name) + ") = 1 AND count(*) FILTER (WHERE attname = " +
              db.literal(r.column) + ") = 0 FROM pg_attribute WHERE attrelid = to_regclass(" + db.literal(table) +
              ") AND attnum > 0 AND NOT attisdropped";
      sql = "ALTER TABLE " + table + " RENAME COLUMN " + quoted(r.old_name) + " TO " + quoted(r.column);
    }
    if (db.query(check).scalar().value_or("f") != "t") continue;
    db.query(sql);
    applied.push_back(r);
  }
  return applied;
}

std::vector<Step> rename_steps(const std::vector<Rename>& renames, bool reverse) {
  std::vector<Step> steps;
  for (const Rename& r : renames) {
    if (r.column.empty()) {
      steps.push_back({reverse ? "ALTER TABLE " + quoted_table(r.schema, r.table) + " RENAME TO " + quoted(r.old_name)
                               : "ALTER TABLE " + quoted_table(r.schema, r.old_name) + " RENAME TO " + quoted(r.table)});
    } else {
      steps.push_back({"ALTER TABLE " + quoted_table(r.schema, r.table) + " RENAME COLUMN " +
                       (reverse ? quoted(r.column) + " TO " + quoted(r.old_name) : quoted(r.old_name) + " TO " + quoted(r.column))});
    }
  }
  if (reverse) {
    // Columns back first (while their table has its new name), then the tables.
    std::stable_partition(steps.begin(), steps.end(), [](const Step& s) { return s.sql.find(" RENAME COLUMN ") != std::string::npos; });
  }
  return steps;
}

}  // namespace mig::diff
