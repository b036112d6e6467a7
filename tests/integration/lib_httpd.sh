# SPDX-License-Identifier: MIT
# lib_httpd.sh - start and query tests/helpers/httpd.py, the loopback test server (sourced after lib.sh).
# shellcheck shell=bash

HTTPD_PY=$TESTS_DIR/../helpers/httpd.py

# httpd MODE [httpd.py ARGS...]: start a server on 127.0.0.1 and wait
# (bounded) until it listens; sets HTTPD_PORT, HTTPD_LOG and HTTPD_PID. The
# server exits by itself after HTTPD_LIFETIME seconds (default 60) and is
# killed when the test exits.
httpd() {
	local mode=$1 dir
	shift
	dir=$(mktemp -d "$TMP/httpd.XXXXXX")
	HTTPD_LOG=$dir/log
	python3 "$HTTPD_PY" --mode "$mode" --port-file "$dir/port" --log "$HTTPD_LOG" \
		--lifetime "${HTTPD_LIFETIME:-60}" "$@" &
	HTTPD_PID=$!
	SOCKGEN_PIDS+=("$HTTPD_PID")	# lib.sh's cleanup kills these
	for _ in $(seq 200); do
		if [ -s "$dir/port" ]; then
			# shellcheck disable=SC2034 # read by the tests that source this file
			HTTPD_PORT=$(cat "$dir/port")
			return 0
		fi
		kill -0 "$HTTPD_PID" 2>/dev/null || fail "httpd.py --mode $mode exited early"
		sleep 0.05
	done
	fail "httpd.py --mode $mode not listening after 10 s"
}

httpd_stop() {
	kill "$HTTPD_PID" 2>/dev/null
	wait "$HTTPD_PID" 2>/dev/null
	return 0
}

# How many requests the server has seen.
httpd_count() {
	wc -l <"$HTTPD_LOG" | tr -d ' '
}

# hget N EXPR: EXPR (Python, on the request dict `r` and its headers `h`,
# names lowercased) of the Nth request the server saw (1-based).
hget() {
	python3 -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
r = rs[int(sys.argv[2]) - 1]
h = {k.lower(): v for k, v in r["headers"].items()}
v = eval(sys.argv[3])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$HTTPD_LOG" "$1" "$2"
}

# A loopback port nothing listens on (bound, then closed).
closed_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

now_s() {
	date +%s.%N
}

elapsed_since() {
	awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}
