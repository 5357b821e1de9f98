// The desired schema: a folder of plain SQL files (schema/), applied in
// lexical order statement by statement outside any wrapping transaction, as
// `psql -f` would; and the renames its comments declare.
#pragma once
#include <string>
#include <vector>

#include "diff/schema_statements.hpp"

namespace mig {
class Database;
}

namespace mig::diff {

struct SchemaFile {
  std::string path;
  std::string text;  // normalized (BOM dropped, CRLF -> LF)
  std::vector<SchemaStatement> statements;
};

// Throws mig::Error (exit 3) when the folder is missing, unreadable, holds no
// .sql file, a file is not UTF-8, does not parse, or reaches outside one
// database (read_schema_statements). Nothing has connected yet.
std::vector<SchemaFile> read_schema_dir(const std::string& dir);

// Runs every statement in file order: CREATE EXTENSION on `owner` (the DSN's
// user, connected to the same scratch database), everything else on
// `sandbox` (the SandboxRole). A failure is exit 3 naming the file and line.
void apply_schema_files(Database& sandbox, Database& owner, const std::vector<SchemaFile>& files);

// `-- mig:renamed-from OLD` on the line before a CREATE TABLE or a column
// definition in it.
struct Rename {
  std::string schema;  // of the table (public when not written)
  std::string table;   // the table's new name
  std::string column;  // empty for a table rename; else the column's new name
  std::string old_name;
  std::string file;
  int line = 0;
};
std::vector<Rename> find_renames(const std::vector<SchemaFile>& files);

// `"schema"."table"`.
std::string quoted_table(const std::string& schema, const std::string& table);
std::string quoted(const std::string& identifier);

}  // namespace mig::diff
