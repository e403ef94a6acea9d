#!/usr/bin/env bash
# Benchmark: the file-to-file job on the DirectRunner and on Flink (embedded, parallelism 2),
# against two yardsticks doing the same work: a plain single-threaded Java loop (baseline) and the
# same work as one Flink SQL statement set on an embedded Flink 1.19, parallelism 2 (flinksql, see
# bench/README.md). For several input sizes. Prints a table with the ratios to both, writes
# bench/results/results-<time>.csv and draws bench/results/chart-<time>.png.
#
#   bench/run.sh                 # sizes 100000 1000000 (raw records, both sources together)
#   QUICK=1 bench/run.sh         # 20000 100000: a few minutes
#   SIZES="100000 1000000 5000000" ENGINES="baseline flink" bench/run.sh
#   BAD_RATE=0.02 bench/run.sh   # share of bad lines per source (default 0.03, as every earlier run)
#   FLINK_ARGS=--numShards=0 bench/run.sh   # more options for the job on Flink
# Heaps: DIRECT_HEAP (default 2 GB plus 2.5 GB per million raw records: the DirectRunner holds a
# batch in memory), FLINK_HEAP (default 2g, for the job on Flink and for Flink SQL: Flink's shuffle
# spills to disk, so one heap serves every size), BASELINE_HEAP (4g).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/java-opens.sh
source bench/lib.sh
if [[ ! -x /usr/bin/time ]]; then
  echo "bench/run.sh needs GNU time at /usr/bin/time for wall time and peak RSS (Debian/Ubuntu: apt-get install time)" >&2
  exit 2
fi
if [[ -n ${QUICK:-} ]]; then SIZES=${SIZES:-"20000 100000"}; fi
SIZES=${SIZES:-"100000 1000000"}
ENGINES=${ENGINES:-"baseline flinksql direct flink"}
BAD_RATE=${BAD_RATE:-0.03}
FLINK_HEAP=${FLINK_HEAP:-2g}
BASELINE_HEAP=${BASELINE_HEAP:-4g}
STAMP=$(date -u +%Y%m%dT%H%M%S)
RESULTS=bench/results/results-$STAMP.csv
CHART=bench/results/chart-$STAMP.png
WORK=${BENCH_WORK:-/tmp/customer360-bench}
mkdir -p bench/results "$WORK"

build_job
# Flink's table runtime bundles the Janino it compiles with; Beam SQL's older one must not shadow it.
FLINK_SQL_CP="$(tr ':' '\n' < pipeline/target/test-classpath.txt | grep -m 1 '/flink-table-runtime-'):$TEST_CP"

# measure NAME RECORDS COMMAND... : wall time and peak RSS (KB) from GNU time
measure() {
  local engine=$1 records=$2; shift 2
  local log=$WORK/$engine-$records.log
  if ! /usr/bin/time -v "$@" > "$log" 2>&1; then
    # Recorded and reported, not fatal: the other engines and sizes still run.
    echo "$engine FAILED on $records records (see $log):" >&2
    grep -m 3 -E "Error|Exception" "$log" >&2 || true
    FAILED+=("$engine $records")
    return 0
  fi
  local wall rss seconds
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  seconds=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  printf '%s,%s,%.2f,%.0f,%.0f\n' "$engine" "$records" "$seconds" "$(echo "$records / $seconds" | bc -l)" "$(echo "$rss / 1024" | bc -l)" >> "$RESULTS"
}

FAILED=()
echo "engine,records,seconds,records_per_s,peak_rss_mb" > "$RESULTS"
for size in $SIZES; do
  data=$(input_of "$size")
  for engine in $ENGINES; do
    echo ">> $engine, $size records" >&2
    rm -rf "$WORK/out-$engine"
    case $engine in
      baseline)
        measure baseline "$size" java -Xmx$BASELINE_HEAP -cp "$TEST_CP" dev.customer360.pipeline.bench.PlainJavaBaseline \
          "$data/call_log.jsonl" "$data/clickstream.jsonl" "$WORK/out-baseline.json" ;;
      flinksql)
        measure flinksql "$size" java -Xmx$FLINK_HEAP -Duser.timezone=UTC "${JAVA_OPENS[@]}" -cp "$FLINK_SQL_CP" \
          dev.customer360.pipeline.bench.FlinkSqlBaseline \
          "$data/call_log.jsonl" "$data/clickstream.jsonl" "$WORK/out-flinksql" ;;
      direct)
        heap=${DIRECT_HEAP:-$(( 2048 + size * 5 / 2 / 1000 ))m}
        measure direct "$size" java -Xmx$heap -Duser.timezone=UTC -jar "$JAR" \
          --callLogInput="$data/call_log.jsonl" --clickstreamInput="$data/clickstream.jsonl" \
          --output="$WORK/out-direct" --enforceImmutability=false --enforceEncodability=false ;;
      flink)
        measure flink "$size" java -Xmx$FLINK_HEAP -Duser.timezone=UTC "${JAVA_OPENS[@]}" -jar "$JAR" \
          --runner=FlinkRunner --flinkMaster='[local]' --parallelism=2 --fasterCopy=true \
          --callLogInput="$data/call_log.jsonl" --clickstreamInput="$data/clickstream.jsonl" \
          --output="$WORK/out-flink" ${FLINK_ARGS:-} ;;
    esac
  done
done

# Ratios, as speed (records/s of the engine over records/s of the yardstick, i.e. the yardstick's
# wall time over the engine's): above 1 the engine is faster. RSS: the engine's over Flink SQL's.
python3 - "$RESULTS" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.DictReader(open(path)))
def per_size(engine, field):
    return {r["records"]: float(r[field]) for r in rows if r["engine"] == engine}
loop, sql, sql_rss = per_size("baseline", "records_per_s"), per_size("flinksql", "records_per_s"), per_size("flinksql", "peak_rss_mb")
def ratio(value, base):
    return f"{value / base:.2f}" if base else ""
for r in rows:
    n = r["records"]
    r["vs_loop"] = ratio(float(r["records_per_s"]), loop.get(n))
    r["vs_flinksql"] = ratio(float(r["records_per_s"]), sql.get(n))
    r["rss_vs_flinksql"] = ratio(float(r["peak_rss_mb"]), sql_rss.get(n))
with open(path, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["engine"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f'{"engine":10} {"records":>10} {"seconds":>9} {"records/s":>11} {"peak RSS MB":>12} {"vs loop":>8} {"vs SQL":>7} {"RSS/SQL":>8}')
for r in rows:
    x = lambda v: f"{v}x" if v else "-"
    print(f'{r["engine"]:10} {int(r["records"]):>10,} {float(r["seconds"]):>9.1f} {float(r["records_per_s"]):>11,.0f} {float(r["peak_rss_mb"]):>12,.0f} {x(r["vs_loop"]):>8} {x(r["vs_flinksql"]):>7} {x(r["rss_vs_flinksql"]):>8}')
print("vs loop / vs SQL: the engine's speed over the plain loop's / Flink SQL's (above 1: faster);"
      " RSS/SQL: its peak RSS over Flink SQL's")
PY
java -Djava.awt.headless=true -cp "$TEST_CP" dev.customer360.pipeline.bench.BenchChart "$RESULTS" "$CHART"
echo
for f in ${FAILED[@]+"${FAILED[@]}"}; do echo "FAILED: $f (not in the table)"; done
echo "results: $RESULTS"
echo "chart:   $CHART"
