// Backfills without a server: the key range is added through the parse tree
// (never pasted into the user's text), the shape checks, and the batch sizer.
#include <catch2/catch.hpp>

#include "engine/backfill_statement.hpp"
#include "engine/batch_sizer.hpp"
#include "base/errors.hpp"
#include "engine/migration_set.hpp"
#include "text/sql.hpp"

namespace {

mig::BackfillStatement shape(const std::string& body) {
  return mig::read_backfill_statement(mig::MigrationFile{"m/2_fill.sql", "-- mig:backfill\n" + body, ""});
}

}  // namespace

TEST_CASE("the key range joins the statement's own WHERE through the parse tree") {
  CHECK(mig::with_condition("UPDATE t SET a = 1 WHERE a IS NULL OR b = 'x; --'", "t.id > $1") ==
        "UPDATE t SET a = 1 WHERE (a IS NULL OR b = 'x; --') AND t.id > $1");
  CHECK(mig::with_condition("DELETE FROM t", "t.id <= $1") == "DELETE FROM t WHERE t.id <= $1");
  CHECK(mig::with_condition("INSERT INTO c (id) SELECT id FROM t WHERE v > 0", "ROW(t.a, t.b) > ROW($1, $2)") ==
        "INSERT INTO c (id) SELECT id FROM t WHERE v > 0 AND ROW(t.a, t.b) > ROW($1, $2)");
  CHECK_THROWS_AS(mig::with_condition("CREATE TABLE x (a int)", "a > 1"), mig::Error);
}

TEST_CASE("a backfill's shape: one statement over one table, refused otherwise with file:line") {
  const auto u = shape("UPDATE public.accounts AS a SET n = a.n + 1");
  CHECK(u.kind == "UPDATE");
  CHECK(u.schema == "public");
  CHECK(u.table == "accounts");
  CHECK(u.qualifier == "a");
  CHECK(u.line == 2);
  const auto i = shape("INSERT INTO copy SELECT * FROM src JOIN other USING (id)");
  CHECK(i.table == "src");
  for (const char* bad : {"UPDATE t SET a = 1; UPDATE t SET a = 2", "UPDATE t SET a = 1 RETURNING id",
                          "WITH d AS (DELETE FROM x RETURNING 1) UPDATE t SET a = 1", "INSERT INTO t VALUES (1)",
                          "INSERT INTO t SELECT 1 UNION SELECT 2", "CREATE INDEX ON t (a)", "SELECT 1"}) {
    INFO(bad);
    try {
      shape(bad);
      FAIL("accepted");
    } catch (const mig::Error& e) {
      CHECK(e.kind() == "backfill_shape");
      CHECK(e.code() == mig::ExitCode::invalid_input);
      CHECK(std::string(e.what()).rfind("m/2_fill.sql:", 0) == 0);
    }
  }
}

TEST_CASE("the batch size moves toward the target time within bounds") {
  mig::BatchSizer sizer(1000, std::chrono::milliseconds(200));
  sizer.record(1000, std::chrono::milliseconds(20));  // 10x faster than the target: grows, at most 1.2x
  CHECK(sizer.size() == 1200);
  for (int i = 0; i < 50; ++i) sizer.record(sizer.size(), std::chrono::milliseconds(sizer.size() / 5));  // 0.2 ms a key
  CHECK(sizer.size() >= 900);
  CHECK(sizer.size() <= 1100);
  mig::BatchSizer slow(1000, std::chrono::milliseconds(200));
  slow.record(1000, std::chrono::milliseconds(4000));  // 20x slower: shrinks, at most by half
  CHECK(slow.size() == 500);
  mig::BatchSizer floor(10, std::chrono::milliseconds(1));
  floor.record(10, std::chrono::milliseconds(1000));
  CHECK(floor.size() == mig::BatchSizer::kMin);
}
