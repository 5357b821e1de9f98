#include "engine/migration_set.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>

#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "engine/directives.hpp"
#include "text/source_text.hpp"

namespace fs = std::filesystem;

namespace mig {
namespace {

enum class FileRole { up, down, verify, repeatable };

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
  const std::string repeatable = ".repeatable";
  if (stem.size() > repeatable.size() && stem.compare(stem.size() - repeatable.size(), repeatable.size(), repeatable) == 0) {
    stem.resize(stem.size() - repeatable.size());
    if (!is_valid_migration_name(stem)) return std::nullopt;
    return ParsedFileName{"", stem, FileRole::repeatable};
  }
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

// An open migrations folder, closed when it goes out of scope.
class Folder {
 public:
  explicit Folder(const std::string& dir) : dir_(dir), fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) {
      throw invalid_input("invalid_migration_set",
                          dir + ": cannot open the migrations folder (" + std::strerror(errno) + ")");
    }
  }
  ~Folder() { ::close(fd_); }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  int fd() const { return fd_; }

  // Every *.sql entry, sorted by plain file name so problems come in a stable order.
  struct Entry {
    std::string file_name;
    std::string path;  // as messages show it
    unsigned char type;  // DT_REG, DT_LNK, ...; DT_UNKNOWN resolved with one lstat
  };
  std::vector<Entry> sql_entries() const {
    const int listing_fd = ::dup(fd_);
    DIR* listing = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
    if (!listing) {
      if (listing_fd >= 0) ::close(listing_fd);
      throw invalid_input("invalid_migration_set", dir_ + ": cannot list the migrations folder");
    }
    std::vector<Entry> entries;
    const std::string prefix = dir_.back() == '/' ? dir_ : dir_ + "/";
    while (const dirent* d = ::readdir(listing)) {
      std::string name = d->d_name;
      if (!ends_with_sql(name)) continue;
      entries.push_back({name, prefix + name, d->d_type});
    }
    ::closedir(listing);
    for (Entry& e : entries) {
      struct stat st {};
      if (e.type != DT_UNKNOWN || ::fstatat(fd_, e.file_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      e.type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_DIR;
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.file_name < b.file_name; });
    return entries;
  }

 private:
  std::string dir_;
  int fd_;
};

// A migration file's text, or why it cannot be one; made on any thread.
struct FileRead {
  std::optional<MigrationFile> file;
  std::optional<EncodingProblem> bad_encoding;
  std::exception_ptr error;  // unreadable
};

FileRead read_migration_file(const Folder& folder, const Folder::Entry& entry) {
  FileRead read;
  try {
    std::string bytes = read_file_bytes_at(folder.fd(), entry.file_name, entry.path);
    read.bad_encoding = find_encoding_problem(bytes);
    if (read.bad_encoding) return read;
    read.file = MigrationFile{entry.path, normalize_source(std::move(bytes)), ""};
    read.file->checksum = sha256_checksum(read.file->text);
  } catch (...) {
    read.error = std::current_exception();
  }
  return read;
}

struct FolderReader {
  ScannedSet scanned;
  std::map<std::string, Migration> ups;  // keyed by canonical version
  std::vector<Migration> repeatables;     // in file-name order, as the entries come
  std::vector<std::pair<ParsedFileName, MigrationFile>> companions;

  void problem(const std::string& rule, const std::string& file, const std::string& message,
               std::optional<int> line = std::nullopt) {
    scanned.problems.push_back({rule, file, message, line});
  }

  // What an entry's name and type say: a migration file's parts, or why it is not one.
  struct Classified {
    std::optional<ParsedFileName> parsed;
    std::string problem;
  };
  static Classified classify(const Folder::Entry& entry, const fs::path& real_dir) {
    if (entry.type == DT_LNK) {
      if (auto why = containment_problem(fs::path(entry.path), real_dir)) return {std::nullopt, *why};
    } else if (entry.type != DT_REG) {
      return {std::nullopt, "not a regular file"};
    }
    if (auto parsed = parse_file_name(entry.file_name)) return {parsed, ""};
    return {std::nullopt,
            "not a migration file name: expected <version>_<name>[.up|.down|.verify].sql with a "
            "1-20 digit version and a name of [A-Za-z0-9_-], or <name>.repeatable.sql"};
  }

