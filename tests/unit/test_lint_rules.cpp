// One fixture per rule that must fire, and the safe recipe that must not.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "lint/file_linter.hpp"
#include "lint/rule_catalog.hpp"

namespace {

using mig::lint::FileRole;

struct RuleFixture {
  const char* rule;
  const char* fires;   // SQL that must produce the rule
  const char* silent;  // the safe way: must not
};

const std::vector<RuleFixture> kFixtures = {
    {"ban-drop-table", "DROP TABLE orders;", "CREATE TABLE tmp (id bigint); DROP TABLE tmp;"},
    {"ban-drop-column", "ALTER TABLE orders DROP COLUMN note;", "ALTER TABLE orders ADD COLUMN note text;"},
    {"renaming-table", "ALTER TABLE orders RENAME TO purchases;", "CREATE VIEW purchases AS SELECT * FROM orders;"},
    {"renaming-column", "ALTER TABLE orders RENAME COLUMN note TO remark;", "ALTER TABLE orders ADD COLUMN remark text;"},
    {"adding-required-field", "ALTER TABLE orders ADD COLUMN note text NOT NULL;",
     "ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';"},
    {"ban-drop-database", "DROP DATABASE app;", "SELECT 1;"},
    {"ban-drop-schema", "DROP SCHEMA billing CASCADE;", "CREATE SCHEMA billing;"},
    {"ban-truncate", "TRUNCATE orders;", "DELETE FROM orders WHERE id < 1000;"},
    {"ban-concurrent-index-creation-in-transaction", "CREATE INDEX CONCURRENTLY i ON orders (id);",
     "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (id);"},
    {"transaction-nesting", "BEGIN; CREATE TABLE t (id bigint); COMMIT;",
     "-- mig:no-transaction\nBEGIN; CREATE TABLE t (id bigint); COMMIT;"},
    {"syntax-error", "CREATE TABLE t (id bigint;", "CREATE TABLE t (id bigint);"},
    {"backfill-shape", "-- mig:backfill\nUPDATE orders SET note = 'x' RETURNING id;",
     "-- mig:backfill\nUPDATE orders SET note = 'x' WHERE note IS NULL;"},
    {"empty-migration", "-- nothing here yet\n", "SELECT 1;"},
    {"require-concurrent-index-creation", "CREATE INDEX i ON orders (id);",
     "CREATE TABLE t (id bigint); CREATE INDEX i ON t (id);"},
    {"require-concurrent-index-deletion", "DROP INDEX orders_id_idx;",
     "-- mig:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_id_idx;"},
    {"constraint-missing-not-valid", "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);",
     "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;"},
    {"adding-foreign-key-constraint", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts;",
     "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts NOT VALID;"},
    {"adding-field-with-default", "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();",
     "ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now();"},
    {"adding-not-nullable-field", "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
     "ALTER TABLE orders ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;"},
    {"changing-column-type", "ALTER TABLE orders ALTER COLUMN total TYPE numeric;",
     "ALTER TABLE orders ADD COLUMN total_exact numeric;"},
    {"adding-primary-key", "ALTER TABLE orders ADD PRIMARY KEY (id);",
     "ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_idx;"},
    {"disallowed-unique-constraint", "ALTER TABLE orders ADD CONSTRAINT u UNIQUE (code);",
     "ALTER TABLE orders ADD CONSTRAINT u UNIQUE USING INDEX orders_code_idx;"},
    {"adding-exclusion-constraint", "ALTER TABLE rooms ADD CONSTRAINT x EXCLUDE USING gist (during WITH &&);",
     "CREATE TABLE rooms (during tstzrange, EXCLUDE USING gist (during WITH &&));"},
    {"adding-serial-column", "ALTER TABLE orders ADD COLUMN seq bigserial;",
     "ALTER TABLE orders ADD COLUMN seq bigint;"},
    {"require-concurrent-reindex", "REINDEX TABLE orders;", "-- mig:no-transaction\nREINDEX TABLE CONCURRENTLY orders;"},
    {"ban-vacuum-full", "VACUUM FULL orders;", "-- mig:no-transaction\nVACUUM orders;"},
    {"require-concurrent-partition-detach", "ALTER TABLE events DETACH PARTITION events_2020;",
     "-- mig:no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;"},
    {"prefer-jsonb", "CREATE TABLE t (id bigint, doc json);", "CREATE TABLE t (id bigint, doc jsonb);"},
    {"prefer-bigint", "CREATE TABLE t (id integer);", "CREATE TABLE t (id bigint);"},
    {"prefer-timestamptz", "CREATE TABLE t (at timestamp);", "CREATE TABLE t (at timestamptz);"},
    {"ban-char-field", "CREATE TABLE t (code char(3));", "CREATE TABLE t (code text);"},
    {"prefer-identity", "CREATE TABLE t (id bigserial);", "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY);"},
    {"identifier-too-long",
     "CREATE TABLE t (a_column_name_that_goes_on_and_on_well_past_the_sixty_three_byte_limit bigint);",
     "CREATE TABLE t (a_reasonable_name bigint);"},
    {"statement-after-access-exclusive", "ALTER TABLE orders ADD COLUMN note text; SELECT count(*) FROM accounts;",
     "ALTER TABLE orders ADD COLUMN note text, ADD COLUMN seen_at timestamptz;"},
    {"multiple-alter-table",
     "-- mig-lint:ignore-file statement-after-access-exclusive\nALTER TABLE orders ADD COLUMN a text; ALTER TABLE orders ADD COLUMN b text;",
     "ALTER TABLE orders ADD COLUMN a text, ADD COLUMN b text;"},
    {"unbounded-update", "UPDATE orders SET note = '';", "UPDATE orders SET note = '' WHERE id BETWEEN 1 AND 1000;"},
    {"prefer-robust-stmts", "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY i ON orders (id);",
     "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (id);"},
    {"unused-ignore", "-- mig-lint:ignore ban-drop-table\nSELECT 1;", "-- mig-lint:ignore ban-drop-table\nDROP TABLE orders;"},
    {"ban-alter-domain-with-add-constraint", "ALTER DOMAIN price ADD CONSTRAINT positive CHECK (VALUE > 0);",
     "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;"},
    {"ban-create-domain-with-constraint", "CREATE DOMAIN price AS numeric CHECK (VALUE > 0);",
     "CREATE DOMAIN price AS numeric;"},
    {"ban-uncommitted-transaction", "-- mig:no-transaction\nBEGIN;\nCREATE TABLE t (id bigint);\n",
     "-- mig:no-transaction\nBEGIN;\nCREATE TABLE t (id bigint);\nCOMMIT;\n"},
    {"non-transactional-statement-in-transaction", "REINDEX TABLE CONCURRENTLY orders;",
     "-- mig:no-transaction\nREINDEX TABLE CONCURRENTLY orders;"},
    {"ban-cluster", "CLUSTER orders USING orders_pkey;", "CREATE TABLE t (id bigint PRIMARY KEY); CLUSTER t USING t_pkey;"},
};

std::vector<std::string> rules_found(const std::string& sql, FileRole role = FileRole::up,
                                     const mig::lint::LintOptions& options = {}) {
  std::vector<std::string> rules;
  for (const auto& f : mig::lint::lint_file("m.sql", sql, role, options).findings) rules.push_back(f.rule);
  return rules;
}

// The findings of one rule only (others may rightly fire on the same SQL).
std::vector<std::string> only(const std::vector<std::string>& rules, const std::string& rule) {
  std::vector<std::string> kept;
  std::copy_if(rules.begin(), rules.end(), std::back_inserter(kept), [&](const std::string& r) { return r == rule; });
  return kept;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("every rule fires on its fixture and stays silent on the safe recipe") {
  for (const RuleFixture& f : kFixtures) {
    INFO("rule " << f.rule);
    CHECK(contains(rules_found(f.fires), f.rule));
    CHECK_FALSE(contains(rules_found(f.silent), f.rule));
  }
}

TEST_CASE("every statement rule in the catalogue has a fixture") {
  const std::set<std::string> file_set_rules = {"file-name", "duplicate-version", "orphan-down", "invalid-encoding",
                                                "missing-down"};
  for (const auto& rule : mig::lint::rule_catalog()) {
    if (file_set_rules.count(rule.id)) continue;
    INFO("rule " << rule.id);
    CHECK(std::any_of(kFixtures.begin(), kFixtures.end(), [&](const RuleFixture& f) { return rule.id == std::string(f.rule); }));
  }
}

TEST_CASE("rules read parse trees, not text: strings, comments and function bodies are not statements") {
  const auto rules = rules_found(
      "-- DROP TABLE orders;\n/* TRUNCATE orders; */\nINSERT INTO audit (note) VALUES ('DROP TABLE orders');\n"
      "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM audit $$;\n");
  CHECK(rules.empty());
}

TEST_CASE("findings point at the statement's real line and column, past leading comments") {
  const auto result = mig::lint::lint_file("m.sql", "-- header\n\n   /* note */ DROP TABLE orders;\n\n  SELEC 2;\n",
                                           FileRole::up, {});
  REQUIRE(result.findings.size() == 2);
  CHECK(result.findings[0].rule == "ban-drop-table");
  CHECK(result.findings[0].line == 3);
  CHECK(result.findings[0].column == 15);
  CHECK(result.findings[1].rule == "syntax-error");
  CHECK(result.findings[1].line == 5);
  CHECK(result.findings[1].column == 3);
  CHECK(result.statements == 2);
}

TEST_CASE("a syntax error does not hide the statements after it, unbalanced parentheses included") {
  const auto rules = rules_found("SELECT 1;\nCREATE TABLE t (id bigint;\nDROP TABLE orders;\n");
  CHECK(only(rules, "syntax-error").size() == 1);
  CHECK(contains(rules, "ban-drop-table"));
  CHECK(only(rules_found("SELEC 1;\nSELEC 2;\n"), "syntax-error").size() == 2);
}

TEST_CASE("identifier-too-long sees the name as written, before the parser truncates it") {
  const std::string name(64, 'x');
  CHECK(contains(rules_found("CREATE TABLE " + name + " (id bigint);"), "identifier-too-long"));
  CHECK(contains(rules_found("CREATE TABLE t (\"" + name + "\" bigint);"), "identifier-too-long"));
  CHECK_FALSE(contains(rules_found("CREATE TABLE " + std::string(63, 'x') + " (id bigint);"), "identifier-too-long"));
}

TEST_CASE("suppression: next statement, whole file, and only the named rules") {
  CHECK(only(rules_found("-- mig-lint:ignore ban-drop-table\nDROP TABLE a;\nDROP TABLE b;\n"), "ban-drop-table").size() == 1);
  CHECK(rules_found("-- mig-lint:ignore-file ban-drop-table\nDROP TABLE a;\nDROP TABLE b;\n")
            .empty());
  CHECK(rules_found("-- mig-lint:ignore ban-truncate\nDROP TABLE a;\n") ==
        std::vector<std::string>{"unused-ignore", "ban-drop-table"});
  CHECK(contains(rules_found("-- mig-lint:ignore no-such-rule\nSELECT 1;\n"), "unused-ignore"));
}

TEST_CASE("seed policy: ALLOW_BREAKING_MIGRATIONS turns breaking errors into warnings, still reported") {
  mig::lint::LintOptions relaxed;
  relaxed.allow_breaking = true;
  const auto strict = mig::lint::lint_file("m.sql", "DROP TABLE orders;", FileRole::up, {}).findings;
  const auto loose = mig::lint::lint_file("m.sql", "DROP TABLE orders;", FileRole::up, relaxed).findings;
  REQUIRE(strict.size() == 1);
  REQUIRE(loose.size() == 1);
  CHECK(strict[0].severity == mig::lint::Severity::error);
  CHECK(loose[0].severity == mig::lint::Severity::warning);
  // Not a breaking rule: stays an error.
  const auto syntax = mig::lint::lint_file("m.sql", "SELEC 1;", FileRole::up, relaxed).findings;
  CHECK(syntax[0].severity == mig::lint::Severity::error);
}

TEST_CASE("--rule overrides a severity, and off silences it") {
  mig::lint::LintOptions options;
  options.rule_severity["ban-drop-table"] = mig::lint::Severity::off;
  options.rule_severity["prefer-jsonb"] = mig::lint::Severity::error;
  options.rule_severity["statement-after-access-exclusive"] = mig::lint::Severity::off;
  const auto findings = mig::lint::lint_file("m.sql", "DROP TABLE a; CREATE TABLE b (doc json);", FileRole::up, options).findings;
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "prefer-jsonb");
  CHECK(findings[0].severity == mig::lint::Severity::error);
}

TEST_CASE("down files undo: dropping what the up created is not a breaking change") {
  CHECK(rules_found("DROP TABLE orders;", FileRole::down).empty());
  CHECK(contains(rules_found("CREATE INDEX i ON orders (id);", FileRole::down), "require-concurrent-index-creation"));
}

TEST_CASE("now() and current_timestamp defaults are not rewrites; random() is") {
  CHECK_FALSE(contains(rules_found("ALTER TABLE t ADD COLUMN at timestamptz DEFAULT current_timestamp;"),
                       "adding-field-with-default"));
  CHECK_FALSE(contains(rules_found("ALTER TABLE t ADD COLUMN n int DEFAULT 0;"), "adding-field-with-default"));
  CHECK(contains(rules_found("ALTER TABLE t ADD COLUMN r float8 DEFAULT random() * 10;"), "adding-field-with-default"));
  CHECK(contains(rules_found("ALTER TABLE t ADD COLUMN at timestamptz DEFAULT clock_timestamp();"),
                 "adding-field-with-default"));
}
