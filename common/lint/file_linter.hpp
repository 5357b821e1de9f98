// Lints one migration file: statements one at a time (memory bounded by the
// largest statement), suppression comments, and the rules of each family.
#pragma once
#include <string>
#include <vector>

#include "lint.hpp"

namespace mig::lint {

enum class FileRole { up, down };

struct FileLintResult {
  int statements = 0;
  std::vector<Finding> findings;
};

FileLintResult lint_file(const std::string& path, const std::string& text, FileRole role, const LintOptions& options);

}  // namespace mig::lint
