#!/bin/bash
# SPDX-License-Identifier: MIT
# issue 18 item 2: ports taken by bind() before connect() are lost to every
# destination (__inet_hash_connect() skips a port whose bind bucket bind()
# made). 600 sockets bind(127.0.0.1, 0) + connect() over six destinations,
# then 600 plain connects toward a seventh in a 1000-port range: 200 fail
# with EADDRNOTAVAIL, and check says CRITICAL naming bind() before connect()
# and the process.
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sysctl -qw net.ipv4.tcp_tw_reuse=0
sockgen --listen 4096:9001 --listen 4096:9002 --listen 4096:9003 \
	--listen 4096:9004 --listen 4096:9005 --listen 4096:9006 --listen 4096:9100
binder=$TMP/bind.out
"$HELPERS/sockgen" --bind-connect 600:9001,9002,9003,9004,9005,9006 \
	--ready-file "$TMP/bind.ready" --hold 240 >"$binder" &
BINDER_PID=$!
SOCKGEN_PIDS+=("$BINDER_PID")
for _ in $(seq 600); do [ -f "$TMP/bind.ready" ] && break; sleep 0.05; done
[ -f "$TMP/bind.ready" ] || fail "bind-connect not ready"
assert_eq "$(sed -n 1p "$binder")" "connected=600 eaddrnotavail=0 other=0" "bind+connect"

plain=$TMP/plain.out
"$HELPERS/sockgen" --connect-hold 600:9100 --ready-file "$TMP/plain.ready" --hold 240 >"$plain" &
SOCKGEN_PIDS+=("$!")
for _ in $(seq 600); do [ -f "$TMP/plain.ready" ] && break; sleep 0.05; done
[ -f "$TMP/plain.ready" ] || fail "plain connects not ready"
assert_eq "$(sed -n 1p "$plain")" "connected=400 eaddrnotavail=200 other=0" "plain connects"

run_tw 2 check --format json
F=$TMP/check.json; cp "$OUT" "$F"
E='[f for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"][0]'
assert_eq "$(jget "$F" "${E}['severity']")" critical "severity"
S=$(jget "$F" "${E}['summary']")
grep -q "toward 127.0.0.1:9100 (from 127.0.0.1) are unavailable: 1000 of 1000" <<<"$S" || fail "summary: $S"
grep -q "600 ports are taken by bind() before connect()" <<<"$S" || fail "cause not named: $S"
who=$(jget "$F" "[e['value'] for e in ${E}['evidence'] if e['name'] == 'who binds before connect()']")
grep -q "sockgen\[$BINDER_PID\] (600 sockets)" <<<"$who" || fail "process not named: $who"
jget "$F" "${E}['recommendation']" | grep -q "IP_BIND_ADDRESS_NO_PORT" || fail "no IP_BIND_ADDRESS_NO_PORT advice"

run_tw 0 inspect --format json
assert_eq "$(jget "$OUT" 'd["ephemeral"]["bind_before_connect"]["ports"]')" 600 "facts: bind ports"
echo "bind-before-connect: binder $(sed -n 1p "$binder"), plain $(sed -n 1p "$plain"); check: $S; who: $who"
pass_msg "bind() before connect() is counted against every destination and named"
