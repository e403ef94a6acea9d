# Shared by scripts/*-local.sh: build once, then run a tool class from the test classpath.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR=${C360_LOCAL_DIR:-$ROOT/.local}
mkdir -p "$STATE_DIR"

ensure_built() {
  local cp=$ROOT/pipeline/target/test-classpath.txt
  if [[ ! -f $cp ]] || [[ -n $(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src -newer "$cp" -type f 2>/dev/null | head -1) ]]; then
    echo ">> Building (mvn -DskipTests package)..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests -DskipBundle package >&2)
    touch "$cp" # Maven leaves an unchanged classpath file's time alone
  fi
}

tool_classpath() {
  echo "$ROOT/pipeline/target/test-classes:$ROOT/pipeline/target/classes:$(cat "$ROOT/pipeline/target/test-classpath.txt")"
}

# wait_for_port PORT SECONDS
wait_for_port() {
  for _ in $(seq $(( $2 * 10 ))); do
    (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# stop_process NAME PID_FILE: stops a server this script family started.
stop_process() {
  if [[ -f $2 ]]; then
    kill "$(cat "$2")" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$(cat "$2")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$2"; echo "$1 stopped"
  else
    echo "$1 is not running (no $2)"
  fi
}
