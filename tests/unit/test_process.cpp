#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>

#include "base/errors.hpp"
#include "base/process.hpp"

using namespace std::chrono_literals;

TEST_CASE("a captured child gets its stdin and environment, and its stdout, stderr and exit code come back") {
  mig::CapturedSpec spec;
  spec.argv = {"sh", "-c", "cat; echo \"$MIG_TEST_VALUE\"; echo oops >&2; exit 3"};
  spec.extra_env["MIG_TEST_VALUE"] = "from-env";
  spec.stdin_text = "from-stdin\n";
  const mig::CapturedOutcome out = mig::run_captured(spec);
  CHECK(out.exit_code == 3);
  CHECK(out.signal == 0);
  CHECK(out.stdout_text == "from-stdin\nfrom-env\n");
  CHECK(out.stderr_tail == "oops\n");
  CHECK_FALSE(out.timed_out);
}

TEST_CASE("a captured child past its timeout is ended, with what it left running in its group") {
  mig::CapturedSpec spec;
  // The grandchild holds stdout open: only a signal to the whole group ends the run.
  spec.argv = {"sh", "-c", "sleep 30 & sleep 30"};
  spec.timeout = 200ms;
  spec.grace = 2s;
  const auto started = std::chrono::steady_clock::now();
  const mig::CapturedOutcome out = mig::run_captured(spec);
  CHECK(out.timed_out);
  CHECK(out.signal == SIGTERM);
  CHECK(out.exit_code == 128 + SIGTERM);
  CHECK(std::chrono::steady_clock::now() - started < 20s);  // a bound, not a timing figure
}

TEST_CASE("a command that is not there ends as a shell reports it, 127") {
  mig::CapturedSpec spec;
  spec.argv = {"mig-no-such-program"};
  CHECK(mig::run_captured(spec).exit_code == 127);
}

TEST_CASE("run_process keeps stderr's tail and reports a signal apart from an exit code") {
  const mig::ProcessOutcome failed = mig::run_process({"sh", {"-c", "echo bad input >&2; exit 2"}, {}});
  CHECK_FALSE(failed.ok());
  CHECK(failed.describe() == "exited with 2: bad input");
  const mig::ProcessOutcome killed = mig::run_process({"sh", {"-c", "kill -9 $$"}, {}});
  CHECK(killed.signaled);
  CHECK(killed.describe() == "killed by signal 9");
  CHECK_THROWS_AS(mig::run_process({"mig-no-such-program", {}, {}}), mig::Error);
}

TEST_CASE("process_output returns stdout and refuses a failing program") {
  CHECK(mig::process_output("sh", {"-c", "echo 15.4"}) == "15.4\n");
  CHECK_THROWS_AS(mig::process_output("sh", {"-c", "exit 1"}), mig::Error);
  CHECK_THROWS_AS(mig::process_output("mig-no-such-program", {}), mig::Error);
}

TEST_CASE("find_program looks in PATH and takes a path with a slash as it is") {
  CHECK(mig::find_program("sh", false).has_value());
  CHECK(mig::find_program("/bin/sh", false) == std::optional<std::string>("/bin/sh"));
  CHECK_FALSE(mig::find_program("mig-no-such-program", false).has_value());
  CHECK_FALSE(mig::find_program("./mig-no-such-program", false).has_value());
}
