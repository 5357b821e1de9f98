/* The least a client can do for mig-status's query: connect with libpq (PG*
 * environment), run the same SELECT on the history table, print the row count.
 * bench/apply.sh builds it to time the floor under mig-status: no files read. */
#include <libpq-fe.h>
#include <stdio.h>

int main(void) {
  PGconn* conn = PQconnectdb("");
  if (PQstatus(conn) != CONNECTION_OK) {
    fprintf(stderr, "%s", PQerrorMessage(conn));
    return 1;
  }
  PGresult* res = PQexec(conn,
                         "SELECT version, name, checksum, status, batch, "
                         "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
                         "execution_ms, applied_by, backup_id, statements_done, error "
                         "FROM \"public\".\"migration_history\"");
  const int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
  if (ok) printf("%d\n", PQntuples(res));
  PQclear(res);
  PQfinish(conn);
  return ok ? 0 : 1;
}
