#!/bin/bash
# SPDX-License-Identifier: MIT
# trace_overhead.sh - what `twadvise trace` costs a connection-heavy program:
# a loopback connect/accept/close loop at its full rate (twa_tracegen
# --loop), alternately without and with the tracer attached, in a private
# network namespace; prints both rates and their ratio.
#
#   TWADVISE=build/twadvise HELPERS=build/tests/helpers bench/trace_overhead.sh [SECS] [ROUNDS]
set -u
: "${TWADVISE:?}" "${HELPERS:?}"
SECS=${1:-3} ROUNDS=${2:-3}
# shellcheck disable=SC2016 # expanded by the inner bash
exec unshare -n bash -c '
	set -u
	TWADVISE=$1 HELPERS=$2 SECS=$3 ROUNDS=$4
	ip link set lo up
	# No TIME_WAIT kept (the loop would otherwise run out of ports), all ports.
	sysctl -qw net.ipv4.tcp_max_tw_buckets=64 net.ipv4.ip_local_port_range="1024 65535"
	tmp=$(mktemp -d /tmp/twa-trace-bench.XXXXXX)
	base=() traced=()
	for r in $(seq "$ROUNDS"); do
		base+=("$("$HELPERS/twa_tracegen" --loop 7000 "$SECS")")
		"$TWADVISE" -v trace --duration 3600 --format json >"$tmp/t.json" 2>"$tmp/t.err" &
		tr=$!
		for _ in $(seq 200); do grep -q "tracing for" "$tmp/t.err" && break; sleep 0.05; done
		grep -q "tracing for" "$tmp/t.err" || { cat "$tmp/t.err" >&2; kill "$tr"; exit 69; }
		traced+=("$("$HELPERS/twa_tracegen" --loop 7000 "$SECS")")
		kill -INT "$tr"
		wait "$tr"
		rows=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))[\"trace\"]; print(sum(r[\"opened\"] for r in t[\"rows\"]), t[\"overflow\"])" "$tmp/t.json")
		echo "round $r: ${base[-1]} conn/s without trace, ${traced[-1]} with (trace counted opened+accepted, overflow: $rows)"
	done
	rm -rf "$tmp"
	printf "%s\n" "${base[@]}" >/dev/null
	b=$(printf "%s\n" "${base[@]}" | awk "{ s += \$1 } END { print s / NR }")
	t=$(printf "%s\n" "${traced[@]}" | awk "{ s += \$1 } END { print s / NR }")
	awk -v b="$b" -v t="$t" "BEGIN { printf \"trace overhead: %.0f conn/s without, %.0f with: ratio %.3f (throughput loss %.1f%%)\\n\", b, t, t / b, 100 * (1 - t / b) }"
' bash "$TWADVISE" "$HELPERS" "$SECS" "$ROUNDS"
