#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind-wrap.sh - stands in for twadvise in the integration tests (make valgrind): runs the real binary under valgrind memcheck.
#
#   TWADVISE=tests/valgrind-wrap.sh TWADVISE_REAL=build/twadvise \
#   VALGRIND_LOG_DIR=DIR tests/integration/run.sh
#   tests/valgrind-wrap.sh --report DIR     after the run: print every log
#                                           with an error; exit 1 if any
#
# It execs valgrind, so the pid the tests see (lock holders, kill -9) is
# twadvise's own. valgrind's report goes to a file per process in
# VALGRIND_LOG_DIR (mode 1777: some tests run twadvise as nobody), never
# to stderr, which the tests read. An error (invalid access, definite or
# indirect leak) exits 99, a code twadvise never uses (1 is check's
# WARNING); the report pass catches errors in runs whose exit status a
# test does not look at.
set -eu

if [ "${1:-}" = --report ]; then
	dir=$2
	bad=0
	for f in "$dir"/vg.*.log; do
		[ -f "$f" ] || continue
		if grep -q 'ERROR SUMMARY: [1-9]' "$f"; then
			echo "valgrind: errors in $(sed -n 's/^==[0-9]*== Command: //p' "$f" | head -n 1)"
			sed 's/^/    /' "$f"
			bad=1
		fi
	done
	n=$(find "$dir" -name 'vg.*.log' | wc -l)
	echo "valgrind: $n twadvise runs checked, $([ $bad = 0 ] && echo no || echo some) errors"
	exit $bad
fi

: "${TWADVISE_REAL:?set TWADVISE_REAL to the twadvise binary}"
: "${VALGRIND_LOG_DIR:?set VALGRIND_LOG_DIR}"
# valgrind-libbpf.supp: bpf(2) attribute bytes libbpf leaves unset (trace).
exec valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--suppressions="$(dirname "$0")/valgrind-libbpf.supp" --error-exitcode=99 --child-silent-after-fork=yes \
	--log-file="$VALGRIND_LOG_DIR/vg.%p.log" "$TWADVISE_REAL" "$@"
