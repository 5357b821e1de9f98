// The wrong results found by the careless-and-hostile round (issue 19), each
// pinned where no server is needed: the schema-file guard, hazards per planned
// step, what a skipped migration would create, lint's round-3 classes, and
// the names a new migration may take.
#include <catch2/catch.hpp>

#include <algorithm>

#include "diff/migration_files.hpp"
#include "diff/schema_statements.hpp"
#include "dryrun/created_names.hpp"
#include "base/errors.hpp"
#include "lint/file_linter.hpp"
#include "engine/migration_set.hpp"

namespace {

std::size_t count(const std::string& sql, const std::string& rule) {
  const auto findings = mig::lint::lint_file("m.sql", sql, mig::lint::FileRole::up, {}).findings;
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [&](const auto& f) { return f.rule == rule; }));
}

std::string refusal(const std::string& sql) {
  try {
    mig::diff::read_schema_statements("schema/a.sql", sql);
  } catch (const mig::Error& e) {
    CHECK(e.code() == mig::ExitCode::invalid_input);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("schema files: statements that reach outside one database are refused with file:line") {
  for (const char* sql : {"CREATE DATABASE x", "DROP DATABASE IF EXISTS app WITH (FORCE)", "ALTER DATABASE app SET work_mem = '1GB'",
                          "CREATE ROLE r", "CREATE USER u", "ALTER ROLE r SUPERUSER", "DROP ROLE r", "GRANT pg_read_server_files TO r",
                          "CREATE TABLESPACE ts LOCATION '/tmp'", "ALTER SYSTEM SET fsync = off", "REASSIGN OWNED BY a TO b",
                          "ALTER DATABASE app OWNER TO r", "ALTER DATABASE app RENAME TO b", "COMMENT ON DATABASE app IS 'x'",
                          "GRANT CONNECT ON DATABASE app TO r", "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p",
                          "LOAD 'auto_explain'"}) {
    INFO(sql);
    const std::string why = refusal(std::string("CREATE TABLE t (id int);\n\n") + sql + ";\n");
    CHECK(why.rfind("schema/a.sql:3: ", 0) == 0);
  }
  // pg_dump --create --clean output: the first statement is refused, nothing after it matters.
  CHECK(refusal("DROP DATABASE app;\nCREATE DATABASE app;\n\\connect app\nCREATE TABLE t (id int);\n").find("schema/a.sql:1:") == 0);
  CHECK(refusal("\\connect app\nCREATE TABLE t (id int);\n").find("psql meta-command \\connect") != std::string::npos);
  CHECK(refusal("CREATE TABLE t (id int;\n").find("schema/a.sql:1:") == 0);  // a syntax error, before anything runs
}

TEST_CASE("schema files: ordinary statements pass; extensions and owner changes are marked") {
  const auto statements = mig::diff::read_schema_statements(
      "a.sql", "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE TABLE t (id int);\nALTER TABLE t OWNER TO app;\n"
               "ALTER FUNCTION f() OWNER TO app;\nDO $$ BEGIN PERFORM 1; END $$;\nGRANT SELECT ON t TO app;\n");
  REQUIRE(statements.size() == 6);
  CHECK(statements[0].extension);
  CHECK_FALSE(statements[1].extension);
  CHECK(statements[2].owner);
  CHECK(statements[3].owner);
  CHECK_FALSE(statements[4].owner);
  CHECK(statements[5].line == 6);
}

TEST_CASE("hazards stay with their step after a function body with blank lines") {
  mig::diff::Plan plan;
  plan.transactional = {{"CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n\n  RETURN 1;\n\n\nEND $$"},
                        {"CREATE TABLE public.n (note text)"},
                        {"ALTER TABLE public.t ALTER COLUMN x TYPE bigint"},
                        {"ALTER TABLE public.t DROP COLUMN y"}};
  const auto statements = mig::diff::planned_statements(plan);
  REQUIRE(statements.size() == 4);
  CHECK(statements[0].hazards.empty());
  CHECK(statements[1].hazards.empty());
  CHECK(std::find(statements[2].hazards.begin(), statements[2].hazards.end(), "changing-column-type") != statements[2].hazards.end());
  CHECK(std::find(statements[3].hazards.begin(), statements[3].hazards.end(), "ban-drop-column") != statements[3].hazards.end());
}

TEST_CASE("what a skipped no-transaction migration would create, and whether an error names it") {
  const auto names = mig::created_names(
      "-- mig:no-transaction\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n"
      "ALTER TYPE mood ADD VALUE 'sleepy';\nALTER TABLE orders ADD COLUMN note text, ADD CONSTRAINT note_len CHECK (length(note) < 9);\n"
      "CREATE TABLE audit (id int);\n");
  for (const char* n : {"orders_status_idx", "sleepy", "note", "note_len", "audit"}) {
    INFO(n);
    CHECK(names.count(n) == 1);
  }
  CHECK(names.count("orders") == 0);  // altered, not created
  CHECK(mig::mentions_any("invalid input value for enum mood: \"sleepy\"", names));
  CHECK_FALSE(mig::mentions_any("column \"status\" of relation \"orders\" contains null values", names));
}

TEST_CASE("lint round 3: the classes squawk's cases found") {
  const std::string no_tx = "-- mig:no-transaction\n";
  CHECK(count(no_tx + "CREATE TEMP TABLE scratch (id int);\n", "prefer-robust-stmts") == 0);
  CHECK(count(no_tx + "CREATE TABLE kept (id int);\n", "prefer-robust-stmts") == 1);
  const std::string guarded = "ALTER TABLE t DROP CONSTRAINT IF EXISTS c;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n";
  CHECK(count(no_tx + guarded, "prefer-robust-stmts") == 0);
  CHECK(count(no_tx + guarded + "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n", "prefer-robust-stmts") == 1);
  CHECK(count(no_tx + "UPDATE t SET a = 1 WHERE id = 1;\nCOMMIT;\n", "transaction-nesting") == 1);
  CHECK(count(no_tx + "BEGIN;\nUPDATE t SET a = 1 WHERE id = 1;\nCOMMIT;\n", "transaction-nesting") == 0);
  CHECK(count("ALTER TABLE t VALIDATE CONSTRAINT t_a_not_null;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\n",
              "adding-not-nullable-field") == 0);
  CHECK(count("ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n", "adding-not-nullable-field") == 1);
}

TEST_CASE("a new migration's name must fit every file made from it") {
  CHECK_FALSE(mig::new_migration_name_problem("add_orders").has_value());
  CHECK(mig::new_migration_name_problem(std::string(300, 'a')).has_value());
  CHECK_FALSE(mig::new_migration_name_problem(std::string(218, 'a')).has_value());
  CHECK(mig::new_migration_name_problem("bad name").has_value());
}