  void add(const Folder::Entry& entry, const ParsedFileName& parsed, FileRead& read) {
    if (read.error) std::rethrow_exception(read.error);
    if (const auto& bad = read.bad_encoding) {
      return problem("invalid-encoding", entry.path,
                     bad->reason + " at byte " + std::to_string(bad->byte_offset) + " (line " +
                         std::to_string(bad->line) + "); migrations must be UTF-8",
                     bad->line);
    }
    MigrationFile& file = *read.file;
    if (parsed.role == FileRole::repeatable) {
      Migration m{repeatable_key(parsed.name), parsed.name, std::move(file), std::nullopt, std::nullopt};
      m.repeatable = true;
      return repeatables.push_back(std::move(m));
    }
    if (parsed.role != FileRole::up) return companions.emplace_back(parsed, std::move(file)), void();
    const std::string key = canonical_version(parsed.version);
    if (ups.count(key)) {
      return problem("duplicate-version", entry.path,
                     "version " + parsed.version + " is also used by " + ups[key].up.path);
    }
    ups[key] = Migration{parsed.version, parsed.name, std::move(file), std::nullopt, std::nullopt};
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

// Only files that mention it are parsed for the directive; a file whose
// directives are wrong is refused when it is about to run (or by mig-lint).
void mark_checkpoints(MigrationSet& set) {
  for (Migration& m : set.migrations) {
    if (m.up.text.find("mig:checkpoint") == std::string::npos) continue;
    try {
      m.checkpoint = read_directives(m.up).checkpoint;
    } catch (const Error&) {
    }
  }
}

}  // namespace

std::string Migration::label() const { return repeatable ? name + ".repeatable" : version + "_" + name; }

bool is_valid_migration_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

std::optional<std::string> new_migration_name_problem(const std::string& name) {
  // 255 bytes less a 20-digit version, '_', and the longest suffix mig writes.
  constexpr std::size_t kLongest = 255 - 20 - 1 - std::char_traits<char>::length("_online.down.sql");
  if (!is_valid_migration_name(name)) return "'" + name + "' is not a valid name: use letters, digits, _ and - only";
  if (name.size() > kLongest) {
    return "the name is " + std::to_string(name.size()) + " characters long; at most " + std::to_string(kLongest) +
           " fit a file name";
  }
  return std::nullopt;
}

std::string next_free_version(const std::string& dir, std::time_t from) {
  auto taken = [&](const std::string& version) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().filename().string().rfind(version + "_", 0) == 0) return true;
    }
    return false;
  };
  auto format = [](std::time_t t) {
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &utc);
    return std::string(buf);
  };
  while (taken(format(from))) ++from;
  return format(from);
}

ScannedSet scan_migration_set(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw invalid_input("invalid_migration_set", dir + ": migrations folder not found");
  }
  const fs::path real_dir = fs::canonical(dir);
  const Folder folder(dir);
  const std::vector<Folder::Entry> entries = folder.sql_entries();

  FolderReader reader;
  reader.scanned.set.dir = dir;
  std::vector<FolderReader::Classified> classified;
  std::vector<std::size_t> wanted;  // entries whose content is read
  for (std::size_t i = 0; i < entries.size(); ++i) {
    classified.push_back(FolderReader::classify(entries[i], real_dir));
    if (classified.back().parsed) wanted.push_back(i);
  }
  // Reading and checksumming is most of a status run: spread it over the cores.
  std::vector<FileRead> reads(entries.size());
  for_each_index(wanted.size(), 4,
                 [&](std::size_t k) { reads[wanted[k]] = read_migration_file(folder, entries[wanted[k]]); });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (classified[i].parsed) {
      reader.add(entries[i], *classified[i].parsed, reads[i]);
    } else {
      reader.problem("file-name", entries[i].path, classified[i].problem);
    }
  }
  reader.attach_companions();
  reader.scanned.set.migrations.reserve(reader.ups.size());
  for (auto& [key, migration] : reader.ups) reader.scanned.set.migrations.push_back(std::move(migration));
  std::sort(reader.scanned.set.migrations.begin(), reader.scanned.set.migrations.end(),
            [](const Migration& a, const Migration& b) { return compare_versions(a.version, b.version) < 0; });
  mark_checkpoints(reader.scanned.set);
  reader.scanned.set.repeatables = std::move(reader.repeatables);
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

}  // namespace mig
