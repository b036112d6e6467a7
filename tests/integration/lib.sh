# SPDX-License-Identifier: MIT
# lib.sh - shared helpers for integration tests (sourced; runs inside unshare -n).
# shellcheck shell=bash
set -u

TMP=$(mktemp -d /tmp/twadvise-test.XXXXXX)
# Counter history and snapshots stay in the test's directory, never the host's
# /var/lib/twadvise (a test may still pass its own --state-dir).
export TWADVISE_STATE_DIR="$TMP/state"
SOCKGEN_PIDS=()
cleanup() {
	local p
	for p in "${SOCKGEN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "skip: $*"; exit 77; }
pass_msg() { echo "ok: $*"; }

# Never run outside a private namespace: refuse if this looks like the host
# (a test re-run in its own pid namespace checked that before: TWA_PIDNS).
[ "${TWA_PIDNS:-}" = "$(readlink /proc/self/ns/net)" ] ||
	[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] ||
	fail "not in a private network namespace: run through tests/integration/run.sh"

# sockgen ARGS...: start the generator, wait (bounded) until it is ready,
# set SOCKGEN_PID.
sockgen() {
	local ready="$TMP/ready.$RANDOM"
	"$HELPERS/sockgen" "$@" --ready-file "$ready" --hold 240 &
	SOCKGEN_PID=$!
	SOCKGEN_PIDS+=("$SOCKGEN_PID")
	for _ in $(seq 600); do
		[ -f "$ready" ] && return 0
		kill -0 "$SOCKGEN_PID" 2>/dev/null || fail "sockgen $* exited early"
		sleep 0.05
	done
	fail "sockgen $* not ready after 30 s"
}

# jq-like access with python3: jget FILE EXPR (EXPR in Python on `d`).
jget() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval(sys.argv[2]); print(json.dumps(v) if isinstance(v,(dict,list,bool)) or v is None else v)' "$1" "$2"
}

# ss_count STATE: sockets in that state according to ss (ss state names).
ss_count() {
	ss -Htan state "$1" | wc -l
}

assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

# run_tw EXPECTED_RC ARGS...: run twadvise, keep stdout in $OUT, stderr in $ERR.
run_tw() {
	local want=$1 rc
	shift
	OUT="$TMP/out" ERR="$TMP/err"
	"$TWADVISE" "$@" >"$OUT" 2>"$ERR"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "stdout:" >&2; sed 's/^/  /' "$OUT" >&2
		echo "stderr:" >&2; sed 's/^/  /' "$ERR" >&2
		fail "twadvise $*: exit $rc, want $want"
	fi
}

# nfiles DIR: how many entries DIR holds, dot files aside (what `ls DIR | wc -l` counts).
nfiles() {
	find "$1" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l
}
