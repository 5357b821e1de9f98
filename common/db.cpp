#include "db.hpp"

#include <libpq-fe.h>

#include <map>
#include <pqxx/pqxx>

#include "errors.hpp"
#include "log.hpp"

namespace mig {
namespace {

using ConninfoMap = std::map<std::string, std::string>;

// Parses a URI or key=value string with libpq's own parser. Throws usage on bad syntax
// without echoing the string (it may hold a password).
ConninfoMap parse_conninfo(const std::string& dsn) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &err);
  if (!options) {
    std::string why = err ? err : "invalid connection string";
    if (err) PQfreemem(err);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw usage_error("bad connection string: " + why);
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

std::string scrub(std::string message, const std::optional<std::string>& password) {
  if (password && password->size() >= 1) {
    for (std::size_t at; (at = message.find(*password)) != std::string::npos;) {
      message.replace(at, password->size(), "***");
    }
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Routes server NOTICEs to the log instead of libpqxx's default stderr print.
class NoticeToLog : public pqxx::errorhandler {
 public:
  explicit NoticeToLog(pqxx::connection_base& c) : pqxx::errorhandler(c) {}
  bool operator()(const char msg[]) noexcept override {
    std::string text(msg);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    log::debug("server: ", text);
    return false;
  }
};

std::string rollback_sqlstate(const pqxx::transaction_rollback& e) {
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
  if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) return "40003";
  return "40000";
}

}  // namespace

struct Database::Impl {
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<NoticeToLog> notices;
  std::optional<std::string> password;
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

std::unique_ptr<Database> Database::connect(const std::string& dsn, const std::string& application_name) {
  ConninfoMap values = parse_conninfo(dsn);
  values["application_name"] = application_name;
  auto impl = std::make_unique<Impl>();
  if (auto it = values.find("password"); it != values.end()) impl->password = it->second;
  try {
    impl->connection = std::make_unique<pqxx::connection>(to_conninfo(values));
  } catch (const std::exception& e) {
    const DatabaseAddress where = describe_dsn(dsn);
    throw Error(ExitCode::database_unreachable, "database_unreachable",
                "cannot connect to " + where.host + ":" + where.port + "/" + where.dbname + ": " +
                    scrub(e.what(), impl->password));
  }
  impl->notices = std::make_unique<NoticeToLog>(*impl->connection);
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

QueryResult Database::query(const std::string& sql) {
  try {
    pqxx::nontransaction work(*impl_->connection);
    const pqxx::result result = work.exec(sql);
    QueryResult out;
    out.rows.reserve(result.size());
    for (const auto& row : result) {
      Row values;
      values.reserve(row.size());
      for (const auto& field : row) {
        values.push_back(field.is_null() ? Field{} : Field{field.c_str()});
      }
      out.rows.push_back(std::move(values));
    }
    return out;
  } catch (const pqxx::broken_connection& e) {
    throw Error(ExitCode::database_unreachable, "connection_lost",
                "lost the database connection: " + scrub(e.what(), impl_->password));
  } catch (const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    const std::string message = scrub(e.what(), impl_->password);
    if (is_connection_loss(state)) {
      throw Error(ExitCode::database_unreachable, "connection_lost", "lost the database connection: " + message)
          .with_sqlstate(state);
    }
    Error error(ExitCode::migration_failed, "sql_error", message);
    error.with_sqlstate(state);
    if (auto line = error_query_line(e.what())) error.with_position({"", line, std::nullopt});
    throw error;
  } catch (const pqxx::transaction_rollback& e) {
    // libpqxx 6.4 raises class 40 errors outside sql_error, without their SQLSTATE.
    throw Error(ExitCode::migration_failed, "sql_error", scrub(e.what(), impl_->password))
        .with_sqlstate(rollback_sqlstate(e));
  } catch (const pqxx::failure& e) {
    throw Error(ExitCode::database_unreachable, "connection_lost", scrub(e.what(), impl_->password));
  }
}

std::string Database::literal(const std::string& value) { return impl_->connection->quote(value); }
std::string Database::identifier(const std::string& name) { return impl_->connection->quote_name(name); }
int Database::backend_pid() const { return impl_->connection->backendpid(); }
int Database::server_version() const { return impl_->connection->server_version(); }

DatabaseAddress Database::address() const {
  auto& c = *impl_->connection;
  const auto text = [](const char* s) { return std::string(s ? s : ""); };
  return DatabaseAddress{text(c.hostname()), text(c.port()), text(c.dbname()), text(c.username())};
}

}  // namespace mig
