// A backfill migration's body (CONTRACT §12), read with PostgreSQL's parser:
// one UPDATE, DELETE or INSERT ... SELECT over one table, the table batched by
// its key. Everything that can be refused without a database is refused here
// (exit 3, file:line) before anything runs: mig-apply, mig-dryrun and mig-lint
// (backfill-shape) share it.
#pragma once
#include <string>

namespace mig {

struct MigrationFile;

struct BackfillStatement {
  std::string kind;       // "UPDATE", "DELETE" or "INSERT"
  std::string sql;        // the statement, without its ';'
  std::string schema;     // the batched table as written: schema ("" when unqualified)...
  std::string table;      // ...and name
  std::string qualifier;  // how the statement refers to it (its alias, or its name)
  int line = 1;           // of the statement in the file
};

// Throws mig::Error (exit 3, kind "backfill_shape") naming the file and line.
BackfillStatement read_backfill_statement(const MigrationFile& file);

}  // namespace mig
