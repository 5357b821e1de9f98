// The planner and the DDL renderer on hand-built catalog models, without a
// server: what a change becomes, in which order, which part must run outside
// a transaction, and that the down plan (planned the other way, offline) undoes it.
// The case corpus (tests/diff/cases, e2e) stays the proof against PostgreSQL.
#include <catch2/catch.hpp>

#include <algorithm>

#include "catalog/catalog.hpp"
#include "diff/migration_files.hpp"
#include "diff/plan.hpp"

namespace {

using mig::catalog::Catalog;
using mig::catalog::Object;
using nlohmann::json;

// A small model builder, keys and fields as catalog_read makes them.
struct Model {
  Catalog c;
  Model& add(Object o) {
    if (!o.parent.empty()) o.depends.push_back(o.parent);
    c.objects[o.key] = std::move(o);
    return *this;
  }
  Model& schema() { return add({"schema", "schema public", "", "public", json::object(), 0, {}}); }
  Model& table(const std::string& t) {
    return add({"table", "table public." + t, "", "public." + t,
                {{"persistence", "p"}, {"rls", false}, {"force_rls", false}}, 0, {"schema public"}});
  }
  Model& column(const std::string& t, const std::string& c, const std::string& type, bool not_null, int pos) {
    return add({"column", "column public." + t + "." + c, "table public." + t, c,
                {{"type", type}, {"not_null", not_null}, {"identity", ""}}, pos, {}});
  }
  Model& index(const std::string& t, const std::string& name, const std::string& cols) {
    return add({"index", "index public." + name, "table public." + t, "public." + name,
                {{"def", "CREATE INDEX " + name + " ON public." + t + " USING btree (" + cols + ")"}}, 0, {}});
  }
  Model& constraint(const std::string& t, const std::string& name, const std::string& type, const std::string& def,
                    std::vector<std::string> depends = {}) {
    return add({"constraint", "constraint public." + t + "." + name, "table public." + t, name,
                {{"type", type}, {"def", def}}, 0, std::move(depends)});
  }
  Model& view(const std::string& name, const std::string& def, std::vector<std::string> depends) {
    return add({"view", "view public." + name, "", "public." + name, {{"def", def}}, 0, std::move(depends)});
  }
};

Model accounts() {
  Model m;
  m.schema().table("accounts").column("accounts", "id", "bigint", true, 1).column("accounts", "email", "text", true, 2);
  m.constraint("accounts", "accounts_pkey", "p", "PRIMARY KEY (id)", {"column public.accounts.id"});
  return m;
}

std::vector<std::string> sql_of(const std::vector<mig::diff::Step>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.sql);
  return out;
}

