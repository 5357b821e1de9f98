#include <catch2/catch.hpp>

#include "base/duration.hpp"
#include "base/errors.hpp"

using mig::Duration;

TEST_CASE("durations take the contract's units; a bare number is seconds") {
  CHECK(mig::parse_duration("500ms", "x") == Duration(500));
  CHECK(mig::parse_duration("10s", "x") == Duration(10'000));
  CHECK(mig::parse_duration("5min", "x") == Duration(300'000));
  CHECK(mig::parse_duration("1h", "x") == Duration(3'600'000));
  CHECK(mig::parse_duration("30", "x") == Duration(30'000));
  CHECK(mig::parse_duration("1.5s", "x") == Duration(1'500));
}

TEST_CASE("a bad duration is a usage error naming the setting") {
  for (const char* bad : {"", "soon", "10 parsecs", "-1s", "1.2.3s"}) {
    try {
      mig::parse_duration(bad, "--lock-wait");
      FAIL("accepted '" << bad << "'");
    } catch (const mig::Error& e) {
      CHECK(e.code() == mig::ExitCode::usage);
      CHECK(std::string(e.what()).find("--lock-wait") != std::string::npos);
    }
  }
}

TEST_CASE("durations print in their shortest exact unit") {
  CHECK(mig::format_duration(Duration(600'000)) == "10min");
  CHECK(mig::format_duration(Duration(5'000)) == "5s");
  CHECK(mig::format_duration(Duration(250)) == "250ms");
}

TEST_CASE("a duration PostgreSQL cannot hold is refused, not wrapped") {
  for (const char* huge : {"99999999999999999999h", "9999999999h", "25d", "2147483648ms"}) {
    CHECK_THROWS_AS(mig::parse_duration(huge, "--lock-wait"), mig::Error);
  }
  CHECK(mig::parse_duration("2147483647ms", "x") == Duration(2147483647LL));
}
