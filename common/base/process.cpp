#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fstream>
#include <future>
#include <sstream>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "base/errors.hpp"

namespace bp = boost::process;

namespace mig {
namespace {

boost::filesystem::path resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const auto found = find_program(program, false);
  if (!found) throw Error(ExitCode::external_failed, "program_not_found", program + ": not found in PATH");
  return *found;
}

bool executable_file(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string own_folder() {
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  const std::string path(self, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
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

extern char** environ;

namespace mig {
namespace {

// argv and environment (ours, with `extra_env` added or replacing) as the
// arrays execvpe takes, built before fork: after it, only async-signal-safe calls.
class ExecImage {
 public:
  ExecImage(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) : argv_(argv) {
    for (char** e = environ; *e; ++e) {
      const std::string entry(*e);
      if (!extra_env.count(entry.substr(0, entry.find('=')))) env_.push_back(entry);
    }
    for (const auto& [key, value] : extra_env) env_.push_back(key + "=" + value);
    for (auto& a : argv_) argv_ptrs_.push_back(a.data());
    argv_ptrs_.push_back(nullptr);
    for (auto& e : env_) env_ptrs_.push_back(e.data());
    env_ptrs_.push_back(nullptr);
  }
  char** argv() { return argv_ptrs_.data(); }
  char** envp() { return env_ptrs_.data(); }

 private:
  std::vector<std::string> argv_, env_;
  std::vector<char*> argv_ptrs_, env_ptrs_;
};

// The child's standard streams, when the parent talks to it through pipes.
struct ChildStdio {
  int in = -1;                // read end for its stdin, or -1 for /dev/null
  int out = -1, err = -1;     // write ends for its stdout and stderr
  std::vector<int> to_close;  // every pipe end: none may stay open in the child
};

// The one spawn core: fork, then in the child only async-signal-safe calls: a
// process group of its own (a signal to the group reaches its children too),
// optionally death with its parent, the given stdio, signals reset, exec.
pid_t fork_exec(ExecImage& image, const ChildStdio* stdio, bool dies_with_parent) {
  char** args = image.argv();
  char** envp = image.envp();
  sigset_t none;
  sigemptyset(&none);
  const pid_t pid = fork();
  if (pid < 0) throw Error(ExitCode::external_failed, "spawn_failed", "fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    setpgid(0, 0);
    if (dies_with_parent) prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (stdio) {
      dup2(stdio->in >= 0 ? stdio->in : open("/dev/null", O_RDONLY), STDIN_FILENO);
      dup2(stdio->out, STDOUT_FILENO);
      dup2(stdio->err, STDERR_FILENO);
      for (int fd : stdio->to_close) {
        if (fd > STDERR_FILENO) close(fd);
      }
    }
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execvpe(args[0], args, envp);
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent: no race with a signal sent right away
  return pid;
}

}  // namespace


int spawn_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  if (argv.empty()) throw usage_error("no command to run");
  // Everything the child needs is built before fork.
  ExecImage image(argv, extra_env);
  return fork_exec(image, nullptr, false);
}

}  // namespace mig

namespace mig {
namespace {

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

}  // namespace

CapturedOutcome run_captured(const CapturedSpec& spec, const std::function<int()>& stop) {
  if (spec.argv.empty()) throw usage_error("no command to run");
  ExecImage image(spec.argv, spec.extra_env);

  Pipes pipes;
  const bool has_stdin = !spec.stdin_text.empty();
  if ((has_stdin && pipe2(pipes.in, O_CLOEXEC) != 0) || pipe2(pipes.out, O_CLOEXEC) != 0 ||
      pipe2(pipes.err, O_CLOEXEC) != 0) {
    throw Error(ExitCode::external_failed, "spawn_failed", "pipe failed: " + std::string(std::strerror(errno)));
  }
  const auto started = std::chrono::steady_clock::now();
  const ChildStdio stdio{has_stdin ? pipes.in[0] : -1, pipes.out[1], pipes.err[1],
                         {pipes.in[0], pipes.in[1], pipes.out[0], pipes.out[1], pipes.err[0], pipes.err[1]}};
  const pid_t pid = fork_exec(image, &stdio, true);
  close_fd(pipes.in[0]);
  close_fd(pipes.out[1]);
  close_fd(pipes.err[1]);
  if (has_stdin) fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);

  CapturedOutcome outcome;
  std::size_t written = 0;
  std::optional<std::chrono::steady_clock::time_point> terminated_at;
  const auto terminate = [&] {
    if (!terminated_at) kill(-pid, SIGTERM);
    if (!terminated_at) terminated_at = std::chrono::steady_clock::now();
  };
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
    if (spec.timeout && now - started >= *spec.timeout && !outcome.interrupted && !outcome.timed_out) {
      outcome.timed_out = true;
      terminate();
    }
    if (stop && !outcome.interrupted && !outcome.timed_out) {
      if (const int sig = stop()) {
        outcome.interrupted = true;
        kill(-pid, sig);
        terminated_at = now;
      }
    }
    if (terminated_at && now - *terminated_at >= spec.grace) kill(-pid, SIGKILL);
  }
  close_fd(pipes.in[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return outcome;
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
