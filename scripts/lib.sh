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

# --- Shared by the end-to-end checks (crash-restore-check.sh, savepoint-restore-check.sh,
# fault-matrix.sh): Kafka, PostgreSQL and a Flink session cluster on ports the caller exports
# (KAFKA_PORT, PGPORT, FLINK_REST_PORT), state in C360_LOCAL_DIR. -------------------------------

step() { echo "== $(date +%T) $*"; }

# fresh_state_dir: empties $STATE_DIR, keeping the resolved Flink classpath (resolving it runs Maven).
fresh_state_dir() {
  local kept=$ROOT/.local/flink-classpath.$$
  [[ -s $STATE_DIR/flink/classpath.txt ]] && cp "$STATE_DIR/flink/classpath.txt" "$kept"
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR/flink"
  if [[ -f $kept ]]; then mv "$kept" "$STATE_DIR/flink/classpath.txt"; fi
}

# build_job: the bundled jar and the tool classpath, unless both are newer than every source.
build_job() {
  if ! { [[ -f $ROOT/pipeline/target/test-classpath.txt ]] && ls "$ROOT"/pipeline/target/customer360-*-bundled.jar >/dev/null 2>&1 &&
    [[ -z $(cd "$ROOT" && find pom.xml ./*/pom.xml ./*/src src/sql -newer pipeline/target/test-classpath.txt -type f 2>/dev/null | head -1) ]]; }; then
    (cd "$ROOT" && mvn -B -q -DskipTests package)
    touch "$ROOT"/pipeline/target/test-classpath.txt "$ROOT"/pipeline/target/classpath.txt "$ROOT"/pipeline/target/customer360-*-bundled.jar
  fi
}

# start_servers: builds the job, then starts Kafka, PostgreSQL and a Flink session cluster (ports,
# TASKMANAGERS and SLOTS from the environment); stop_servers is their trap.
start_servers() {
  step "building"
  build_job
  step "starting Kafka, PostgreSQL and a Flink session cluster (${TASKMANAGERS:-1} TaskManager(s) of ${SLOTS:-2} slots)"
  "$ROOT/scripts/kafka-local.sh" start
  "$ROOT/scripts/postgres-local.sh" start
  "$ROOT/scripts/flink-local.sh" start
}

# stop_servers: the trap of a check: ends its job client (CLIENT_PID) and stops the servers.
stop_servers() {
  [[ -n ${CLIENT_PID:-} ]] && kill "$CLIENT_PID" 2>/dev/null || true
  "$ROOT/scripts/flink-local.sh" stop >/dev/null 2>&1 || true
  "$ROOT/scripts/kafka-local.sh" stop >/dev/null 2>&1 || true
  "$ROOT/scripts/postgres-local.sh" stop >/dev/null 2>&1 || true
}

# generate_records DIR RECORDS START [generator args]: raw records of both sources (re-deliveries and
# bad records included) with event times from START over one hour, each file also split in halves
# (<source>.part00, .part01); prints the number of distinct engagements expected. Use a START at
# least an hour ago (now-70m): a stream with --allowedLateness=2h then rightly finds none late, and
# none ahead of now (those are dead-lettered as future:).
generate_records() {
  local dir=$1 records=$2 start=$3; shift 3
  java -cp "$ROOT/pipeline/target/classes:$(cat "$ROOT/pipeline/target/classpath.txt")" \
    dev.customer360.pipeline.generator.GenerateRawRecords --out="$dir" --records="$records" \
    --users=300 --spanHours=1 --start="$start" --oversize=false "$@" >/dev/null
  for s in call_log clickstream; do
    [[ -f $dir/$s.jsonl ]] && split -n l/2 -d "$dir/$s.jsonl" "$dir/$s.part"
  done
  wc -l < "$dir/expected-engagements.jsonl"
}

produce() { "$ROOT/scripts/kafka-local.sh" produce "$@" >/dev/null; }

# file_lines DIR NAME: the lines of the job's finished NAME files below DIR (FileIO's temporary
# files live in hidden .temp-beam directories).
file_lines() {
  { find "$1/$2" -name '.*' -prune -o -type f -name "$2-*" -print0 2>/dev/null || true; } | xargs -0r cat
}

# sql STATEMENTS: rows as a|b|c lines (psql if present: faster).
sql() {
  if command -v psql >/dev/null; then
    PGCONNECT_TIMEOUT=3 PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -h 127.0.0.1 -p "${PGPORT:-5432}" -U postgres -d postgres -XAtq -F'|' \
      -v ON_ERROR_STOP=1 -f - <<< "$1" # from stdin: each statement commits on its own
  else
    "$ROOT/scripts/postgres-local.sh" query "$1" | tail -n +2 | sed 's/ | /|/g'
  fi
}
pg_count() { sql "select count(*) from customer_engagements" 2>/dev/null || echo 0; }
pg_keys() { # FILE: the key of every engagement row
  sql "select user_id, to_char(engagement_datetime at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    engagement_type, engagement_source_id from customer_engagements" > "$1"
}
pg_late() { sql "select count(*) from dead_letters where error like 'late:%'" 2>/dev/null || echo '?'; }

