#!/usr/bin/env bash
# A local PostgreSQL 17 for trying --sinks=postgres, from Maven artifacts (no Docker needed).
#   scripts/postgres-local.sh start          # localhost:${PGPORT:-5432}, user postgres, no password
#   scripts/postgres-local.sh query "SQL"    # run a query (no psql needed)
#   scripts/postgres-local.sh stop
# Data lives in .local/postgres-data and survives restarts; delete it to start empty.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${PGPORT:-5432}
PID_FILE=$STATE_DIR/postgres.pid

case "${1:-}" in
  start)
    if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "PostgreSQL already running (pid $(cat "$PID_FILE")) on port $PORT"; exit 0
    fi
    ensure_built
    nohup java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.LocalPostgres serve "$PORT" "$STATE_DIR/postgres-data" \
      > "$STATE_DIR/postgres.log" 2>&1 &
    echo $! > "$PID_FILE"
    if wait_for_port "$PORT" 60; then
      echo "PostgreSQL running: jdbc:postgresql://localhost:$PORT/postgres (user postgres, no password); log: $STATE_DIR/postgres.log"
    else
      echo "PostgreSQL did not start; see $STATE_DIR/postgres.log" >&2; exit 1
    fi
    ;;
  stop)
    stop_process "PostgreSQL" "$PID_FILE"
    ;;
  query)
    ensure_built
    java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.LocalPostgres query "$PORT" "${2:?give the SQL to run}"
    ;;
  *)
    echo "usage: $0 start|stop|query \"SQL\"" >&2; exit 2 ;;
esac
