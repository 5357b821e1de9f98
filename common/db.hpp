// The one door to PostgreSQL. Only db.cpp includes libpqxx/libpq; callers see
// plain rows and mig::Error (with SQLSTATE, and the server's error line).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mig {

// Where a connection goes; never the password.
struct DatabaseAddress {
  std::string host;
  std::string port;
  std::string dbname;
  std::string user;
};

// What the connection string (or libpq's PG* environment) points at.
DatabaseAddress describe_dsn(const std::string& dsn);

// The password a connection string carries, if any (to hand to children via
// their environment, and to scrub from messages).
std::optional<std::string> dsn_password(const std::string& dsn);

// The same connection string without its password, in key=value form.
std::string dsn_without_password(const std::string& dsn);

// The same connection string aimed at another database.
std::string dsn_with_dbname(const std::string& dsn, const std::string& dbname);

using Field = std::optional<std::string>;
using Row = std::vector<Field>;

struct QueryResult {
  std::vector<Row> rows;
  // The first column of the first row, or nullopt when there is none / NULL.
  Field scalar() const { return rows.empty() || rows[0].empty() ? std::nullopt : rows[0][0]; }
};

class Database {
 public:
  // Throws mig::Error (exit 4) when the server cannot be reached.
  static std::unique_ptr<Database> connect(const std::string& dsn, const std::string& application_name);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Sends `sql` as one simple query (it may hold several statements) and
  // returns the last statement's rows. Errors: mig::Error with sqlstate;
  // a lost connection is exit 4, anything else exit 5 (callers may re-map).
  QueryResult query(const std::string& sql);

  std::string literal(const std::string& value);
  std::string identifier(const std::string& name);
  int backend_pid() const;
  int server_version() const;
  DatabaseAddress address() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The 1-based line of the query text a server error points at, read from
// libpq's "LINE n:" context, when the server gave a position.
std::optional<int> error_query_line(const std::string& message);

// "ERROR:  relation \"x\" does not exist\nLINE 3: ..." -> "relation \"x\" does not exist"
std::string server_message_line(const std::string& message);

// True for SQLSTATEs that mean the session is gone (08xxx, 57P0x).
bool is_connection_loss(const std::string& sqlstate);

}  // namespace mig
