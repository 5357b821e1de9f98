// The names a migration would create (tables, columns, indexes, constraints,
// types, enum values, functions, schemas, sequences, views), read with
// PostgreSQL's parser: a rehearsal that skipped a no-transaction migration
// calls a later failure inconclusive only when it names one of them.
#pragma once
#include <set>
#include <string>

namespace mig {

std::set<std::string> created_names(const std::string& sql);

// True when `message` quotes one of `names` ("column \"status\" does not exist").
bool mentions_any(const std::string& message, const std::set<std::string>& names);

}  // namespace mig
