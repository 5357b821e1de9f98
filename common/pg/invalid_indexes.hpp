// Indexes left INVALID (a failed or interrupted CREATE INDEX CONCURRENTLY): the
// schema is not what the migrations say, and queries silently do without them.
#pragma once
#include <string>
#include <vector>

namespace mig {

class Database;
struct QueryResult;

struct InvalidIndex {
  std::string index;  // schema-qualified when not on the search path
  std::string table;
};

// Invalid indexes outside the system schemas that no session is building right now.
std::vector<InvalidIndex> invalid_indexes(Database& db);
// The same as a query and its reading, to send with another query in one round trip.
const char* invalid_indexes_sql();
std::vector<InvalidIndex> invalid_indexes_from(const QueryResult& result);

// The INVALID indexes on one table (as regclass text), none when it does not exist.
std::vector<std::string> invalid_indexes_of(Database& db, const std::string& table);

// "index on table, ..." for messages.
std::string describe(const std::vector<InvalidIndex>& indexes);

}  // namespace mig
