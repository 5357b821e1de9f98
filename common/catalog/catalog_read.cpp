// The catalog queries: one round trip reads every object, the aliases that
// pg_depend uses for them (row types, array types, view rules), the
// dependencies, the comments, and what the model does not cover.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <iterator>
#include <map>
#include <tuple>

#include "catalog/catalog.hpp"
#include "pg/db.hpp"
#include "base/errors.hpp"

namespace mig::catalog {
namespace {

// Schemas, relations and types of the user: not system, not extension members,
// not what mig itself keeps (%HISTORY%, any other table shaped like a mig history
// table whatever its name, the seed_history beside one) or what belongs to it,
// nor a schema other than public that holds only mig's tables (mig-apply --schema meta).
const char* kScope = R"SQL(
WITH history AS (
  SELECT c.oid, c.relnamespace FROM pg_catalog.pg_class c
  WHERE c.relkind = 'r' AND (c.oid = pg_catalog.to_regclass(%HISTORY%)
    OR (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname IN ('version', 'name', 'checksum', 'status', 'batch', 'applied_at', 'execution_ms', 'applied_by', 'backup_id')) = 9)
), owned AS (
  SELECT oid, relnamespace FROM history
  UNION
  SELECT c.oid, c.relnamespace FROM pg_catalog.pg_class c JOIN history h ON h.relnamespace = c.relnamespace
  WHERE c.relkind = 'r' AND c.relname = 'seed_history'
), ns AS (
  SELECT n.oid, quote_ident(n.nspname) AS q FROM pg_catalog.pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
    AND n.nspname NOT LIKE 'pg\_temp\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_namespace'::regclass
                    AND d.objid = n.oid AND d.deptype = 'e')
    AND NOT (n.nspname <> 'public' AND EXISTS (SELECT 1 FROM owned WHERE owned.relnamespace = n.oid)
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
                             AND c.oid NOT IN (SELECT oid FROM owned))
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid)
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typtype IN ('e', 'd', 'r', 'm', 'b')
                             AND t.typcategory <> 'A'))
), rel AS (
  SELECT c.oid, c.relkind, c.relispartition, c.relowner, c.relacl, c.reloptions, ns.q || '.' || quote_ident(c.relname) AS q,
         CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'matview ' WHEN 'S' THEN 'sequence ' ELSE 'table ' END
           || ns.q || '.' || quote_ident(c.relname) AS key
  FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
    AND c.oid NOT IN (SELECT oid FROM owned)
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                    AND d.objsubid = 0 AND (d.deptype IN ('e', 'i') OR d.refobjid IN (SELECT oid FROM owned)))
), typ AS (
  SELECT t.oid, t.typtype, ns.q || '.' || quote_ident(t.typname) AS q, t.typbasetype, t.typtypmod, t.typnotnull,
         t.typdefault, t.typcollation
  FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
), col AS (
  SELECT a.*, rel.q AS tq, rel.key AS tkey, 'column ' || rel.q || '.' || quote_ident(a.attname) AS key
  FROM pg_catalog.pg_attribute a JOIN rel ON rel.oid = a.attrelid
  WHERE rel.relkind IN ('r', 'p') AND NOT rel.relispartition AND a.attnum > 0 AND NOT a.attisdropped
)
)SQL";

const char* kObjects = R"SQL(
SELECT 'schema', 'schema ' || q, '', q, 'pg_catalog.pg_namespace'::regclass::oid, oid, 0, 0, '{}'::json, '{}'::text[] FROM ns
UNION ALL
SELECT 'extension', 'extension ' || quote_ident(e.extname), '', quote_ident(e.extname), 'pg_catalog.pg_extension'::regclass::oid, e.oid, 0, 0,
       json_build_object('schema', quote_ident(n.nspname), 'version', e.extversion), '{}'
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
UNION ALL
SELECT 'enum', 'enum ' || q, '', q, 'pg_catalog.pg_type'::regclass::oid, oid, 0, 0,
       json_build_object('labels', (SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_catalog.pg_enum WHERE enumtypid = typ.oid)), '{}'
