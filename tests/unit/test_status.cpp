#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "engine/status.hpp"

namespace {

mig::Migration file(const std::string& version, const std::string& checksum) {
  return mig::Migration{version, "m" + version, {version + ".sql", "", checksum}, std::nullopt, std::nullopt};
}

mig::HistoryRow row(const std::string& version, const std::string& checksum, const std::string& status = "applied") {
  mig::HistoryRow r;
  r.version = version;
  r.name = "m" + version;
  r.checksum = checksum;
  r.status = status;
  return r;
}

}  // namespace

TEST_CASE("files against history: pending, changed, missing, failed, out of order") {
  mig::MigrationSet set{"m", {file("1", "a"), file("2", "b-edited"), file("3", "c"), file("5", "e")}, {}};
  const auto s = mig::compare_with_history(set, {row("2", "b"), row("4", "d"), row("6", "f", "failed")});
  REQUIRE(s.pending.size() == 3);
  CHECK(s.pending[0]->version == "1");
  CHECK(s.out_of_order.size() == 2);  // 1 and 3 are below the newest applied (4)
  REQUIRE(s.changed.size() == 1);
  CHECK(s.changed[0].recorded_checksum == "b");
  REQUIRE(s.missing.size() == 1);
  CHECK(s.missing[0].version == "4");
  CHECK(s.failed.size() == 1);
  CHECK(s.current_version == "4");
  CHECK_FALSE(s.ready());
}

TEST_CASE("an unhealthy history maps to the contract's exit codes") {
  mig::MigrationSet set{"m", {file("1", "a")}, {}};
  const auto code_for = [&](std::vector<mig::HistoryRow> rows) {
    try {
      mig::require_consistent(mig::compare_with_history(set, rows));
    } catch (const mig::Error& e) {
      return e.code();
    }
    return mig::ExitCode::ok;
  };
  CHECK(code_for({row("1", "a")}) == mig::ExitCode::ok);
  CHECK(code_for({row("1", "x")}) == mig::ExitCode::invalid_input);
  CHECK(code_for({row("1", "a"), row("2", "b")}) == mig::ExitCode::invalid_input);
  CHECK(code_for({row("1", "a", "failed")}) == mig::ExitCode::needs_repair);
  CHECK(mig::compare_with_history(set, {row("1", "a")}).ready());
}

TEST_CASE("repeatable migrations: new, changed, unchanged, removed; their rows are not versions") {
  mig::MigrationSet set{"m", {file("1", "a")}, {}};
  for (const char* name : {"a_views", "b_funcs", "c_grants"}) {
    mig::Migration m{mig::repeatable_key(name), name, {std::string(name) + ".repeatable.sql", "", std::string("sum-") + name},
                     std::nullopt, std::nullopt};
    m.repeatable = true;
    set.repeatables.push_back(m);
  }
  auto recorded = [](const std::string& name, const std::string& checksum) {
    mig::HistoryRow r = row(mig::repeatable_key(name), checksum);
    r.name = name;
    return r;
  };
  const auto s = mig::compare_with_history(
      set, {row("1", "a"), recorded("a_views", "sum-a_views"), recorded("b_funcs", "old"), recorded("gone", "g")});
  CHECK(s.history.size() == 1);  // only the version
  CHECK(s.current_version == "1");
  CHECK(s.pending.empty());
  CHECK(s.missing.empty());  // a removed repeatable is not a missing version
  REQUIRE(s.repeatables.size() == 3);
  CHECK(s.repeatables[0].state == "unchanged");
  CHECK(s.repeatables[1].state == "changed");
  CHECK(s.repeatables[2].state == "new");
  REQUIRE(s.repeatables_due.size() == 2);
  CHECK(s.repeatables_due[0]->name == "b_funcs");
  CHECK(s.repeatables_due[1]->name == "c_grants");
  REQUIRE(s.repeatables_gone.size() == 1);
  CHECK(s.repeatables_gone[0].name == "gone");
  CHECK_FALSE(s.ready());
  CHECK_FALSE(mig::is_repeatable_key("20240101000000"));
}
