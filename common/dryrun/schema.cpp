#include "schema.hpp"

#include <algorithm>
#include <iterator>

#include <sstream>

#include "db.hpp"
#include "source_text.hpp"

namespace mig {
namespace {

// Column order (attnum) is left out: re-adding a column in a down migration
// puts it last, which no query notices.
const char* kSchemaQuery = R"SQL(
WITH user_ns AS (
  SELECT oid FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
), rel AS (
  SELECT c.oid, c.relkind FROM pg_class c
  WHERE c.relnamespace IN (SELECT oid FROM user_ns) AND c.oid IS DISTINCT FROM to_regclass(%HISTORY%)
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
)
SELECT line FROM (
  SELECT format('schema %I', nspname) AS line FROM pg_namespace WHERE oid IN (SELECT oid FROM user_ns)
  UNION ALL SELECT format('extension %I', extname) FROM pg_extension
  UNION ALL SELECT format('table %s', oid::regclass) FROM rel WHERE relkind IN ('r', 'p')
  UNION ALL SELECT format('sequence %s', oid::regclass) FROM rel WHERE relkind = 'S'
  UNION ALL SELECT format('view %s: %s', oid::regclass, regexp_replace(pg_get_viewdef(oid), '\s+', ' ', 'g')) FROM rel WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT format('column %s.%I %s%s%s%s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''),
                CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END)
  FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid AND rel.relkind IN ('r', 'p', 'v', 'm', 'f')
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT format('constraint %s %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
  FROM pg_constraint WHERE conrelid IN (SELECT oid FROM rel)
  UNION ALL SELECT format('index %s', pg_get_indexdef(indexrelid)) FROM pg_index WHERE indrelid IN (SELECT oid FROM rel)
  UNION ALL
  SELECT format('trigger %s', pg_get_triggerdef(t.oid)) FROM pg_trigger t WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT oid FROM rel)
  UNION ALL
  SELECT format('function %s', regexp_replace(pg_get_functiondef(p.oid), '\s+', ' ', 'g'))
  FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM user_ns) AND p.prokind IN ('f', 'p')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT format('type %s enum (%s)', t.oid::regtype, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder))
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace IN (SELECT oid FROM user_ns) GROUP BY t.oid
) schema ORDER BY line COLLATE "C"
)SQL";

}  // namespace

std::vector<std::string> describe_schema(Database& db, const HistoryTableName& history) {
  std::string sql = kSchemaQuery;
  const std::string history_name = db.literal(db.identifier(history.schema) + "." + db.identifier(history.table));
  sql.replace(sql.find("%HISTORY%"), 9, history_name);
  std::vector<std::string> lines;
  for (const Row& row : db.query(sql).rows) lines.push_back(row[0].value_or(""));
  return lines;
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
  std::vector<std::string> missing, extra, diff;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  for (const auto& l : missing) diff.push_back("- " + l);
  for (const auto& l : extra) diff.push_back("+ " + l);
  return diff;
}

}  // namespace mig