FROM typ WHERE typtype = 'e'
UNION ALL
SELECT 'composite', 'composite ' || typ.q, '', typ.q, 'pg_catalog.pg_class'::regclass::oid, t.typrelid, 0, 0,
       json_build_object('attributes', (
         SELECT json_agg(json_build_object('name', quote_ident(a.attname), 'type', format_type(a.atttypid, a.atttypmod),
                  'collation', (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
                                JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                WHERE co.oid = a.attcollation AND a.attcollation <> at.typcollation)) ORDER BY a.attnum)
         FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)), '{}'
FROM typ JOIN pg_catalog.pg_type t ON t.oid = typ.oid JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
WHERE typ.typtype = 'c' AND c.relkind = 'c'
UNION ALL
SELECT 'domain', 'domain ' || q, '', q, 'pg_catalog.pg_type'::regclass::oid, oid, 0, 0,
       json_build_object('type', format_type(typbasetype, typtypmod), 'not_null', typnotnull, 'default', typdefault,
         'collation', (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
                       JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                       WHERE co.oid = typ.typcollation AND typ.typcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = typ.typbasetype))),
       '{}'
FROM typ WHERE typtype = 'd'
UNION ALL
SELECT 'domain-constraint', 'domain-constraint ' || typ.q || '.' || quote_ident(c.conname), 'domain ' || typ.q, quote_ident(c.conname),
       'pg_catalog.pg_constraint'::regclass::oid, c.oid, 0, 0, json_build_object('def', pg_get_constraintdef(c.oid)), '{}'
