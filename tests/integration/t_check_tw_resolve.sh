#!/bin/bash
# SPDX-License-Identifier: MIT
# One target per key: with 1,500 TIME_WAIT present and tcp_max_tw_buckets
# lowered to 100 afterwards, time-wait-overflow and time-wait-volume both
# fire in one run and propose ONE tcp_max_tw_buckets, never below the
# TIME_WAIT present; the plan takes that target.
. "$TESTS_DIR/lib.sh"

sockgen --tw 1500:20000
sysctl -qw net.ipv4.tcp_max_tw_buckets=100
# Closing more now overflows the (lowered) limit: TCPTimeWaitOverflow grows.
sockgen --tw 50:20001
tw=$(ss_count time-wait)
[ "$tw" -ge 1500 ] || fail "TIME_WAIT present: $tw"

run_tw 1 check --format json
rules=$(jget "$OUT" 'sorted(f["rule"] for f in d["findings"] if f["rule"].startswith("time-wait-"))')
assert_eq "$rules" '["time-wait-overflow", "time-wait-volume"]' "both rules fire"
targets=$(jget "$OUT" 'sorted({c["to"] for f in d["findings"] for c in f["changes"] if c["key"] == "net.ipv4.tcp_max_tw_buckets"})')
[ "$(jget "$OUT" 'len({c["to"] for f in d["findings"] for c in f["changes"] if c["key"] == "net.ipv4.tcp_max_tw_buckets"})')" = 1 ] ||
	fail "two targets: $targets"
target=$(jget "$OUT" '[c["to"] for f in d["findings"] for c in f["changes"] if c["key"] == "net.ipv4.tcp_max_tw_buckets"][0]')
[ "$target" -ge "$tw" ] || fail "target $target below the $tw TIME_WAIT present"
V='[f for f in d["findings"] if f["rule"] == "time-wait-volume"][0]'
jget "$OUT" "${V}['recommendation']" | grep -q "net.ipv4.tcp_max_tw_buckets: see time-wait-overflow, which proposes $target" ||
	fail "volume does not point at the target: $(jget "$OUT" "${V}['recommendation']")"

run_tw 0 plan -o "$TMP/plan.json"
assert_eq "$(jget "$TMP/plan.json" '[(c["key"], c["to"]) for c in d["changes"] if c["key"] == "net.ipv4.tcp_max_tw_buckets"]')" \
	"[[\"net.ipv4.tcp_max_tw_buckets\", \"$target\"]]" "plan: one change at the target"
echo "TIME_WAIT present $tw, tcp_max_tw_buckets 100 -> $target (targets in findings: $targets)"
pass_msg "one tcp_max_tw_buckets target ($target) >= TIME_WAIT present ($tw)"
