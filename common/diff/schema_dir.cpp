#include "diff/schema_dir.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace fs = std::filesystem;

namespace mig::diff {
namespace {

const std::string kRenamedFrom = "mig:renamed-from";

std::string statement_text(const SchemaFile& file, const SqlStatement& s) {
  return file.text.substr(s.begin, s.end - s.begin);
}

// The renamed-from name on the line just above `line`, if any.
std::string renamed_from(const SchemaFile& file, const std::vector<SqlComment>& comments, const LineIndex& lines, int line) {
  for (const SqlComment& c : comments) {
    if (!c.line_comment || lines.at(c.begin).line != line - 1) continue;
    const std::string body = comment_body(file.text, c);
    if (body.rfind(kRenamedFrom, 0) != 0) continue;
    std::string name = body.substr(kRenamedFrom.size());
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name.empty() || name.find_first_of(" \t") != std::string::npos) {
      throw invalid_input("bad_directive", file.path + ":" + std::to_string(line - 1) +
                                               ": -- mig:renamed-from needs exactly one name");
    }
    return name;
  }
  return "";
}

}  // namespace

std::string quoted(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string quoted_table(const std::string& schema, const std::string& table) { return quoted(schema) + "." + quoted(table); }

std::vector<SchemaFile> read_schema_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw invalid_input("missing_schema_dir", dir + ": no such folder (the desired schema: --schema-dir)");
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".sql" && entry.is_regular_file()) paths.push_back(entry.path().string());
  }
  if (ec) throw invalid_input("missing_schema_dir", dir + ": cannot read the folder: " + ec.message());
  if (paths.empty()) {
    throw invalid_input("empty_schema_dir", dir + ": holds no .sql file (an empty desired schema would drop everything)");
  }
  std::sort(paths.begin(), paths.end());
  std::vector<SchemaFile> files;
  for (const std::string& path : paths) {
    const std::string bytes = read_file_bytes(path);
    if (const auto bad = find_encoding_problem(bytes)) {
      throw invalid_input("invalid_encoding", path + ":" + std::to_string(bad->line) + ": " + bad->reason);
    }
    std::string text = normalize_source(bytes);
    std::vector<SchemaStatement> statements = read_schema_statements(path, text);
    files.push_back({path, std::move(text), std::move(statements)});
  }
  return files;
}

namespace {

std::string statement_text(const SchemaFile& file, const SchemaStatement& s) {
  return file.text.substr(s.begin, s.end - s.begin);
}

[[noreturn]] void fail_at(const SchemaFile& file, const SchemaStatement& s, const Error& e) {
  const int line = s.line + error_query_line(e.what()).value_or(1) - 1;
  throw Error(ExitCode::invalid_input, "schema_file_failed", file.path + ":" + std::to_string(line) + ": " + server_message_line(e.what()))
      .with_position({file.path, line, std::nullopt});
}

void run_one(Database& db, const SchemaFile& file, const SchemaStatement& s) {
  try {
    db.query(statement_text(file, s));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    fail_at(file, s, e);
  }
}

// Statements [first, last) of `file` as one query (one round trip, one
// commit) when they hold no transaction control; statement by statement when
// the server refuses the batch (CREATE INDEX CONCURRENTLY cannot run in its
// implicit transaction, or a statement failed: nothing of it stayed), which is
// also how a failure gets its exact line.
void run_run(Database& db, const SchemaFile& file, std::size_t first, std::size_t last) {
  if (first == last) return;
  bool batch = last - first > 1;
  std::string text;
  for (std::size_t i = first; i < last; ++i) {
    const std::string sql = statement_text(file, file.statements[i]);
    if (transaction_control(sql) != TransactionControl::none) batch = false;
    text += sql + ";\n";
  }
  if (batch) {
    try {
      db.query(text);
      return;
    } catch (const Error& e) {
      if (e.code() == ExitCode::database_unreachable) throw;
    }
  }
  for (std::size_t i = first; i < last; ++i) run_one(db, file, file.statements[i]);
}

}  // namespace

void apply_schema_files(Database& sandbox, Database& owner, const std::vector<SchemaFile>& files) {
  for (const SchemaFile& file : files) {
    std::size_t first = 0;
    for (std::size_t i = 0; i < file.statements.size(); ++i) {
      const SchemaStatement& s = file.statements[i];
      if (!s.extension && !s.owner) continue;
      run_run(sandbox, file, first, i);
      if (s.extension) run_one(owner, file, s);
      first = i + 1;
    }
    run_run(sandbox, file, first, file.statements.size());
  }
}

std::vector<Rename> find_renames(const std::vector<SchemaFile>& files) {
  std::vector<Rename> renames;
  for (const SchemaFile& file : files) {
    const ScanOutcome scanned = scan_sql(file.text);
    // Only a file with the directive in a comment is parsed for the tables and columns it names.
    const bool has_directive = std::any_of(scanned.sql.comments.begin(), scanned.sql.comments.end(), [&](const SqlComment& c) {
      return c.line_comment && comment_body(file.text, c).rfind(kRenamedFrom, 0) == 0;
    });
    if (!has_directive) continue;
    const LineIndex lines(file.text);
    for (const SqlStatement& s : scanned.sql.statements) {
      const ParseOutcome parsed = parse_sql(statement_text(file, s));
      if (parsed.error) continue;
      const nlohmann::json tree = nlohmann::json::parse(parsed.tree_json);
      for (const auto& raw : tree.value("stmts", nlohmann::json::array())) {
        const auto& stmt = raw["stmt"];
        if (!stmt.contains("CreateStmt")) continue;
        const auto& create = stmt["CreateStmt"];
        const std::string schema = create["relation"].value("schemaname", "public");
        const std::string table = create["relation"].value("relname", "");
        const int table_line = lines.at(s.begin + raw.value("stmt_location", 0)).line;
        if (const std::string old = renamed_from(file, scanned.sql.comments, lines, table_line); !old.empty()) {
          const std::string bare = old.rfind(schema + ".", 0) == 0 ? old.substr(schema.size() + 1) : old;
          renames.push_back({schema, table, "", bare, file.path, table_line});
        }
        for (const auto& element : create.value("tableElts", nlohmann::json::array())) {
          if (!element.contains("ColumnDef")) continue;
          const auto& column = element["ColumnDef"];
          const int line = lines.at(s.begin + column.value("location", 0)).line;
          if (const std::string old = renamed_from(file, scanned.sql.comments, lines, line); !old.empty()) {
            renames.push_back({schema, table, column.value("colname", ""), old, file.path, line});
          }
        }
      }
    }
  }
  return renames;
}

}  // namespace mig::diff
