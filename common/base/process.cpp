#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <sstream>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "base/errors.hpp"

namespace bp = boost::process;

namespace mig {
namespace {

bool executable_file(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string own_folder() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  const std::string path(self, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

std::string tail(const std::string& text, std::size_t keep) {
  return text.size() <= keep ? text : text.substr(text.size() - keep);
}

// The child's standard streams when the parent talks to it: -1 is /dev/null.
// Every end is O_CLOEXEC, so no child (ours, or one a sibling thread starts)
// keeps a pipe of another open.
struct ChildStdio {
  int in = -1, out = -1, err = -1;
};

// What a child gets between fork and exec (only async-signal-safe calls).
struct ChildSetup : bp::extend::handler {
  bool own_group = false;         // a process group of its own: signalled as one, with its children
  bool dies_with_parent = false;  // SIGTERM when mig's spawning thread ends (mig killed or gone)
  std::optional<ChildStdio> stdio;  // else our own streams are inherited
  pid_t parent = getpid();

  template <class Executor>
  void on_exec_setup(Executor&) const {
    if (own_group) setpgid(0, 0);
    if (dies_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(1);  // the parent was already gone
    }
    if (stdio) {
      const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
      dup2(stdio->in >= 0 ? stdio->in : null_fd, STDIN_FILENO);
      dup2(stdio->out >= 0 ? stdio->out : null_fd, STDOUT_FILENO);
      dup2(stdio->err >= 0 ? stdio->err : null_fd, STDERR_FILENO);
    }
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
  }
  // As a shell reports a command it could not run.
  template <class Executor>
  void on_exec_error(Executor&, const std::error_code&) const {
    _exit(127);
  }
};

bp::environment child_environment(const std::map<std::string, std::string>& extra_env) {
  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : extra_env) env[key] = value;
  return env;
}

// The one spawn core. argv[0] is looked up in PATH (one that is not found
// fails in the child, exit 127). Boost's error pipe is not used (ignore_error):
// its write end is made close-on-exec only after pipe(), and a child another
// thread forks in between would hold it open.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
            const ChildSetup& setup) {
  if (argv.empty()) throw usage_error("no command to run");
  const std::string exe = find_program(argv[0], false).value_or(argv[0]);
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  errno = 0;
  bp::child child(bp::exe = exe, bp::args = args, child_environment(extra_env), ChildSetup(setup), bp::ignore_error);
  if (!child.valid()) {
    throw Error(ExitCode::external_failed, "spawn_failed", argv[0] + ": cannot start: " + std::strerror(errno));
  }
  const pid_t pid = child.id();
  child.detach();  // reaped by us (waitpid), not by Boost
  if (setup.own_group) setpgid(pid, pid);  // also from the parent: no race with a signal sent right away
  return pid;
}

std::string resolve(const std::string& program) {
  const auto found = find_program(program, false);
  if (!found) throw Error(ExitCode::external_failed, "program_not_found", program + ": not found in PATH");
  return *found;
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int* p : {in, out, err}) {
      close_fd(p[0]);
      close_fd(p[1]);
    }
  }
};

void open_pipe(int (&fds)[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(ExitCode::external_failed, "spawn_failed", "pipe failed: " + std::string(std::strerror(errno)));
  }
}

// How a supervised child is run: what is kept of its output, what ends it early.
struct Supervision {
  bool own_group = true;
  bool keep_stdout = true;  // else /dev/null
  std::function<void(int pid)> tick;
  std::chrono::milliseconds interval{1000};
};

