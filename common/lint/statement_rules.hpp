// The rules that look at one statement's parse tree, by family. Each sees the
// statement and what earlier statements of the same file (and, for the
// NOT NULL recipe, earlier files of the same set) did.
#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>

#include "lint/tree.hpp"

namespace mig::lint {

struct StatementView {
  const std::string& type;  // the node type: "AlterTableStmt", "IndexStmt", ...
  const Tree& body;         // that node's fields
  std::size_t offset;       // the statement's first byte in the file
};

// What the up files of a set, in order, tell the later ones: the
// CHECK (col IS NOT NULL) recipe spans migrations (add NOT VALID, validate,
// then SET NOT NULL without a scan).
struct SetKnowledge {
  std::map<std::string, std::string> not_null_checks;  // "schema.table/constraint" -> column
  std::set<std::string> validated_not_null;            // "schema.table.column"
  std::set<std::string> validated_unknown_checks;      // "schema.table": VALIDATE of a constraint not seen added
};

// What a file's earlier statements tell the later ones. Table names are
// qualified ("public.orders"): unqualified ones resolve to default_schema.
struct FileState {
  bool transactional = true;  // mig runs the whole file in one transaction
  bool backfill = false;      // -- mig:backfill: mig runs it in batches
  bool down_file = false;
  std::string default_schema = "public";
  SetKnowledge* set = nullptr;  // shared by the set's up files; never null while linting

  // An explicit BEGIN ... COMMIT block in a no-transaction file.
  bool in_block = false;
  std::size_t block_offset = 0;
  // Set by note_effects when the statement ended a transaction (COMMIT, or
  // any statement outside a block of a no-transaction file).
  bool transaction_ended = false;

  std::set<std::string> created_tables;  // CREATE TABLE earlier in this file: exempt from lock rules
  std::set<std::string> dropped_tables;  // DROP TABLE earlier in this file: its locks no longer matter
  std::set<std::string> created_indexes;
  std::map<std::string, int> alter_count;
  std::set<std::string> dropped_constraints_if_exists;  // "table/constraint": a re-run can add it again

  // In the open transaction: existing tables held ACCESS EXCLUSIVE, and
  // constraints added NOT VALID.
  std::set<std::string> exclusive_tables;
  std::string exclusive_first;  // the first of them, as written, for messages
  std::size_t exclusive_offset = 0;
  std::set<std::string> not_valid_added;

  bool in_transaction() const { return transactional || in_block; }
  bool is_new(const std::string& qualified_table) const { return created_tables.count(qualified_table) > 0; }
  // A RangeVar, or a name list ["s", "t"], as "schema.table".
  std::string qualify(const Tree& range_var) const;
  std::string qualify_list(const Tree& name_list) const;
  // Forgets what lasts only as long as a transaction.
  void end_transaction();
};

// Reports `rule` at a byte offset in the file.
using Emit = std::function<void(const char* rule, std::size_t offset, const std::string& message)>;

void check_breaking_changes(const StatementView& s, const FileState& state, const Emit& emit);
void check_locks_and_rewrites(const StatementView& s, FileState& state, const Emit& emit);
void check_column_types(const StatementView& s, const Emit& emit);
void check_transaction_use(const StatementView& s, const FileState& state, const Emit& emit);
void check_robustness(const StatementView& s, const FileState& state, const Emit& emit);

// Records what this statement leaves behind for the next ones (tables created
// and dropped, ACCESS EXCLUSIVE locks held, blocks opened and closed). Call
// after the checks.
void note_effects(const StatementView& s, FileState& state);
// At the end of the file: a BEGIN never committed.
void check_end_of_file(const FileState& state, const Emit& emit);

// Option lists (VACUUM, REINDEX): whether `option` is present and not turned
// off (`FULL false`, `CONCURRENTLY 0`, `FULL off`).
bool option_enabled(const std::vector<Tree>& options, const std::string& option);

}  // namespace mig::lint
