// Which objects to drop, change in place, or create, and in what order.
//
// Drops spread to everything that depends on a dropped object in `from`
// (pg_depend), unless the object's new version no longer depends on it (a
// column moved off an enum that goes away is altered, not dropped). Objects
// dropped only because something they need was recreated are created again.
// Order: a topological sort of the actions, drops first where nothing forbids.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "catalog/catalog.hpp"
#include "diff/ddl.hpp"
#include "diff/plan.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;
using catalog::Object;
using nlohmann::json;

struct Action {
  bool drop = false;
  int rank = 0;
  std::string key;
  std::vector<Step> steps;
};

bool depends_on(const Object& object, const std::string& key) {
  return std::find(object.depends.begin(), object.depends.end(), key) != object.depends.end();
}

// Kinds that block ALTER COLUMN ... TYPE while they depend on the column.
bool blocks_type_change(const std::string& kind) {
  return kind == "view" || kind == "matview" || kind == "policy" || kind == "trigger" || kind == "column" || kind == "default";
}

// Changes in place that leave what the old version needed: a column's new
// type, a default's new expression, a sequence owned by another column, a
// partition's own default set again after its parent's changed, a table that
// leaves a parent (NO INHERIT) or a partition that moves to another (DETACH, ATTACH).
bool alter_moves_dependencies(const Object& before, const Object& after) {
  if (before.kind == "default" || before.kind == "sequence-owner" || before.kind == "partition-column") return true;
  if (before.kind == "table") {
    for (const char* moved : {"inherits", "partition_of"}) {
      if (before.fields.value(moved, json()) != after.fields.value(moved, json())) return true;
    }
  }
  return before.kind == "column" && alter_rebuilds_dependents(before, after);
}

class Planner {
 public:
  Planner(const Catalog& from, const Catalog& to, const PlanOptions& options, std::set<std::string> recast_enums)
      : from_(from), to_(to), options_(options), forced_recasts_(std::move(recast_enums)),
        context_{from, to, created_, options.online} {
    for (const auto& [key, object] : from_.objects) {
      for (const std::string& d : object.depends) dependents_[d].push_back(key);
    }
  }

  Plan plan() {
    decide_drops();
    for (const auto& [key, object] : to_.objects) {
      if (!from_.find(key) || dropped_.count(key)) created_.insert(key);
    }
    build_drop_actions();
    build_alter_actions();
    build_create_actions();
    build_inheritance_actions();
    build_old_enum_drops();
    return split(sorted());
  }

 private:
  void decide_drops() {
    std::vector<std::string> rebuild;
    for (const auto& [key, before] : from_.objects) {
      const Object* after = to_.find(key);
      if (!after) {
        mark_dropped(key);
      } else if (before.fields != after->fields) {
        if (forced_recasts_.count(key)) {
          recast_enum(key, rebuild);
        } else if (!alter_steps(before, *after, context_)) {
          if (before.kind == "enum") {
            recast_enum(key, rebuild);
          } else {
            mark_dropped(key);
          }
        } else if (alter_rebuilds_dependents(before, *after)) {
          for (const std::string& d : dependents_[key]) {
            if (blocks_type_change(from_.objects.at(d).kind)) rebuild.push_back(d);
          }
        }
      }
    }
    for (const std::string& key : rebuild) mark_dropped(key);
  }

  // An enum that loses or reorders values is created again under its name;
  // its columns are cast to the new type through text instead of being dropped
  // (they hold data), with what blocks a type change rebuilt around them (views,
  // defaults, foreign keys, ...). Everything else that names the type (functions, domains,
  // CHECKs, partial indexes) is dropped and created again: the old type goes.
  void recast_enum(const std::string& key, std::vector<std::string>& rebuild) {
    recast_enums_.insert(key);
    for (const std::string& d : dependents_[key]) {
      const Object& dependent = from_.objects.at(d);
      if (dependent.kind == "column" && to_.find(d)) {
        recast_columns_[d] = key;
        for (const std::string& dd : dependents_[d]) {
          const Object& o = from_.objects.at(dd);
          // A foreign key between two recast columns cannot hold while only one is cast.
          const bool foreign_key = o.kind == "constraint" && o.fields.value("type", "") == "f";
          if (blocks_type_change(o.kind) || foreign_key) rebuild.push_back(dd);
        }
      } else {
        rebuild.push_back(d);
      }
    }
  }

