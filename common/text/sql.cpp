#include "text/sql.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>

#include "base/errors.hpp"

namespace mig {
namespace {

constexpr std::size_t kMaxIdentifierBytes = 63;

struct Token {
  std::size_t begin;
  std::size_t end;
  bool comment;
  bool line_comment;
  bool semicolon;
  bool identifier;
  int kind;  // PgQuery__Token
};

SqlSyntaxError to_syntax_error(const PgQueryError& e) {
  return SqlSyntaxError{e.message ? e.message : "syntax error",
                        e.cursorpos > 0 ? static_cast<std::size_t>(e.cursorpos - 1) : 0};
}

std::optional<SqlSyntaxError> scan_tokens(const std::string& text, std::vector<Token>& tokens) {
  PgQueryScanResult result = pg_query_scan(text.c_str());
  std::optional<SqlSyntaxError> error;
  if (result.error) {
    error = to_syntax_error(*result.error);
  } else {
    PgQuery__ScanResult* scan = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    tokens.reserve(scan->n_tokens);
    for (std::size_t i = 0; i < scan->n_tokens; ++i) {
      const PgQuery__ScanToken* t = scan->tokens[i];
      const bool line = t->token == PG_QUERY__TOKEN__SQL_COMMENT;
      const bool block = t->token == PG_QUERY__TOKEN__C_COMMENT;
      tokens.push_back({static_cast<std::size_t>(t->start), static_cast<std::size_t>(t->end), line || block, line,
                        t->token == PG_QUERY__TOKEN__ASCII_59, t->token == PG_QUERY__TOKEN__IDENT, static_cast<int>(t->token)});
    }
    pg_query__scan_result__free_unpacked(scan, nullptr);
  }
  pg_query_free_scan_result(result);
  return error;
}

struct SplitRange {
  std::size_t begin;
  std::size_t end;
};

// A `BEGIN ATOMIC ... END` function body holds ';' tokens that do not end the
// statement: only the parser can tell. It needs the whole text to parse, so it
// is used only when the word ATOMIC appears, and the scanner otherwise.
bool mentions_atomic(const std::string& text) {
  static const std::string kWord = "atomic";
  return std::search(text.begin(), text.end(), kWord.begin(), kWord.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != text.end();
}

std::optional<SqlSyntaxError> split_ranges(const std::string& text, std::vector<SplitRange>& ranges) {
  if (mentions_atomic(text)) {
    PgQuerySplitResult parsed = pg_query_split_with_parser(text.c_str());
    const bool ok = !parsed.error;
    for (int i = 0; ok && i < parsed.n_stmts; ++i) {
      const auto begin = static_cast<std::size_t>(parsed.stmts[i]->stmt_location);
      const auto len = static_cast<std::size_t>(parsed.stmts[i]->stmt_len);
      ranges.push_back({begin, len == 0 ? text.size() : begin + len});
    }
    pg_query_free_split_result(parsed);
    if (ok) return std::nullopt;
  }
  PgQuerySplitResult result = pg_query_split_with_scanner(text.c_str());
  std::optional<SqlSyntaxError> error;
  if (result.error) {
    error = to_syntax_error(*result.error);
  } else {
    for (int i = 0; i < result.n_stmts; ++i) {
      const auto begin = static_cast<std::size_t>(result.stmts[i]->stmt_location);
      const auto len = static_cast<std::size_t>(result.stmts[i]->stmt_len);
      ranges.push_back({begin, len == 0 ? text.size() : begin + len});
    }
  }
  pg_query_free_split_result(result);
  return error;
}

bool is_long_identifier(const std::string& text, std::size_t begin, const Token& t) {
  const std::size_t length = t.end - t.begin;
  const bool quoted = text[begin + t.begin] == '"';
  return length > kMaxIdentifierBytes + (quoted ? 2 : 0);
}

// Scans one piece of the text (a statement with its leading comments) and
// records its comments and the span of its non-comment tokens. Scanning piece
// by piece keeps memory bounded by the largest statement, not the file.
// With `split_at_semicolons` the piece may hold several statements.
// A piece with no comment marker and no word longer than an identifier may
// have can hold neither a comment nor a long identifier: its statement is
// simply its text without surrounding blanks, and the scanner can be skipped.
// (A marker inside a string only sends the piece down the slow path.)
bool needs_token_scan(const std::string& text, std::size_t begin, std::size_t end) {
  std::size_t word = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if ((c == '-' || c == '/') && i + 1 < end && (text[i + 1] == '-' || text[i + 1] == '*')) return true;
    word = (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '"' || (c & 0x80)) ? word + 1 : 0;
    if (word > kMaxIdentifierBytes) return true;
  }
  return false;
}

std::optional<SqlSyntaxError> scan_piece(const std::string& text, std::size_t begin, std::size_t end,
                                         ScannedSql& out, bool split_at_semicolons = false) {
  if (!split_at_semicolons && !needs_token_scan(text, begin, end)) {
    const auto blank = [&](std::size_t i) { return std::isspace(static_cast<unsigned char>(text[i])) != 0; };
    while (begin < end && blank(begin)) ++begin;
    while (end > begin && blank(end - 1)) --end;
    if (begin < end) out.statements.push_back({begin, end});
    return std::nullopt;
  }
  std::vector<Token> tokens;
  auto error = scan_tokens(text.substr(begin, end - begin), tokens);
  if (error) {
    error->byte_offset += begin;
    return error;
  }
  std::optional<SqlStatement> statement;
  for (const Token& t : tokens) {
    if (t.comment) {
      out.comments.push_back({begin + t.begin, begin + t.end, t.line_comment});
      continue;
    }
    if (split_at_semicolons && t.semicolon) {
      if (statement) out.statements.push_back(*statement);
      statement.reset();
      continue;
    }
    if (t.identifier && is_long_identifier(text, begin, t)) out.long_identifiers.push_back({begin + t.begin, begin + t.end});
    if (!statement) statement = SqlStatement{begin + t.begin, begin + t.end};
    statement->end = std::max(statement->end, begin + t.end);
  }
  if (statement) out.statements.push_back(*statement);
  return std::nullopt;
}

}  // namespace

ScanOutcome scan_sql(const std::string& text) {
  ScanOutcome outcome;
  std::vector<SplitRange> ranges;
  if ((outcome.error = split_ranges(text, ranges))) return outcome;
  std::size_t covered = 0;
  for (const SplitRange& range : ranges) {
    if ((outcome.error = scan_piece(text, range.begin, range.end, outcome.sql))) return outcome;
    covered = std::max(covered, range.end);
  }
  // What the splitter left: comments after the last ';', or, after an
  // unbalanced parenthesis (where it gives up), statements split at ';' tokens.
  if (covered < text.size()) {
    const std::size_t tail = covered == 0 ? 0 : covered + (text[covered] == ';' ? 1 : 0);
    if ((outcome.error = scan_piece(text, tail, text.size(), outcome.sql, true))) return outcome;
  }
  return outcome;
}

ParseOutcome parse_sql(const std::string& statement) {
  PgQueryParseResult result = pg_query_parse(statement.c_str());
  ParseOutcome outcome;
  if (result.error) {
    outcome.error = to_syntax_error(*result.error);
  } else {
    outcome.tree_json = result.parse_tree;
  }
  pg_query_free_parse_result(result);
  return outcome;
}

std::string comment_body(const std::string& text, const SqlComment& comment) {
  std::size_t begin = comment.begin + 2;
  std::size_t end = comment.end;
  if (!comment.line_comment && end >= begin + 2) end -= 2;
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

namespace {

// The statement's first keyword, upper-cased (cheap: no parse).
std::string first_word(const std::string& statement) {
  std::size_t i = 0;
  while (i < statement.size() && std::isspace(static_cast<unsigned char>(statement[i]))) ++i;
  std::string word;
  while (i < statement.size() && std::isalpha(static_cast<unsigned char>(statement[i]))) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(statement[i++]))));
  }
  return word;
}

