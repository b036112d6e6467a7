#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - run each libFuzzer harness for a while; fail on the first crash, leak, timeout or broken property.
#
#   FUZZ_SECONDS=60 FUZZ_BUILD=build/fuzz tests/fuzz/run.sh build/fuzz/fuzz_plan ...
#
# Each harness NAME starts from tests/fuzz/corpus/NAME (the seeds, kept in
# git) and tests/fixtures/fuzz-regressions/NAME (every input that once
# crashed), writes what it discovers to $FUZZ_BUILD/corpus/NAME (not in
# git), and leaves a crashing input in $FUZZ_BUILD/artifacts/NAME/. Its
# full log is $FUZZ_BUILD/logs/NAME.log; one summary line is printed:
# executions, executions per second, coverage (libFuzzer's cov: and ft:).
# To keep a crash as a regression: copy the artifact into
# tests/fixtures/fuzz-regressions/NAME/ (make unit then replays it).
# FUZZ_JOBS > 1 runs that many harnesses at once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
out=${FUZZ_BUILD:-$root/build/fuzz}
jobs=${FUZZ_JOBS:-1}

if [ $# -eq 0 ]; then
	echo "usage: FUZZ_SECONDS=N tests/fuzz/run.sh HARNESS_BINARY..." >&2
	exit 64
fi
mkdir -p "$out/logs"
rm -f "$out/logs/"*.rc

# One harness: exit status of libFuzzer, summary on stdout.
run_one() {
	local bin=$1 name log dict=() rc execs rate cov ft
	name=$(basename "$bin")
	log=$out/logs/$name.log
	mkdir -p "$out/corpus/$name" "$out/artifacts/$name" \
		"$here/corpus/$name" "$root/tests/fixtures/fuzz-regressions/$name"
	[ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
	# -timeout: an input slower than that is a bug (a hang); -rss_limit_mb:
	# so is one that needs more memory; the leak check is LeakSanitizer's.
	"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$name/" \
		"${dict[@]}" "$out/corpus/$name" "$here/corpus/$name" \
		"$root/tests/fixtures/fuzz-regressions/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ "$rc" -eq 0 ]; then
		printf 'PASS %-20s %5ss %10s execs %7s/s  cov %5s  ft %6s\n' "$name" "$secs" \
			"${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}"
	else
		printf 'FAIL %-20s exit %d after %s execs (log %s)\n' "$name" "$rc" "${execs:-?}" "$log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz property failed|.*runtime error)' "$log" |
			head -n 5 | sed 's/^/    /'
		find "$out/artifacts/$name" -mindepth 1 -maxdepth 1 ! -name '.*' 2>/dev/null | sort | sed 's|^|    artifact: |'
	fi
	return "$rc"
}

fail=0
if [ "$jobs" -le 1 ]; then
	for b in "$@"; do
		run_one "$b" || fail=$((fail + 1))
	done
else
	for b in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		( run_one "$b"; echo $? >"$out/logs/$(basename "$b").rc" ) &
	done
	wait
	for b in "$@"; do
		[ "$(cat "$out/logs/$(basename "$b").rc" 2>/dev/null)" = 0 ] || fail=$((fail + 1))
	done
fi
echo "fuzz: $# harnesses, $fail failed, ${secs}s each"
[ "$fail" -eq 0 ]