// The one loop that feeds a child's stdin, reads its stdout and stderr, ends
// it on a timeout or a stop signal, and reaps it.
CapturedOutcome supervise(const CapturedSpec& spec, const std::function<int()>& stop, const Supervision& how) {
  Pipes pipes;
  const bool has_stdin = !spec.stdin_text.empty();
  if (has_stdin) open_pipe(pipes.in);
  if (how.keep_stdout) open_pipe(pipes.out);
  open_pipe(pipes.err);
  ChildSetup setup;
  setup.own_group = how.own_group;
  setup.dies_with_parent = true;
  setup.stdio = ChildStdio{pipes.in[0], pipes.out[1], pipes.err[1]};
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = spawn(spec.argv, spec.extra_env, setup);
  close_fd(pipes.in[0]);
  close_fd(pipes.out[1]);
  close_fd(pipes.err[1]);
  if (has_stdin) fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
  const pid_t target = how.own_group ? -pid : pid;

  CapturedOutcome outcome;
  std::size_t written = 0;
  auto last_tick = started;
  std::optional<std::chrono::steady_clock::time_point> terminated_at;
  char buffer[65536];
  while (pipes.out[0] >= 0 || pipes.err[0] >= 0) {
    pollfd fds[3];
    int n = 0;
    int* owners[3];
    for (int* fd : {&pipes.out[0], &pipes.err[0]}) {
      if (*fd >= 0) fds[n] = {*fd, POLLIN, 0}, owners[n++] = fd;
    }
    if (pipes.in[1] >= 0) fds[n] = {pipes.in[1], POLLOUT, 0}, owners[n++] = &pipes.in[1];
    if (poll(fds, static_cast<nfds_t>(n), 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      int& fd = *owners[i];
      if (&fd == &pipes.in[1]) {
        const ssize_t w = write(fd, spec.stdin_text.data() + written, spec.stdin_text.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 && errno != EAGAIN) close_fd(fd);  // the child closed its stdin: fine
        if (written == spec.stdin_text.size()) close_fd(fd);
        continue;
      }
      const ssize_t r = read(fd, buffer, sizeof buffer);
      if (r <= 0) {
        if (r == 0 || (errno != EAGAIN && errno != EINTR)) close_fd(fd);
        continue;
      }
      if (&fd == &pipes.out[0]) {
        outcome.stdout_text.append(buffer, static_cast<std::size_t>(r));
      } else {
        outcome.stderr_tail = tail(outcome.stderr_tail + std::string(buffer, static_cast<std::size_t>(r)), 4096);
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (how.tick && now - last_tick >= how.interval) {
      how.tick(pid);
      last_tick = now;
    }
    if (spec.timeout && now - started >= *spec.timeout && !outcome.interrupted && !outcome.timed_out) {
      outcome.timed_out = true;
      kill(target, SIGTERM);
      terminated_at = now;
    }
    if (stop && !outcome.interrupted && !outcome.timed_out) {
      if (const int sig = stop()) {
        outcome.interrupted = true;
        kill(target, sig);
        terminated_at = now;
      }
    }
    if (terminated_at && now - *terminated_at >= spec.grace) kill(target, SIGKILL);
  }
  close_fd(pipes.in[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.pid = pid;
  outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  outcome.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return outcome;
}

CapturedSpec command_of(const std::string& program, const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& extra_env) {
  CapturedSpec spec;
  spec.argv = {resolve(program)};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.extra_env = extra_env;
  return spec;
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
  // In mig's own process group: a Ctrl-C at the terminal reaches pg_dump too.
  const CapturedOutcome ran =
      supervise(command_of(spec.program, spec.args, spec.extra_env), {}, Supervision{false, false, tick, interval});
  ProcessOutcome outcome;
  outcome.pid = ran.pid;
  outcome.signaled = ran.signal != 0;
  outcome.exit_code = ran.signal ? ran.signal : ran.exit_code;
  outcome.stderr_text = ran.stderr_tail;
  return outcome;
}

std::string process_output(const std::string& program, const std::vector<std::string>& args) {
  CapturedSpec spec = command_of(program, args, {});
  spec.timeout = std::chrono::seconds(30);  // a --version or --help that hangs is a broken program
  const CapturedOutcome ran = supervise(spec, {}, Supervision{false, true, {}, {}});
  if (ran.exit_code != 0 || ran.timed_out) {
    throw Error(ExitCode::external_failed, "external_failed",
                program + (ran.timed_out ? " did not finish within 30 s" : " exited with " + std::to_string(ran.exit_code)));
  }
  return ran.stdout_text;
}

int spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  ChildSetup setup;
  setup.own_group = true;
  return spawn(argv, extra_env, setup);
}

CapturedOutcome run_captured(const CapturedSpec& spec, const std::function<int()>& stop) {
  return supervise(spec, stop, Supervision{});
}

std::optional<std::string> find_program(const std::string& name, bool beside_self) {
  if (name.find('/') != std::string::npos) return executable_file(name) ? std::optional<std::string>(name) : std::nullopt;
  if (beside_self) {
    const std::string folder = own_folder();
    if (!folder.empty() && executable_file(folder + "/" + name)) return folder + "/" + name;
  }
  const char* path = std::getenv("PATH");
  std::istringstream folders(path ? path : "");
  for (std::string folder; std::getline(folders, folder, ':');) {
    if (!folder.empty() && executable_file(folder + "/" + name)) return folder + "/" + name;
  }
  return std::nullopt;
}

}  // namespace mig