FROM pg_catalog.pg_constraint c JOIN typ ON typ.oid = c.contypid
UNION ALL
SELECT 'sequence', rel.key, '', rel.q, 'pg_catalog.pg_class'::regclass::oid, rel.oid, 0, 0,
       json_build_object('type', format_type(s.seqtypid, NULL), 'start', s.seqstart, 'increment', s.seqincrement,
                         'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache, 'cycle', s.seqcycle), '{}'
FROM rel JOIN pg_catalog.pg_sequence s ON s.seqrelid = rel.oid
UNION ALL
SELECT 'sequence-owner', 'sequence-owner ' || rel.q, rel.key, rel.q, 0::oid, 0::oid, 0, 0,
       json_build_object('column', col.tq || '.' || quote_ident(col.attname)), ARRAY[col.key]
FROM rel JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = rel.oid AND d.deptype = 'a'
     AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjsubid > 0
     JOIN col ON col.attrelid = d.refobjid AND col.attnum = d.refobjsubid
WHERE rel.relkind = 'S'
UNION ALL
SELECT 'table', rel.key, '', rel.q, 'pg_catalog.pg_class'::regclass::oid, rel.oid, 0, 0,
       json_build_object('persistence', c.relpersistence, 'partition_key', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
         'partition_of', (SELECT p.q FROM pg_catalog.pg_inherits i JOIN rel p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid AND c.relispartition),
         'bound', pg_get_expr(c.relpartbound, c.oid),
         'inherits', (SELECT json_agg(p.q ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i JOIN rel p ON p.oid = i.inhparent
                      WHERE i.inhrelid = c.oid AND NOT c.relispartition),
         'options', to_json(c.reloptions), 'rls', c.relrowsecurity, 'force_rls', c.relforcerowsecurity), '{}'
FROM rel JOIN pg_catalog.pg_class c ON c.oid = rel.oid WHERE rel.relkind IN ('r', 'p')
UNION ALL
SELECT 'column', col.key, col.tkey, quote_ident(col.attname), 'pg_catalog.pg_class'::regclass::oid, col.attrelid, col.attnum, col.attnum,
       json_build_object('type', format_type(col.atttypid, col.atttypmod),
         'collation', (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co
                       JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                       WHERE co.oid = col.attcollation AND col.attcollation <> t.typcollation),
         'not_null', col.attnotnull, 'identity', col.attidentity,
         'identity_options', (SELECT json_build_object('start', s.seqstart, 'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
                                                        'cache', s.seqcache, 'cycle', s.seqcycle)
                              FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_sequence s ON s.seqrelid = d.objid
                              WHERE col.attidentity <> '' AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = col.attrelid
                                AND d.refobjsubid = col.attnum AND d.deptype = 'i' AND d.classid = 'pg_catalog.pg_class'::regclass),
         'generated', (SELECT pg_get_expr(ad.adbin, ad.adrelid) FROM pg_catalog.pg_attrdef ad
                       WHERE col.attgenerated = 's' AND ad.adrelid = col.attrelid AND ad.adnum = col.attnum),
         'storage', CASE WHEN col.attstorage <> t.typstorage THEN col.attstorage::text || '/' || t.typstorage::text END), '{}'
FROM col JOIN pg_catalog.pg_type t ON t.oid = col.atttypid
UNION ALL
SELECT 'default', 'default ' || col.tq || '.' || quote_ident(col.attname), col.key, quote_ident(col.attname),
       'pg_catalog.pg_attrdef'::regclass::oid, ad.oid, 0, 0, json_build_object('expr', pg_get_expr(ad.adbin, ad.adrelid)), '{}'
FROM col JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = col.attrelid AND ad.adnum = col.attnum WHERE col.attgenerated = ''
UNION ALL
SELECT 'partition-column', 'partition-column ' || rel.q || '.' || quote_ident(a.attname), rel.key, quote_ident(a.attname),
       0::oid, 0::oid, 0, 0,
       json_build_object('of', p.q, 'default', pg_get_expr(ad.adbin, ad.adrelid), 'not_null', a.attnotnull AND NOT pa.attnotnull,
                         'parent_default', pg_get_expr(pd.adbin, pd.adrelid)),
       ARRAY['column ' || p.q || '.' || quote_ident(a.attname)]
         || CASE WHEN pd.oid IS NULL THEN '{}'::text[] ELSE ARRAY['default ' || p.q || '.' || quote_ident(a.attname)] END
FROM rel JOIN pg_catalog.pg_inherits i ON i.inhrelid = rel.oid JOIN rel p ON p.oid = i.inhparent
     JOIN pg_catalog.pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
                                    AND a.attgenerated = '' AND a.attidentity = ''
     JOIN pg_catalog.pg_attribute pa ON pa.attrelid = p.oid AND pa.attname = a.attname
     LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     LEFT JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
WHERE rel.relispartition
  AND (pg_get_expr(ad.adbin, ad.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid) OR (a.attnotnull AND NOT pa.attnotnull))
UNION ALL
SELECT 'constraint', 'constraint ' || rel.q || '.' || quote_ident(c.conname), rel.key, quote_ident(c.conname),
       'pg_catalog.pg_constraint'::regclass::oid, c.oid, 0, 0, json_build_object('type', c.contype, 'def', pg_get_constraintdef(c.oid)), '{}'
FROM pg_catalog.pg_constraint c JOIN rel ON rel.oid = c.conrelid
WHERE c.contype IN ('p', 'u', 'c', 'f', 'x') AND c.conparentid = 0 AND c.coninhcount = 0
UNION ALL
SELECT 'index', 'index ' || ns.q || '.' || quote_ident(ic.relname), rel.key, ns.q || '.' || quote_ident(ic.relname),
       'pg_catalog.pg_class'::regclass::oid, ic.oid, 0, 0,
       json_build_object('def', pg_get_indexdef(ic.oid), 'invalid', CASE WHEN NOT i.indisvalid THEN true END), '{}'
FROM pg_catalog.pg_index i JOIN rel ON rel.oid = i.indrelid JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
     JOIN ns ON ns.oid = ic.relnamespace
WHERE NOT ic.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = ic.oid AND c.contype IN ('p', 'u', 'x') AND c.conrelid = rel.oid)
UNION ALL
SELECT CASE rel.relkind WHEN 'v' THEN 'view' ELSE 'matview' END, rel.key, '', rel.q, 'pg_catalog.pg_class'::regclass::oid, rel.oid, 0, 0,
       json_build_object('def', pg_get_viewdef(rel.oid), 'options', to_json(rel.reloptions)), '{}'
FROM rel WHERE rel.relkind IN ('v', 'm')
UNION ALL
SELECT 'function', 'function ' || ns.q || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', '',
       ns.q || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       'pg_catalog.pg_proc'::regclass::oid, p.oid, 0, 0,
       json_build_object('def', pg_get_functiondef(p.oid), 'result', pg_get_function_result(p.oid), 'args', pg_get_function_arguments(p.oid),
                         'kind', p.prokind, 'language', l.lanname), '{}'
FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger', 'trigger ' || rel.q || '.' || quote_ident(t.tgname), rel.key, quote_ident(t.tgname), 'pg_catalog.pg_trigger'::regclass::oid, t.oid, 0, 0,
       json_build_object('def', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled), '{}'
FROM pg_catalog.pg_trigger t JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL
SELECT 'policy', 'policy ' || rel.q || '.' || quote_ident(p.polname), rel.key, quote_ident(p.polname), 'pg_catalog.pg_policy'::regclass::oid, p.oid, 0, 0,
       json_build_object('command', p.polcmd, 'permissive', p.polpermissive,
         'roles', (SELECT json_agg(CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_catalog.pg_get_userbyid(r)) END ORDER BY 1)
                   FROM unnest(p.polroles) r),
         'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)), '{}'
FROM pg_catalog.pg_policy p JOIN rel ON rel.oid = p.polrelid
UNION ALL
SELECT 'grant', 'grant ' || rel.key || ' ' || g.who || ' ' || a.privilege_type, rel.key, rel.q, 0::oid, 0::oid, 0, 0,
       json_build_object('grantee', g.who, 'privilege', a.privilege_type, 'grantable', a.is_grantable), '{}'
FROM rel, aclexplode(rel.relacl) a,
     LATERAL (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS who) g
WHERE a.grantee <> rel.relowner
UNION ALL
SELECT 'grant', 'grant schema ' || ns.q || ' ' || g.who || ' ' || a.privilege_type, 'schema ' || ns.q, ns.q, 0::oid, 0::oid, 0, 0,
       json_build_object('grantee', g.who, 'privilege', a.privilege_type, 'grantable', a.is_grantable), '{}'
FROM ns JOIN pg_catalog.pg_namespace n ON n.oid = ns.oid, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a,
     LATERAL (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS who) g
WHERE a.grantee <> n.nspowner
UNION ALL
SELECT 'grant', 'grant function ' || f.sig || ' ' || g.who || ' ' || a.privilege_type, 'function ' || f.sig, f.sig, 0::oid, 0::oid, 0, 0,
       json_build_object('grantee', g.who, 'privilege', a.privilege_type, 'grantable', a.is_grantable), '{}'
FROM (SELECT p.proacl, p.proowner, ns.q || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS sig
      FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
      WHERE p.prokind IN ('f', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                        AND d.deptype = 'e')) f,
     aclexplode(coalesce(f.proacl, acldefault('f', f.proowner))) a,
     LATERAL (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS who) g
WHERE a.grantee <> f.proowner
UNION ALL
SELECT 'grant', 'grant ' || col.key || ' ' || g.who || ' ' || a.privilege_type, col.key, quote_ident(col.attname), 0::oid, 0::oid, 0, 0,
       json_build_object('grantee', g.who, 'privilege', a.privilege_type, 'grantable', a.is_grantable), '{}'
FROM col JOIN rel ON rel.oid = col.attrelid, aclexplode(col.attacl) a,
     LATERAL (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS who) g
WHERE a.grantee <> rel.relowner
)SQL";

