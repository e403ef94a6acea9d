#!/usr/bin/env bash
# Benchmark: the file-to-file job on the DirectRunner and on Flink (embedded, parallelism 2),
# against a plain single-threaded Java loop doing the same work, for several input sizes.
# Prints a table, appends to bench/results/results-<time>.csv and draws bench/results/chart-<time>.png.
#
#   bench/run.sh                 # sizes 100000 1000000 (raw records, both sources together)
#   QUICK=1 bench/run.sh         # 20000 100000: a few minutes
#   SIZES="100000 1000000 5000000" ENGINES="baseline flink" bench/run.sh
# Heaps: DIRECT_HEAP (default 2 GB plus 2.5 GB per million raw records: the DirectRunner holds a
# batch in memory), FLINK_HEAP (default 2g: Flink's shuffle spills to disk, so one heap serves
# every size), BASELINE_HEAP (4g).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/java-opens.sh
if [[ ! -x /usr/bin/time ]]; then
  echo "bench/run.sh needs GNU time at /usr/bin/time for wall time and peak RSS (Debian/Ubuntu: apt-get install time)" >&2
  exit 2
fi
if [[ -n ${QUICK:-} ]]; then SIZES=${SIZES:-"20000 100000"}; fi
SIZES=${SIZES:-"100000 1000000"}
ENGINES=${ENGINES:-"baseline direct flink"}
FLINK_HEAP=${FLINK_HEAP:-2g}
BASELINE_HEAP=${BASELINE_HEAP:-4g}
STAMP=$(date -u +%Y%m%dT%H%M%S)
RESULTS=bench/results/results-$STAMP.csv
CHART=bench/results/chart-$STAMP.png
WORK=${BENCH_WORK:-/tmp/customer360-bench}
mkdir -p bench/results "$WORK"

echo ">> Building (mvn -DskipTests package)..." >&2
mvn -B -q -DskipTests package >&2
JAR=$(ls pipeline/target/customer360-*-bundled.jar | head -1)
TEST_CP="pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/test-classpath.txt)"

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
  data=$WORK/data-$size
  if [[ ! -f $data/clickstream.jsonl ]]; then
    echo ">> Generating $size raw records" >&2
    java -cp "$TEST_CP" dev.customer360.pipeline.generator.GenerateRawRecords --out="$data" \
      --records=$((size / 2)) --users=$((size / 100 + 10)) --spanHours=48 --seed=1 >&2
  fi
  for engine in $ENGINES; do
    echo ">> $engine, $size records" >&2
    rm -rf "$WORK/out-$engine"
    case $engine in
      baseline)
        measure baseline "$size" java -Xmx$BASELINE_HEAP -cp "$TEST_CP" dev.customer360.pipeline.bench.PlainJavaBaseline \
          "$data/call_log.jsonl" "$data/clickstream.jsonl" "$WORK/out-baseline.json" ;;
      direct)
        heap=${DIRECT_HEAP:-$(( 2048 + size * 5 / 2 / 1000 ))m}
        measure direct "$size" java -Xmx$heap -Duser.timezone=UTC -jar "$JAR" \
          --callLogInput="$data/call_log.jsonl" --clickstreamInput="$data/clickstream.jsonl" \
          --output="$WORK/out-direct" --enforceImmutability=false --enforceEncodability=false ;;
      flink)
        measure flink "$size" java -Xmx$FLINK_HEAP -Duser.timezone=UTC "${JAVA_OPENS[@]}" -jar "$JAR" \
          --runner=FlinkRunner --flinkMaster='[local]' --parallelism=2 --fasterCopy=true \
          --callLogInput="$data/call_log.jsonl" --clickstreamInput="$data/clickstream.jsonl" \
          --output="$WORK/out-flink" ;;
    esac
  done
done

java -Djava.awt.headless=true -cp "$TEST_CP" dev.customer360.pipeline.bench.BenchChart "$RESULTS" "$CHART"
echo
python3 - "$RESULTS" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
base = {r["records"]: float(r["records_per_s"]) for r in rows if r["engine"] == "baseline"}
print(f'{"engine":10} {"records":>10} {"seconds":>9} {"records/s":>11} {"peak RSS MB":>12} {"vs loop":>8}')
for r in rows:
    ratio = f'{float(r["records_per_s"]) / base[r["records"]]:.2f}x' if r["records"] in base else "-"
    print(f'{r["engine"]:10} {int(r["records"]):>10,} {float(r["seconds"]):>9.1f} {float(r["records_per_s"]):>11,.0f} {float(r["peak_rss_mb"]):>12,.0f} {ratio:>8}')
PY
echo
for f in ${FAILED[@]+"${FAILED[@]}"}; do echo "FAILED: $f (not in the table)"; done
echo "results: $RESULTS"
echo "chart:   $CHART"