std::size_t position_of(const std::vector<std::string>& sql, const std::string& needle) {
  const auto it = std::find_if(sql.begin(), sql.end(), [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  return static_cast<std::size_t>(it - sql.begin());
}

bool has(const std::vector<std::string>& sql, const std::string& needle) { return position_of(sql, needle) < sql.size(); }

}  // namespace

TEST_CASE("planner: the same model plans nothing", "[diff]") {
  CHECK(mig::diff::plan_changes(accounts().c, accounts().c).empty());
}

TEST_CASE("planner: a column added to an existing table, and its down", "[diff]") {
  Model to = accounts();
  to.column("accounts", "name", "text", false, 3);
  const auto up = mig::diff::plan_changes(accounts().c, to.c);
  REQUIRE(up.transactional.size() == 1);
  CHECK(up.transactional[0].sql.find("ALTER TABLE public.accounts ADD COLUMN name text") == 0);
  CHECK(up.separate.empty());
  const auto down = mig::diff::plan_changes(to.c, accounts().c, {false});
  REQUIRE(down.transactional.size() == 1);
  CHECK(down.transactional[0].sql.find("DROP COLUMN name") != std::string::npos);
}

TEST_CASE("planner: an index on an existing table is built concurrently outside the transaction; offline it is not", "[diff]") {
  Model to = accounts();
  to.index("accounts", "accounts_email", "email");
  const auto online = mig::diff::plan_changes(accounts().c, to.c);
  CHECK(online.transactional.empty());
  REQUIRE(online.separate.size() == 1);
  CHECK(online.separate[0].sql.find("CREATE INDEX CONCURRENTLY") == 0);
  CHECK_FALSE(online.separate[0].transactional);
  const auto offline = mig::diff::plan_changes(accounts().c, to.c, {false});
  REQUIRE(offline.transactional.size() == 1);
  CHECK(offline.transactional[0].sql.find("CONCURRENTLY") == std::string::npos);
  // A replay inside one transaction (in the side cache, rolled back) builds the same index plainly.
  CHECK(online.separate[0].in_transaction_sql() == offline.transactional[0].sql);
  CHECK(offline.transactional[0].in_transaction_sql() == offline.transactional[0].sql);
  // Its down drops it (a down plan runs in one transaction).
  const auto down = mig::diff::plan_changes(to.c, accounts().c, {false});
  REQUIRE(down.transactional.size() == 1);
  CHECK(down.transactional[0].sql.find("DROP INDEX") == 0);
}

TEST_CASE("planner: an index on a table the plan creates needs no concurrency", "[diff]") {
  Model from;
  from.schema();
  Model to = accounts();
  to.index("accounts", "accounts_email", "email");
  const auto plan = mig::diff::plan_changes(from.c, to.c);
  CHECK(plan.separate.empty());
  const auto sql = sql_of(plan.transactional);
  REQUIRE(has(sql, "CREATE TABLE public.accounts"));
  REQUIRE(has(sql, "CREATE INDEX accounts_email"));
  CHECK(position_of(sql, "CREATE TABLE public.accounts") < position_of(sql, "CREATE INDEX accounts_email"));
}

TEST_CASE("planner: a view over a retyped column is dropped before the ALTER and created after it", "[diff]") {
  const std::string def = " SELECT accounts.id, accounts.email FROM public.accounts;";
  Model from = accounts();
  from.view("emails", def, {"column public.accounts.id", "column public.accounts.email"});
  Model to = accounts();
  to.c.objects["column public.accounts.email"].fields["type"] = "character varying(320)";
  to.view("emails", def, {"column public.accounts.id", "column public.accounts.email"});
  const auto sql = sql_of(mig::diff::plan_changes(from.c, to.c).transactional);
  REQUIRE(has(sql, "DROP VIEW public.emails"));
  REQUIRE(has(sql, "ALTER COLUMN email TYPE character varying(320)"));
  REQUIRE(has(sql, "CREATE VIEW public.emails"));
  CHECK(position_of(sql, "DROP VIEW") < position_of(sql, "ALTER COLUMN email TYPE"));
  CHECK(position_of(sql, "ALTER COLUMN email TYPE") < position_of(sql, "CREATE VIEW"));
}

TEST_CASE("planner: dropping tables goes against the foreign keys; creating goes with them", "[diff]") {
  Model both = accounts();
  both.table("orders").column("orders", "id", "bigint", true, 1).column("orders", "account_id", "bigint", false, 2);
  both.constraint("orders", "orders_account_fkey", "f", "FOREIGN KEY (account_id) REFERENCES public.accounts(id)",
                  {"column public.orders.account_id", "table public.accounts", "constraint public.accounts.accounts_pkey"});
  Model none;
  none.schema();
  const auto drop = sql_of(mig::diff::plan_changes(both.c, none.c).transactional);
  REQUIRE(has(drop, "DROP TABLE public.orders"));
  REQUIRE(has(drop, "DROP TABLE public.accounts"));
  // The foreign key goes first, so the referenced table can go.
  REQUIRE(has(drop, "DROP CONSTRAINT orders_account_fkey"));
  CHECK(position_of(drop, "DROP CONSTRAINT orders_account_fkey") < position_of(drop, "DROP TABLE public.accounts"));
  const auto create = sql_of(mig::diff::plan_changes(none.c, both.c).transactional);
  REQUIRE(has(create, "orders_account_fkey"));
  CHECK(position_of(create, "CREATE TABLE public.accounts") < position_of(create, "orders_account_fkey"));
}

TEST_CASE("planner: NOT NULL on an existing column goes through a CHECK validated outside the transaction", "[diff]") {
  Model from = accounts();
  from.column("accounts", "name", "text", false, 3);
  Model to = accounts();
  to.column("accounts", "name", "text", true, 3);
  const auto plan = mig::diff::plan_changes(from.c, to.c);
  // Added NOT VALID in the transaction (a brief lock, no scan)...
  const auto transactional = sql_of(plan.transactional);
  REQUIRE(transactional.size() == 1);
  CHECK(transactional[0].find("CHECK (name IS NOT NULL) NOT VALID") != std::string::npos);
  // ...then validated (no writes blocked), SET NOT NULL (uses the valid CHECK, no scan), the CHECK dropped.
  const auto separate = sql_of(plan.separate);
  REQUIRE(separate.size() == 3);
  CHECK(separate[0].find("VALIDATE CONSTRAINT") != std::string::npos);
  CHECK(separate[1].find("SET NOT NULL") != std::string::npos);
  CHECK(separate[2].find("DROP CONSTRAINT IF EXISTS") != std::string::npos);
  // Each of them may run inside a transaction as it is (a replay rolled back runs them so).
  for (const auto& step : plan.separate) CHECK(step.in_transaction_sql() == step.sql);
  // Offline (a down plan, or a new table): one plain SET NOT NULL.
  const auto offline = sql_of(mig::diff::plan_changes(from.c, to.c, {false}).transactional);
  CHECK(has(offline, "SET NOT NULL"));
  CHECK_FALSE(has(offline, "NOT VALID"));
}

TEST_CASE("planner: enum values are added in place (BEFORE/AFTER) or renamed, never by recreating the type", "[diff]") {
  const auto with_labels = [](std::vector<std::string> labels) {
    Model m;
    m.schema().add({"enum", "enum public.state", "", "public.state", {{"labels", labels}}, 0, {"schema public"}});
    return m;
  };
  const auto added = sql_of(mig::diff::plan_changes(with_labels({"new", "paid"}).c, with_labels({"new", "sent", "paid", "void"}).c).transactional);
  CHECK(added == std::vector<std::string>{"ALTER TYPE public.state ADD VALUE 'sent' BEFORE 'paid'",
                                          "ALTER TYPE public.state ADD VALUE 'void' AFTER 'paid'"});
  const auto renamed = sql_of(mig::diff::plan_changes(with_labels({"new", "paid"}).c, with_labels({"new", "settled"}).c).transactional);
  CHECK(renamed == std::vector<std::string>{"ALTER TYPE public.state RENAME VALUE 'paid' TO 'settled'"});
  const auto removed = sql_of(mig::diff::plan_changes(with_labels({"new", "paid"}).c, with_labels({"new"}).c).transactional);
  CHECK_FALSE(has(removed, "ADD VALUE"));
  // No value removal in place: the type is created again beside the old one, which goes last.
  CHECK(removed == std::vector<std::string>{"ALTER TYPE public.state RENAME TO \"state__mig_old\"",
                                            "CREATE TYPE public.state AS ENUM ('new')", "DROP TYPE public.\"state__mig_old\""});
}

TEST_CASE("planner: each statement carries the mig-lint hazards it trips", "[diff]") {
  Model from = accounts();
  from.column("accounts", "name", "text", false, 3);
  const auto statements = mig::diff::planned_statements(mig::diff::plan_changes(from.c, accounts().c));
  REQUIRE(statements.size() == 1);
  CHECK(statements[0].sql.find("DROP COLUMN name") != std::string::npos);
  CHECK(statements[0].hazards == std::vector<std::string>{"ban-drop-column"});
  Model to = accounts();
  to.column("accounts", "name", "text", false, 3);
  const auto safe = mig::diff::planned_statements(mig::diff::plan_changes(accounts().c, to.c));
  REQUIRE(safe.size() == 1);
  CHECK(safe[0].hazards.empty());
}

TEST_CASE("planner: enum values the plan uses commit first (Plan::before); a down plan keeps one transaction", "[diff]") {
  const auto model = [](std::vector<std::string> labels, const std::string& default_label) {
    Model m;
    m.schema().add({"enum", "enum public.state", "", "public.state", {{"labels", labels}}, 0, {"schema public"}});
    m.table("orders").column("orders", "state", "public.state", true, 1);
    m.c.objects["column public.orders.state"].depends.push_back("enum public.state");
    m.add({"default", "default public.orders.state", "column public.orders.state", "state",
           {{"expr", "'" + default_label + "'::public.state"}}, 0, {}});
    return m;
  };
  const auto plan = mig::diff::plan_changes(model({"new", "paid"}, "new").c, model({"draft", "new", "paid", "void"}, "draft").c);
  CHECK(sql_of(plan.before) == std::vector<std::string>{"ALTER TYPE public.state ADD VALUE 'draft' BEFORE 'new'",
                                                        "ALTER TYPE public.state ADD VALUE 'void' AFTER 'paid'"});
  const auto main = sql_of(plan.transactional);
  CHECK_FALSE(has(main, "ADD VALUE"));
  CHECK(has(main, "SET DEFAULT 'draft'::public.state"));
  // Values nobody in the plan uses stay in the transaction.
  const auto unused = mig::diff::plan_changes(model({"new", "paid"}, "new").c, model({"new", "paid", "void"}, "new").c);
  CHECK(unused.before.empty());
  CHECK(has(sql_of(unused.transactional), "ADD VALUE 'void'"));
  // Offline (a down plan): one transaction, nothing before it; the type is
  // created again (its new values usable at once) and the column cast to it.
  const auto offline = mig::diff::plan_changes(model({"new", "paid"}, "new").c, model({"draft", "new", "paid"}, "draft").c, {false});
  CHECK(offline.before.empty());
  const auto offline_sql = sql_of(offline.transactional);
  CHECK_FALSE(has(offline_sql, "ADD VALUE"));
  CHECK(has(offline_sql, "CREATE TYPE public.state AS ENUM ('draft', 'new', 'paid')"));
  CHECK(position_of(offline_sql, "USING state::text::public.state") < position_of(offline_sql, "SET DEFAULT 'draft'"));
}

TEST_CASE("planner: an enum losing a value is created again and its columns cast through text, never dropped", "[diff]") {
  const auto model = [](std::vector<std::string> labels) {
    Model m;
    m.schema().add({"enum", "enum public.state", "", "public.state", {{"labels", labels}}, 0, {"schema public"}});
    m.table("orders").column("orders", "state", "public.state", true, 1).column("orders", "past", "public.state[]", false, 2);
    m.c.objects["column public.orders.state"].depends.push_back("enum public.state");
    m.c.objects["column public.orders.past"].depends.push_back("enum public.state");
    m.add({"default", "default public.orders.state", "column public.orders.state", "state",
           {{"expr", "'new'::public.state"}}, 0, {"enum public.state"}});
    m.view("open_orders", " SELECT orders.state FROM public.orders WHERE (orders.state <> 'void'::public.state);",
           {"column public.orders.state", "enum public.state"});
    return m;
  };
  const auto plan = mig::diff::plan_changes(model({"new", "paid", "void"}).c, model({"new", "paid"}).c);
  CHECK(plan.before.empty());
  CHECK(plan.separate.empty());
  const auto sql = sql_of(plan.transactional);
  CHECK_FALSE(has(sql, "DROP COLUMN"));
  CHECK_FALSE(has(sql, "ADD COLUMN"));
  const auto at = [&](const std::string& needle) { return position_of(sql, needle); };
  CHECK(at("DROP VIEW public.open_orders") < at("RENAME TO \"state__mig_old\""));
  CHECK(at("ALTER COLUMN state DROP DEFAULT") < at("RENAME TO"));
  CHECK(at("RENAME TO") < at("CREATE TYPE public.state AS ENUM ('new', 'paid')"));
  CHECK(at("CREATE TYPE") < at("ALTER TABLE public.orders ALTER COLUMN state TYPE public.state USING state::text::public.state"));
  CHECK(at("CREATE TYPE") < at("ALTER COLUMN past TYPE public.state[] USING past::text[]::public.state[]"));
  CHECK(at("USING state::text") < at("SET DEFAULT 'new'::public.state"));
  CHECK(at("USING state::text") < at("CREATE VIEW public.open_orders"));
  CHECK(sql.back() == "DROP TYPE public.\"state__mig_old\"");
}

TEST_CASE("planner: a parent's DROP COLUMN reaches its children: ONLY when a child keeps the column, IF EXISTS after it", "[diff]") {
  const auto model = [](bool parent_has_b, bool child_has_b) {
    Model m;
    m.schema().table("parent").column("parent", "a", "integer", false, 1);
    if (parent_has_b) m.column("parent", "b", "text", false, 2);
    m.table("child").column("child", "a", "integer", false, 1);
    if (child_has_b) m.column("child", "b", "text", false, 2);
    m.c.objects["table public.child"].fields["inherits"] = json::array({"public.parent"});
    return m;
  };
  // The column moves down to the child: its rows stay there.
  const auto moved = sql_of(mig::diff::plan_changes(model(true, true).c, model(false, true).c).transactional);
  CHECK(moved == std::vector<std::string>{"ALTER TABLE ONLY public.parent DROP COLUMN b"});
  // Dropped from both: the child's copy (its own too, or not) goes after the parent's.
  const auto dropped = sql_of(mig::diff::plan_changes(model(true, true).c, model(false, false).c).transactional);
  CHECK(dropped == std::vector<std::string>{"ALTER TABLE public.parent DROP COLUMN b", "ALTER TABLE public.child DROP COLUMN IF EXISTS b"});
  // Added to both: the parent's ADD reaches the child first.
  const auto added = sql_of(mig::diff::plan_changes(model(false, false).c, model(true, true).c).transactional);
  CHECK(added == std::vector<std::string>{"ALTER TABLE public.parent ADD COLUMN b text", "ALTER TABLE public.child ADD COLUMN IF NOT EXISTS b text"});
}

TEST_CASE("planner: a partition's new bounds and a table's new parents keep the rows (no DROP TABLE)", "[diff]") {
  const auto partitioned = [](const std::string& bound) {
    Model m;
    m.schema().table("events").column("events", "at", "date", true, 1);
    m.c.objects["table public.events"].fields["partition_key"] = "RANGE (at)";
    m.table("events_a");
    m.c.objects["table public.events_a"].fields["partition_of"] = "public.events";
    m.c.objects["table public.events_a"].fields["bound"] = bound;
    m.c.objects["table public.events_a"].depends.push_back("table public.events");
    return m;
  };
  const auto rebound = sql_of(mig::diff::plan_changes(partitioned("FOR VALUES FROM ('2026-01-01') TO ('2026-07-01')").c,
                                                      partitioned("FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')").c)
                                  .transactional);
  CHECK(rebound == std::vector<std::string>{"ALTER TABLE public.events DETACH PARTITION public.events_a",
                                            "ALTER TABLE public.events ATTACH PARTITION public.events_a FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"});
  const auto inheriting = [](std::vector<std::string> parents) {
    Model m;
    m.schema().table("base").column("base", "id", "integer", false, 1).table("audit").column("audit", "note", "text", false, 1);
    m.table("logs").column("logs", "id", "integer", false, 1).column("logs", "note", "text", false, 2);
    if (!parents.empty()) m.c.objects["table public.logs"].fields["inherits"] = parents;
    return m;
  };
  const auto moved = sql_of(mig::diff::plan_changes(inheriting({"public.base"}).c, inheriting({"public.audit"}).c).transactional);
  CHECK(moved == std::vector<std::string>{"ALTER TABLE public.logs NO INHERIT public.base", "ALTER TABLE public.logs INHERIT public.audit"});
}

TEST_CASE("catalog_difference lists only what differs, each side sorted, and leaves out what a comparison says", "[catalog]") {
  Model expected = accounts();
  expected.index("accounts", "accounts_email", "email");
  expected.add({"extension", "extension citext", "", "citext", {{"schema", "public"}, {"version", "1.6"}}, 0, {}});
  Model actual = expected;
  CHECK(mig::catalog::catalog_difference(expected.c, actual.c).empty());

  actual.c.objects["index public.accounts_email"].fields["invalid"] = true;  // a failed CREATE INDEX CONCURRENTLY
  actual.c.objects["extension citext"].fields["version"] = "1.7";
  actual.column("accounts", "name", "text", false, 3);
  expected.column("accounts", "display", "text", false, 3);
  const std::vector<std::string> all = mig::catalog::catalog_difference(expected.c, actual.c);
  REQUIRE(all.size() == 6);
  CHECK(all[0].rfind("- column public.accounts.display ", 0) == 0);
  CHECK(all[1] == "- extension citext {\"schema\":\"public\",\"version\":\"1.6\"}");
  CHECK(all[2].rfind("- index public.accounts_email {", 0) == 0);
  CHECK(all[3].rfind("+ column public.accounts.name ", 0) == 0);
  CHECK(all[4] == "+ extension citext {\"schema\":\"public\",\"version\":\"1.7\"}");
  CHECK(all[5].find("\"invalid\":true") != std::string::npos);

  // As a down is held to it: validity and extension versions left out, the columns still differ.
  const std::vector<std::string> down = mig::catalog::catalog_difference(expected.c, actual.c, mig::catalog::Comparison{false, false});
  REQUIRE(down.size() == 2);
  CHECK(down[0].rfind("- column public.accounts.display ", 0) == 0);
  CHECK(down[1].rfind("+ column public.accounts.name ", 0) == 0);
  // The same as comparing the trimmed copies.
  CHECK(down == mig::catalog::catalog_difference(mig::catalog::without_extension_versions(mig::catalog::with_indexes_valid(expected.c)),
                                                 mig::catalog::without_extension_versions(mig::catalog::with_indexes_valid(actual.c))));
}
