// The one door to PostgreSQL. Only db.cpp includes libpq; callers see plain
// rows and mig::Error (with SQLSTATE, the server's error line, and which
// statement of a multi-statement query failed).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mig {

class Error;

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

// `message` with every form of the connection string's password (as written,
// percent-decoded, or parsed) replaced by ***. Works on strings libpq cannot parse.
std::string scrub_password(std::string message, const std::string& dsn);

// Overwrites, in place and at the same length, every occurrence of the
// password as written in `dsn` inside the NUL-terminated `text` (an argv
// string: ps shows the process's own argv memory).
void mask_password_in_place(char* text, const std::string& dsn);

// The same connection string without its password, in key=value form.
std::string dsn_without_password(const std::string& dsn);

// The same connection string aimed at another database.
std::string dsn_with_dbname(const std::string& dsn, const std::string& dbname);

// The same server and database, logging in as `user` with `password` (kept in
// memory: a connection string is never shown).
std::string dsn_with_login(const std::string& dsn, const std::string& user, const std::string& password);

using Field = std::optional<std::string>;
using Row = std::vector<Field>;

struct QueryResult {
  std::vector<Row> rows;
  long long affected = 0;  // rows the statement inserted, updated or deleted (PQcmdTuples)
  // The first column of the first row, or nullopt when there is none / NULL.
  Field scalar() const { return rows.empty() || rows[0].empty() ? std::nullopt : rows[0][0]; }
};

// Connections get these unless the DSN (or PGCONNECT_TIMEOUT) says otherwise, so
// a server that accepts TCP and never answers, or a partition, cannot hang a tool.
constexpr int kDefaultConnectTimeoutSeconds = 10;

class Database {
 public:
  // Throws mig::Error (exit 4) when the server cannot be reached. Kinds:
  // "authentication_failed" and "database_missing" are final (retrying cannot
  // help); "database_unreachable" may pass. `connect_timeout_s` caps libpq's
  // connect_timeout (mig-start-prod --wait).
  static std::unique_ptr<Database> connect(const std::string& dsn, const std::string& application_name,
                                           std::optional<int> connect_timeout_s = std::nullopt);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Sends `sql` as one simple query (it may hold several statements) and
  // returns the last statement's rows. Errors: mig::Error with sqlstate;
  // a lost connection is exit 4, anything else exit 5 (callers may re-map).
  QueryResult query(const std::string& sql);
  // The same, returning every statement's result in order.
  std::vector<QueryResult> query_each(const std::string& sql);

  std::string literal(const std::string& value);
  std::string identifier(const std::string& name);
  // A SCRAM-SHA-256 verifier of `password` for `role`, computed on this side.
  std::string password_verifier(const std::string& password, const std::string& role);
  // The backend pid libpq was told at connect (a pooler reports its own).
  int backend_pid() const;
  // True while a transaction block is open (or failed and not yet rolled back).
  bool in_transaction() const;
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

// True for connect failures that waiting cannot fix (bad password, no such database).
bool is_final_connect_error(const Error& error);

// Cancels the query the main thread is waiting on (signal-safe); a SIGTERM or SIGINT
// does this through base/interrupt's hooks, which this file sets at start-up.
void cancel_query_in_flight() noexcept;
// Queries from this thread may be cancelled by a signal (the tool's main thread).
void mark_main_thread();

// The libpq this process loaded, e.g. "15.18" (for --version).
std::string libpq_version();

}  // namespace mig
