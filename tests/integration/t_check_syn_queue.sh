#!/bin/bash
# SPDX-License-Identifier: MIT
# The SYN queue, against the kernel (issue 18 item 3). This namespace
# listens on a veth address; a peer namespace floods it with ordinary
# non-blocking connects whose SYN-ACKs an nft rule in the peer drops, so
# every request stays in the listener's SYN queue. For tcp_syncookies 0/1 x
# listen backlog 16/1024 x tcp_max_syn_backlog 128/4096 (somaxconn 4096),
# the counter /proc/net/netstat really moved decides what syn-backlog-low
# must say (judged since the previous check: the counter history):
#   cookies 0, listen(16):           TCPReqQFullDrop (= ListenDrops): the listener's backlog
#   cookies 0, listen(1024), max 128: ListenDrops alone: 3/4 of tcp_max_syn_backlog
#   cookies 1, listen(16):           TCPReqQFullDoCookies, SyncookiesSent: no drops
#   otherwise:                       nothing; no health finding
# listen-overflow stays quiet throughout (no accept queue filled). Then the
# advised tcp_max_syn_backlog is applied and the same flood drops nothing.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/lib_veth.sh"
need_nft
peer_up
in_peer nft -f - <<'NFT' || fail "nft in the peer"
table inet twa_synack {
	chain input {
		type filter hook input priority 0;
		tcp flags & (syn | ack) == (syn | ack) drop
	}
}
NFT

COUNTERS=(ListenDrops ListenOverflows TCPReqQFullDrop TCPReqQFullDoCookies SyncookiesSent)
declare -A before grew
SB='[f for f in d["findings"] if f["rule"] == "syn-backlog-low"]'
LO='[f for f in d["findings"] if f["rule"] == "listen-overflow"]'
port=9300

# flood COOKIES BACKLOG MAX_SYN: one cell; sets grew[] and leaves the
# check's JSON in $OUT.
flood() {
	local c srv cli
	port=$((port + 1))
	sysctl -qw net.ipv4.tcp_syncookies="$1" net.ipv4.tcp_max_syn_backlog="$3"
	sockgen --addr "$HERE_ADDR" --listen "$2:$port"
	srv=$SOCKGEN_PID
	"$TWADVISE" check -q >/dev/null 2>&1 || true	# the baseline of the history
	for c in "${COUNTERS[@]}"; do before[$c]=$(counter_of "$c"); done
	peer_sockgen --addr "$HERE_ADDR" --syn "400:$port"
	cli=$SOCKGEN_PID
	sleep 2
	"$TWADVISE" check --format json > "$TMP/out" 2> "$TMP/err"
	OUT=$TMP/out
	for c in "${COUNTERS[@]}"; do grew[$c]=$(( $(counter_of "$c") - before[$c] )); done
	kill "$cli" "$srv"
	wait "$cli" "$srv" 2>/dev/null
	printf 'cell cookies=%s backlog=%s max_syn=%s:' "$1" "$2" "$3"
	for c in "${COUNTERS[@]}"; do printf ' %s+%s' "$c" "${grew[$c]}"; done
	printf '; syn-backlog-low %s\n' "$(jget "$OUT" "[(f['severity'], f['summary']) for f in $SB]")"
	assert_eq "$(jget "$OUT" "len($LO)")" 0 "listen-overflow quiet (no accept queue filled)"
}

sb() { jget "$OUT" "${SB}[0]$1"; }

for max in 128 4096; do
	flood 0 16 "$max"
	[ "${grew[TCPReqQFullDrop]}" -gt 0 ] || fail "cookies 0, listen(16): TCPReqQFullDrop did not grow"
	assert_eq "${grew[ListenDrops]}" "${grew[TCPReqQFullDrop]}" "every drop at the backlog"
	assert_eq "$(sb "['severity']")" warning "cookies 0, listen(16), max $max"
	sb "['summary']" | grep -q "the SYN queue of sockgen\[[0-9]*\] on $HERE_ADDR:$port reached its listen() backlog (16) and SYN cookies are off" ||
		fail "listener not named: $(sb "['summary']")"
	assert_eq "$(jget "$OUT" "','.join(k['key'] for k in ${SB}[0]['changes'])")" "net.ipv4.tcp_syncookies" \
		"cookies on proposed, not tcp_max_syn_backlog"
done

flood 0 1024 128
assert_eq "${grew[TCPReqQFullDrop]}" 0 "listen(1024) is not the limit"
[ "${grew[ListenDrops]}" -gt 0 ] || fail "cookies 0, max_syn 128: ListenDrops did not grow"
assert_eq "$(sb "['severity']")" warning "cookies 0, listen(1024), max 128"
sb "['summary']" | grep -q "the SYN queue of sockgen\[[0-9]*\] on $HERE_ADDR:$port passed 3/4 of net.ipv4.tcp_max_syn_backlog (128) with SYN cookies off" ||
	fail "3/4 of tcp_max_syn_backlog: $(sb "['summary']")"
target=$(jget "$OUT" "[k['to'] for k in ${SB}[0]['changes'] if k['key'] == 'net.ipv4.tcp_max_syn_backlog'][0]")

# The advised fix: the same flood then drops nothing.
flood 0 1024 "$target"
assert_eq "${grew[ListenDrops]}" 0 "after tcp_max_syn_backlog=$target"
assert_eq "$(jget "$OUT" "len($SB)")" 0 "syn-backlog-low gone after the fix"

flood 0 1024 4096
assert_eq "${grew[ListenDrops]}" 0 "cookies 0, listen(1024), max 4096: no drops"
assert_eq "$(jget "$OUT" "len($SB)")" 0 "no finding without drops"

for max in 128 4096; do
	flood 1 16 "$max"
	{ [ "${grew[TCPReqQFullDoCookies]}" -gt 0 ] && [ "${grew[SyncookiesSent]}" -gt 0 ]; } ||
		fail "cookies 1, listen(16): no cookies counted"
	assert_eq "${grew[ListenDrops]}" 0 "cookies 1: nothing dropped"
	assert_eq "$(sb "['severity']")" warning "cookies 1, listen(16), max $max"
	sb "['summary']" | grep -q "reached its listen() backlog (16); SYN cookies answered, no SYN was dropped" ||
		fail "cookies: $(sb "['summary']")"
done

flood 1 1024 128
assert_eq "${grew[ListenDrops]}${grew[TCPReqQFullDoCookies]}" 00 "cookies 1, listen(1024): nothing counted"
# Only the profile's minimum, as info: with cookies on it bounds nothing.
assert_eq "$(sb "['severity']")" info "cookies 1, max 128: compliance info"
sb "['summary']" | grep -q "bounds no SYN queue" || fail "max 128 with cookies: $(sb "['summary']")"
if sb "['summary']" | grep -q dropped; then fail "says dropped without drops"; fi

flood 1 1024 4096
assert_eq "${grew[ListenDrops]}${grew[TCPReqQFullDoCookies]}" 00 "cookies 1, listen(1024), max 4096"
assert_eq "$(jget "$OUT" "len($SB)")" 0 "nothing to say"
pass_msg "SYN queue matrix: the finding appears exactly when the kernel counts drops or cookies"
