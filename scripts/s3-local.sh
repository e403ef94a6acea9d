#!/usr/bin/env bash
# A local S3-compatible server (s3proxy over .local/s3-data) for trying --output=s3://..., run
# from Maven artifacts (no Docker, no MinIO download needed).
#   scripts/s3-local.sh start            # http://localhost:${S3_PORT:-9000}, bucket "lake" created
#   scripts/s3-local.sh ls [PREFIX]      # list objects of bucket lake
#   scripts/s3-local.sh cat KEY          # print an object
#   scripts/s3-local.sh stop
# Credentials: access key "local-access", secret "local-secret" (export them as shown by start).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=${S3_PORT:-9000}
PID_FILE=$STATE_DIR/s3.pid

tool() { java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.LocalS3 "$@"; }

case "${1:-}" in
  start)
    if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "S3 server already running (pid $(cat "$PID_FILE")) on port $PORT"; exit 0
    fi
    ensure_built
    mkdir -p "$STATE_DIR/s3-data"
    nohup java -cp "$(tool_classpath)" dev.customer360.pipeline.tools.LocalS3 serve "$PORT" "$STATE_DIR/s3-data" \
      > "$STATE_DIR/s3.log" 2>&1 &
    echo $! > "$PID_FILE"
    if wait_for_port "$PORT" 60; then
      echo "S3 API at http://localhost:$PORT (bucket: lake). Use:"
      echo "  export AWS_ACCESS_KEY_ID=local-access AWS_SECRET_ACCESS_KEY=local-secret"
      echo "  ./run-local.sh --output=s3://lake/c360 --s3Endpoint=http://localhost:$PORT"
    else
      echo "S3 server did not start; see $STATE_DIR/s3.log" >&2; exit 1
    fi
    ;;
  stop)
    stop_process "S3 server" "$PID_FILE"
    ;;
  ls) ensure_built; tool ls "$PORT" "${2:-}" ;;
  cat) ensure_built; tool cat "$PORT" "${2:?give the object key}" ;;
  *) echo "usage: $0 start|stop|ls [PREFIX]|cat KEY" >&2; exit 2 ;;
esac
