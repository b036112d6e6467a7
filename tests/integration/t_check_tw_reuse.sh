#!/bin/bash
# SPDX-License-Identifier: MIT
# TIME_WAIT reuse with the kernel as the oracle: for tcp_tw_reuse 0/1/2 x a
# loopback or a non-loopback destination (one of the host's own addresses,
# on a dummy interface or lo), 900 TIME_WAIT sockets older than tcp_tw_reuse_delay
# hold a 1000-port range; `check` must call ephemeral-exhaustion CRITICAL
# exactly when 300 real connect()s then fail with EADDRNOTAVAIL, and propose
# tcp_tw_reuse=1 only where it changes reusability. Each cell runs in its
# own nested namespace so earlier cells' TIME_WAIT cannot leak into it.
# Where reuse was off, setting tcp_tw_reuse=1 makes both the CRITICAL and
# the failures go away.
. "$TESTS_DIR/lib.sh"

NONLO=10.200.0.1
PORT=20000

# check_once: run check; set SEV (ephemeral-exhaustion, "ok" when absent)
# and PROPOSE (any finding proposes tcp_tw_reuse=1: yes/no).
check_once() {
	"$TWADVISE" check --format json >"$TMP/check.json" 2>"$TMP/check.err"
	[ $? -le 2 ] || fail "check failed: $(cat "$TMP/check.err")"
	SEV=$(jget "$TMP/check.json" '([f["severity"] for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"] or ["ok"])[0]')
	PROPOSE=$(jget "$TMP/check.json" '"yes" if any(c["key"] == "net.ipv4.tcp_tw_reuse" and c["to"] == "1" for f in d["findings"] for c in f["changes"]) else "no"')
	EVID=$(jget "$TMP/check.json" '([e["value"] for f in d["findings"] if f["rule"] == "ephemeral-exhaustion" for e in f["evidence"] if e["name"] == "ports toward it"] or ["-"])[0]')
}

# connects DEST: 300 real connect()s; set OK and NOADDR.
connects() {
	local res
	res=$("$HELPERS/sockgen" --addr "$1" --connect "300:$PORT" \
		--ready-file "$TMP/connect.ready.$RANDOM" --hold 0) || fail "sockgen --connect failed"
	OK=$(sed -n 's/.*connected=\([0-9]*\).*/\1/p' <<<"$res")
	NOADDR=$(sed -n 's/.*eaddrnotavail=\([0-9]*\).*/\1/p' <<<"$res")
	{ [ -n "$OK" ] && [ -n "$NOADDR" ]; } || fail "sockgen --connect said '$res'"
}

# judge LABEL WANT_CRITICAL WANT_PROPOSE: the kernel and check agree.
judge() {
	echo "cell $1: check $SEV, tcp_tw_reuse=1 proposed: $PROPOSE, ports: $EVID; connects ok $OK, EADDRNOTAVAIL $NOADDR"
	if [ "$2" = yes ]; then
		assert_eq "$SEV" critical "$1: severity"
		[ "$NOADDR" -gt 0 ] || fail "$1: CRITICAL but every connect succeeded"
	else
		[ "$SEV" != critical ] || fail "$1: CRITICAL but the kernel reuses the ports"
		assert_eq "$OK" 300 "$1: connects that succeeded"
	fi
	assert_eq "$PROPOSE" "$3" "$1: tcp_tw_reuse=1 proposed"
}

# cell REUSE DEST WANT_CRITICAL WANT_PROPOSE [fix|young]: in a fresh
# namespace. young: tcp_tw_reuse_delay 30 s, so every TIME_WAIT is too
# young to reuse.
cell() {
	local reuse=$1 dest=$2 n
	ip link set lo up
	# One of the host's own addresses that is not loopback: on a dummy
	# interface, or on lo itself where the kernel has no dummy driver
	# (tcp_twsk_unique() looks at the addresses, not the device).
	if ip link add dummy0 type dummy 2>/dev/null; then
		{ ip addr add "$NONLO/32" dev dummy0 && ip link set dummy0 up; } || fail "dummy0 setup"
	else
		ip addr add "$NONLO/32" dev lo || fail "cannot add $NONLO"
	fi
	sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
	# Off while the TIME_WAIT are made, so none is reused on the way.
	sysctl -qw net.ipv4.tcp_tw_reuse=0
	sockgen --addr "$dest" --tw "900:$PORT" --listen "4096:$PORT"
	n=$(ss -Htan state time-wait dst "$dest:$PORT" | wc -l)
	assert_eq "$n" 900 "TIME_WAIT toward $dest:$PORT"
	sysctl -qw net.ipv4.tcp_tw_reuse="$reuse"
	if [ "${5:-}" = young ]; then
		sysctl -qw net.ipv4.tcp_tw_reuse_delay=30000 ||
			skip "no net.ipv4.tcp_tw_reuse_delay (Linux < 6.13)"
	fi
	# Older than tcp_tw_reuse_delay (1000 ms by default).
	sleep 1.3
	check_once
	connects "$dest"
	judge "reuse=$reuse $dest${5:+ ($5)}" "$3" "$4"
	[ "${5:-}" = fix ] || exit 0
	# The fix: reuse on, the finding goes away while connects succeed.
	sysctl -qw net.ipv4.tcp_tw_reuse=1
	for _ in 1 2 3; do
		check_once
		[ "$SEV" != critical ] && break
		sleep 0.5
	done
	connects "$dest"
	judge "reuse=$reuse $dest, then tcp_tw_reuse=1" no no
	exit 0
}

if [ "${1:-}" = --cell ]; then
	shift
	cell "$@"
fi

run_cell() {
	unshare -n bash "$TESTS_DIR/t_check_tw_reuse.sh" --cell "$@" || exit $?
}

run_cell 0 127.0.0.1 yes yes fix
run_cell 0 "$NONLO" yes yes
run_cell 1 127.0.0.1 no no
run_cell 1 "$NONLO" no no
run_cell 2 127.0.0.1 no no
run_cell 2 "$NONLO" yes yes fix
run_cell 1 127.0.0.1 yes no young
pass_msg "ephemeral-exhaustion is CRITICAL exactly when connect() gets EADDRNOTAVAIL"
