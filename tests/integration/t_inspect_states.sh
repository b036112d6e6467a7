#!/bin/bash
# SPDX-License-Identifier: MIT
# Real TIME_WAIT, CLOSE_WAIT, FIN_WAIT2 and an overflowing listener on
# loopback: inspect's counts equal ss's, the CLOSE_WAIT owner and the
# listener's queue are right, ListenOverflows grew.
. "$TESTS_DIR/lib.sh"

sockgen --tw 400:20000,20001 --close-wait 7:20010 --fin-wait2 3:20011 \
	--established 4:20012 --overflow 20013:2:8
gen=$SOCKGEN_PID

run_tw 0 inspect --format json
cp "$OUT" "$TMP/facts.json"
F=$TMP/facts.json

assert_eq "$(jget "$F" 'd["schema"]')" "twadvise.facts/1" "schema"
assert_eq "$(jget "$F" 'd["sockets"]["source"]')" "netlink" "source"
for pair in ESTABLISHED:established SYN_SENT:syn-sent TIME_WAIT:time-wait \
	    CLOSE_WAIT:close-wait FIN_WAIT2:fin-wait-2 LISTEN:listening; do
	st=${pair%%:*} ssname=${pair#*:}
	assert_eq "$(jget "$F" "d['sockets']['states']['$st']")" "$(ss_count "$ssname")" "$st vs ss"
done
assert_eq "$(jget "$F" 'd["sockets"]["states"]["TIME_WAIT"]')" 400 "TIME_WAIT"
assert_eq "$(jget "$F" 'd["sockets"]["states"]["CLOSE_WAIT"]')" 10 "CLOSE_WAIT"
assert_eq "$(jget "$F" 'len(d["sockets"]["states"])')" 12 "every state present"

# CLOSE_WAIT owner: this generator, all 10.
assert_eq "$(jget "$F" 'd["close_wait_owners"][0]["pid"]')" "$gen" "CLOSE_WAIT owner pid"
assert_eq "$(jget "$F" 'd["close_wait_owners"][0]["comm"]')" "sockgen" "CLOSE_WAIT owner comm"
assert_eq "$(jget "$F" 'd["close_wait_owners"][0]["count"]')" 10 "CLOSE_WAIT owner count"

# The listener with backlog 2, never accepted: queue 3 (backlog + 1).
L='[l for l in d["listeners"] if l["port"] == 20013][0]'
assert_eq "$(jget "$F" "${L}['backlog']")" 2 "listener backlog"
assert_eq "$(jget "$F" "${L}['queue']")" "$(ss -Hltn 'sport = :20013' | awk '{print $2}')" "listener queue vs ss"
assert_eq "$(jget "$F" "${L}['queue']")" 3 "listener queue"
assert_eq "$(jget "$F" "${L}['process']['pid']")" "$gen" "listener owner"
[ "$(jget "$F" 'd["counters"]["ListenOverflows"]')" -gt 0 ] || fail "ListenOverflows not > 0"

# Top destination: one of the two TIME_WAIT ports, 200 ports each.
assert_eq "$(jget "$F" 'd["ephemeral"]["destinations"][0]["in_use"]')" 200 "top in_use"
assert_eq "$(jget "$F" 'd["ephemeral"]["destinations"][0]["remote"]')" 127.0.0.1 "top remote"
top_port=$(jget "$F" 'd["ephemeral"]["destinations"][0]["remote_port"]')
[ "$top_port" = 20000 ] || [ "$top_port" = 20001 ] || fail "top port $top_port"
want_share=$(jget "$F" 'round(200 / d["ephemeral"]["usable"], 4)')
assert_eq "$(jget "$F" 'round(d["ephemeral"]["destinations"][0]["share"], 4)')" "$want_share" "share"

# The /proc/net/tcp path counts the same.
run_tw 0 inspect --proc --format json
assert_eq "$(jget "$OUT" 'd["sockets"]["source"]')" proc "proc source"
assert_eq "$(jget "$OUT" 'd["sockets"]["states"]')" "$(jget "$F" 'd["sockets"]["states"]')" "proc vs netlink states"
assert_eq "$(jget "$OUT" 'd["ephemeral"]["destinations"][0]["in_use"]')" 200 "proc top in_use"
pass_msg "inspect matches ss"
