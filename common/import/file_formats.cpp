// Formats with one or two files per migration in one folder: golang-migrate,
// sqlx, dbmate, goose (SQL), Flyway.
#include "import/file_formats.hpp"

#include <algorithm>
#include <map>

#include <boost/crc.hpp>

#include "import/source_files.hpp"
#include "pg/history.hpp"

namespace mig::importing {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// <version>_<name>.up.sql / .down.sql (and, where `bare_up`, <version>_<name>.sql).
std::vector<ImportedMigration> up_down_pairs(const std::string& dir, bool bare_up) {
  std::map<std::string, ImportedMigration> by_version;
  std::map<std::string, std::string> downs, down_paths;
  for (const std::string& file : entries(dir, false)) {
    if (!ends_with(file, ".sql")) continue;
    const std::string path = dir + "/" + file;
    std::string stem = file.substr(0, file.size() - 4);
    const bool down = ends_with(stem, ".down");
    const bool up = ends_with(stem, ".up");
    if (down || up) stem = stem.substr(0, stem.size() - (down ? 5 : 3));
    const auto vn = split_versioned(stem);
    if (!vn || (!up && !down && !bare_up)) {
      throw cannot_convert(path, "not <version>_<name>.up.sql or .down.sql" + std::string(bare_up ? " or .sql" : ""));
    }
    if (down) {
      downs[vn->version] = read_text(path);
      down_paths[vn->version] = path;
      continue;
    }
    if (by_version.count(vn->version)) throw cannot_convert(path, "version " + vn->version + " has two up files");
    ImportedMigration m;
    m.version = vn->version;
    m.name = mig_name(vn->name);
    m.up = read_text(path);
    m.sources = {path};
    m.history_key = vn->version;
    by_version[vn->version] = std::move(m);
  }
  std::vector<ImportedMigration> set;
  for (auto& [version, text] : downs) {
    if (!by_version.count(version)) throw cannot_convert(down_paths[version], "a down file without its up file");
    by_version[version].down = text;
    by_version[version].sources.push_back(down_paths[version]);
  }
  for (auto& [version, m] : by_version) set.push_back(std::move(m));
  return set;
}

}  // namespace

std::vector<ImportedMigration> read_golang_migrate(const std::string& dir) {
  auto set = up_down_pairs(dir, false);
  for (auto& m : set) mark_by_content(m);
  return set;
}

// sqlx: a first line "-- no-transaction" runs the file outside a transaction.
std::vector<ImportedMigration> read_sqlx(const std::string& dir) {
  auto set = up_down_pairs(dir, true);
  for (auto& m : set) {
    if (m.up.rfind("-- no-transaction", 0) == 0) {
      m.no_transaction = true;
      m.why_no_transaction = "sqlx's -- no-transaction";
    }
    mark_by_content(m);
  }
  return set;
}