// Other names pg_depend knows an object by: a relation's row type, an array
// type, a view's rewrite rule, a constraint's index, a generated column's expression.
const char* kAliases = R"SQL(
SELECT 'pg_catalog.pg_type'::regclass::oid, t.oid, 'pg_catalog.pg_class'::regclass::oid, t.typrelid, 0 FROM pg_catalog.pg_type t
WHERE t.typrelid <> 0 AND t.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_type'::regclass, t.typarray, 'pg_catalog.pg_type'::regclass, t.oid, 0 FROM pg_catalog.pg_type t
WHERE t.typarray <> 0 AND t.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_rewrite'::regclass, r.oid, 'pg_catalog.pg_class'::regclass, r.ev_class, 0 FROM pg_catalog.pg_rewrite r
WHERE r.rulename = '_RETURN' AND r.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_class'::regclass, c.conindid, 'pg_catalog.pg_constraint'::regclass, c.oid, 0 FROM pg_catalog.pg_constraint c
WHERE c.contype IN ('p', 'u', 'x') AND c.conindid <> 0 AND c.oid >= 16384
UNION ALL
SELECT 'pg_catalog.pg_attrdef'::regclass, d.oid, 'pg_catalog.pg_class'::regclass, d.adrelid, d.adnum FROM pg_catalog.pg_attrdef d
JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attgenerated <> '' AND d.oid >= 16384
)SQL";

