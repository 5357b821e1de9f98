#include <catch2/catch.hpp>

#include "pg/history.hpp"
#include "pg/lock.hpp"
#include "text/source_text.hpp"

TEST_CASE("the lock key is the first 4 bytes of SHA-256(schema NUL table), big-endian, signed") {
  const std::string digest = mig::sha256_digest(std::string("public\0migration_history", 24));
  const std::int32_t want = static_cast<std::int32_t>(
      (std::uint32_t(static_cast<unsigned char>(digest[0])) << 24) |
      (std::uint32_t(static_cast<unsigned char>(digest[1])) << 16) |
      (std::uint32_t(static_cast<unsigned char>(digest[2])) << 8) | std::uint32_t(static_cast<unsigned char>(digest[3])));
  CHECK(mig::lock_key_for({"public", "migration_history"}) == want);
  CHECK(mig::lock_key_for({"public", "migration_history"}) != mig::lock_key_for({"ops", "migration_history"}));
  CHECK(mig::lock_key_for({"a", "bc"}) != mig::lock_key_for({"ab", "c"}));
}