// dbmate: one file, "-- migrate:up [transaction:false]" and "-- migrate:down" markers.
std::vector<ImportedMigration> read_dbmate(const std::string& dir) {
  std::vector<ImportedMigration> set;
  for (const std::string& file : entries(dir, false)) {
    if (!ends_with(file, ".sql")) continue;
    const std::string path = dir + "/" + file;
    const auto vn = split_versioned(file.substr(0, file.size() - 4));
    if (!vn) throw cannot_convert(path, "not <version>_<name>.sql");
    const std::string text = read_text(path);
    const auto found = markers(path, text, "migrate:");
    if (found.empty() || found.front().body.rfind("migrate:up", 0) != 0) {
      throw cannot_convert(path, "no -- migrate:up before the first statement");
    }
    if (found.size() > 2 || (found.size() == 2 && found[1].body.rfind("migrate:down", 0) != 0)) {
      throw cannot_convert(path, "unexpected marker: " + found.back().body, found.back().line);
    }
    ImportedMigration m;
    m.version = vn->version;
    m.name = mig_name(vn->name);
    m.sources = {path};
    m.history_key = vn->version;
    const std::size_t up_end = found.size() == 2 ? found[1].begin : text.size();
    m.up = trim(text.substr(found[0].end, up_end - found[0].end)) + "\n";
    if (found.size() == 2) {
      const std::string down = trim(text.substr(found[1].end));
      if (!down.empty()) m.down = down + "\n";
    }
    if (found[0].body.find("transaction:false") != std::string::npos) {
      m.no_transaction = true;
      m.why_no_transaction = "dbmate's transaction:false";
    }
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

// goose (SQL): "-- +goose Up", "-- +goose Down", "-- +goose StatementBegin/End"
// around statements with semicolons inside, "-- +goose NO TRANSACTION".
std::vector<ImportedMigration> read_goose(const std::string& dir) {
  std::vector<ImportedMigration> set;
  for (const std::string& file : entries(dir, false)) {
    const std::string path = dir + "/" + file;
    if (ends_with(file, ".go")) throw cannot_convert(path, "a Go migration: its code cannot be converted to SQL");
    if (!ends_with(file, ".sql")) continue;
    const auto vn = split_versioned(file.substr(0, file.size() - 4));
    if (!vn) throw cannot_convert(path, "not <version>_<name>.sql");
    const std::string text = read_text(path);
    ImportedMigration m;
    m.version = vn->version.substr(std::min(vn->version.find_first_not_of('0'), vn->version.size() - 1));  // goose reads 00001 as 1
    m.name = mig_name(vn->name);
    m.sources = {path};
    m.history_key = m.version;
    std::string up, down, *into = nullptr;
    std::size_t from = 0;
    for (const Marker& mk : markers(path, text, "+goose ", true)) {
      if (into) *into += text.substr(from, mk.begin - from);
      from = mk.end;
      const std::string what = lower(trim(mk.body.substr(7)));  // goose reads them in any case
      if (what == "up") {
        into = &up;
      } else if (what == "down") {
        into = &down;
      } else if (what == "no transaction") {
        m.no_transaction = true;
        m.why_no_transaction = "goose's NO TRANSACTION";
      } else if (what != "statementbegin" && what != "statementend") {
        throw cannot_convert(path, "-- +goose " + what + " has no mig equivalent", mk.line);
      }
    }
    if (!into) throw cannot_convert(path, "no -- +goose Up annotation");
    *into += text.substr(from);
    m.up = trim(up) + "\n";
    if (!trim(down).empty()) m.down = trim(down) + "\n";
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

namespace {

// Flyway's ${name} placeholders, replaced by the values given; any other is exit 3.
std::string with_placeholders(const std::string& path, const std::string& text,
                              const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open; (open = text.find("${", at)) != std::string::npos;) {
    const std::size_t close = text.find('}', open);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(open), '\n'));
    if (close == std::string::npos) throw cannot_convert(path, "an unclosed ${ placeholder", line);
    const std::string name = text.substr(open + 2, close - open - 2);
    const auto value = values.find(name);
    if (value == values.end()) {
      throw cannot_convert(path, "placeholder ${" + name + "} has no value: give --placeholder " + name + "=VALUE", line);
    }
    out += text.substr(at, open - at) + value->second;
    at = close + 1;
  }
  return out + text.substr(at);
}

// V1__name.sql, U1__name.sql; nullopt for anything else.
std::optional<std::pair<char, VersionedName>> flyway_name(const std::string& file) {
  if (file.size() < 8 || (file[0] != 'V' && file[0] != 'U' && file[0] != 'R') || !ends_with(file, ".sql")) return std::nullopt;
  const std::string stem = file.substr(1, file.size() - 5);
  const std::size_t sep = stem.find("__");
  if (sep == std::string::npos) return std::nullopt;
  return std::make_pair(file[0], VersionedName{stem.substr(0, sep), stem.substr(sep + 2)});
}

}  // namespace

namespace {

// Flyway's version "1.2.10" (or "1_2_10") as its numeric parts; nullopt when it is not one.
std::optional<std::vector<std::string>> version_parts(const std::string& version) {
  std::vector<std::string> parts(1);
  for (char c : version) {
    if (c == '.' || c == '_') {
      parts.emplace_back();
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      parts.back() += c;
    } else {
      return std::nullopt;
    }
  }
  for (auto& p : parts) {
    if (p.empty()) return std::nullopt;
    p.erase(0, std::min(p.find_first_not_of('0'), p.size() - 1));  // "007" -> "7"
  }
  while (parts.size() > 1 && parts.back() == "0") parts.pop_back();  // Flyway: 1.0 is 1
  return parts;
}

// mig versions are whole numbers: each Flyway version becomes its parts, each
// zero-padded to the widest part, so numeric order is Flyway's order
// (1.1 -> 001001, 1.10 -> 001010, 2 -> 002000). Exit 3 past 20 digits.
std::map<std::string, std::string> whole_number_versions(const std::map<std::string, std::vector<std::string>>& parts,
                                                          const std::string& dir) {
  std::size_t count = 1, width = 1;
  for (const auto& [version, p] : parts) {
    count = std::max(count, p.size());
    for (const auto& part : p) width = std::max(width, part.size());
  }
  if (count == 1) width = 1;  // plain integers stay as they are
  std::map<std::string, std::string> out;
  for (const auto& [version, p] : parts) {
    std::string digits;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string part = i < p.size() ? p[i] : "0";
      digits += count == 1 ? part : std::string(width - part.size(), '0') + part;
    }
    if (digits.size() > 20) {
      throw cannot_convert(dir, "Flyway version " + version + " needs " + std::to_string(digits.size()) +
                                    " digits as a whole number; mig versions have at most 20");
    }
    out[version] = digits;
  }
  return out;
}

struct FlywayFile {
  std::string path, text;
  VersionedName vn;
};

// R__<description>.sql: a repeatable migration, named as Flyway's history does
// ("R:" and the description with '_' read as ' ').
ImportedMigration flyway_repeatable(const std::string& path, const std::string& raw, const std::string& description,
                                    const std::map<std::string, std::string>& placeholders) {
  ImportedMigration m;
  m.name = mig_name(description);
  m.version = repeatable_key(m.name);
  m.up = with_placeholders(path, raw, placeholders);
  m.sources = {path};
  m.repeatable = true;
  std::string spaced = description;
  std::replace(spaced.begin(), spaced.end(), '_', ' ');
  m.history_key = "R:" + spaced;
  m.source_checksum = flyway_checksum(raw);
  mark_by_content(m);
  if (m.no_transaction) throw cannot_convert(path, "mig runs a repeatable migration in one transaction, and " + m.why_no_transaction);
  return m;
}

}  // namespace

