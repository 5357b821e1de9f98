// What every source format reader shares: the folder's entries, a file's text,
// names and versions in mig's terms, the marker comments some tools write.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/errors.hpp"
#include "import/sources.hpp"

namespace mig::importing {

// Exit 3 naming the file (and line) and why it cannot be converted.
Error cannot_convert(const std::string& path, const std::string& why, std::optional<int> line = std::nullopt);

// Entry names of `dir` (files or folders as asked), sorted; exit 3 when it is not a folder.
std::vector<std::string> entries(const std::string& dir, bool folders);
bool is_file(const std::string& path);
// UTF-8 text (BOM dropped, CRLF as LF); exit 3 naming the file otherwise.
std::string read_text(const std::string& path);

// "20240101120000_add users.up" -> version and name; nullopt when it does not start with digits and '_'.
struct VersionedName {
  std::string version, name;
};
std::optional<VersionedName> split_versioned(const std::string& stem, char separator = '_');
// A name mig accepts: every other character becomes '_'.
std::string mig_name(const std::string& name);
bool ends_with(const std::string& text, const std::string& tail);

// A marker comment the source tool reads ("-- migrate:up", "-- +goose Down"):
// where it starts and ends in the text, and its body without "--".
struct Marker {
  std::size_t begin, end;
  std::string body;
  int line;
};
// Every line comment whose body starts with `prefix` (in any case, when
// `any_case`), found by PostgreSQL's scanner.
std::vector<Marker> markers(const std::string& path, const std::string& text, const std::string& prefix,
                            bool any_case = false);

// A migration with no statement (comments only, or nothing) ran as a no-op in
// its tool; mig refuses an empty file, so it gets a statement that does nothing.
void keep_empty_as_no_op(ImportedMigration& m);
// golang-migrate, goose and dbmate step over a version without a down when
// reverting: where a set has downs, one it lacks becomes a no-op down file, so
// mig --down goes through it as the tool did.
void fill_missing_downs(std::vector<ImportedMigration>& set, SourceFormat format);
// Sorted by version; a version twice is exit 3 naming both.
void order_by_version(std::vector<ImportedMigration>& set);
// Marks a migration -- mig:no-transaction when its SQL needs it (BEGIN/COMMIT of
// its own, CONCURRENTLY, statements PostgreSQL refuses in a transaction block).
void mark_by_content(ImportedMigration& m);

}  // namespace mig::importing
