#include <catch2/catch.hpp>

#include "text/sql.hpp"

namespace {
std::string statement_text(const std::string& sql, const mig::SqlStatement& s) {
  return sql.substr(s.begin, s.end - s.begin);
}
}  // namespace

TEST_CASE("statements are split by the server's scanner, without leading comments") {
  const std::string sql =
      "-- mig:no-transaction\n/* block; comment */\nCREATE INDEX CONCURRENTLY i ON t (a);\n"
      "SELECT ';' AS semi; -- trailing\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT 2";
  const auto scanned = mig::scan_sql(sql);
  REQUIRE_FALSE(scanned.error);
  REQUIRE(scanned.sql.statements.size() == 4);
  CHECK(statement_text(sql, scanned.sql.statements[0]) == "CREATE INDEX CONCURRENTLY i ON t (a)");
  CHECK(statement_text(sql, scanned.sql.statements[1]) == "SELECT ';' AS semi");
  CHECK(statement_text(sql, scanned.sql.statements[2]) == "DO $$ BEGIN PERFORM 1; END $$");
  CHECK(statement_text(sql, scanned.sql.statements[3]) == "SELECT 2");
  REQUIRE(scanned.sql.comments.size() == 3);
  CHECK(mig::comment_body(sql, scanned.sql.comments[0]) == "mig:no-transaction");
  CHECK(mig::comment_body(sql, scanned.sql.comments[1]) == "block; comment");
  CHECK_FALSE(scanned.sql.comments[1].line_comment);
}

TEST_CASE("a lexical error is reported with its offset") {
  const auto scanned = mig::scan_sql("SELECT 1;\nSELECT 'unterminated");
  REQUIRE(scanned.error);
  CHECK(scanned.error->byte_offset >= 10);
}

TEST_CASE("transaction control is recognised from the parse tree, not the text") {
  CHECK(mig::is_transaction_control("COMMIT"));
  CHECK(mig::is_transaction_control("begin isolation level serializable"));
  CHECK(mig::is_transaction_control("SAVEPOINT s1"));
  CHECK_FALSE(mig::is_transaction_control("SELECT 'COMMIT'"));
  CHECK_FALSE(mig::is_transaction_control("CREATE TABLE commit_log (id int)"));
  CHECK_FALSE(mig::is_transaction_control("not sql at all"));
}

TEST_CASE("without_schema_qualifier drops public's qualifier and nothing else", "[sql]") {
  using mig::without_schema_qualifier;
  CHECK(without_schema_qualifier("ALTER TABLE public.accounts ADD COLUMN plan text", "public") ==
        "ALTER TABLE accounts ADD COLUMN plan text");
  CHECK(without_schema_qualifier("CREATE INDEX i ON \"public\".t USING btree (c)", "public") == "CREATE INDEX i ON t USING btree (c)");
  CHECK(without_schema_qualifier("CREATE TABLE PUBLIC.t (id int)", "public") == "CREATE TABLE t (id int)");
  CHECK(without_schema_qualifier("ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass)", "public") ==
        "ALTER TABLE t ALTER COLUMN n SET DEFAULT nextval('t_n_seq'::regclass)");
  // Other schemas, the role PUBLIC, the schema named on its own, a function body in a string: unchanged.
  CHECK(without_schema_qualifier("ALTER TABLE audit.log ADD COLUMN at timestamptz", "public") ==
        "ALTER TABLE audit.log ADD COLUMN at timestamptz");
  CHECK(without_schema_qualifier("GRANT SELECT ON public.t TO PUBLIC", "public") == "GRANT SELECT ON t TO PUBLIC");
  CHECK(without_schema_qualifier("GRANT USAGE ON SCHEMA public TO app", "public") == "GRANT USAGE ON SCHEMA public TO app");
  CHECK(without_schema_qualifier("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1 FROM public.t'", "public") ==
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1 FROM public.t'");
  CHECK(without_schema_qualifier("SELECT public_t.public FROM public.public_t", "public") == "SELECT public_t.public FROM public_t");
  CHECK(without_schema_qualifier("COMMENT ON COLUMN public.t.c IS 'in public.t'", "public") == "COMMENT ON COLUMN t.c IS 'in public.t'");
}
