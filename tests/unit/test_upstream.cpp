#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "cli/upstream.hpp"

using nlohmann::json;

TEST_CASE("upstream documents flatten oldest first and failures carry their exit code") {
  const json lint = {{"schema", "mig/1"}, {"tool", "mig-lint"}, {"ok", true}, {"exit_code", 0}, {"upstream", json::array()}};
  json backup = {{"schema", "mig/1"}, {"tool", "mig-backup"}, {"ok", false}, {"exit_code", 8},
                 {"upstream", json::array({lint})}};
  const auto flat = mig::flatten_upstream({backup});
  REQUIRE(flat.size() == 2);
  CHECK(flat[0]["tool"] == "mig-lint");
  CHECK_FALSE(flat[1].contains("upstream"));
  try {
    mig::require_upstream_ok({backup});
    FAIL("failed upstream accepted");
  } catch (const mig::Error& e) {
    CHECK(static_cast<int>(e.code()) == 8);
    CHECK(e.kind() == "upstream_failed");
  }
  CHECK(mig::upstream_from({backup}, "mig-lint"));
  CHECK_FALSE(mig::upstream_from({backup}, "mig-dryrun"));
}
