#include "lint/rule_catalog.hpp"

namespace mig::lint {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::off: return "off";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "?";
}

std::optional<Severity> parse_severity(const std::string& text) {
  if (text == "off") return Severity::off;
  if (text == "warning" || text == "warn") return Severity::warning;
  if (text == "error") return Severity::error;
  return std::nullopt;
}

const std::vector<RuleInfo>& rule_catalog() {
  using S = Severity;
  static const std::vector<RuleInfo> rules = {
      // Breaking changes: running code breaks or data is lost.
      {"ban-drop-table", S::error, true, "dropping a table loses its data; stop using it first, drop it in a later release"},
      {"ban-drop-column", S::error, true, "stop reading and writing the column in a release first, then drop it (expand/contract)"},
      {"renaming-table", S::error, true, "running code still uses the old name: create the new table (or a view), migrate, then drop the old"},
      {"renaming-column", S::error, true, "add the new column, write both, backfill, switch reads, then drop the old one"},
      {"adding-required-field", S::error, true, "add the column nullable or with a DEFAULT; existing INSERTs fail on a NOT NULL column without one"},
      {"ban-drop-database", S::error, true, "never drop a database from a migration"},
      {"ban-drop-schema", S::error, true, "dropping a schema drops everything in it; do it by hand after a backup"},
      {"ban-truncate", S::error, true, "TRUNCATE deletes every row under an ACCESS EXCLUSIVE lock; delete in batches if you mean it"},
      {"ban-concurrent-index-creation-in-transaction", S::error, false, "CONCURRENTLY cannot run in a transaction: put it in its own file with -- mig:no-transaction"},
      {"transaction-nesting", S::error, false, "mig runs each migration in its own transaction; remove BEGIN/COMMIT or mark the file -- mig:no-transaction"},
      {"ban-uncommitted-transaction", S::error, false, "end every BEGIN with COMMIT in the same file: an open block is rolled back when mig disconnects"},
      {"non-transactional-statement-in-transaction", S::error, false, "PostgreSQL refuses this inside a transaction block: put it in its own file with -- mig:no-transaction, outside any BEGIN ... COMMIT"},
      {"syntax-error", S::error, false, "the statement does not parse with PostgreSQL 15's grammar"},
      {"backfill-shape", S::error, false, "a -- mig:backfill file holds one UPDATE, DELETE or INSERT ... SELECT over one table with a primary key (or -- mig:key col[,col]), no RETURNING, no writing WITH, and no -- mig:no-transaction"},
      {"file-name", S::error, false, "name migrations <version>_<name>[.up|.down|.verify].sql with a 1-20 digit version and [A-Za-z0-9_-] name"},
      {"duplicate-version", S::error, false, "give each migration its own version (mig-new makes a UTC timestamp)"},
      {"orphan-down", S::error, false, "a .down.sql needs its .up.sql (same version and name)"},
      {"empty-migration", S::error, false, "a migration with no statement records a change that never happened; write the SQL or delete the file"},
      {"invalid-encoding", S::error, false, "save the file as UTF-8"},
      // Locks, rewrites and scans on existing tables.
      {"require-concurrent-index-creation", S::warning, false, "use CREATE INDEX CONCURRENTLY in a -- mig:no-transaction file: a plain CREATE INDEX blocks writes for the whole build"},
      {"require-concurrent-index-deletion", S::warning, false, "use DROP INDEX CONCURRENTLY in a -- mig:no-transaction file"},
      {"constraint-missing-not-valid", S::warning, false, "add NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes a weaker lock)"},
      {"adding-foreign-key-constraint", S::warning, false, "add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later migration"},
      {"adding-field-with-default", S::warning, false, "a volatile DEFAULT rewrites the table: add the column without it, set the default, backfill in batches"},
      {"adding-not-nullable-field", S::warning, false, "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (PostgreSQL 12+ skips the scan); a SET NOT NULL after VALIDATE CONSTRAINT on the same table is accepted even when the constraint was added outside the linted files"},
      {"changing-column-type", S::warning, false, "most type changes rewrite the table under ACCESS EXCLUSIVE: add a new column, backfill, switch"},
      {"adding-primary-key", S::warning, false, "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX"},
      {"disallowed-unique-constraint", S::warning, false, "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX"},
      {"adding-exclusion-constraint", S::warning, false, "an exclusion constraint scans the table under ACCESS EXCLUSIVE; there is no concurrent form, plan downtime"},
      {"adding-serial-column", S::warning, false, "a serial column rewrites the table: add a nullable bigint, attach an identity or sequence, backfill"},
      {"require-concurrent-reindex", S::warning, false, "use REINDEX ... CONCURRENTLY in a -- mig:no-transaction file"},
      {"ban-vacuum-full", S::warning, false, "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE; use pg_repack, or plain VACUUM"},
      {"ban-cluster", S::warning, false, "CLUSTER rewrites the table under ACCESS EXCLUSIVE, like VACUUM FULL; use pg_repack, or plan downtime"},
      {"ban-alter-domain-with-add-constraint", S::warning, false, "a new domain constraint is checked against every column of that domain in every table, under lock: use table CHECK constraints (NOT VALID, then VALIDATE)"},
      {"ban-create-domain-with-constraint", S::warning, false, "constraints on a domain cannot be changed without scanning every column that uses it: use table CHECK constraints"},
      {"require-concurrent-partition-detach", S::warning, false, "use DETACH PARTITION ... CONCURRENTLY in a -- mig:no-transaction file"},
      {"prefer-jsonb", S::warning, false, "use jsonb: json keeps text, cannot be indexed or compared"},
      {"prefer-bigint", S::warning, false, "use bigint: int and smallint ids run out, and widening later rewrites the table"},
      {"prefer-timestamptz", S::warning, false, "use timestamptz: timestamp without time zone silently drops the offset"},
      {"ban-char-field", S::warning, false, "use text or varchar: char(n) pads with blanks"},
      {"prefer-identity", S::warning, false, "use GENERATED ALWAYS AS IDENTITY instead of serial"},
      {"identifier-too-long", S::warning, false, "PostgreSQL truncates identifiers to 63 bytes; two long names can collide"},
      {"statement-after-access-exclusive", S::warning, false, "statements after an ACCESS EXCLUSIVE lock in the same transaction extend it (every query on the table waits): move them to their own migration"},
      {"multiple-alter-table", S::warning, false, "combine the ALTER TABLEs on one table into one statement: one lock, one pass"},
      {"unbounded-update", S::warning, false, "an UPDATE or DELETE without WHERE locks every row in one transaction: put it alone in a file marked -- mig:backfill (batched, throttled, resumable), or add WHERE true if you mean it"},
      {"prefer-robust-stmts", S::warning, false, "in a no-transaction migration use IF [NOT] EXISTS, so a re-run after a partial failure works"},
      {"missing-down", S::warning, false, "add a .down.sql so mig-apply --down can revert it"},
      {"unused-ignore", S::warning, false, "remove the mig-lint:ignore comment: it silences nothing"},
  };
  return rules;
}

const RuleInfo* find_rule(const std::string& id) {
  for (const RuleInfo& r : rule_catalog()) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

Severity effective_severity(const RuleInfo& rule, const LintOptions& options) {
  if (auto it = options.rule_severity.find(rule.id); it != options.rule_severity.end()) return it->second;
  if (rule.breaking && options.allow_breaking) return Severity::warning;
  return rule.default_severity;
}

}  // namespace mig::lint
