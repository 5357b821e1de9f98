// The engine's choices and settings, without a server: which migrations a run
// applies or reverts, the flag > environment > mig.json > default rule, and
// a file's header directives.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "cli/config.hpp"
#include "engine/directives.hpp"
#include "base/errors.hpp"
#include "engine/migration_choice.hpp"

namespace {

mig::Migration file(const std::string& version) {
  return mig::Migration{version, "m" + version, {version + ".sql", "", "sum" + version}, std::nullopt, std::nullopt};
}

mig::HistoryRow row(const std::string& version, long long batch) {
  mig::HistoryRow r;
  r.version = version;
  r.name = "m" + version;
  r.checksum = "sum" + version;
  r.status = "applied";
  r.batch = batch;
  return r;
}

std::vector<std::string> versions(const std::vector<const mig::Migration*>& chosen) {
  std::vector<std::string> out;
  for (const auto* m : chosen) out.push_back(m->version);
  return out;
}
std::vector<std::string> versions(const std::vector<mig::HistoryRow>& chosen) {
  std::vector<std::string> out;
  for (const auto& r : chosen) out.push_back(r.version);
  return out;
}

mig::Directives directives_of(const std::string& text) { return mig::read_directives(mig::MigrationFile{"m/1_x.sql", text, ""}); }

// Sets an environment variable for one scope.
struct Env {
  Env(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~Env() { unsetenv(name_); }
  const char* name_;
};

}  // namespace

TEST_CASE("pending migrations: all, up to --to, at most --steps; out of order refused unless allowed", "[engine]") {
  const mig::MigrationSet set{"m", {file("1"), file("2"), file("3"), file("4")}, {}};
  const auto status = mig::compare_with_history(set, {row("1", 1)});
  mig::ApplyOptions options;
  CHECK(versions(mig::select_pending(status, options)) == std::vector<std::string>{"2", "3", "4"});
  options.to_version = "3";
  CHECK(versions(mig::select_pending(status, options)) == std::vector<std::string>{"2", "3"});
  options.to_version.reset();
  options.steps = 1;
  CHECK(versions(mig::select_pending(status, options)) == std::vector<std::string>{"2"});

  const auto gap = mig::compare_with_history(set, {row("1", 1), row("3", 2)});
  CHECK_THROWS_AS(mig::select_pending(gap, mig::ApplyOptions{}), mig::Error);
  mig::ApplyOptions allow;
  allow.allow_out_of_order = true;
  CHECK(versions(mig::select_pending(gap, allow)) == std::vector<std::string>{"2", "4"});
}

TEST_CASE("an empty database starts from the newest checkpoint within --to; one with history does not", "[engine]") {
  mig::MigrationSet set{"m", {file("1"), file("2"), file("3"), file("4"), file("5"), file("6")}, {}};
  set.migrations[2].checkpoint = true;  // 3
  set.migrations[4].checkpoint = true;  // 5
  const auto empty = mig::compare_with_history(set, {});
  mig::ApplyOptions options;
  CHECK(versions(mig::select_pending(empty, options)) == std::vector<std::string>{"5", "6"});
  CHECK(versions(mig::covered_by(set, set.migrations[4])) == std::vector<std::string>{"1", "2", "3", "4"});
  options.to_version = "4";
  CHECK(versions(mig::select_pending(empty, options)) == std::vector<std::string>{"3", "4"});
  options.to_version = "2";
  CHECK(versions(mig::select_pending(empty, options)) == std::vector<std::string>{"1", "2"});
  options.to_version.reset();
  options.steps = 1;
  CHECK(versions(mig::select_pending(empty, options)) == std::vector<std::string>{"5"});
  const auto started = mig::compare_with_history(set, {row("1", 1)});
  CHECK(versions(mig::select_pending(started, mig::ApplyOptions{})) == std::vector<std::string>{"2", "3", "4", "5", "6"});
}

TEST_CASE("repeatables run after the last pending version, never after a --to or --steps that stops short", "[engine]") {
  mig::MigrationSet set{"m", {file("1"), file("2"), file("3")}, {}};
  mig::Migration views{mig::repeatable_key("views"), "views", {"views.repeatable.sql", "", "v"}, std::nullopt, std::nullopt};
  views.repeatable = true;
  set.repeatables.push_back(views);
  set.migrations[1].checkpoint = true;  // 2
  const auto empty = mig::compare_with_history(set, {});
  mig::ApplyOptions options;
  auto chosen = mig::select_pending(empty, options);
  CHECK(versions(chosen) == std::vector<std::string>{"2", "3"});
  CHECK(mig::starts_from(empty, chosen, set.migrations[1]));
  CHECK(versions(mig::repeatables_after(empty, chosen)) == std::vector<std::string>{"repeatable:views"});
  options.to_version = "2";
  chosen = mig::select_pending(empty, options);
  CHECK(mig::repeatables_after(empty, chosen).empty());
  options.to_version.reset();
  options.steps = 1;
  CHECK(mig::repeatables_after(empty, mig::select_pending(empty, options)).empty());

  // Up to date except the repeatable: it alone runs; the checkpoint is only recorded on a database with history.
  const auto done = mig::compare_with_history(set, {row("1", 1), row("2", 1), row("3", 1)});
  CHECK(versions(mig::repeatables_after(done, mig::select_pending(done, mig::ApplyOptions{}))) ==
        std::vector<std::string>{"repeatable:views"});
  const auto started = mig::compare_with_history(set, {row("1", 1)});
  const auto rest = mig::select_pending(started, mig::ApplyOptions{});
  CHECK_FALSE(mig::starts_from(started, rest, set.migrations[1]));
}

TEST_CASE("reverted migrations: the last batch, down to --to, or --steps, newest first", "[engine]") {
  const mig::MigrationSet set{"m", {file("1"), file("2"), file("3"), file("4")}, {}};
  const auto status = mig::compare_with_history(set, {row("1", 1), row("2", 2), row("3", 2), row("4", 3)});
  mig::ApplyOptions options;
  options.down = true;
  CHECK(versions(mig::select_reverts(status, options)) == std::vector<std::string>{"4"});
  options.to_version = "1";
  CHECK(versions(mig::select_reverts(status, options)) == std::vector<std::string>{"4", "3", "2"});
  options.to_version.reset();
  options.steps = 2;
  CHECK(versions(mig::select_reverts(status, options)) == std::vector<std::string>{"4", "3"});
}

TEST_CASE("settings: flag > environment > mig.json > default, for each", "[engine]") {
  char dir[] = "/tmp/mig-unit-config-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string file = std::string(dir) + "/mig.json";
  std::ofstream(file) << R"({"dir": "from_file", "lock_timeout": "3s", "seeds_dir": "seeds_file", "retries": 7})";
  mig::ConfigFlags flags;
  flags.config_file = file;

  auto config = mig::resolve_config(flags);
  CHECK(config.dir == "from_file");
  CHECK(config.seeds_dir == "seeds_file");
  CHECK(config.timeouts.lock_timeout == std::chrono::seconds(3));
  CHECK(config.timeouts.retries == 7);
  CHECK(config.backup_dir == "backups");  // default
  {
    Env dir_env("MIG_DIR", "from_env");
    Env seeds_env("MIG_SEEDS_DIR", "seeds_env");
    config = mig::resolve_config(flags);
    CHECK(config.dir == "from_env");
    CHECK(config.seeds_dir == "seeds_env");
    flags.dir = "from_flag";
    flags.seeds_dir = "seeds_flag";
    config = mig::resolve_config(flags);
    CHECK(config.dir == "from_flag");
    CHECK(config.seeds_dir == "seeds_flag");
  }
  CHECK_FALSE(config.session_pooler);
  {
    Env pooler("MIG_SESSION_POOLER", "1");
    CHECK(mig::resolve_config(flags).session_pooler);
  }
  {
    Env pooler("MIG_SESSION_POOLER", "yes please");  // neither true nor false: refused, not ignored
    CHECK_THROWS_AS(mig::resolve_config(flags), mig::Error);
  }
  std::ofstream(file) << R"({"allow_breaking_migrations": true})";
  CHECK(mig::resolve_config(flags).allow_breaking_migrations);
  {
    Env off("ALLOW_BREAKING_MIGRATIONS", "false");
    CHECK_FALSE(mig::resolve_config(flags).allow_breaking_migrations);
  }
  flags.lock_timeout = "half a second";
  CHECK_THROWS_AS(mig::resolve_config(flags), mig::Error);
  std::ofstream(file) << R"({"lock_timout": "3s"})";
  flags.lock_timeout.reset();
  CHECK_THROWS_AS(mig::resolve_config(flags), mig::Error);  // a misspelt key is named, not ignored
  std::remove(file.c_str());
  rmdir(dir);
}

TEST_CASE("directives: read from the leading comments, checked", "[engine]") {
  const auto d = directives_of("-- mig:no-transaction\n-- mig:lock-timeout 5s\n-- why\nCREATE INDEX CONCURRENTLY i ON t (c);\n");
  CHECK(d.no_transaction);
  CHECK(d.lock_timeout == std::chrono::seconds(5));
  CHECK_FALSE(d.statement_timeout);
  // After the first statement a comment is only a comment.
  CHECK_FALSE(directives_of("SELECT 1;\n-- mig:no-transaction\n").no_transaction);

  const auto b = directives_of("-- mig:backfill\n-- mig:key id\n-- mig:batch-size 500\nUPDATE t SET a = b WHERE a IS NULL;\n");
  CHECK(b.backfill);
  CHECK(b.key == std::vector<std::string>{"id"});
  CHECK(b.batch_size == 500);

  CHECK_THROWS_AS(directives_of("-- mig:no-transactoin\nSELECT 1;\n"), mig::Error);        // a typo is named
  CHECK_THROWS_AS(directives_of("-- mig:lock-timeout soon\nSELECT 1;\n"), mig::Error);      // a bad value
  CHECK_THROWS_AS(directives_of("-- mig:key id\nUPDATE t SET a = 1;\n"), mig::Error);       // key without backfill

  // A repeatable file runs again in one transaction: no-transaction cannot mark it.
  const mig::MigrationFile views{"m/views.repeatable.sql", "", ""};
  CHECK_NOTHROW(mig::require_fits_repeatable(views, directives_of("-- mig:lock-timeout 5s\nSELECT 1;\n")));
  CHECK_THROWS_AS(mig::require_fits_repeatable(views, d), mig::Error);
}
