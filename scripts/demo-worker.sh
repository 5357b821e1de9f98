#!/usr/bin/env bash
# A stand-in application worker for the demo: reads the migrated schema once a
# second until mig-start-prod tells it to stop.
trap 'echo "worker $WORKER_ID: stopping"; exit 0' TERM INT
db=()
[ -z "${DATABASE_URL:-}" ] || db=(-d "$DATABASE_URL")
while true; do
  echo "worker $WORKER_ID: $(psql -X -At "${db[@]}" -c 'SELECT count(*) FROM accounts') accounts, $(psql -X -At "${db[@]}" -c 'SELECT count(*) FROM orders') orders"
  sleep 1 &
  wait $!
done
