// The SQL for one object: how to create it, drop it, or change it in place.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diff/plan.hpp"

namespace mig::catalog {
struct Object;
}

namespace mig::diff {

struct DdlContext {
  const catalog::Catalog& from;
  const catalog::Catalog& to;
  const std::set<std::string>& created;  // keys the plan creates (a table in it is new: no online strategy)
  bool online;
};

// `object` is in `to`; `inlined` are its columns and defaults created with it.
std::vector<Step> create_steps(const catalog::Object& object, const std::vector<const catalog::Object*>& inlined,
                               const DdlContext& context);
// `object` is in `from`.
std::vector<Step> drop_steps(const catalog::Object& object, const DdlContext& context);
// Turns `before` into `after` in place, or nullopt when it must be dropped and created again.
std::optional<std::vector<Step>> alter_steps(const catalog::Object& before, const catalog::Object& after,
                                             const DdlContext& context);
// A table that leaves parents (adding = false: ALTER TABLE ... NO INHERIT, its
// columns stay as its own) or joins them (adding = true: ... INHERIT, once it
// has their columns), from `before`'s INHERITS list to `after`'s.
std::vector<Step> inheritance_steps(const catalog::Object& before, const catalog::Object& after, bool adding);
// Whether `table` lists `parent_name` (as SQL names it) in its INHERITS.
bool inherits_from(const catalog::Object& table, const std::string& parent_name);
// The columns of the tables `column`'s table INHERITS from that have its name
// (it comes from them: their ADD/DROP COLUMN reaches it).
std::vector<std::string> inherited_column_sources(const catalog::Object& column, const catalog::Catalog& catalog);
// An enum that loses or reorders values cannot change in place: it is renamed
// out of the way and created again (recreate_enum_steps), each column of it (or
// of an array of it) is cast through text to the new type (recast_column_step:
// a row holding a removed value fails the cast, so nothing is lost silently),
// and the old type is dropped last (drop_old_enum_step).
std::vector<Step> recreate_enum_steps(const catalog::Object& before, const catalog::Object& after, const DdlContext& context);
Step recast_column_step(const catalog::Object& column, const catalog::Object& type, const DdlContext& context);
Step drop_old_enum_step(const catalog::Object& before);
// True when changing `before` into `after` in place needs the objects that depend on it
// (views, policies, triggers, generated columns, its default) dropped and created again.
bool alter_rebuilds_dependents(const catalog::Object& before, const catalog::Object& after);
// Whether `child` is created as part of its parent's statement (a new table's columns).
bool inlines_into_parent(const std::string& child_kind);
// Creation order among kinds when nothing else decides (foreign keys after tables, ...).
int kind_rank(const catalog::Object& object);

}  // namespace mig::diff
