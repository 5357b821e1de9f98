#include "diff/checkpoint.hpp"

#include "base/errors.hpp"
#include "diff/schema_dump.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig::diff {

std::vector<RowsLeftOut> row_changes(const MigrationSet& set) {
  std::vector<RowsLeftOut> found;
  for (const Migration& m : set.migrations) {
    if (m.checkpoint) found.clear();  // what came before an older checkpoint is left out already
    const ScanOutcome scanned = scan_sql(m.up.text);
    for (const SqlStatement& s : scanned.sql.statements) {
      if (!changes_rows(m.up.text.substr(s.begin, s.end - s.begin))) continue;
      found.push_back({m.up.path, line_column_at(m.up.text, s.begin).line});
    }
  }
  return found;
}

Checkpoint make_checkpoint(Database& admin, DiffOptions options, const MigrationSet& set) {
  if (set.migrations.empty()) {
    throw invalid_input("empty_migration_set", options.migrations_dir + " has no migration: there is nothing to checkpoint");
  }
  const Migration& newest = set.migrations.back();
  if (newest.checkpoint) {
    throw invalid_input("checkpoint_refused", newest.up.path + " is a checkpoint already: nothing came after it");
  }
  options.repeatables = false;  // they run after the checkpoint, as after any version
  const catalog::Catalog schema = migrations_catalog(admin, options);
  const SchemaDump dumped = schema_dump(schema, "the schema as of " + newest.version + "_" + newest.name, true);
  Checkpoint c;
  c.objects = dumped.objects;
  c.covers_through = newest.version;
  c.covers = set.migrations.size();
  c.rows_left_out = row_changes(set);
  c.text = "-- mig:checkpoint\n"
           "-- Written by mig-new --checkpoint: the whole schema the " + std::to_string(c.covers) +
           " migration(s) through " + newest.version + " produce.\n"
           "-- An empty database runs this file and skips every one before it (they are recorded\n"
           "-- applied with it); a database that has them only records it. Schema only: rows the\n"
           "-- earlier files wrote are not in it. Do not edit it: write a new migration instead.\n\n" +
           dumped.sql;
  return c;
}

}  // namespace mig::diff