int flyway_checksum(const std::string& text) {
  boost::crc_32_type crc;
  std::size_t at = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a BOM is not hashed
  while (at < text.size()) {  // each line without its ending, as Java's readLine gives it
    const std::size_t end = text.find_first_of("\r\n", at);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    crc.process_bytes(text.data() + at, stop - at);
    if (end == std::string::npos) break;
    at = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  return static_cast<int>(crc.checksum());
}

// Flyway: V<version>__<description>.sql (up), U<version>__... (undo), a
// <file>.conf with executeInTransaction=false, R__<description>.sql (repeatable,
// converted to <name>.repeatable.sql). The history names each by Flyway's
// version string (repeatables by "R:" and their description).
std::vector<ImportedMigration> read_flyway(const std::string& dir, const std::map<std::string, std::string>& placeholders) {
  std::vector<FlywayFile> ups, undos;
  std::vector<ImportedMigration> repeatables;
  std::map<std::string, std::vector<std::string>> parts;
  for (const std::string& file : entries(dir, false)) {
    const std::string path = dir + "/" + file;
    if (ends_with(file, ".sql.conf")) continue;
    const auto parsed = flyway_name(file);
    if (!parsed) {
      if (ends_with(file, ".sql")) throw cannot_convert(path, "not V<version>__<description>.sql or U<version>__...");
      continue;
    }
    const auto& [kind, vn] = *parsed;
    if (kind == 'R') {
      if (!vn.version.empty()) throw cannot_convert(path, "a repeatable migration has no version (R__<description>.sql)");
      if (is_file(path + ".conf") && read_text(path + ".conf").find("executeInTransaction=false") != std::string::npos) {
        throw cannot_convert(path, "a repeatable migration outside a transaction: mig runs repeatables in one");
      }
      repeatables.push_back(flyway_repeatable(path, read_text(path), vn.name, placeholders));
      continue;
    }
    const auto p = version_parts(vn.version);
    if (!p) throw cannot_convert(path, "version " + vn.version + ": not numbers separated by '.' or '_'");
    parts[vn.version] = *p;
    (kind == 'U' ? undos : ups).push_back({path, with_placeholders(path, read_text(path), placeholders), vn});
  }
  const auto versions = whole_number_versions(parts, dir);
  std::map<std::string, ImportedMigration> by_version;
  for (const FlywayFile& f : ups) {
    ImportedMigration m;
    m.version = versions.at(f.vn.version);
    m.name = mig_name(f.vn.name);
    m.up = f.text;
    m.sources = {f.path};
    m.history_key = f.vn.version;
    if (is_file(f.path + ".conf") && read_text(f.path + ".conf").find("executeInTransaction=false") != std::string::npos) {
      m.no_transaction = true;
      m.why_no_transaction = "Flyway's executeInTransaction=false";
    }
    if (by_version.count(m.version)) throw cannot_convert(f.path, "version " + f.vn.version + " is also " + by_version[m.version].sources.front() + "'s");
    by_version[m.version] = std::move(m);
  }
  for (const FlywayFile& f : undos) {
    auto it = by_version.find(versions.at(f.vn.version));
    if (it == by_version.end()) throw cannot_convert(f.path, "an undo migration without its V file");
    it->second.down = f.text;
    it->second.sources.push_back(f.path);
  }
  std::vector<ImportedMigration> set;
  for (auto& [version, m] : by_version) {
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  for (auto& m : repeatables) set.push_back(std::move(m));
  return set;
}

}  // namespace mig::importing
