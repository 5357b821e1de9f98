// Which functions a column DEFAULT may call without PostgreSQL rewriting the
// table on ADD COLUMN: only built-ins known to be STABLE or IMMUTABLE. The
// table is generated from PostgreSQL 15's pg_proc (scripts/gen-builtin-functions.sh).
#pragma once
#include <string>
#include <vector>

namespace mig::lint {

// `name` is the function's name as written, its parts in order ("now",
// "pg_catalog.now", "public.my_func"). Unknown and user functions are volatile.
bool is_volatile_function(const std::vector<std::string>& name);

}  // namespace mig::lint