// The statement's node type in libpg_query's JSON ("TransactionStmt", ...), and the tree.
std::string node_type(const ParseOutcome& parsed) {
  // The tree is {"version":N,"stmts":[{"stmt":{"<NodeType>":...}}]}.
  const std::size_t at = parsed.tree_json.find("{\"stmt\":{\"");
  if (parsed.error || at == std::string::npos) return "";
  const std::size_t end = parsed.tree_json.find('"', at + 10);
  return parsed.tree_json.substr(at + 10, end - at - 10);
}

// The string value of "key":"..." after `from` in a JSON text (no escapes expected).
std::optional<std::string> json_string_after(const std::string& json, const std::string& key, std::size_t from = 0) {
  const std::string needle = "\"" + key + "\":\"";
  const std::size_t at = json.find(needle, from);
  if (at == std::string::npos) return std::nullopt;
  std::string value;
  for (std::size_t i = at + needle.size(); i < json.size() && json[i] != '"'; ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) ++i;
    value.push_back(json[i]);
  }
  return value;
}

std::string quote_ident(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back(c);
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

TransactionControl transaction_control(const std::string& statement) {
  static const char* const kWords[] = {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT",
                                       "SAVEPOINT", "RELEASE", "PREPARE"};
  const std::string word = first_word(statement);
  if (std::none_of(std::begin(kWords), std::end(kWords), [&](const char* w) { return word == w; })) {
    return TransactionControl::none;
  }
  const ParseOutcome parsed = parse_sql(statement);
  if (node_type(parsed) != "TransactionStmt") return TransactionControl::none;
  const std::string kind = json_string_after(parsed.tree_json, "kind").value_or("");
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") return TransactionControl::begin;
  if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_ROLLBACK") return TransactionControl::end;
  return TransactionControl::other;
}

bool is_transaction_control(const std::string& statement) {
  return transaction_control(statement) != TransactionControl::none;
}

bool changes_rows(const std::string& statement) {
  static const char* const kWriters[] = {"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt"};
  const std::string type = node_type(parse_sql(statement));
  return std::any_of(std::begin(kWriters), std::end(kWriters), [&](const char* w) { return type == w; });
}

std::optional<std::string> concurrent_index_table(const std::string& statement) {
  if (first_word(statement) != "CREATE") return std::nullopt;
  const ParseOutcome parsed = parse_sql(statement);
  if (node_type(parsed) != "IndexStmt" || parsed.tree_json.find("\"concurrent\":true") == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t relation = parsed.tree_json.find("\"relation\":{");
  if (relation == std::string::npos) return std::nullopt;
  const std::size_t end = parsed.tree_json.find('}', relation);
  const std::string rel = parsed.tree_json.substr(relation, end - relation);
  const auto table = json_string_after(rel, "relname");
  if (!table) return std::nullopt;
  const auto schema = json_string_after(rel, "schemaname");
  return (schema ? quote_ident(*schema) + "." : std::string()) + quote_ident(*table);
}

}  // namespace mig

namespace mig {
namespace {

// An unpacked protobuf parse tree, freed when it goes.
class ProtobufTree {
 public:
  explicit ProtobufTree(const std::string& sql) {
    result_ = pg_query_parse_protobuf(sql.c_str());
    if (result_.error) {
      error_ = result_.error->message ? result_.error->message : "syntax error";
      return;
    }
    tree_ = pg_query__parse_result__unpack(nullptr, result_.parse_tree.len,
                                           reinterpret_cast<const uint8_t*>(result_.parse_tree.data));
  }
  ~ProtobufTree() {
    if (tree_) pg_query__parse_result__free_unpacked(tree_, nullptr);
    pg_query_free_protobuf_parse_result(result_);
  }
  ProtobufTree(const ProtobufTree&) = delete;
  ProtobufTree& operator=(const ProtobufTree&) = delete;

  PgQuery__Node* only_statement() const {
    return tree_ && tree_->n_stmts == 1 && tree_->stmts[0]->stmt ? tree_->stmts[0]->stmt : nullptr;
  }
  PgQuery__ParseResult* tree() const { return tree_; }
  const std::string& error() const { return error_; }

 private:
  PgQueryProtobufParseResult result_{};
  PgQuery__ParseResult* tree_ = nullptr;
  std::string error_;
};

// Where the WHERE of an UPDATE, a DELETE or an INSERT's SELECT lives.
PgQuery__Node** where_of(PgQuery__Node* statement) {
  if (!statement) return nullptr;
  switch (statement->node_case) {
    case PG_QUERY__NODE__NODE_UPDATE_STMT: return &statement->update_stmt->where_clause;
    case PG_QUERY__NODE__NODE_DELETE_STMT: return &statement->delete_stmt->where_clause;
    case PG_QUERY__NODE__NODE_INSERT_STMT: {
      PgQuery__Node* select = statement->insert_stmt->select_stmt;
      if (!select || select->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return nullptr;
      if (select->select_stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE) return nullptr;
      return &select->select_stmt->where_clause;
    }
    default: return nullptr;
  }
}

}  // namespace

std::string with_condition(const std::string& statement, const std::string& condition) {
  ProtobufTree target(statement);
  ProtobufTree fragment("SELECT WHERE " + condition);
  PgQuery__Node** where = where_of(target.only_statement());
  PgQuery__Node* extra = fragment.only_statement() ? fragment.only_statement()->select_stmt->where_clause : nullptr;
  if (!where || !extra) {
    throw Error(ExitCode::internal, "internal", "cannot add a condition to this statement: " + target.error() + fragment.error());
  }
  // WHERE (original) AND (condition): a BoolExpr of our own, its arguments
  // borrowed from the two trees and given back before they are freed.
  PgQuery__Node* original = *where;
  PgQuery__BoolExpr both = PG_QUERY__BOOL_EXPR__INIT;
  PgQuery__Node* args[2] = {original, extra};
  both.boolop = PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR;
  both.n_args = 2;
  both.args = args;
  both.location = -1;
  PgQuery__Node both_node = PG_QUERY__NODE__INIT;
  both_node.node_case = PG_QUERY__NODE__NODE_BOOL_EXPR;
  both_node.bool_expr = &both;
  *where = original ? &both_node : extra;

  std::string packed(pg_query__parse_result__get_packed_size(target.tree()), '\0');
  pg_query__parse_result__pack(target.tree(), reinterpret_cast<uint8_t*>(&packed[0]));
  *where = original;

  PgQueryProtobuf protobuf{packed.size(), &packed[0]};
  PgQueryDeparseResult deparsed = pg_query_deparse_protobuf(protobuf);
  std::string out = deparsed.query ? deparsed.query : "";
  const std::string error = deparsed.error && deparsed.error->message ? deparsed.error->message : "";
  pg_query_free_deparse_result(deparsed);
  if (!error.empty() || out.empty()) throw Error(ExitCode::internal, "internal", "cannot write the batch statement back: " + error);
  return out;
}

namespace {

bool names_schema(const std::string& text, const std::string& schema) {
  if (text.size() >= 2 && text.front() == '"') return text == '"' + schema + '"';
  if (text.size() != schema.size()) return false;
  return std::equal(text.begin(), text.end(), schema.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace

std::string without_schema_qualifier(const std::string& statement, const std::string& schema) {
  std::vector<Token> tokens;
  if (scan_tokens(statement, tokens)) return statement;  // not SQL we wrote: left as it is
  std::vector<Token> code;
  for (const Token& t : tokens) {
    if (!t.comment) code.push_back(t);
  }
  std::string out;
  std::size_t copied = 0;
  const auto text = [&](const Token& t) { return statement.substr(t.begin, t.end - t.begin); };
  for (std::size_t i = 0; i + 1 < code.size(); ++i) {
    const Token& t = code[i];
    const bool first_part = i == 0 || code[i - 1].kind != PG_QUERY__TOKEN__ASCII_46;
    if (t.kind == PG_QUERY__TOKEN__IDENT && first_part && code[i + 1].kind == PG_QUERY__TOKEN__ASCII_46 &&
        code[i + 1].begin == t.end && names_schema(text(t), schema)) {
      out += statement.substr(copied, t.begin - copied);  // drop "schema."
      copied = code[i + 1].end;
    } else if (t.kind == PG_QUERY__TOKEN__SCONST && i + 2 < code.size() && code[i + 1].kind == PG_QUERY__TOKEN__TYPECAST &&
               code[i + 2].kind == PG_QUERY__TOKEN__IDENT && text(code[i + 2]) == "regclass") {
      // 'schema.name'::regclass (a nextval() default): the name inside the literal.
      const std::string prefix = "'" + schema + ".";
      if (text(t).rfind(prefix, 0) == 0) {
        out += statement.substr(copied, t.begin - copied) + "'";
        copied = t.begin + prefix.size();
      }
    }
  }
  return out + statement.substr(copied);
}

}  // namespace mig
