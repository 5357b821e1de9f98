#include "diff/schema_dir.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "db.hpp"
#include "errors.hpp"
#include "source_text.hpp"
#include "sql.hpp"

namespace fs = std::filesystem;

namespace mig::diff {
namespace {

std::string statement_text(const SchemaFile& file, const SqlStatement& s) {
  return file.text.substr(s.begin, s.end - s.begin);
}

// The renamed-from name on the line just above `line`, if any.
std::string renamed_from(const SchemaFile& file, const std::vector<SqlComment>& comments, const LineIndex& lines, int line) {
  for (const SqlComment& c : comments) {
    if (!c.line_comment || lines.at(c.begin).line != line - 1) continue;
    const std::string body = comment_body(file.text, c);
    const std::string directive = "mig:renamed-from";
    if (body.rfind(directive, 0) != 0) continue;
    std::string name = body.substr(directive.size());
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
    files.push_back({path, normalize_source(bytes)});
  }
  return files;
}

namespace {

// The whole file as one query (one round trip, one commit) when it holds no
// transaction control. False when the server refused it (CREATE INDEX
// CONCURRENTLY cannot run in the implicit transaction, or a statement failed):
// nothing of it stayed, and the caller runs it statement by statement.
bool apply_in_one_batch(Database& db, const SchemaFile& file, const ScannedSql& sql) {
  for (const SqlStatement& s : sql.statements) {
    if (transaction_control(statement_text(file, s)) != TransactionControl::none) return false;
  }
  try {
    db.query(file.text);
    return true;
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    return false;
  }
}

}  // namespace

void apply_schema_files(Database& db, const std::vector<SchemaFile>& files) {
  for (const SchemaFile& file : files) {
    const ScanOutcome scanned = scan_sql(file.text);
    if (!scanned.error && apply_in_one_batch(db, file, scanned.sql)) continue;
    const LineIndex lines(file.text);
    if (scanned.error) {
      throw invalid_input("schema_file_failed", file.path + ":" + std::to_string(lines.at(scanned.error->byte_offset).line) +
                                                    ": " + scanned.error->message);
    }
    for (const SqlStatement& s : scanned.sql.statements) {
      try {
        db.query(statement_text(file, s));
      } catch (const Error& e) {
        if (e.code() == ExitCode::database_unreachable) throw;
        const int line = lines.at(s.begin).line + error_query_line(e.what()).value_or(1) - 1;
        throw Error(ExitCode::invalid_input, "schema_file_failed",
                    file.path + ":" + std::to_string(line) + ": " + server_message_line(e.what()))
            .with_position({file.path, line, std::nullopt});
      }
    }
  }
}

std::vector<Rename> find_renames(const std::vector<SchemaFile>& files) {
  std::vector<Rename> renames;
  for (const SchemaFile& file : files) {
    const ScanOutcome scanned = scan_sql(file.text);
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
