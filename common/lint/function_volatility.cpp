#include "lint/function_volatility.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace mig::lint {
namespace {

const char* const kNonVolatileBuiltins[] = {
#include "lint/builtin_nonvolatile_functions.inc"
};

bool is_nonvolatile_builtin(const std::string& name) {
  return std::binary_search(std::begin(kNonVolatileBuiltins), std::end(kNonVolatileBuiltins), name.c_str(),
                            [](const char* a, const char* b) { return std::strcmp(a, b) < 0; });
}

}  // namespace

bool is_volatile_function(const std::vector<std::string>& name) {
  if (name.empty()) return true;
  // pg_catalog is searched first whatever search_path says, so an unqualified
  // built-in name is the built-in; any other schema holds a user function.
  if (name.size() > 1 && name[name.size() - 2] != "pg_catalog") return true;
  return !is_nonvolatile_builtin(name.back());
}

}  // namespace mig::lint
