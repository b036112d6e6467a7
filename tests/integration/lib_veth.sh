# SPDX-License-Identifier: MIT
# lib_veth.sh - a peer network namespace joined to the test's by a veth pair
# (sourced after lib.sh). The test's namespace is 10.18.0.1, the peer
# 10.18.0.2; in_peer CMD... runs a command in the peer (nsenter). The peer
# is a child `unshare -n` process, killed with the test's other helpers.
# shellcheck shell=bash

HERE_ADDR=10.18.0.1
PEER_ADDR=10.18.0.2

peer_up() {
	local mine
	mine=$(readlink /proc/self/ns/net)
	command -v nsenter >/dev/null || skip "nsenter (util-linux) missing"
	unshare -n sleep 600 &
	PEER_PID=$!
	SOCKGEN_PIDS+=("$PEER_PID")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$PEER_PID/ns/net" 2>/dev/null)" != "$mine" ] && break
		sleep 0.05
	done
	ip link add twa0 type veth peer name twa1 || skip "cannot create a veth pair"
	ip link set twa1 netns "$PEER_PID" || fail "veth into the peer"
	{ ip addr add "$HERE_ADDR/24" dev twa0 && ip link set twa0 up; } || fail "veth here"
	in_peer ip link set lo up
	{ in_peer ip addr add "$PEER_ADDR/24" dev twa1 && in_peer ip link set twa1 up; } ||
		fail "veth in the peer"
	for _ in $(seq 100); do
		ip link show twa0 | grep -q LOWER_UP && return 0
		sleep 0.05
	done
	fail "veth twa0 has no carrier"
}

in_peer() {
	nsenter -t "$PEER_PID" -n "$@"
}

# peer_sockgen ARGS...: sockgen inside the peer; sets SOCKGEN_PID.
peer_sockgen() {
	local ready="$TMP/ready.$RANDOM"
	# nsenter execs sockgen: the pid is the helper's own, for cleanup to kill.
	nsenter -t "$PEER_PID" -n "$HELPERS/sockgen" "$@" --ready-file "$ready" --hold 240 &
	SOCKGEN_PID=$!
	SOCKGEN_PIDS+=("$SOCKGEN_PID")
	for _ in $(seq 600); do
		[ -f "$ready" ] && return 0
		kill -0 "$SOCKGEN_PID" 2>/dev/null || fail "peer sockgen $* exited early"
		sleep 0.05
	done
	fail "peer sockgen $* not ready after 30 s"
}

# need_nft: nft is the tool that drops packets in a namespace.
need_nft() {
	command -v nft >/dev/null || skip "nft missing (Debian package nftables; packaging/deps.sh test)"
}

# counter_of NAME: a TcpExt counter of this namespace (/proc/net/netstat
# alternates a header line and a value line per group).
counter_of() {
	awk -v want="$1" 'NR % 2 == 1 { split($0, h); next }
		{ for (i = 2; i <= NF; i++) if (h[i] == want) print $i }' /proc/net/netstat
}
