#include "process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fstream>
#include <future>
#include <sstream>

#include <cerrno>
#include <cstring>

#include "errors.hpp"

namespace bp = boost::process;

namespace mig {
namespace {

boost::filesystem::path resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const auto found = bp::search_path(program);
  if (found.empty()) throw Error(ExitCode::external_failed, "program_not_found", program + ": not found in PATH");
  return found;
}

bp::environment child_environment(const ProcessSpec& spec) {
  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : spec.extra_env) env[key] = value;
  return env;
}

// A child that must not outlive mig (pg_dump, pg_restore): it gets SIGTERM when
// the thread that started it ends, which is when mig itself is killed or exits.
struct DiesWithParent : bp::extend::handler {
  pid_t parent = getpid();
  template <class Executor>
  void on_exec_setup(Executor&) const {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);  // the parent was already gone
  }
};

std::string tail(const std::string& text, std::size_t keep) {
  return text.size() <= keep ? text : text.substr(text.size() - keep);
}

}  // namespace

std::string ProcessOutcome::describe() const {
  std::string what = signaled ? "killed by signal " + std::to_string(exit_code) : "exited with " + std::to_string(exit_code);
  std::string detail = stderr_text;
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  return detail.empty() ? what : what + ": " + detail;
}

ProcessOutcome run_process(const ProcessSpec& spec, const std::function<void(int)>& tick,
                           std::chrono::milliseconds interval) {
  const auto program = resolve(spec.program);
  bp::ipstream stderr_stream;
  std::error_code ec;
  bp::child child = spec.stdout_path
                        ? bp::child(program, bp::args(spec.args), child_environment(spec), bp::std_in < bp::null,
                                    bp::std_out > *spec.stdout_path, bp::std_err > stderr_stream, DiesWithParent{}, ec)
                        : bp::child(program, bp::args(spec.args), child_environment(spec), bp::std_in < bp::null,
                                    bp::std_out > bp::null, bp::std_err > stderr_stream, DiesWithParent{}, ec);
  if (ec) throw Error(ExitCode::external_failed, "spawn_failed", program.string() + ": cannot start: " + ec.message());
  ProcessOutcome outcome;
  outcome.pid = child.id();
  // Read stderr on the side so a chatty child never blocks on a full pipe.
  auto stderr_reader = std::async(std::launch::async, [&stderr_stream] {
    std::string all;
    for (std::string line; std::getline(stderr_stream, line);) all = tail(all + line + "\n", 4096);
    return all;
  });
  while (!child.wait_for(interval)) {
    if (tick) tick(outcome.pid);
  }
  outcome.stderr_text = stderr_reader.get();
  const int native = child.native_exit_code();
  outcome.signaled = WIFSIGNALED(native);
  outcome.exit_code = outcome.signaled ? WTERMSIG(native) : WEXITSTATUS(native);
  return outcome;
}

std::string process_output(const std::string& program, const std::vector<std::string>& args) {
  bp::ipstream out;
  std::error_code ec;
  bp::child child(resolve(program), bp::args(args), bp::std_in < bp::null, bp::std_out > out, bp::std_err > bp::null, ec);
  if (ec) throw Error(ExitCode::external_failed, "spawn_failed", program + ": cannot start: " + ec.message());
  std::ostringstream text;
  text << out.rdbuf();
  child.wait();
  if (child.exit_code() != 0) {
    throw Error(ExitCode::external_failed, "external_failed", program + " exited with " + std::to_string(child.exit_code()));
  }
  return text.str();
}

}  // namespace mig

#include <signal.h>
#include <unistd.h>

extern char** environ;

namespace mig {

int spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  if (argv.empty()) throw usage_error("no command to run");
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string entry(*e);
    if (!extra_env.count(entry.substr(0, entry.find('=')))) env_strings.push_back(entry);
  }
  for (const auto& [key, value] : extra_env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  sigset_t none;
  sigemptyset(&none);

  const pid_t pid = fork();
  if (pid < 0) throw Error(ExitCode::external_failed, "spawn_failed", "fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    setpgid(0, 0);  // its own process group: a signal to the group reaches its children too
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent: no race with a signal sent right away
  return pid;
}

}  // namespace mig
