#include <catch2/catch.hpp>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "engine/migration_set.hpp"
#include "engine/statement_units.hpp"

namespace {

mig::MigrationFile file_of(const std::string& text) {
  mig::MigrationFile f;
  f.path = "migrations/1_x.sql";
  f.text = text;
  return f;
}

}  // namespace

TEST_CASE("a no-transaction file splits into statements and explicit blocks") {
  const auto units = mig::statement_units(file_of(
      "-- mig:no-transaction\nCREATE TABLE a (id int);\nBEGIN;\nINSERT INTO a VALUES (1);\n"
      "INSERT INTO a VALUES (2);\nCOMMIT;\nCREATE INDEX CONCURRENTLY a_id ON public.a (id);\n"));
  REQUIRE(units.size() == 3);
  CHECK_FALSE(units[0].block);
  CHECK(units[1].block);
  CHECK(units[1].line == 3);
  CHECK(units[1].statement_lines == std::vector<int>{3, 4, 5, 6});
  CHECK(units[2].concurrent_index_table == std::optional<std::string>("\"public\".\"a\""));
  CHECK(mig::error_line(units[1], std::nullopt, 2) == 5);  // the third statement of the block failed
  CHECK(mig::error_line(units[1], 2, std::nullopt) == 4);  // the server's LINE 2 of the block's text
}

TEST_CASE("an unterminated or nested block is refused with its line") {
  for (const auto& [text, line] : std::vector<std::pair<std::string, int>>{
           {"SELECT 1;\nBEGIN;\nSELECT 2;\n", 2}, {"BEGIN;\nSTART TRANSACTION;\nCOMMIT;\n", 2}}) {
    try {
      mig::statement_units(file_of(text));
      FAIL("accepted: " << text);
    } catch (const mig::Error& e) {
      CHECK(e.code() == mig::ExitCode::invalid_input);
      REQUIRE(e.position());
      CHECK(e.position()->line == line);
    }
  }
}

TEST_CASE("versions are 1 to 20 digits") {
  CHECK(mig::is_version("1"));
  CHECK(mig::is_version("20260101090000"));
  for (const char* bad : {"", "abc", "-1", "1.5", "123456789012345678901"}) CHECK_FALSE(mig::is_version(bad));
}

TEST_CASE("a password is scrubbed from any message, even when the string does not parse") {
  const std::string secret = "Pw-s3cret";
  for (const std::string& dsn : {"postgresql://u:" + secret + "@[::1", "postgresql://u:p%ZZ" + secret + "@h/db",
                                 "host=h password='" + secret, "host=h password=" + secret + " x=1",
                                 "postgresql://u:" + secret + "%21@h/db"}) {
    const std::string scrubbed = mig::scrub_password("error in \"" + dsn + "\"", dsn);
    CHECK(scrubbed.find(secret) == std::string::npos);
  }
}