const char* kDependencies = R"SQL(
SELECT classid, objid, objsubid, refclassid, refobjid, refobjsubid FROM pg_catalog.pg_depend
WHERE deptype IN ('n', 'a') AND objid >= 16384 AND refobjid >= 16384
)SQL";

const char* kComments = R"SQL(
SELECT d.classoid, d.objoid, d.objsubid, d.description, quote_ident(a.attname)
FROM pg_catalog.pg_description d
LEFT JOIN pg_catalog.pg_attribute a ON d.classoid = 'pg_catalog.pg_class'::regclass AND a.attrelid = d.objoid AND a.attnum = d.objsubid
WHERE d.objoid >= 16384
)SQL";

// What the model does not cover, so a diff can say so instead of ignoring it:
// rows of kObjects' shape (kind 'unsupported', the description as its key), read
// in the same statement so the scope above is worked out once.
const char* kUnsupported = R"SQL(
UNION ALL
SELECT 'unsupported', u.what, '', '', 0::oid, 0::oid, 0, 0, '{}'::json, '{}'::text[] FROM (
SELECT CASE t.typtype WHEN 'r' THEN 'range type ' WHEN 'b' THEN 'base type ' ELSE 'type ' END || q
FROM typ JOIN pg_catalog.pg_type t ON t.oid = typ.oid
WHERE t.typtype IN ('r', 'b') AND t.typcategory <> 'A'
UNION ALL
SELECT 'foreign table ' || ns.q || '.' || quote_ident(c.relname) FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
WHERE c.relkind = 'f'
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate ' ELSE 'window function ' END || ns.q || '.' || quote_ident(p.proname)
FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace WHERE p.prokind IN ('a', 'w')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'collation ' || ns.q || '.' || quote_ident(c.collname) FROM pg_catalog.pg_collation c JOIN ns ON ns.oid = c.collnamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
UNION ALL
SELECT 'operator ' || ns.q || '.' || o.oprname FROM pg_catalog.pg_operator o JOIN ns ON ns.oid = o.oprnamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e')
UNION ALL
SELECT 'statistics ' || ns.q || '.' || quote_ident(s.stxname) FROM pg_catalog.pg_statistic_ext s JOIN ns ON ns.oid = s.stxnamespace
UNION ALL
SELECT 'rule ' || rel.q || '.' || quote_ident(r.rulename) FROM pg_catalog.pg_rewrite r JOIN rel ON rel.oid = r.ev_class WHERE r.rulename <> '_RETURN'
UNION ALL
SELECT 'text search configuration ' || ns.q || '.' || quote_ident(c.cfgname) FROM pg_catalog.pg_ts_config c JOIN ns ON ns.oid = c.cfgnamespace
UNION ALL
SELECT 'event trigger ' || quote_ident(evtname) FROM pg_catalog.pg_event_trigger
UNION ALL
SELECT 'publication ' || quote_ident(pubname) FROM pg_catalog.pg_publication
) u(what)
)SQL";

