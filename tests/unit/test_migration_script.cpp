#include <catch2/catch.hpp>

#include "engine/migration_script.hpp"
#include "engine/migration_set.hpp"

TEST_CASE("a server error line maps back to the file and line it came from") {
  mig::MigrationScript script;
  script.add_statement("BEGIN");
  script.add_file({"a.sql", "CREATE TABLE a (id int);\nSELECT 1;", ""});
  script.add_statement("INSERT INTO h VALUES (1)");
  script.add_file({"b.sql", "-- one\n-- two\nSELECT nope;\n", ""});
  script.add_statement("COMMIT");
  // Line 1 is ours, a.sql is lines 2-3, then the ';' line, then b.sql from line 5.
  CHECK_FALSE(script.locate(1));
  REQUIRE(script.locate(3));
  CHECK(script.locate(3)->file == "a.sql");
  CHECK(script.locate(3)->line == 2);
  REQUIRE(script.locate(7));
  CHECK(script.locate(7)->file == "b.sql");
  CHECK(script.locate(7)->line == 3);
  // A trailing "--" comment in a file cannot swallow what follows it.
  CHECK(script.sql().find("SELECT 1;\n;INSERT") != std::string::npos);
}
