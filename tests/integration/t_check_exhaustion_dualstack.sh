#!/bin/bash
# SPDX-License-Identifier: MIT
# issue 18 item 1: IPv4-mapped connections share the IPv4 4-tuple space. A
# dual-stack listener on [::]:9100; 600 IPv4 connections to 127.0.0.1:9100
# and 400 IPv6 ones to ::ffff:127.0.0.1:9100 (tcp_v6_connect() hands them to
# tcp_v4_connect()) in a 1000-port range: a further connect of either family
# fails with EADDRNOTAVAIL, and check counts one destination of 1000 ports
# (CRITICAL), not 600 and 400 apart.
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sysctl -qw net.ipv4.tcp_tw_reuse=0
sockgen --ipv6 --addr :: --listen 4096:9100
out=$TMP/conn.out
"$HELPERS/sockgen" --connect-hold 600:9100 --ipv6 --addr ::ffff:127.0.0.1 \
	--connect-hold 400:9100 --ready-file "$TMP/held.ready" --hold 240 >"$out" &
SOCKGEN_PIDS+=("$!")
for _ in $(seq 600); do [ -f "$TMP/held.ready" ] && break; sleep 0.05; done
[ -f "$TMP/held.ready" ] || fail "held connects not ready"
assert_eq "$(sed -n 1p "$out")" "connected=600 eaddrnotavail=0 other=0" "IPv4 connects"
assert_eq "$(sed -n 2p "$out")" "connected=400 eaddrnotavail=0 other=0" "v4-mapped connects"

# One more of either family really fails.
v4=$("$HELPERS/sockgen" --connect 1:9100 --ready-file "$TMP/r4" --hold 0 | head -n 1)
v6=$("$HELPERS/sockgen" --ipv6 --addr ::ffff:127.0.0.1 --connect 1:9100 \
	--ready-file "$TMP/r6" --hold 0 | head -n 1)
assert_eq "$v4" "connected=0 eaddrnotavail=1 other=0" "further IPv4 connect"
assert_eq "$v6" "connected=0 eaddrnotavail=1 other=0" "further v4-mapped connect"

run_tw 2 check --format json
E='[f for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"][0]'
assert_eq "$(jget "$OUT" "${E}['severity']")" critical "severity"
jget "$OUT" "${E}['summary']" | grep -q "toward 127.0.0.1:9100 (from 127.0.0.1) are unavailable: 1000 of 1000" ||
	fail "summary: $(jget "$OUT" "${E}['summary']")"
echo "dual-stack: connects 600+400 ok, further v4/v6: $v4 / $v6; check: $(jget "$OUT" "${E}['summary']")"
pass_msg "v4-mapped connections share the IPv4 port space"
