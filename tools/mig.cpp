// mig TOOL [ARGS...]: git-style front door. `mig status` runs mig-status found
// next to `mig` (an unpacked package, a build folder) or on PATH.
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "base/process.hpp"
#include "cli/version.hpp"

namespace {

const char* const kTools[] = {"new", "lint", "status", "apply", "dryrun", "backup", "seed", "start-prod", "fleet", "diff", "import"};

// mig-TOOL next to mig, else on PATH; "" when neither has it.
std::string find_tool(const std::string& tool) { return mig::find_program("mig-" + tool, true).value_or(""); }

// The first line of `mig-TOOL --help`: its one-line job.
std::string summary_of(const std::string& path) {
  try {
    const std::string help = mig::process_output(path, {"--help"});
    return help.substr(0, help.find('\n'));
  } catch (const mig::Error&) {
    return "";
  }
}

int usage(std::ostream& out, int status) {
  out << "mig: safe PostgreSQL migrations, one small tool per job.\n"
         "Usage: mig TOOL [ARGS...]     runs mig-TOOL (next to mig, else on PATH)\n"
         "       mig help TOOL          the tool's manual page (its --help without man)\n"
         "       mig --version\n\nTools:\n";
  for (const char* tool : kTools) {
    const std::string path = find_tool(tool);
    char row[600];
    std::snprintf(row, sizeof row, "  %-11s %s\n", tool, path.empty() ? "(not installed)" : summary_of(path).c_str());
    out << row;
  }
  out << "\nEvery tool: -h/--help, --version, -v/--verbose, -q/--quiet, --format text|json (mig-lint also\n"
         "github|sarif), --events, --from FILE|-, --config FILE. Durations: 500ms, 10s, 5min, 1h, 2d.\n"
         "Exit codes, the JSON documents and the runbook: man 7 mig.\n";
  return status;
}

bool known(const std::string& tool) {
  for (const char* t : kTools) {
    if (tool == t) return true;
  }
  return false;
}

int run_tool(const std::string& tool, int argc, char** argv, int first) {
  const std::string path = find_tool(tool);
  if (path.empty()) {
    std::cerr << "mig: '" << tool << "' is not a mig tool" << (known(tool) ? " installed here" : "") << " (mig --help lists them)\n";
    return 2;
  }
  std::vector<char*> args{const_cast<char*>(path.c_str())};
  for (int i = first; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(path.c_str(), args.data());
  std::cerr << "mig: cannot run " << path << ": " << std::strerror(errno) << '\n';
  return 8;
}

// The manual page when man has it installed, else the tool's --help.
int help(const std::string& tool) {
  if (tool != "mig" && !known(tool)) {
    std::cerr << "mig: no manual for '" << tool << "' (mig --help lists the tools)\n";
    return 2;
  }
  const std::string page = tool == "mig" ? "mig" : "mig-" + tool;
  const std::string section = tool == "mig" ? "7" : "1";
  if (std::system(("man -w " + section + " " + page + " >/dev/null 2>&1").c_str()) == 0) {
    execlp("man", "man", section.c_str(), page.c_str(), static_cast<char*>(nullptr));
  }
  if (tool == "mig") return usage(std::cout, 0);
  char help_flag[] = "--help";
  char* args[] = {help_flag};
  return run_tool(tool, 1, args, 0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(std::cerr, 2);
  const std::string first = argv[1];
  if (first == "-h" || first == "--help") return usage(std::cout, 0);
  if (first == "--version") {
    std::cout << "mig " << mig::version_line() << '\n';
    return 0;
  }
  if (first == "help") {
    return argc < 3 ? usage(std::cout, 0) : help(argv[2]);
  }
  if (!first.empty() && first[0] == '-') {
    std::cerr << "mig: unknown option '" << first << "' (mig --help)\n";
    return 2;
  }
  return run_tool(first, argc, argv, 2);
}
