// The rules that look at one statement's parse tree, by family. Each sees the
// statement and what earlier statements of the same file did.
#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>

#include "tree.hpp"

namespace mig::lint {

struct StatementView {
  const std::string& type;  // the node type: "AlterTableStmt", "IndexStmt", ...
  const Tree& body;         // that node's fields
  std::size_t offset;       // the statement's first byte in the file
};

// What a file's earlier statements tell the later ones.
struct FileState {
  bool transactional = true;
  bool down_file = false;
  std::set<std::string> created_tables;  // CREATE TABLE earlier in this file: exempt from lock rules
  std::set<std::string> created_indexes;
  std::string access_exclusive_table;   // an existing table locked ACCESS EXCLUSIVE earlier in this transaction
  std::map<std::string, int> alter_count;
  bool is_new(const std::string& table) const { return created_tables.count(table) > 0; }
};

// Reports `rule` at a byte offset in the file.
using Emit = std::function<void(const char* rule, std::size_t offset, const std::string& message)>;

void check_breaking_changes(const StatementView& s, const FileState& state, const Emit& emit);
void check_locks_and_rewrites(const StatementView& s, FileState& state, const Emit& emit);
void check_column_types(const StatementView& s, const Emit& emit);
void check_transaction_use(const StatementView& s, const FileState& state, const Emit& emit);

// Records what this statement leaves behind for the next ones (tables created,
// ACCESS EXCLUSIVE locks held). Call after the checks.
void note_effects(const StatementView& s, FileState& state);

}  // namespace mig::lint
