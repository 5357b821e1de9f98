#!/usr/bin/env bash
# A server that accepts TCP and never answers cannot hang a tool: connect_timeout
# is on by default (the DSN may set its own), and mig-start-prod --wait is a hard
# bound on the whole wait.
source "$(dirname "$0")/lib.sh"

port_file="$WORK/port"
python3 - "$port_file" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
end = time.time() + 60
s.settimeout(1)
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
for _ in $(seq 1 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")

start=$(date +%s)
run mig-status --dsn "host=127.0.0.1 port=$port dbname=x user=x connect_timeout=2"
expect_rc 4 "silent server, DSN connect_timeout"
if [ $(($(date +%s) - start)) -le 6 ]; then pass; else fail "mig-status waited $(($(date +%s) - start)) s"; fi

start=$(date +%s)
run mig-apply --dsn "host=127.0.0.1 port=$port dbname=x user=x"
expect_rc 4 "silent server, default connect_timeout"
elapsed=$(($(date +%s) - start))
if [ "$elapsed" -ge 8 ] && [ "$elapsed" -le 16 ]; then pass; else fail "default bound took $elapsed s (want about 10)"; fi

start=$(date +%s)
run mig-start-prod --dsn "host=127.0.0.1 port=$port dbname=x user=x" --wait 3s -- true
expect_rc 4 "mig-start-prod --wait 3s on a silent server"
if [ $(($(date +%s) - start)) -le 7 ]; then pass; else fail "--wait 3s took $(($(date +%s) - start)) s"; fi
finish