constexpr unsigned kPgClass = 1259;  // pg_class's own oid, fixed in every PostgreSQL

using Identity = std::tuple<unsigned, unsigned, int>;  // classid, objid, objsubid

unsigned as_oid(const Field& f) { return f ? static_cast<unsigned>(std::strtoul(f->c_str(), nullptr, 10)) : 0; }
int as_int(const Field& f) { return f ? std::atoi(f->c_str()) : 0; }

class Reader {
 public:
  explicit Reader(Catalog& catalog) : catalog_(catalog) {}

  void objects(const QueryResult& rows) {
    for (const Row& r : rows.rows) {
      if (r[0] == std::optional<std::string>("unsupported")) {
        catalog_.unsupported.push_back(r[1].value_or(""));
        continue;
      }
      Object o;
      o.kind = r[0].value_or("");
      o.key = r[1].value_or("");
      o.parent = r[2].value_or("");
      o.name = r[3].value_or("");
      o.position = as_int(r[7]);
      o.fields = nlohmann::json::parse(r[8].value_or("{}"));
      for (auto it = o.fields.begin(); it != o.fields.end();) it = it->is_null() ? o.fields.erase(it) : std::next(it);
      for (auto& dep : parse_text_array(r[9].value_or("{}"))) o.depends.push_back(dep);
      if (!o.parent.empty()) o.depends.push_back(o.parent);
      const unsigned classid = as_oid(r[4]);
      if (classid != 0) identities_[{classid, as_oid(r[5]), as_int(r[6])}] = o.key;
      catalog_.objects[o.key] = std::move(o);
    }
  }

  // Aliases may chain (an array of a table's row type): resolve until stable.
  void aliases(const QueryResult& rows) {
    for (int pass = 0; pass < 2; ++pass) {
      for (const Row& r : rows.rows) {
        if (const std::string* target = find({as_oid(r[2]), as_oid(r[3]), as_int(r[4])})) {
          identities_.emplace(Identity{as_oid(r[0]), as_oid(r[1]), 0}, *target);
        }
      }
    }
  }

  void dependencies(const QueryResult& rows) {
    for (const Row& r : rows.rows) {
      const std::string* from = find({as_oid(r[0]), as_oid(r[1]), as_int(r[2])});
      const std::string* to = find({as_oid(r[3]), as_oid(r[4]), as_int(r[5])});
      if (!from || !to || *from == *to) continue;
      Object& object = catalog_.objects[*from];
      // A sequence's OWNED BY column is its sequence-owner object's dependency, not the sequence's.
      if (object.kind == "sequence" && to->rfind("column ", 0) == 0) continue;
      object.depends.push_back(*to);
    }
  }

  void comments(const QueryResult& rows) {
    for (const Row& r : rows.rows) {
      const std::string* target = find({as_oid(r[0]), as_oid(r[1]), as_int(r[2])});
      if (!target) continue;
      // A view's or materialized view's column is no object of the model: its
      // comment belongs to the view and names the column.
      const bool view_column = as_int(r[2]) != 0 && (target->rfind("view ", 0) == 0 || target->rfind("matview ", 0) == 0) && r[4];
      if (as_int(r[2]) != 0 && target->rfind("column ", 0) != 0 && !view_column) continue;
      Object o;
      o.kind = "comment";
      o.key = "comment " + *target + (view_column ? " column " + *r[4] : "");
      o.parent = *target;
      o.fields = {{"text", r[3].value_or("")}};
      if (view_column) o.fields["column"] = *r[4];
      o.depends.push_back(*target);
      catalog_.objects[o.key] = std::move(o);
    }
  }

 private:
  // An object's identity, or a column's table when the column is not modelled itself.
  const std::string* find(const Identity& id) const {
    auto it = identities_.find(id);
    if (it != identities_.end()) return &it->second;
    if (std::get<0>(id) == kPgClass && std::get<2>(id) != 0) return find({kPgClass, std::get<1>(id), 0});
    return nullptr;
  }

