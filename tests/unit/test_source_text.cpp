#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "base/errors.hpp"
#include "text/source_text.hpp"

TEST_CASE("checksums ignore a BOM and CRLF line ends") {
  const std::string unix_text = "CREATE TABLE a (id int);\nSELECT 1;\n";
  const std::string windows = "\xEF\xBB\xBF" "CREATE TABLE a (id int);\r\nSELECT 1;\r\n";
  CHECK(mig::normalize_source(windows) == unix_text);
  CHECK(mig::sha256_checksum(mig::normalize_source(windows)) == mig::sha256_checksum(unix_text));
  // Known vector: sha256("abc").
  CHECK(mig::sha256_checksum("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // A lone CR is content, not a line end.
  CHECK(mig::normalize_source("a\rb") == "a\rb");
}

TEST_CASE("encoding problems are found with byte offset and line") {
  CHECK_FALSE(mig::find_encoding_problem("SELECT 'café ✓ 𝄞';"));
  auto latin1 = mig::find_encoding_problem("SELECT 1;\nSELECT 'caf\xE9';");
  REQUIRE(latin1);
  CHECK(latin1->byte_offset == 21);
  CHECK(latin1->line == 2);
  auto nul = mig::find_encoding_problem(std::string("SELECT\0 1;", 10));
  REQUIRE(nul);
  CHECK(nul->reason == "NUL byte");
  CHECK(mig::find_encoding_problem("\xC0\xAF"));          // overlong '/'
  CHECK(mig::find_encoding_problem("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK(mig::find_encoding_problem("\xE2\x9C"));          // truncated sequence
}

TEST_CASE("byte offsets map to 1-based line and column") {
  const std::string text = "ab\ncd\n\nx";
  CHECK(mig::line_column_at(text, 0).line == 1);
  CHECK(mig::line_column_at(text, 4).line == 2);
  CHECK(mig::line_column_at(text, 4).column == 2);
  CHECK(mig::line_column_at(text, 7).line == 4);
}

TEST_CASE("files are read whole: empty, small, larger than one read, and from a pipe") {
  char tmpl[] = "/tmp/mig-unit-read-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const auto write = [&](const std::string& name, const std::string& text) {
    FILE* f = std::fopen((dir + "/" + name).c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return dir + "/" + name;
  };
  CHECK(mig::read_file_bytes(write("empty", "")).empty());
  CHECK(mig::read_file_bytes(write("small", "SELECT 1;\n")) == "SELECT 1;\n");
  std::string big(200000, 'x');
  big[123456] = 'y';
  CHECK(mig::read_file_bytes(write("big", big)) == big);
  // Not a regular file: no size to trust, read until the end.
  CHECK(mig::read_file_bytes("/proc/self/status").find("Pid:") != std::string::npos);
  CHECK_THROWS_AS(mig::read_file_bytes(dir + "/absent"), mig::Error);
  for (const char* name : {"empty", "small", "big"}) std::remove((dir + "/" + name).c_str());
  rmdir(dir.c_str());
}
