#include "engine/transaction_batch.hpp"

#include "base/errors.hpp"
#include "base/log.hpp"
#include "pg/db.hpp"

namespace mig {

TransactionBatch::TransactionBatch() { script_.add_statement("BEGIN"); }

QueryResult TransactionBatch::commit(Database& db, const NameFailure& name, const std::string& then) {
  try {
    return db.query(script_.sql() + "COMMIT;" + then);
  } catch (const Error& e) {
    fail(db, e, name);
  }
}

QueryResult TransactionBatch::roll_back(Database& db, const NameFailure& name) {
  QueryResult result;
  try {
    result = db.query(script_.sql());
  } catch (const Error& e) {
    fail(db, e, name);
  }
  db.query("ROLLBACK");
  return result;
}

void TransactionBatch::fail(Database& db, const Error& cause, const NameFailure& name) const {
  if (cause.code() == ExitCode::database_unreachable) throw cause;  // the server rolled it back
  roll_back_after_failure(db);
  std::optional<int> statement;
  if (cause.failed_statement() && *cause.failed_statement() >= 1) statement = *cause.failed_statement() - 1;
  throw name(BatchFailure{cause, script_.locate(cause), statement});
}

void roll_back_after_failure(Database& db, const std::string& sql) {
  if (!db.in_transaction()) return;
  try {
    db.query(sql);
  } catch (const Error& e) {
    log::warn(sql, " after a failure failed too: ", server_message_line(e.what()));
  }
}

}  // namespace mig
