# Shared by bench/run.sh and bench/profile.sh (sourced; they set WORK and BAD_RATE).

# Packages the job without tests; sets JAR (the bundled jar) and TEST_CP (the test classpath).
build_job() {
  echo ">> Building (mvn -DskipTests package)..." >&2
  mvn -B -q -DskipTests package >&2
  JAR=$(ls pipeline/target/customer360-*-bundled.jar | head -1)
  TEST_CP="pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/test-classpath.txt)"
}

# input_of SIZE: prints the directory of SIZE seeded raw records (both sources, BAD_RATE of them
# bad, 8% re-deliveries, 48 h of event time), generated the first time it is asked for.
input_of() {
  local size=$1
  local data=$WORK/data-$size-bad$BAD_RATE
  if [[ ! -f $data/clickstream.jsonl ]]; then
    echo ">> Generating $size raw records, $BAD_RATE of them bad" >&2
    java -cp "$TEST_CP" dev.customer360.pipeline.generator.GenerateRawRecords --out="$data" \
      --records=$((size / 2)) --users=$((size / 100 + 10)) --spanHours=48 --seed=1 \
      --badRate="$BAD_RATE" >&2
  fi
  echo "$data"
}
