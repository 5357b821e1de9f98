// The one way to run a batch of statements in a transaction: BEGIN, the
// statements, and COMMIT (or ROLLBACK) in one round trip; on a failure the
// transaction is rolled back and the failure named by where it came from.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "engine/migration_script.hpp"

namespace mig {

class Database;
struct QueryResult;

// Where a failed batch stopped.
struct BatchFailure {
  const Error& cause;                // the server's error
  std::optional<SourcePosition> at;  // the file and line, when the statement came from a file
  std::optional<int> statement;      // 0-based among the statements added (BEGIN not counted)
};
// Turns a failure into the error the caller throws (its words, its exit code).
// A lost connection is not a failure of the batch: it is rethrown as it is.
using NameFailure = std::function<Error(const BatchFailure&)>;

class TransactionBatch {
 public:
  TransactionBatch();
  // Statements of ours (one line each), generated statements, or files.
  MigrationScript& script() { return script_; }

  // Commits. `then`, a statement of ours, runs after COMMIT in the same round
  // trip and its rows are returned (e.g. what the batch recorded).
  QueryResult commit(Database& db, const NameFailure& name, const std::string& then = "");
  // Always rolls back; returns the rows of the batch's last statement.
  QueryResult roll_back(Database& db, const NameFailure& name);

 private:
  [[noreturn]] void fail(Database& db, const Error& cause, const NameFailure& name) const;
  MigrationScript script_;
};

// After a failure inside a transaction: `sql` (ROLLBACK, or ROLLBACK TO
// SAVEPOINT) when a transaction is still open. A lost connection needs none (the
// server rolls back), and a rollback that fails is logged, never hiding the
// first error.
void roll_back_after_failure(Database& db, const std::string& sql = "ROLLBACK");

}  // namespace mig
