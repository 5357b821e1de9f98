#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "fleet/shard.hpp"

TEST_CASE("a target's shard is FNV-1a 64 of its name: fixed across versions", "[fleet]") {
  // FNV-1a-64("a") = 0xaf63dc4c8601ec8c; a changed hash would move targets between
  // shards in the middle of a rollout.
  CHECK(mig::shard_of("a", 100000) == 41996);
  CHECK(mig::shard_of("a", 7) == 5);
  CHECK(mig::shard_of("anything", 1) == 0);
}

TEST_CASE("N shards split the targets, each exactly once", "[fleet]") {
  std::vector<mig::Target> targets;
  for (int i = 0; i < 1000; ++i) targets.push_back({"tenant_" + std::to_string(i), "dbname=x", "", {}});
  std::size_t total = 0;
  for (int i = 0; i < 8; ++i) {
    const auto mine = mig::in_shard(targets, {i, 8});
    CHECK(mine.size() > 60);  // about 125 each: none empty or holding most
    CHECK(mine.size() < 190);
    total += mine.size();
  }
  CHECK(total == targets.size());
}

TEST_CASE("shard flags: I/N, or N with JOB_COMPLETION_INDEX, checked", "[fleet]") {
  using mig::shard_from_flags;
  CHECK_FALSE(shard_from_flags(std::nullopt, std::nullopt, nullptr));
  CHECK(shard_from_flags(std::string("3/4"), std::nullopt, nullptr)->index == 3);
  CHECK(shard_from_flags(std::nullopt, std::string("4"), "2")->index == 2);
  CHECK_THROWS_AS(shard_from_flags(std::string("4/4"), std::nullopt, nullptr), mig::Error);
  CHECK_THROWS_AS(shard_from_flags(std::string("1"), std::nullopt, nullptr), mig::Error);
  CHECK_THROWS_AS(shard_from_flags(std::nullopt, std::string("4"), nullptr), mig::Error);
  CHECK_THROWS_AS(shard_from_flags(std::nullopt, std::string("4"), "4"), mig::Error);
  CHECK_THROWS_AS(shard_from_flags(std::string("0/2"), std::string("2"), "0"), mig::Error);
}
