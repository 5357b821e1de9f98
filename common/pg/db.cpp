#include "pg/db.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

#include "base/errors.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"

namespace mig {
namespace {

using ConninfoMap = std::map<std::string, std::string>;

// The password as written in a URI's user info ("scheme://user:PW@host"), found
// the way libpq finds it: the user info ends at the first '@' before any '/'.
std::optional<std::string> uri_password(const std::string& dsn) {
  const std::size_t scheme = dsn.find("://");
  if (scheme == std::string::npos || (dsn.compare(0, 8, "postgres") != 0)) return std::nullopt;
  const std::size_t start = scheme + 3;
  const std::size_t at = dsn.find_first_of("@/", start);
  if (at == std::string::npos || dsn[at] != '@') return std::nullopt;
  const std::size_t colon = dsn.find(':', start);
  if (colon == std::string::npos || colon > at) return std::nullopt;
  return dsn.substr(colon + 1, at - colon - 1);
}

// The value after "password =" in key=value form, quoted or bare, as written.
std::optional<std::string> keyword_password(const std::string& dsn) {
  for (std::size_t at = dsn.find("password"); at != std::string::npos; at = dsn.find("password", at + 1)) {
    std::size_t i = at + 8;
    while (i < dsn.size() && dsn[i] == ' ') ++i;
    if (i >= dsn.size() || dsn[i] != '=') continue;
    ++i;
    while (i < dsn.size() && dsn[i] == ' ') ++i;
    std::string value;
    if (i < dsn.size() && dsn[i] == '\'') {
      for (++i; i < dsn.size() && dsn[i] != '\''; ++i) {
        if (dsn[i] == '\\' && i + 1 < dsn.size()) ++i;
        value.push_back(dsn[i]);
      }
    } else {
      while (i < dsn.size() && dsn[i] != ' ') value.push_back(dsn[i++]);
    }
    return value;
  }
  return std::nullopt;
}

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

void replace_all(std::string& message, const std::string& secret) {
  if (secret.empty()) return;
  for (std::size_t at; (at = message.find(secret)) != std::string::npos;) message.replace(at, secret.size(), "***");
}

std::string trim_end(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Parses a URI or key=value string with libpq's own parser. Throws usage on bad
// syntax; the message is scrubbed before anyone sees it (it may echo the string).
ConninfoMap parse_conninfo(const std::string& dsn) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &err);
  if (!options) {
    std::string why = err ? err : "invalid connection string";
    if (err) PQfreemem(err);
    throw usage_error("bad connection string: " + trim_end(scrub_password(why, dsn)));
  }
  ConninfoMap values;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val && *o->val) values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return values;
}

std::string default_for(const char* keyword) {
  PQconninfoOption* defaults = PQconndefaults();
  std::string value;
  for (PQconninfoOption* o = defaults; o && o->keyword; ++o) {
    if (std::string(o->keyword) == keyword && o->val) value = o->val;
  }
  PQconninfoFree(defaults);
  return value;
}

std::string quote_conninfo_value(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "'";
}

std::string to_conninfo(const ConninfoMap& values) {
  std::string out;
  for (const auto& [key, value] : values) {
    if (!out.empty()) out += ' ';
    out += key + "=" + quote_conninfo_value(value);
  }
  return out;
}

// connect_timeout and TCP keepalives unless the DSN or the environment chose.
void add_connection_bounds(ConninfoMap& values, std::optional<int> connect_timeout_s) {
  const bool env_timeout = std::getenv("PGCONNECT_TIMEOUT") && *std::getenv("PGCONNECT_TIMEOUT");
  if (!values.count("connect_timeout") && !env_timeout) {
    values["connect_timeout"] = std::to_string(kDefaultConnectTimeoutSeconds);
  }
  if (connect_timeout_s) {
    // libpq treats 1 as 2; a bound that is already lower stays.
    const int cap = std::max(2, *connect_timeout_s);
    const auto it = values.find("connect_timeout");
    const int now = it != values.end() ? std::atoi(it->second.c_str()) : 0;
    if (now <= 0 || now > cap) values["connect_timeout"] = std::to_string(cap);
  }
  const std::pair<const char*, const char*> keepalives[] = {
      {"keepalives", "1"}, {"keepalives_idle", "10"}, {"keepalives_interval", "5"}, {"keepalives_count", "3"}};
  for (const auto& [key, value] : keepalives) values.emplace(key, value);
}

