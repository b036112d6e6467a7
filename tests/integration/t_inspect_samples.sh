#!/bin/bash
# SPDX-License-Identifier: MIT
# --samples: rates per second between the first and last sample, the
# series of state counts, and per destination the rate at which new
# TIME_WAIT sockets appear and the TIME_WAIT that rate sustains (x 60 s).
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.tcp_tw_reuse=0
"$TWADVISE" inspect --samples 3 --interval 1 --format json > "$TMP/s.json" 2> "$TMP/s.err" &
insp=$!
sleep 0.4
sockgen --tw 300:20000
sleep 0.8
sockgen --tw 400:20000
wait $insp || fail "inspect --samples failed: $(cat "$TMP/s.err")"
F=$TMP/s.json
assert_eq "$(jget "$F" 'd["rates"]["samples"]')" 3 "samples"
assert_eq "$(jget "$F" 'len(d["rates"]["series"])')" 3 "series"
assert_eq "$(jget "$F" 'd["rates"]["series"][0]["states"]["TIME_WAIT"]')" 0 "first sample"
assert_eq "$(jget "$F" 'd["rates"]["series"][2]["states"]["TIME_WAIT"]')" 700 "last sample"
# 700 new TIME_WAIT over about 2 s.
jget "$F" 'd["rates"]["states"]["TIME_WAIT"]' | awk '{ exit !($1 > 300 && $1 < 400) }' ||
	fail "TIME_WAIT rate $(jget "$F" 'd["rates"]["states"]["TIME_WAIT"]')"
jget "$F" 'd["rates"]["counters"]["ActiveOpens"]' | awk '{ exit !($1 > 300) }' || fail "ActiveOpens rate"
# The second batch (400) entered TIME_WAIT within the last interval.
D='d["ephemeral"]["destinations"][0]'
assert_eq "$(jget "$F" "${D}['remote_port']")" 20000 "destination"
assert_eq "$(jget "$F" "round(${D}['close_rate'])")" 400 "close rate of the last interval"
assert_eq "$(jget "$F" "round(${D}['projected_time_wait'])")" 24000 "projected (x 60 s)"
# check uses the projection: 24000 of 28232 usable is 85%: critical.
"$TWADVISE" check --samples 2 --interval 1 --format json > "$TMP/c.json" &
chk=$!
sleep 0.3
sockgen --tw 500:20000
wait $chk
rc=$?
[ "$rc" = 2 ] || fail "check with samples: exit $rc"
jget "$TMP/c.json" '[f["summary"] for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"][0]' |
	grep -q "at the current close rate ([0-9.]*/s) TIME_WAIT would leave [0-9]* ports unavailable" || fail "projection not used"
pass_msg "rates and projections"
