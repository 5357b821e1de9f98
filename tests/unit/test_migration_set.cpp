#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "base/errors.hpp"
#include "engine/directives.hpp"
#include "engine/migration_set.hpp"
#include "text/source_text.hpp"

namespace fs = std::filesystem;

namespace {

struct TempFolder {
  fs::path path;
  TempFolder() {
    char tmpl[] = "/tmp/mig-unit-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempFolder() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(path / name, std::ios::binary) << text;
  }
  std::string dir() const { return path.string(); }
};

std::vector<std::string> rules(const mig::ScannedSet& s) {
  std::vector<std::string> out;
  for (const auto& p : s.problems) out.push_back(p.rule);
  return out;
}

}  // namespace

TEST_CASE("versions order numerically, not as text") {
  TempFolder f;
  f.write("10_ten.sql", "SELECT 10;");
  f.write("9_nine.up.sql", "SELECT 9;");
  f.write("9_nine.down.sql", "SELECT -9;");
  f.write("100_hundred.sql", "SELECT 100;");
  f.write("100_hundred.verify.sql", "SELECT true;");
  f.write("README.md", "not a migration");
  const auto set = mig::load_migration_set(f.dir());
  REQUIRE(set.migrations.size() == 3);
  CHECK(set.migrations[0].version == "9");
  CHECK(set.migrations[0].down.has_value());
  CHECK(set.migrations[1].version == "10");
  CHECK(set.migrations[2].verify.has_value());
  CHECK(mig::compare_versions("0009", "10") < 0);
  CHECK(mig::compare_versions("20261121000000", "9") > 0);
}

TEST_CASE("every problem in a folder is reported with its rule") {
  TempFolder f;
  f.write("1_a.sql", "SELECT 1;");
  f.write("01_b.sql", "SELECT 1;");
  f.write("2_c.down.sql", "SELECT 1;");
  f.write("x.sql", "SELECT 1;");
  f.write("3_bad\xE9.sql", "SELECT 1;");
  f.write("4_latin.sql", "SELECT 'caf\xE9';");
  const auto scanned = mig::scan_migration_set(f.dir());
  const auto found = rules(scanned);
  CHECK(std::count(found.begin(), found.end(), "duplicate-version") == 1);
  CHECK(std::count(found.begin(), found.end(), "orphan-down") == 1);
  CHECK(std::count(found.begin(), found.end(), "file-name") == 2);
  CHECK(std::count(found.begin(), found.end(), "invalid-encoding") == 1);
  CHECK_THROWS_AS(mig::load_migration_set(f.dir()), mig::Error);
}

TEST_CASE("a large folder is read on several threads with the same result and order") {
  TempFolder f;
  for (int v = 1; v <= 600; ++v) {
    const std::string text = "SELECT " + std::to_string(v) + ";\r\n";  // CRLF: normalised before the checksum
    f.write(std::to_string(v) + "_m.sql", v == 450 ? "SELECT 'caf\xE9';" : text);
  }
  f.write("200_m.down.sql", "SELECT -200;");
  f.write("7x_bad.sql", "SELECT 1;");
  const auto scanned = mig::scan_migration_set(f.dir());
  // Problems in file-name order, whichever thread read the file.
  REQUIRE(scanned.problems.size() == 2);
  CHECK(scanned.problems[0].rule == "invalid-encoding");
  CHECK(scanned.problems[0].file == f.dir() + "/450_m.sql");
  CHECK(scanned.problems[1].rule == "file-name");
  CHECK(scanned.problems[1].file == f.dir() + "/7x_bad.sql");
  REQUIRE(scanned.set.migrations.size() == 599);
  for (std::size_t i = 0; i < scanned.set.migrations.size(); ++i) {
    const auto& m = scanned.set.migrations[i];
    const int v = static_cast<int>(i) + (i >= 449 ? 2 : 1);
    REQUIRE(m.version == std::to_string(v));
    CHECK(m.up.text == "SELECT " + std::to_string(v) + ";\n");
    CHECK(m.up.checksum == mig::sha256_checksum(m.up.text));
    CHECK(m.down.has_value() == (v == 200));
  }
}

TEST_CASE("a symlink may not leave the folder") {
  TempFolder f;
  fs::create_symlink("/etc/hostname", f.path / "1_out.sql");
  const auto scanned = mig::scan_migration_set(f.dir());
  REQUIRE(scanned.problems.size() == 1);
  CHECK(scanned.problems[0].message.find("leaves") != std::string::npos);
}

TEST_CASE("directives come from the leading comment block only") {
  mig::MigrationFile file{"f.sql",
                          "-- mig:no-transaction\n-- mig:lock-timeout 10s\n-- mig:statement-timeout 30min\n"
                          "CREATE INDEX CONCURRENTLY i ON t (a);\n-- mig:bogus later comments are ignored\n",
                          ""};
  const auto d = mig::read_directives(file);
  CHECK(d.no_transaction);
  CHECK(d.lock_timeout == mig::Duration(10'000));
  CHECK(d.statement_timeout == mig::Duration(1'800'000));

  mig::MigrationFile typo{"g.sql", "-- ok\n-- mig:no-transactoin\nSELECT 1;", ""};
  try {
    mig::read_directives(typo);
    FAIL("typo accepted");
  } catch (const mig::Error& e) {
    CHECK(e.code() == mig::ExitCode::invalid_input);
    REQUIRE(e.position());
    CHECK(e.position()->line == 2);
  }
}
