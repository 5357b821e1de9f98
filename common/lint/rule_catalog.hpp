// Every rule mig-lint knows: id (squawk's where the check is the same),
// default severity, whether ALLOW_BREAKING_MIGRATIONS relaxes it, and help.
#pragma once
#include <string>
#include <vector>

#include "lint/lint.hpp"

namespace mig::lint {

struct RuleInfo {
  const char* id;
  Severity default_severity;
  bool breaking;  // an error that ALLOW_BREAKING_MIGRATIONS=true turns into a warning
  const char* help;
};

const std::vector<RuleInfo>& rule_catalog();
const RuleInfo* find_rule(const std::string& id);

// The severity a finding of `rule` gets under these options.
Severity effective_severity(const RuleInfo& rule, const LintOptions& options);

}  // namespace mig::lint