std::string error_field(const PGresult* result, int field) {
  const char* value = PQresultErrorField(result, field);
  return value ? value : "";
}

// The main thread's connection while it waits on the server, for the signal handler.
std::atomic<PGcancel*> g_cancel_in_flight{nullptr};
std::thread::id g_main_thread;

class CancelScope {
 public:
  explicit CancelScope(PGcancel* cancel) : active_(cancel && std::this_thread::get_id() == g_main_thread) {
    if (active_) g_cancel_in_flight.store(cancel);
  }
  ~CancelScope() {
    if (active_) g_cancel_in_flight.store(nullptr);
  }

 private:
  bool active_;
};

QueryResult rows_of(const PGresult* result) {
  QueryResult out;
  const int rows = PQntuples(result);
  const int columns = PQnfields(result);
  out.rows.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    Row values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      values.push_back(PQgetisnull(result, r, c) ? Field{} : Field{std::string(PQgetvalue(result, r, c),
                                                                                PQgetlength(result, r, c))});
    }
    out.rows.push_back(std::move(values));
  }
  out.affected = std::strtoll(PQcmdTuples(const_cast<PGresult*>(result)), nullptr, 10);
  return out;
}

// Reads a failed connection's message: some failures are final.
Error connect_error(const std::string& message, const DatabaseAddress& where) {
  const std::string text =
      "cannot connect to " + where.host + ":" + where.port + "/" + where.dbname + ": " + message;
  const auto has = [&](const char* needle) { return message.find(needle) != std::string::npos; };
  if (has("authentication failed") || has("no password supplied") || has("no pg_hba.conf entry") ||
      (has("role \"") && has("does not exist")) || has("permission denied for database")) {
    return Error(ExitCode::database_unreachable, "authentication_failed", text);
  }
  if (has("database \"") && has("does not exist")) return Error(ExitCode::database_unreachable, "database_missing", text);
  return Error(ExitCode::database_unreachable, "database_unreachable", text);
}

}  // namespace

void mark_main_thread() { g_main_thread = std::this_thread::get_id(); }

// A tool that installs signal handlers links this file (it connects), so the hooks are
// set before main() runs.
const bool g_interrupt_hooks_set = (set_interrupt_hooks({&cancel_query_in_flight, &mark_main_thread}), true);

