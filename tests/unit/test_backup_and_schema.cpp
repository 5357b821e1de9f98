#include <catch2/catch.hpp>

#include "backup/manifest.hpp"
#include "pg/pg_tools.hpp"
#include "dryrun/schema.hpp"

TEST_CASE("a manifest is sealed with the SHA-256 of its own content") {
  nlohmann::json manifest = {{"id", "20261121T000000000Z-abc"}, {"files", {{{"path", "x.dump"}, {"bytes", 10}}}}};
  const auto sealed = mig::seal_manifest(manifest);
  CHECK(mig::manifest_seal_intact(sealed));
  auto edited = sealed;
  edited["files"][0]["bytes"] = 11;
  CHECK_FALSE(mig::manifest_seal_intact(edited));
  CHECK_FALSE(mig::manifest_seal_intact(manifest));  // never sealed
  CHECK(mig::seal_manifest(sealed) == sealed);       // sealing again changes nothing
}

TEST_CASE("pg_dump's version comes from its banner") {
  CHECK(mig::version_from_banner("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n") == "15.18");
  CHECK(mig::version_from_banner("pg_dump (PostgreSQL) 16.2\n") == "16.2");
}

TEST_CASE("schema diffs list what is missing and what is extra") {
  const std::vector<std::string> expected = {"column t.a int", "table t"};
  const std::vector<std::string> actual = {"column t.a bigint", "table t"};
  const auto diff = mig::schema_diff(expected, actual);
  REQUIRE(diff.size() == 2);
  CHECK(diff[0] == "- column t.a int");
  CHECK(diff[1] == "+ column t.a bigint");
  CHECK(mig::schema_diff(expected, expected).empty());
}