  static std::vector<std::string> parse_text_array(const std::string& text) {
    // Only ever holds keys built by the query; PostgreSQL quotes elements with spaces.
    std::vector<std::string> out;
    std::string current;
    bool quoted = false, escaped = false, any = false;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
      const char c = text[i];
      if (escaped) { current += c; escaped = false; continue; }
      if (quoted && c == '\\') { escaped = true; continue; }
      if (c == '"') { quoted = !quoted; any = true; continue; }
      if (!quoted && c == ',') { out.push_back(current); current.clear(); any = false; continue; }
      current += c;
      any = true;
    }
    if (any) out.push_back(current);
    return out;
  }

  Catalog& catalog_;
  std::map<Identity, std::string> identities_;
};

// A read that ran into its bounds says which, and leaves the connection usable
// (its transaction rolled back) for whatever the caller does next.
Error bounded_read_error(Database& db, const Error& e, const ReadBounds& bounds) {
  if (e.code() == ExitCode::database_unreachable) return e;
  if (db.in_transaction()) {
    try {
      db.query("ROLLBACK");
    } catch (const Error&) {  // the original error is the one to report
    }
  }
  const std::string state = e.sqlstate().value_or("");
  if (e.code() == ExitCode::interrupted) return e;  // our own cancel (SIGTERM), not a timeout
  if (state == "55P03") {
    Error timed_out(ExitCode::lock_unavailable, "lock_timeout",
                    "reading the schema waited more than " + format_duration(bounds.lock_timeout) +
                        " (lock_timeout) for a table another session holds locked (an ALTER TABLE under way?); "
                        "try again, or give a longer --lock-timeout");
    return timed_out.with_sqlstate(state);
  }
  if (state == "57014") {
    Error timed_out(ExitCode::lock_unavailable, "statement_timeout",
                    "reading the schema took more than " + format_duration(bounds.statement_timeout) +
                        " (statement_timeout); give a longer --statement-timeout");
    return timed_out.with_sqlstate(state);
  }
  return e;
}

}  // namespace

Catalog read_catalog(Database& db, const HistoryTableName& history, const ReadBounds& bounds) {
  std::string scope = kScope;
  const std::string history_name = db.literal(db.identifier(history.schema) + "." + db.identifier(history.table));
  for (std::size_t at; (at = scope.find("%HISTORY%")) != std::string::npos;) scope.replace(at, 9, history_name);
  // Inside the caller's transaction (a replay rolled back at its end) the read
  // is a savepoint rolled back to: its settings end with it and nothing commits.
  const bool nested = db.in_transaction();
  const std::string begin = nested ? "SAVEPOINT mig_catalog_read" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  const std::string end = nested ? "ROLLBACK TO SAVEPOINT mig_catalog_read;\nRELEASE SAVEPOINT mig_catalog_read" : "COMMIT";
  std::vector<QueryResult> results;
  try {
    results = db.query_each(
      begin + ";\nSELECT pg_catalog.set_config('search_path', '', true), "
      "pg_catalog.set_config('lock_timeout', '" + std::to_string(bounds.lock_timeout.count()) + "ms', true), "
      "pg_catalog.set_config('statement_timeout', '" + std::to_string(bounds.statement_timeout.count()) + "ms', true);\n" + scope + kObjects + kUnsupported + ";\n" + kAliases + ";\n" +
      kDependencies + ";\n" + kComments + ";\n" + end);
  } catch (const Error& e) {
    if (nested) throw;  // the caller's transaction is aborted: the caller rolls it back
    throw bounded_read_error(db, e, bounds);
  }
  Catalog catalog;
  Reader reader(catalog);
  reader.objects(results.at(2));
  reader.aliases(results.at(3));
  reader.dependencies(results.at(4));
  reader.comments(results.at(5));
  std::sort(catalog.unsupported.begin(), catalog.unsupported.end());
  return catalog;
}

}  // namespace mig::catalog
