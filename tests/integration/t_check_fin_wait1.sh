#!/bin/bash
# SPDX-License-Identifier: MIT
# Orphans to dead peers (issue 18 item 4): 600 connections to a peer
# namespace, then the peer drops everything (nft) and the client exits, so
# its closed sockets sit in FIN_WAIT1 retransmitting their FIN, owned by no
# process. fin-wait1-orphans warns and proposes tcp_orphan_retries, never
# tcp_fin_timeout, and fin-wait2-orphans stays quiet. With the advised
# tcp_orphan_retries applied they are aborted (TCPAbortOnTimeout) and the
# finding goes away.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/lib_veth.sh"
need_nft
peer_up
peer_sockgen --addr "$PEER_ADDR" --listen 1024:9400
sockgen --addr "$PEER_ADDR" --open 600:9400
cli=$SOCKGEN_PID
in_peer nft -f - <<'NFT' || fail "nft in the peer"
table inet twa_dead {
	chain input {
		type filter hook input priority 0; policy drop;
	}
}
NFT
kill "$cli"
wait "$cli" 2>/dev/null
sleep 0.5
n=$(ss -Htan state fin-wait-1 | wc -l)
[ "$n" -ge 600 ] || fail "FIN_WAIT1 sockets: $n, want 600"

F='[f for f in d["findings"] if f["rule"] == "fin-wait1-orphans"]'
run_tw 1 check --format json
assert_eq "$(jget "$OUT" "${F}[0]['severity']")" warning "fin-wait1-orphans"
jget "$OUT" "${F}[0]['summary']" | grep -q "^600 orphaned sockets in FIN_WAIT1" ||
	fail "summary: $(jget "$OUT" "${F}[0]['summary']")"
assert_eq "$(jget "$OUT" "[(c['key'], c['to']) for c in ${F}[0]['changes']]")" \
	'[["net.ipv4.tcp_orphan_retries", "3"]]' "tcp_orphan_retries proposed"
assert_eq "$(jget "$OUT" "'tcp_fin_timeout' in str([f['changes'] for f in d['findings']])")" false \
	"no tcp_fin_timeout advice"
assert_eq "$(jget "$OUT" "[f['rule'] for f in d['findings'] if f['rule'] == 'fin-wait2-orphans']")" \
	"[]" "FIN_WAIT2 advice kept apart"
run_tw 0 inspect --format json
assert_eq "$(jget "$OUT" 'd["sockets"]["fin_wait1_orphans"]')" 600 "facts: orphaned FIN_WAIT1"

# The fix: they give up at their next retransmission.
aborts=$(counter_of TCPAbortOnTimeout)
sysctl -qw net.ipv4.tcp_orphan_retries=1
for _ in $(seq 150); do
	[ "$(ss -Htan state fin-wait-1 | wc -l)" = 0 ] && break
	sleep 0.2
done
assert_eq "$(ss -Htan state fin-wait-1 | wc -l)" 0 "orphans gone after tcp_orphan_retries=1"
[ "$(counter_of TCPAbortOnTimeout)" -gt "$aborts" ] || fail "TCPAbortOnTimeout did not grow"
"$TWADVISE" check --format json > "$TMP/out" 2>&1
assert_eq "$(jget "$TMP/out" "len($F)")" 0 "finding gone"
pass_msg "FIN_WAIT1 orphans to a dead peer: tcp_orphan_retries, and gone once applied"
