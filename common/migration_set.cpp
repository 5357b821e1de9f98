#include "migration_set.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "errors.hpp"
#include "source_text.hpp"
#include "sql.hpp"

namespace fs = std::filesystem;

namespace mig {
namespace {

enum class FileRole { up, down, verify };

struct ParsedFileName {
  std::string version;
  std::string name;
  FileRole role;
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::optional<ParsedFileName> parse_file_name(const std::string& file_name) {
  std::string stem = file_name.substr(0, file_name.size() - 4);  // drop ".sql"
  FileRole role = FileRole::up;
  const auto strip = [&](const std::string& suffix, FileRole r) {
    if (stem.size() > suffix.size() && stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0) {
      stem.resize(stem.size() - suffix.size());
      role = r;
      return true;
    }
    return false;
  };
  strip(".up", FileRole::up) || strip(".down", FileRole::down) || strip(".verify", FileRole::verify);
  const std::size_t underscore = stem.find('_');
  if (underscore == std::string::npos) return std::nullopt;
  ParsedFileName parsed{stem.substr(0, underscore), stem.substr(underscore + 1), role};
  if (!all_digits(parsed.version) || parsed.version.size() > 20) return std::nullopt;
  if (!is_valid_migration_name(parsed.name)) return std::nullopt;
  return parsed;
}

bool ends_with_sql(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0;
}

// Keeps the folder closed: a symlink must resolve to a regular file inside it.
std::optional<std::string> containment_problem(const fs::path& entry, const fs::path& real_dir) {
  std::error_code ec;
  const fs::path target = fs::canonical(entry, ec);
  if (ec) return "dangling symlink";
  const std::string inside = real_dir.string() + "/";
  if (target.string().compare(0, inside.size(), inside) != 0) return "symlink leaves the migrations folder";
  if (!fs::is_regular_file(target)) return "not a regular file";
  return std::nullopt;
}

struct FolderReader {
  ScannedSet scanned;
  std::map<std::string, Migration> ups;  // keyed by canonical version
  std::vector<std::pair<ParsedFileName, MigrationFile>> companions;

  void problem(const std::string& rule, const std::string& file, const std::string& message,
               std::optional<int> line = std::nullopt) {
    scanned.problems.push_back({rule, file, message, line});
  }

  std::optional<MigrationFile> read(const std::string& path) {
    const std::string bytes = read_file_bytes(path);
    if (const auto bad = find_encoding_problem(bytes)) {
      problem("invalid-encoding", path,
              bad->reason + " at byte " + std::to_string(bad->byte_offset) + " (line " +
                  std::to_string(bad->line) + "); migrations must be UTF-8",
              bad->line);
      return std::nullopt;
    }
    MigrationFile file{path, normalize_source(bytes), ""};
    file.checksum = sha256_checksum(file.text);
    return file;
  }

  void add(const fs::directory_entry& entry, const fs::path& real_dir) {
    const std::string file_name = entry.path().filename().string();
    const std::string path = entry.path().string();
    if (!ends_with_sql(file_name)) return;
    // The entry's type comes from the directory listing itself: no extra stat.
    if (entry.is_symlink()) {
      if (auto why = containment_problem(entry.path(), real_dir)) return problem("file-name", path, *why);
    } else if (!entry.is_regular_file()) {
      return problem("file-name", path, "not a regular file");
    }
    const auto parsed = parse_file_name(file_name);
    if (!parsed) {
      return problem("file-name", path,
                     "not a migration file name: expected <version>_<name>[.up|.down|.verify].sql with a "
                     "1-20 digit version and a name of [A-Za-z0-9_-]");
    }
    auto file = read(path);
    if (!file) return;
    if (parsed->role != FileRole::up) return companions.emplace_back(*parsed, std::move(*file)), void();
    const std::string key = canonical_version(parsed->version);
    if (ups.count(key)) {
      return problem("duplicate-version", path,
                     "version " + parsed->version + " is also used by " + ups[key].up.path);
    }
    ups[key] = Migration{parsed->version, parsed->name, std::move(*file), std::nullopt, std::nullopt};
  }

