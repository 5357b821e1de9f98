// Lints one migration file: statements one at a time (memory bounded by the
// largest statement), suppression comments, and the rules of each family.
#pragma once
#include <string>
#include <vector>

#include "lint/lint.hpp"

namespace mig::lint {

enum class FileRole { up, down, repeatable };
struct SetKnowledge;

// Streams the file's findings to `sink`; returns its number of statements.
// `set` carries what earlier up files of the same set did (NOT NULL recipe).
int lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options,
              SetKnowledge& set, const FindingSink& sink);

// The same, collected (tests, and callers that want a list).
struct FileLintResult {
  int statements = 0;
  std::vector<Finding> findings;
};
FileLintResult lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options);

}  // namespace mig::lint