std::string libpq_version() {
  const int v = PQlibVersion();  // 150018 -> 15.18
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

void cancel_query_in_flight() noexcept {
  PGcancel* cancel = g_cancel_in_flight.load();
  if (!cancel) return;
  char errbuf[256];
  PQcancel(cancel, errbuf, sizeof errbuf);
}

bool is_final_connect_error(const Error& error) {
  return error.kind() == "authentication_failed" || error.kind() == "database_missing";
}

std::string scrub_password(std::string message, const std::string& dsn) {
  for (const auto& raw : {uri_password(dsn), keyword_password(dsn)}) {
    if (!raw) continue;
    replace_all(message, *raw);
    replace_all(message, percent_decoded(*raw));
  }
  return message;
}

void mask_password_in_place(char* text, const std::string& dsn) {
  std::string copy(text);
  for (const auto& raw : {uri_password(dsn), keyword_password(dsn)}) {
    if (!raw || raw->empty()) continue;
    for (std::size_t at = copy.find(*raw); at != std::string::npos; at = copy.find(*raw, at + raw->size())) {
      for (std::size_t i = 0; i < raw->size(); ++i) text[at + i] = '*';
    }
  }
}

struct Database::Impl {
  PGconn* conn = nullptr;
  PGcancel* cancel = nullptr;
  std::string dsn;
  std::optional<std::string> password;

  ~Impl() {
    if (g_cancel_in_flight.load() == cancel) g_cancel_in_flight.store(nullptr);
    if (cancel) PQfreeCancel(cancel);
    if (conn) PQfinish(conn);
  }

  std::string scrub(std::string message) const {
    message = scrub_password(std::move(message), dsn);
    if (password) replace_all(message, *password);
    return trim_end(std::move(message));
  }
};

DatabaseAddress describe_dsn(const std::string& dsn) {
  const ConninfoMap values = parse_conninfo(dsn);
  const auto pick = [&](const char* key) {
    auto it = values.find(key);
    return it != values.end() ? it->second : default_for(key);
  };
  DatabaseAddress address{pick("host"), pick("port"), pick("dbname"), pick("user")};
  if (address.host.empty()) address.host = pick("hostaddr");
  if (address.host.empty()) address.host = "/var/run/postgresql";
  if (address.dbname.empty()) address.dbname = address.user;
  return address;
}

std::optional<std::string> dsn_password(const std::string& dsn) {
  const ConninfoMap values = parse_conninfo(dsn);
  auto it = values.find("password");
  if (it != values.end()) return it->second;
  return std::nullopt;
}

std::string dsn_without_password(const std::string& dsn) {
  ConninfoMap values = parse_conninfo(dsn);
  values.erase("password");
  return to_conninfo(values);
}

std::string dsn_with_dbname(const std::string& dsn, const std::string& dbname) {
  ConninfoMap values = parse_conninfo(dsn);
  values["dbname"] = dbname;
  return to_conninfo(values);
}

std::string dsn_with_login(const std::string& dsn, const std::string& user, const std::string& password) {
  ConninfoMap values = parse_conninfo(dsn);
  values["user"] = user;
  values["password"] = password;
  return to_conninfo(values);
}

std::string server_message_line(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  for (const std::string prefix : {"ERROR:  ", "FATAL:  "}) {
    if (line.compare(0, prefix.size(), prefix) == 0) line.erase(0, prefix.size());
  }
  return line;
}

bool is_connection_loss(const std::string& sqlstate) {
  return sqlstate.compare(0, 2, "08") == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

std::optional<int> error_query_line(const std::string& message) {
  // libpq renders a server error position as "LINE n: <text>" under the message.
  const std::size_t at = message.find("\nLINE ");
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 6;
  int line = 0;
  while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) {
    line = line * 10 + (message[i++] - '0');
  }
  if (i >= message.size() || message[i] != ':' || line == 0) return std::nullopt;
  return line;
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::connect(const std::string& dsn, const std::string& application_name,
                                            std::optional<int> connect_timeout_s) {
  ConninfoMap values = parse_conninfo(dsn);
  values["application_name"] = application_name;
  add_connection_bounds(values, connect_timeout_s);
  auto impl = std::make_unique<Impl>();
  impl->dsn = dsn;
  if (auto it = values.find("password"); it != values.end()) impl->password = it->second;
  impl->conn = PQconnectdb(to_conninfo(values).c_str());
  if (!impl->conn || PQstatus(impl->conn) != CONNECTION_OK) {
    const std::string why = impl->conn ? PQerrorMessage(impl->conn) : "out of memory";
    throw connect_error(impl->scrub(why), describe_dsn(dsn));
  }
  PQsetNoticeProcessor(
      impl->conn,
      [](void*, const char* message) {
        std::string text(message);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        log::debug("server: ", text);
      },
      nullptr);
  impl->cancel = PQgetCancel(impl->conn);
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

std::vector<QueryResult> Database::query_each(const std::string& sql) {
  PGconn* conn = impl_->conn;
  CancelScope cancellable(impl_->cancel);
  if (!PQsendQuery(conn, sql.c_str())) {
    throw Error(ExitCode::database_unreachable, "connection_lost",
                "lost the database connection: " + impl_->scrub(PQerrorMessage(conn)));
  }
  std::vector<QueryResult> results;
  std::optional<Error> failure;
  while (PGresult* result = PQgetResult(conn)) {
    const ExecStatusType status = PQresultStatus(result);
    if (failure) {
      // Only the first error counts; drain the rest.
    } else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      results.push_back(rows_of(result));
    } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      failure = Error(ExitCode::migration_failed, "sql_error", "COPY to or from the client is not supported here")
                    .with_failed_statement(static_cast<int>(results.size()));
      if (status == PGRES_COPY_IN) PQputCopyEnd(conn, "not supported");
    } else {
      const std::string state = error_field(result, PG_DIAG_SQLSTATE);
      const std::string message = impl_->scrub(PQresultErrorMessage(result));
      Error error(ExitCode::migration_failed, "sql_error", message);
      if (!state.empty()) error.with_sqlstate(state);
      if (auto line = error_query_line(message)) error.with_position({"", line, std::nullopt});
      error.with_failed_statement(static_cast<int>(results.size()));
      failure = std::move(error);
    }
    PQclear(result);
  }
  const bool lost = PQstatus(conn) != CONNECTION_OK;
  if (failure && !lost && failure->sqlstate() == std::string("57014") && interrupt_signal()) {
    throw Error(ExitCode::interrupted, "interrupted", failure->what()).with_sqlstate("57014");
  }
  if (failure && (lost || (failure->sqlstate() && is_connection_loss(*failure->sqlstate())))) {
    throw Error(ExitCode::database_unreachable, "connection_lost",
                "lost the database connection: " + server_message_line(failure->what()))
        .with_sqlstate(failure->sqlstate().value_or(""));
  }
  if (failure && failure->sqlstate() == std::string("25006")) {
    throw Error(ExitCode::database_unreachable, "read_only",
                "the server is read-only (a standby, or default_transaction_read_only is on): " +
                    server_message_line(failure->what()))
        .with_sqlstate("25006");
  }
  if (failure) throw *failure;
  if (lost) {
    throw Error(ExitCode::database_unreachable, "connection_lost",
                "lost the database connection: " + impl_->scrub(PQerrorMessage(conn)));
  }
  return results;
}

QueryResult Database::query(const std::string& sql) {
  std::vector<QueryResult> results = query_each(sql);
  if (results.empty()) return {};
  return std::move(results.back());
}

std::string Database::literal(const std::string& value) {
  // Standard-conforming and independent of the connection (works after it is lost).
  const bool backslash = value.find('\\') != std::string::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : value) {
    if (c == '\'' || (backslash && c == '\\')) out.push_back(c);
    out.push_back(c);
  }
  return out + "'";
}

std::string Database::password_verifier(const std::string& password, const std::string& role) {
  // Hashed here, as psql's \password does: the clear password never reaches
  // the server, its statement log or pg_stat_activity.
  char* hashed = PQencryptPasswordConn(impl_->conn, password.c_str(), role.c_str(), "scram-sha-256");
  if (!hashed) throw Error(ExitCode::internal, "internal", "could not hash a password: " + std::string(PQerrorMessage(impl_->conn)));
  std::string out(hashed);
  PQfreemem(hashed);
  return out;
}

std::string Database::identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back(c);
    out.push_back(c);
  }
  return out + "\"";
}

int Database::backend_pid() const { return PQbackendPID(impl_->conn); }
int Database::server_version() const { return PQserverVersion(impl_->conn); }
bool Database::in_transaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(impl_->conn);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

DatabaseAddress Database::address() const {
  PGconn* c = impl_->conn;
  const auto text = [](const char* s) { return std::string(s ? s : ""); };
  return DatabaseAddress{text(PQhost(c)), text(PQport(c)), text(PQdb(c)), text(PQuser(c))};
}

}  // namespace mig
