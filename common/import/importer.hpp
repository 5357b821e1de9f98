// mig-import's two steps: the converted files written into the migrations
// folder (all or none), and the source tool's history recorded in mig's (one
// transaction, under the migration lock).
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "import/foreign_history.hpp"
#include "import/sources.hpp"

namespace mig {
struct MigratorContext;
}

namespace mig::importing {

struct WrittenFile {
  std::string path;
  std::string text;
};

// The files mig will read: <version>_<name>.up.sql (a header naming the
// source, -- mig:no-transaction where it runs outside one), .down.sql, .verify.sql.
std::vector<WrittenFile> converted_files(const std::vector<ImportedMigration>& set, SourceFormat format,
                                         const std::string& dir);

// Exit 3 when a file is there already with other text, or `dir` holds another
// migration of the same version. The same text is no conflict: running an
// import again (after one stopped before recording the history) is safe.
void require_free(const std::vector<WrittenFile>& files, const std::vector<ImportedMigration>& set, const std::string& dir);
// What write_all wrote: its files and the folders it had to create.
struct Written {
  std::vector<std::string> files, folders;
};
// Writes every file, or (on any failure) removes what it wrote and rethrows.
Written write_all(const std::vector<WrittenFile>& files);
// Removes what write_all wrote (a later step failed): files, then the folders it created.
void undo(const Written& written);
// The files after the history: history rows first, then the files, so that a
// run stopped between them (kill -9) leaves recorded versions whose files are
// missing (mig-apply refuses them, exit 3; re-running mig-import writes them),
// never files that mig-apply would run again on a database that has them.
// When writing fails, the rows `history` lists as recorded are removed.
Written write_after_history(MigratorContext& ctx, const std::vector<WrittenFile>& files, const nlohmann::json& history);

// Records in mig's history each migration the source tool's history says is
// applied, with the checksum of its converted up file. Rows mig already has
// with the same checksum are left; a different one is exit 7. A repeatable one
// the source ran with another text than the file's now is recorded with a
// checksum that differs, so mig-apply runs it again ("stale"). Returns
// {"table", "recorded": [...], "already": [...], "pending": [...], "stale": [...]}.
nlohmann::json record_history(MigratorContext& ctx, const ForeignHistory& foreign, SourceFormat format,
                              const std::vector<ImportedMigration>& set);

}  // namespace mig::importing