  // Drops `key` and, through pg_depend, what cannot outlive it. A dependent
  // that is changed in place into a version that no longer needs `key` (a
  // column moved off an enum that goes away) is released by its ALTER instead.
  void mark_dropped(const std::string& key) {
    if (!dropped_.insert(key).second) return;
    for (const std::string& d : dependents_[key]) {
      const Object& dependent = from_.objects.at(d);
      const Object* after = to_.find(d);
      const bool released = after && dependent.parent != key && !depends_on(*after, key) && !dropped_.count(d) &&
                            dependent.fields != after->fields && alter_moves_dependencies(dependent, *after) &&
                            alter_steps(dependent, *after, context_);
      if (!released) mark_dropped(d);
    }
  }

  bool ancestor_dropped(const Object& object) const {
    for (const Object* o = from_.find(object.parent); o; o = from_.find(o->parent)) {
      if (dropped_.count(o->key)) return true;
    }
    return false;
  }

  std::string top_of(const Object& object) const {
    const Object* top = &object;
    while (const Object* p = from_.find(top->parent)) top = p;
    return top->key;
  }

  // A foreign key between two dropped tables is dropped first, on its own:
  // otherwise each table's DROP waits for the other.
  bool explicit_drop(const Object& object) const {
    if (!ancestor_dropped(object)) return true;
    if (object.kind != "constraint" || object.fields.value("type", "") != "f") return false;
    for (const std::string& d : object.depends) {
      const Object* target = from_.find(d);
      if (target && dropped_.count(d) && top_of(*target) != top_of(object)) return true;
    }
    return false;
  }

  // Implied drops belong to the action of the nearest explicitly dropped ancestor.
  int drop_action_of(const std::string& key) const {
    for (const Object* o = from_.find(key); o; o = from_.find(o->parent)) {
      auto it = drop_action_.find(o->key);
      if (it != drop_action_.end()) return it->second;
    }
    return -1;
  }

  void build_drop_actions() {
    for (const std::string& key : dropped_) {
      const Object& object = from_.objects.at(key);
      if (!explicit_drop(object)) continue;
      drop_action_[key] = add({true, 100 - kind_rank(object), key, drop_steps(object, context_)});
    }
    for (const std::string& key : dropped_) {
      const int a = drop_action_of(key);
      const Object& object = from_.objects.at(key);
      for (const std::string& d : object.depends) {
        if (dropped_.count(d)) edge(a, drop_action_of(d));
      }
      if (object.kind != "column") continue;
      for (const std::string& source : inherited_column_sources(object, from_)) {
        if (dropped_.count(source)) edge(drop_action_of(source), a);  // the parent's drop reaches it first
      }
    }
  }

  // The steps that change `before` into `after` in place (an enum recast, a
  // column cast to its recast enum), or nullopt when nothing changes.
  std::optional<std::vector<Step>> change_steps(const Object& before, const Object& after) const {
    if (recast_enums_.count(before.key)) return recreate_enum_steps(before, after, context_);
    auto recast = recast_columns_.find(before.key);
    const bool retyped = recast != recast_columns_.end() && recast_enums_.count(recast->second) &&
                         !dropped_.count(recast->second) && before.fields.value("type", "") == after.fields.value("type", "");
    if (before.fields == after.fields && !retyped) return std::nullopt;
    std::vector<Step> steps;
    if (retyped) steps.push_back(recast_column_step(after, to_.objects.at(recast->second), context_));
    if (before.fields == after.fields) return steps;
    auto rest = alter_steps(before, after, context_);
    if (!rest) throw std::logic_error("no in-place change for " + before.key);
    steps.insert(steps.end(), rest->begin(), rest->end());
    return steps;
  }

  // A table whose INHERITS list changes keeps its rows: it leaves its old
  // parents first (NO INHERIT, before their columns go, so it keeps its copies)
  // and joins its new ones last (INHERIT, once it and they have the columns).
  void build_inheritance_actions() {
    for (const auto& [key, before] : from_.objects) {
      const Object* after = to_.find(key);
      if (before.kind != "table" || !after || dropped_.count(key)) continue;
      if (before.fields.value("inherits", json()) == after->fields.value("inherits", json())) continue;
      const auto leave = inheritance_steps(before, *after, false);
      const auto join = inheritance_steps(before, *after, true);
      if (!leave.empty()) {
        const int a = add({true, 0, "leave " + key, leave});
        for (const std::string& d : dropped_) {
          const Object& gone = from_.objects.at(d);
          const Object* table = gone.kind == "table" ? &gone : from_.find(gone.parent);
          if (table && table->kind == "table" && inherits_from(before, table->name)) edge(a, drop_action_of(d));
        }
      }
      if (join.empty()) continue;
      const int a = add({false, 1000, "join " + key, join});
      for (const auto& [k, action] : new_action_) {
        const Object& o = to_.objects.at(k);
        const Object* owner = to_.find(o.parent);
        const bool of_table = o.parent == key || (owner && owner->parent == key);
        const bool of_new_parent = k.rfind("table ", 0) == 0 ? inherits_from(*after, o.name)
                                                              : owner && owner->kind == "table" && inherits_from(*after, owner->name);
        if (of_table || of_new_parent) edge(action, a);
      }
    }
  }

