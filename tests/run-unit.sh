#!/bin/bash
# SPDX-License-Identifier: MIT
# run-unit.sh - run each cmocka unit-test binary given as an argument: one PASS/FAIL line each, non-zero exit if any failed.
#
#   tests/run-unit.sh build/tests/test_parse build/tests/test_addr ...
#
# Exports FIXTURES (absolute path of tests/fixtures) for the tests to find
# their recorded data. RUNNER, when set, prefixes every binary, e.g.
#   RUNNER="valgrind --leak-check=full --error-exitcode=1" tests/run-unit.sh build/tests/test_*
# (arguments ending in .d, the compiler's dependency files that such a
# glob also matches, are skipped)
# A failing binary's output is printed below its FAIL line; a binary that
# runs longer than UNIT_TIMEOUT seconds (default 300) fails.
set -u

here=$(cd "$(dirname "$0")" && pwd)
FIXTURES=$here/fixtures
export FIXTURES

if [ $# -eq 0 ]; then
	echo "usage: tests/run-unit.sh TEST_BINARY..." >&2
	exit 64
fi

read -r -a runner <<<"${RUNNER:-}"
pass=0 fail=0
log=$(mktemp /tmp/twa-unit.XXXXXX)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	case $t in *.d) continue ;; esac
	name=$(basename "$t")
	if [ ! -x "$t" ]; then
		printf 'FAIL %-28s (not an executable: %s)\n' "$name" "$t"
		fail=$((fail + 1))
		continue
	fi
	start=$(date +%s.%N)
	timeout "${UNIT_TIMEOUT:-300}" "${runner[@]}" "$t" >"$log" 2>&1
	rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
	if [ "$rc" -eq 0 ]; then
		printf 'PASS %-28s %6ss\n' "$name" "$secs"
		pass=$((pass + 1))
	else
		[ "$rc" -eq 124 ] && why="timed out" || why="exit $rc"
		printf 'FAIL %-28s %6ss (%s)\n' "$name" "$secs" "$why"
		# cmocka's per-test RUN/OK lines are noise here: keep the rest
		grep -Ev '^\[ +(RUN|OK) +\]' "$log" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
