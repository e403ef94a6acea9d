#!/usr/bin/env bash
# Mutation testing of the transforms module's pure logic (the `mutation` profile in
# transforms/pom.xml: PIT over the listed classes, with the plain JUnit tests, 2 threads). Fails
# when the mutation score is under the profile's threshold. Not part of .ci/run; the report is
# transforms/target/pit-reports/index.html (mutations.xml for tools).
#
#   scripts/mutation.sh [extra mvn arguments, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
status=0
# The module's own classes are compiled here; nothing is installed.
mvn -B -Pmutation verify -pl transforms "$@" || status=$?
report=transforms/target/pit-reports/mutations.xml
if [[ -f $report ]]; then
  total=$(grep -c '<mutation ' "$report" || true)
  killed=$(grep -c "status='KILLED'\|status='TIMED_OUT'" "$report" || true)
  echo "mutation score: $killed of $total mutants killed; report: transforms/target/pit-reports/index.html"
fi
echo "took $(( $(date +%s) - start )) s"
exit $status
