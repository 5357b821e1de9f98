// The SQL that creates a whole schema from nothing (mig-diff --dump, and the
// baseline mig-import writes for tools whose migrations are not SQL).
#pragma once
#include <cstddef>
#include <string>

#include "catalog/catalog.hpp"

namespace mig::diff {

struct SchemaDump {
  std::string sql;
  std::size_t objects = 0;
  std::size_t statements = 0;
};

// `as_migration`: without BEGIN/COMMIT, for mig to run in its transaction, and
// names in public unqualified (it runs in the schema its search_path names);
// otherwise wrapped in one, for psql -f. Exit 3 naming every object the model
// cannot write (the dump would not load back).
SchemaDump schema_dump(const catalog::Catalog& schema, const std::string& title, bool as_migration);

}  // namespace mig::diff