# compare MODE EXPECTED ACTUAL -> "got lost duplicated extra"; MODE pg (user|time|type|source lines)
# or json (engagement JSON lines, optionally after a Kafka key and a tab). A stream writes an
# engagement again when a longer delivery corrects it: in json mode a correction (same key, other
# engagement_seconds) is not a duplicate, an identical line is; and an engagement whose longest
# line is not the expected engagement_seconds counts as lost.
compare() {
  python3 - "$@" <<'PY'
import collections, json, sys
mode, expected, actual = sys.argv[1:4]
def key(d):
    return (d["user_id"], d["engagement_datetime"], d["engagement_type"], d["engagement_source_id"])
exp = {}
for l in open(expected):
    if l.strip():
        d = json.loads(l)
        exp[key(d)] = d.get("engagement_seconds")
rows = []
longest = {}
for line in open(actual):
    line = line.rstrip("\n")
    if not line.strip():
        continue
    if mode == "pg":
        rows.append(tuple(line.split("|", 3)))
    else:
        d = json.loads(line.split("\t", 1)[-1])
        rows.append((key(d), d["engagement_seconds"]))
        longest[key(d)] = max(longest.get(key(d), -1), d["engagement_seconds"])
keys = {r if mode == "pg" else r[0] for r in rows}
lost = len(set(exp) - keys)
if mode != "pg":
    lost += sum(1 for k, s in longest.items() if k in exp and exp[k] is not None and s != exp[k])
print(len(rows), lost, len(rows) - len(set(rows)), len(keys - set(exp)))
PY
}

# wait_until COMMAND TARGET SECONDS: until COMMAND prints a number >= TARGET.
wait_until() {
  for _ in $(seq "$3"); do [[ $($1) -ge $2 ]] && return 0; sleep 1; done; return 1
}

fraction() { python3 -c "print('%.0f%%' % (100.0 * $1 / $2))"; }
# wait_fraction COMMAND EXPECTED: returns as soon as COMMAND reports >= 25% of EXPECTED rows.
wait_fraction() {
  local n
  for _ in $(seq 1200); do
    n=$($1); [[ $(( n * 4 )) -ge $2 ]] && { AT=$(fraction "$n" "$2"); return 0; }
    sleep 0.1
  done
  AT="never reached 25%"; return 1
}

# --- streaming jobs on the Flink session cluster (FLINK_REST_PORT) ---
flink_rest() { curl -sf "localhost:${FLINK_REST_PORT:-8081}$1" "${@:2}"; }

# submit_stream LOG JOB_ARGS...: submits a Kafka stream with checkpoints every CHECKPOINT_MS (2 s) and Flink's
# fixed-delay restarts (RETRIES, RETRY_DELAY_MS), --allowedLateness=2h (ALLOWED_LATENESS); sets CLIENT_PID and JOB
# once the job runs.
JOB=
submit_stream() {
  local log=$1; shift
  local extra=()
  # JOB_ARGS: more job options for every submission of a check or bench, e.g.
  # JOB_ARGS=--partitionDiscoveryInterval=10s scripts/partitions-added-check.sh
  read -r -a extra <<< "${JOB_ARGS:-}"
  FLINK_MASTER=localhost:${FLINK_REST_PORT:-8081} "$ROOT/run-flink.sh" --source=kafka \
    --bootstrapServers="localhost:${KAFKA_PORT:-9092}" --checkpointingInterval="${CHECKPOINT_MS:-2000}" \
    --numberOfExecutionRetries="${RETRIES:-60}" --executionRetryDelay="${RETRY_DELAY_MS:-2000}" \
    --allowedLateness="${ALLOWED_LATENESS:-2h}" "$@" "${extra[@]}" > "$log" 2>&1 &
  CLIENT_PID=$!
  JOB=
  for _ in $(seq 360); do
    JOB=$(flink_rest /jobs/overview | python3 -c 'import json,sys
print(next((j["jid"] for j in json.load(sys.stdin)["jobs"] if j["state"]=="RUNNING"), ""))' 2>/dev/null || true)
    [[ -n $JOB ]] && break
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.5
  done
  [[ -n $JOB ]] || { echo "the job did not start; see $log" >&2; tail -5 "$log" >&2; return 1; }
  echo "job $JOB running"
}
checkpoints() {
  flink_rest "/jobs/$JOB/checkpoints" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])' 2>/dev/null || echo 0
}
wait_checkpoints() { for _ in $(seq 240); do [[ $(checkpoints) -ge $1 ]] && return 0; sleep 0.5; done; return 1; }
# job_said: the job's state, how often Flink restarted it, the latest failure's first line.
job_said() {
  local state restarts cause
  state=$(flink_rest "/jobs/$JOB" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null || echo '?')
  restarts=$(flink_rest "/jobs/$JOB/metrics?get=numRestarts" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["value"])' 2>/dev/null || echo '?')
  cause=$(flink_rest "/jobs/$JOB/exceptions?maxExceptions=1" | python3 -c 'import json,sys
h=json.load(sys.stdin).get("exceptionHistory",{}).get("entries",[])
causes=[l.strip() for l in (h[0]["stacktrace"].splitlines() if h else []) if l.startswith("Caused by:")]
print(causes[-1][len("Caused by: "):] if causes else (h[0]["exceptionName"] if h else ""))' 2>/dev/null || true)
  echo "$state, $restarts restarts${cause:+; last failure: $cause}"
}
cancel_stream() {
  flink_rest "/jobs/$JOB?mode=cancel" -X PATCH >/dev/null || true
  for _ in $(seq 60); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.5; done
  kill "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=
}
