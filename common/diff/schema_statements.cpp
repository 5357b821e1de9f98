#include "diff/schema_statements.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "base/errors.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace mig::diff {
namespace {

using nlohmann::json;

// Parse-tree node → what it touches outside the scratch database, and where such
// statements usually come from.
const std::map<std::string, std::string> kClusterStatements = {
    {"CreatedbStmt", "CREATE DATABASE (pg_dump --create writes it: dump without --create)"},
    {"DropdbStmt", "DROP DATABASE (pg_dump --create --clean writes it: dump without --create)"},
    {"AlterDatabaseStmt", "ALTER DATABASE (pg_dump --create writes it: dump without --create)"},
    {"AlterDatabaseSetStmt", "ALTER DATABASE ... SET (pg_dump --create writes it: dump without --create)"},
    {"AlterDatabaseRefreshCollStmt", "ALTER DATABASE ... REFRESH COLLATION VERSION"},
    {"CreateRoleStmt", "CREATE ROLE/USER (roles are cluster-wide: pg_dumpall --globals-only writes them)"},
    {"AlterRoleStmt", "ALTER ROLE (roles are cluster-wide: pg_dumpall --globals-only writes them)"},
    {"AlterRoleSetStmt", "ALTER ROLE ... SET (roles are cluster-wide: pg_dumpall --globals-only writes them)"},
    {"DropRoleStmt", "DROP ROLE (roles are cluster-wide: pg_dumpall --clean writes it)"},
    {"GrantRoleStmt", "GRANT/REVOKE role membership (cluster-wide: pg_dumpall --roles-only writes it)"},
    {"ReassignOwnedStmt", "REASSIGN OWNED (reaches databases and tablespaces of the cluster)"},
    {"CreateTableSpaceStmt", "CREATE TABLESPACE (pg_dumpall --tablespaces-only writes it)"},
    {"DropTableSpaceStmt", "DROP TABLESPACE (pg_dumpall --clean writes it)"},
    {"AlterTableSpaceOptionsStmt", "ALTER TABLESPACE"},
    {"AlterTableMoveAllStmt", "ALTER TABLE ALL IN TABLESPACE"},
    {"AlterSystemStmt", "ALTER SYSTEM (changes the server's configuration)"},
    {"CreateSubscriptionStmt", "CREATE SUBSCRIPTION (pg_dump writes it unless --no-subscriptions)"},
    {"AlterSubscriptionStmt", "ALTER SUBSCRIPTION (pg_dump writes it unless --no-subscriptions)"},
    {"DropSubscriptionStmt", "DROP SUBSCRIPTION"},
    {"LoadStmt", "LOAD (loads a shared library into the server)"},
    {"CheckPointStmt", "CHECKPOINT"},
};

// Object types that name a shared (cluster-wide) object in otherwise local statements.
const std::set<std::string> kSharedObjectTypes = {"OBJECT_DATABASE", "OBJECT_ROLE", "OBJECT_TABLESPACE",
                                                  "OBJECT_PARAMETER_ACL", "OBJECT_SUBSCRIPTION"};

// The reason `node` (one statement's tree, {"NodeName": {...}}) reaches outside
// one database, or "" when it does not.
std::string cluster_reach(const json& node) {
  if (!node.is_object() || node.empty()) return "";
  const std::string& type = node.begin().key();
  const json& body = node.begin().value();
  if (auto it = kClusterStatements.find(type); it != kClusterStatements.end()) return it->second;
  for (const char* field : {"objectType", "objtype", "renameType"}) {
    if (body.contains(field) && kSharedObjectTypes.count(body[field].get<std::string>())) {
      return type + " on a " + body[field].get<std::string>().substr(7) + " (a cluster-wide object)";
    }
  }
  return "";
}

bool changes_owner_only(const json& node) {
  if (node.contains("AlterOwnerStmt")) return true;
  if (!node.contains("AlterTableStmt")) return false;
  const json& cmds = node["AlterTableStmt"].value("cmds", json::array());
  if (cmds.empty()) return false;
  for (const json& c : cmds) {
    if (c.value("AlterTableCmd", json::object()).value("subtype", "") != "AT_ChangeOwner") return false;
  }
  return true;
}

Error refused(const std::string& path, int line, const std::string& why) {
  return Error(ExitCode::invalid_input, "cluster_statement",
               path + ":" + std::to_string(line) + ": " + why +
                   "; a schema file describes one database, and mig-diff runs it only in a scratch database")
      .with_position({path, line, std::nullopt});
}

}  // namespace

std::vector<SchemaStatement> read_schema_statements(const std::string& path, const std::string& text) {
  const ScanOutcome scanned = scan_sql(text);
  const LineIndex lines(text);
  if (scanned.error) {
    const int line = lines.at(scanned.error->byte_offset).line;
    throw invalid_input("schema_file_failed", path + ":" + std::to_string(line) + ": " + scanned.error->message)
        .with_position({path, line, std::nullopt});
  }
  std::vector<SchemaStatement> statements;
  for (const SqlStatement& s : scanned.sql.statements) {
    const std::string sql = text.substr(s.begin, s.end - s.begin);
    const int line = lines.at(s.begin).line;
    if (!sql.empty() && sql[0] == '\\') {
      throw refused(path, line, "psql meta-command " + sql.substr(0, sql.find_first_of(" \t\n")) +
                                    " (pg_dump --create writes \\connect: dump without --create)");
    }
    const ParseOutcome parsed = parse_sql(sql);
    if (parsed.error) {
      const int at = lines.at(s.begin + std::min(parsed.error->byte_offset, sql.size())).line;
      throw invalid_input("schema_file_failed", path + ":" + std::to_string(at) + ": " + parsed.error->message)
          .with_position({path, at, std::nullopt});
    }
    SchemaStatement statement{s.begin, s.end, line, false, false};
    for (const json& raw : json::parse(parsed.tree_json).value("stmts", json::array())) {
      const json& node = raw.value("stmt", json::object());
      if (const std::string why = cluster_reach(node); !why.empty()) throw refused(path, line, why);
      // CREATE EXTENSION, and COMMENT ON EXTENSION (mig-diff --dump writes one per
      // extension): only the extension's owner may run them.
      statement.extension = node.contains("CreateExtensionStmt") ||
                            (node.contains("CommentStmt") && node["CommentStmt"].value("objtype", "") == "OBJECT_EXTENSION");
      statement.owner = changes_owner_only(node);
    }
    statements.push_back(statement);
  }
  return statements;
}

}  // namespace mig::diff