  void attach_companions() {
    for (auto& [parsed, file] : companions) {
      auto up = ups.find(canonical_version(parsed.version));
      const char* role = parsed.role == FileRole::down ? "down" : "verify";
      if (up == ups.end() || up->second.name != parsed.name) {
        problem(parsed.role == FileRole::down ? "orphan-down" : "file-name", file.path,
                std::string(role) + " file without its up file (" + parsed.version + "_" + parsed.name +
                    ".up.sql or .sql)");
        continue;
      }
      auto& slot = parsed.role == FileRole::down ? up->second.down : up->second.verify;
      if (slot) {
        problem("duplicate-version", file.path, std::string("second ") + role + " file for version " +
                                                    parsed.version + " (also " + slot->path + ")");
        continue;
      }
      slot = std::move(file);
    }
  }

  static std::string canonical_version(const std::string& version) {
    const std::size_t first = version.find_first_not_of('0');
    return first == std::string::npos ? "0" : version.substr(first);
  }
};

}  // namespace

bool is_valid_migration_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

int compare_versions(const std::string& a, const std::string& b) {
  const std::size_t a0 = std::min(a.find_first_not_of('0'), a.size());
  const std::size_t b0 = std::min(b.find_first_not_of('0'), b.size());
  const std::size_t alen = a.size() - a0, blen = b.size() - b0;
  if (alen != blen) return alen < blen ? -1 : 1;
  return a.compare(a0, alen, b, b0, blen);
}

ScannedSet scan_migration_set(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw invalid_input("invalid_migration_set", dir + ": migrations folder not found");
  }
  const fs::path real_dir = fs::canonical(dir);
  std::vector<fs::directory_entry> entries(fs::directory_iterator(dir), fs::directory_iterator{});
  // Sorted by plain file name: problems are reported in a stable order.
  std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
    return a.path().native() < b.path().native();
  });

  FolderReader reader;
  reader.scanned.set.dir = dir;
  for (const fs::directory_entry& entry : entries) reader.add(entry, real_dir);
  reader.attach_companions();
  for (auto& [key, migration] : reader.ups) reader.scanned.set.migrations.push_back(std::move(migration));
  std::sort(reader.scanned.set.migrations.begin(), reader.scanned.set.migrations.end(),
            [](const Migration& a, const Migration& b) { return compare_versions(a.version, b.version) < 0; });
  return std::move(reader.scanned);
}

MigrationSet load_migration_set(const std::string& dir) {
  ScannedSet scanned = scan_migration_set(dir);
  if (scanned.problems.empty()) return std::move(scanned.set);
  std::string message;
  for (const SetProblem& p : scanned.problems) {
    if (!message.empty()) message += "\n";
    message += p.file + (p.line ? ":" + std::to_string(*p.line) : "") + ": " + p.message + " [" + p.rule + "]";
  }
  const SetProblem& first = scanned.problems.front();
  throw invalid_input("invalid_migration_set", message).with_position({first.file, first.line, std::nullopt});
}

Directives read_directives(const MigrationFile& file) { return read_directives(file, scan_sql(file.text).sql); }

Directives read_directives(const MigrationFile& file, const ScannedSql& scanned) {
  Directives directives;
  const std::size_t first_statement = scanned.statements.empty() ? file.text.size() : scanned.statements.front().begin;
  for (const SqlComment& comment : scanned.comments) {
    if (comment.begin >= first_statement || !comment.line_comment) continue;
    const std::string body = comment_body(file.text, comment);
    if (body.compare(0, 4, "mig:") != 0) continue;
    const std::size_t space = body.find_first_of(" \t");
    const std::string key = body.substr(4, space == std::string::npos ? std::string::npos : space - 4);
    std::string value = space == std::string::npos ? "" : body.substr(body.find_first_not_of(" \t", space));
    const int line = line_column_at(file.text, comment.begin).line;
    const std::string where = file.path + ":" + std::to_string(line);
    try {
      if (key == "no-transaction" && value.empty()) {
        directives.no_transaction = true;
      } else if (key == "lock-timeout") {
        directives.lock_timeout = parse_duration(value, where + ": mig:lock-timeout");
      } else if (key == "statement-timeout") {
        directives.statement_timeout = parse_duration(value, where + ": mig:statement-timeout");
      } else {
        throw invalid_input("invalid_directive", where + ": unknown directive '-- " + body +
                                                     "' (known: mig:no-transaction, mig:lock-timeout D, "
                                                     "mig:statement-timeout D)");
      }
    } catch (const Error& e) {
      throw invalid_input("invalid_directive", e.what()).with_position({file.path, line, std::nullopt});
    }
  }
  return directives;
}

}  // namespace mig
