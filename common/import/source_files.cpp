#include "import/source_files.hpp"

#include <algorithm>
#include <filesystem>

#include "base/versions.hpp"
#include "lint/file_linter.hpp"
#include "text/source_text.hpp"
#include "text/sql.hpp"

namespace fs = std::filesystem;

namespace mig::importing {

Error cannot_convert(const std::string& path, const std::string& why, std::optional<int> line) {
  return invalid_input("cannot_import", path + (line ? ":" + std::to_string(*line) : "") + ": " + why)
      .with_position({path, line, std::nullopt});
}

std::vector<std::string> entries(const std::string& dir, bool folders) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw cannot_convert(dir, "not a folder");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_symlink()) throw cannot_convert(entry.path().string(), "a symbolic link: import the folder it points into");
    if (folders ? entry.is_directory() : entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  if (ec) throw cannot_convert(dir, "cannot read: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(path, ec));
}

std::string read_text(const std::string& path) {
  const std::string bytes = read_file_bytes(path);
  if (auto bad = find_encoding_problem(bytes)) throw cannot_convert(path, bad->reason, bad->line);
  return normalize_source(bytes);
}

std::optional<VersionedName> split_versioned(const std::string& stem, char separator) {
  std::size_t digits = 0;
  while (digits < stem.size() && std::isdigit(static_cast<unsigned char>(stem[digits]))) ++digits;
  if (digits == 0 || digits > 20 || digits >= stem.size() || stem[digits] != separator) return std::nullopt;
  return VersionedName{stem.substr(0, digits), stem.substr(digits + 1)};
}

std::string mig_name(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_';
  return out.empty() ? "migration" : out;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<Marker> markers(const std::string& path, const std::string& text, const std::string& prefix, bool any_case) {
  const auto starts_with = [&](const std::string& body) {
    if (body.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      const char a = body[i], b = prefix[i];
      if (any_case ? std::tolower(static_cast<unsigned char>(a)) != std::tolower(static_cast<unsigned char>(b)) : a != b) return false;
    }
    return true;
  };
  const ScanOutcome scanned = scan_sql(text);
  if (scanned.error) {
    throw cannot_convert(path, scanned.error->message, LineIndex(text).at(scanned.error->byte_offset).line);
  }
  const LineIndex lines(text);
  std::vector<Marker> found;
  for (const SqlComment& c : scanned.sql.comments) {
    if (!c.line_comment) continue;
    const std::string body = comment_body(text, c);
    if (starts_with(body)) found.push_back({c.begin, c.end, body, lines.at(c.begin).line});
  }
  return found;
}

void keep_empty_as_no_op(ImportedMigration& m) {
  const ScanOutcome scanned = scan_sql(m.up);
  if (scanned.error || !scanned.sql.statements.empty()) return;
  m.up += "\n-- The migration had no statement; kept as a no-op so its version stays recorded.\nSELECT 1;\n";
}

void fill_missing_downs(std::vector<ImportedMigration>& set, SourceFormat format) {
  if (std::none_of(set.begin(), set.end(), [](const ImportedMigration& m) { return m.down.has_value(); })) return;
  for (auto& m : set) {
    if (m.down && scan_sql(*m.down).sql.statements.size() > 0) continue;
    m.down = "-- " + format_name(format) + " had no down for this version: reverting it changes nothing.\nSELECT 1;\n";
  }
}

void order_by_version(std::vector<ImportedMigration>& set) {
  std::sort(set.begin(), set.end(), [](const ImportedMigration& a, const ImportedMigration& b) {
    if (a.repeatable || b.repeatable) return a.repeatable == b.repeatable ? a.name < b.name : b.repeatable;
    return compare_versions(a.version, b.version) < 0;
  });
  for (std::size_t i = 1; i < set.size(); ++i) {
    const auto& a = set[i - 1];
    const auto& b = set[i];
    if (a.version == b.version || (!b.repeatable && compare_versions(a.version, b.version) == 0)) {
      throw cannot_convert(b.sources.front(), "version " + b.version + " is also " + a.sources.front() +
                                                  "'s: mig needs one migration per version");
    }
  }
}

namespace {

// Why `text` cannot run inside mig's transaction, or nullopt when it can.
std::optional<std::string> needs_own_transaction_handling(const std::string& path, const std::string& text) {
  static const char* const kRules[] = {"transaction-nesting", "ban-concurrent-index-creation-in-transaction",
                                       "non-transactional-statement-in-transaction"};
  for (const auto& f : lint::lint_file(path, text, lint::FileRole::up, lint::LintOptions{}).findings) {
    if (std::find(std::begin(kRules), std::end(kRules), f.rule) != std::end(kRules)) {
      return "its SQL cannot run inside mig's transaction (" + f.rule + ", line " + std::to_string(f.line) + ")";
    }
  }
  return std::nullopt;
}

}  // namespace

void mark_by_content(ImportedMigration& m) {
  if (!m.no_transaction) {
    if (auto why = needs_own_transaction_handling(m.sources.front(), m.up)) {
      m.no_transaction = true;
      m.why_no_transaction = *why;
    }
  }
  if (m.down && !m.down_no_transaction) {
    m.down_no_transaction = m.no_transaction || needs_own_transaction_handling(m.sources.front(), *m.down).has_value();
  }
}

}  // namespace mig::importing
