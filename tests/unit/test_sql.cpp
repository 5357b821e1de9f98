#include <catch2/catch.hpp>

#include "sql.hpp"

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