  // After every column of a recast enum has moved to the new type.
  void build_old_enum_drops() {
    for (const std::string& key : recast_enums_) {
      if (dropped_.count(key)) continue;
      const int a = add({false, 1000, "old " + key, {drop_old_enum_step(from_.objects.at(key))}});
      edge(new_action_.at(key), a);
      for (const auto& [column, type] : recast_columns_) {
        auto it = new_action_.find(column);
        if (type == key && it != new_action_.end()) edge(it->second, a);
      }
    }
  }

  void build_alter_actions() {
    for (const auto& [key, before] : from_.objects) {
      const Object* after = to_.find(key);
      if (!after || dropped_.count(key)) continue;
      auto steps = change_steps(before, *after);
      if (!steps) continue;
      if (steps->empty()) continue;
      const int a = add({false, kind_rank(*after), key, *steps});
      new_action_[key] = a;
      for (const std::string& d : before.depends) {
        if (!dropped_.count(d)) continue;
        // Released before it goes; but a partition's own default is set again
        // after its parent's default goes (the parent's DROP DEFAULT reaches it).
        if (before.kind == "partition-column") {
          edge(drop_action_of(d), a);
        } else {
          edge(a, drop_action_of(d));
        }
      }
      for (const std::string& d : dependents_[key]) {
        if (dropped_.count(d)) edge(drop_action_of(d), a);  // out of the way first
      }
    }
  }

  // The object whose statement creates `key`: itself, or the new table it is a column of.
  std::string creator_of(const std::string& key) const {
    const Object& object = to_.objects.at(key);
    if (inlines_into_parent(object.kind) && created_.count(object.parent)) return creator_of(object.parent);
    return key;
  }

  void build_create_actions() {
    std::map<std::string, std::vector<const Object*>> inlined;
    for (const std::string& key : created_) {
      const std::string creator = creator_of(key);
      if (creator != key) inlined[creator].push_back(&to_.objects.at(key));
    }
    for (const std::string& key : created_) {
      if (creator_of(key) != key) continue;
      const Object& object = to_.objects.at(key);
      new_action_[key] = add({false, kind_rank(object), key, create_steps(object, inlined[key], context_)});
    }
    for (const std::string& key : created_) new_action_[key] = new_action_.at(creator_of(key));
    for (const auto& [key, a] : new_action_) {
      for (const std::string& d : to_.objects.at(key).depends) {
        auto it = new_action_.find(d);
        if (it != new_action_.end()) edge(it->second, a);
      }
      if (dropped_.count(key)) edge(drop_action_of(key), a);
      const Object& object = to_.objects.at(key);
      if (object.kind != "column" || !created_.count(key)) continue;
      for (const std::string& source : inherited_column_sources(object, to_)) {
        auto it = new_action_.find(source);
        if (it != new_action_.end()) edge(it->second, a);  // the parent's ADD COLUMN reaches it first
      }
    }
  }

  int add(Action action) {
    actions_.push_back(std::move(action));
    after_.emplace_back();
    return static_cast<int>(actions_.size()) - 1;
  }

  void edge(int first, int then) {
    if (first >= 0 && then >= 0 && first != then) after_[first].insert(then);
  }

  // Kahn's algorithm; among the ready, drops first, then by kind, then by key.
  // A cycle (which pg_depend should not allow) is broken at its first action.
  std::vector<int> sorted() const {
    const int n = static_cast<int>(actions_.size());
    std::vector<int> waiting(n, 0);
    for (int a = 0; a < n; ++a) {
      for (int b : after_[a]) ++waiting[b];
    }
    using Key = std::tuple<int, int, std::string, int>;
    auto key_of = [&](int a) { return Key{actions_[a].drop ? 0 : 1, actions_[a].rank, actions_[a].key, a}; };
    std::priority_queue<Key, std::vector<Key>, std::greater<Key>> ready;
    std::vector<bool> done(n, false);
    for (int a = 0; a < n; ++a) {
      if (waiting[a] == 0) ready.push(key_of(a));
    }
    std::vector<int> order;
    while (static_cast<int>(order.size()) < n) {
      if (ready.empty()) {
        std::set<Key> rest;
        for (int a = 0; a < n; ++a) {
          if (!done[a] && waiting[a] > 0) rest.insert(key_of(a));
        }
        const int a = std::get<3>(*rest.begin());
        waiting[a] = 0;
        ready.push(key_of(a));
      }
      const int a = std::get<3>(ready.top());
      ready.pop();
      if (done[a]) continue;
      done[a] = true;
      order.push_back(a);
      for (int b : after_[a]) {
        if (--waiting[b] == 0 && !done[b]) ready.push(key_of(b));
      }
    }
    return order;
  }

  // What can run in one transaction first; an action that starts outside one
  // (CREATE INDEX CONCURRENTLY) and everything that needs it run after.
  Plan split(const std::vector<int>& order) const {
    Plan plan;
    std::vector<bool> late(actions_.size(), false);
    for (int a : order) {
      const auto& steps = actions_[a].steps;
      if (!steps.empty() && !steps.front().transactional) late[a] = true;
      bool in_transaction = !late[a];
      for (const Step& s : steps) {
        if (!s.transactional) in_transaction = false;
        (in_transaction ? plan.transactional : plan.separate).push_back(s);
      }
      if (late[a]) {
        for (int b : after_[a]) late[b] = true;
      }
    }
    if (creates_sql_function()) {
      // LANGUAGE sql bodies are checked at CREATE time; the tables they read may come later.
      plan.transactional.insert(plan.transactional.begin(), {"SET LOCAL check_function_bodies = off"});
    }
    if (options_.online) commit_used_enum_values_first(plan);
    return plan;
  }

  // "unsafe use of new value": a value added by ALTER TYPE ... ADD VALUE cannot
  // be used before its transaction commits. When another step names a new
  // value (its literal appears in the SQL: a default, a view, a CHECK), every
  // value added to that type moves to Plan::before, in order, so each commits first.
  static void commit_used_enum_values_first(Plan& plan) {
    const std::set<std::string> used_types = enums_using_new_values(plan);
    if (used_types.empty()) return;
    std::vector<Step> rest;
    for (Step& s : plan.transactional) (used_types.count(s.enum_type) ? plan.before : rest).push_back(std::move(s));
    plan.transactional = std::move(rest);
  }

  bool creates_sql_function() const {
    for (const auto& [key, a] : new_action_) {
      const Object& o = to_.objects.at(key);
      if (o.kind == "function" && o.fields.value("language", "") == "sql") return true;
    }
    return false;
  }

  const Catalog& from_;
  const Catalog& to_;
  PlanOptions options_;
  std::set<std::string> forced_recasts_;  // enum keys recast even when values are only added
  std::set<std::string> dropped_, created_, recast_enums_;
  std::map<std::string, std::string> recast_columns_;  // column key -> the recast enum's key
  DdlContext context_;
  std::map<std::string, std::vector<std::string>> dependents_;
  std::map<std::string, int> drop_action_, new_action_;
  std::vector<Action> actions_;
  std::vector<std::set<int>> after_;
};

}  // namespace

std::set<std::string> enums_using_new_values(const Plan& plan) {
  std::set<std::string> used_types;
  const auto named_elsewhere = [&](const Step& added) {
    for (const auto* part : {&plan.before, &plan.transactional, &plan.separate}) {
      for (const Step& s : *part) {
        if (&s != &added && s.enum_type.empty() && s.sql.find(added.enum_literal) != std::string::npos) return true;
      }
    }
    return false;
  };
  for (const auto* part : {&plan.before, &plan.transactional}) {
    for (const Step& s : *part) {
      if (!s.enum_type.empty() && named_elsewhere(s)) used_types.insert(s.enum_type);
    }
  }
  return used_types;
}

// A plan in one transaction (a down) cannot commit added values first: an enum
// whose new values it uses is recast instead (created again, columns cast).
Plan plan_changes(const Catalog& from, const Catalog& to, const PlanOptions& options) {
  Plan plan = Planner(from, to, options, {}).plan();
  if (options.online) return plan;
  std::set<std::string> recast;
  for (const std::string& type : enums_using_new_values(plan)) recast.insert("enum " + type);
  return recast.empty() ? plan : Planner(from, to, options, recast).plan();
}

}  // namespace mig::diff
