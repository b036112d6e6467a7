#!/bin/bash
# SPDX-License-Identifier: MIT
# Scale: a recorded /proc whose net/tcp holds a million sockets (generated
# here, about 150 MB, deleted after) is inspected in bounded memory with
# exact counts: TIME_WAIT toward a few destinations plus 50,000 distinct
# ones. Then 300,000 distinct destinations, more than the destination
# table holds (TWA_DESTMAP_MAX_SLOTS): the overflow is counted as
# `untracked`, never dropped, and the state counts stay exact.
#
# Memory: the peak RSS above that of inspecting a small recorded host (the
# binary and its libraries, about 9 MB) must stay within what the capped
# destination table can take (TWA_DESTMAP_MAX_SLOTS entries of 60 bytes,
# 1.5 times that while it grows: 11.25 MB) and the per-port table of the
# ephemeral range (48 bytes a port: 1.3 MB for this range, 3 MB at most)
# plus slack, SCALE_GROWTH_KB (14336), whatever the number of sockets;
# and the total within
# SCALE_RSS_KB (24576). SCALE_LINES (1000000) and SCALE_DISTINCT (300000)
# set the sizes. The memory bounds are skipped for sanitizer and valgrind
# builds (their own overhead), and under make valgrind the files are ten
# times smaller.
. "$TESTS_DIR/lib.sh"

lines=${SCALE_LINES:-1000000}
distinct=${SCALE_DISTINCT:-300000}
rss_max=${SCALE_RSS_KB:-24576}
growth_max=${SCALE_GROWTH_KB:-14336}
check_rss=1
if [ -n "${VALGRIND_LOG_DIR:-}" ]; then
	lines=$((lines / 10)) distinct=$((distinct / 10)) check_rss=0
elif ldd "$TWADVISE" 2>/dev/null | grep -Eq 'lib(asan|ubsan|tsan)'; then
	check_rss=0
fi
avail=$(df -Pk "$TMP" | awk 'NR == 2 { print $4 }')
[ "$avail" -gt $((lines * 400 / 1000)) ] || skip "not enough space in $TMP for $lines lines"

# gen DIR KIND LINES: a /proc tree; prints the expected counts as JSON.
gen() {
	python3 - "$@" <<'PY'
import json, os, sys
root, kind, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
LO, HI = 32768, 60999          # the ephemeral range written below
NPORTS = HI - LO + 1
os.makedirs(root + '/net')
os.makedirs(root + '/sys/net/ipv4')
open(root + '/sys/net/ipv4/ip_local_port_range', 'w').write('%d\t%d\n' % (LO, HI))
open(root + '/sys/net/ipv4/ip_local_reserved_ports', 'w').write('\n')
def a(b0, b1, b2, b3):          # an IPv4 address as /proc prints it
    return '%08X' % (b0 | b1 << 8 | b2 << 16 | b3 << 24)
states = {}
dests = {}
ephemeral_tw = 0
out = open(root + '/net/tcp', 'w', buffering=1 << 20)
out.write('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n')
n = 0
def sock(local, lport, remote, rport, st, inode=0, timer=0):
    global n, ephemeral_tw
    tr = '03:00001770' if st == 6 else '00:00000000'
    out.write('%6d: %s:%04X %s:%04X %02X 00000000:00000000 %s 00000000     0        0 %d 1 0000000000000000\n'
              % (n, local, lport, remote, rport, st, tr, inode))
    n += 1
    states[st] = states.get(st, 0) + 1
    if LO <= lport <= HI:
        k = (local, remote, rport)
        dests[k] = dests.get(k, 0) + 1
        ephemeral_tw += st == 6
if kind == 'million':
    # 100 listeners, 10 SYN_SENT to one more destination, 50,000
    # ESTABLISHED each to its own destination, 18,234 CLOSE_WAIT on a
    # listener's port (not ephemeral), TIME_WAIT for the rest: every
    # ephemeral port of 33 local addresses toward one upstream.
    local = a(10, 0, 0, 1)
    zero = a(0, 0, 0, 0)
    for p in range(1, 101):
        sock(zero, p, zero, 0, 10, inode=1000 + p)
    for i in range(10):
        sock(a(10, 0, 0, 200), LO + i, a(10, 3, 0, 1), 5432, 2, inode=3000 + i)
    for i in range(50000):
        sock(local, LO + i % NPORTS, a(10, 2, i >> 8, i & 255), 8080, 1, inode=10000 + i)
    cw = 18234
    for i in range(cw):
        sock(local, 80, a(10, 4, i >> 8, i & 255), 40000 + i % 1000, 8, inode=100000 + i)
    left = total - n
    hosts = (left + NPORTS - 1) // NPORTS
    upstream = a(10, 1, 0, 1)
    for h in range(hosts):
        lo = a(10, 0, 1, 1 + h)
        for p in range(min(NPORTS, total - n)):
            sock(lo, LO + p, upstream, 80, 6)
else:
    # every socket its own destination: alternately ESTABLISHED, TIME_WAIT
    local = a(10, 0, 0, 1)
    for i in range(total):
        sock(local, LO + i % NPORTS, a(10, 5 + (i >> 16), (i >> 8) & 255, i & 255), 443,
             6 if i % 2 else 1, inode=0 if i % 2 else 1 + i)
out.close()
open(root + '/net/tcp6', 'w').write('  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n')
json.dump({'lines': n, 'states': states, 'destinations': len(dests),
           'in_ephemeral': sum(dests.values()), 'time_wait': ephemeral_tw,
           'top': max(dests.values())}, sys.stdout)
PY
}

# inspect DIR: facts JSON into $TMP/facts.json, peak RSS (KiB) into $RSS.
inspect() {
	"$HELPERS/peakrss" "$TMP/rss" "$TWADVISE" inspect --proc-root "$1" --format json \
		>"$TMP/facts.json" || fail "inspect $1: exit $?"
	RSS=$(cat "$TMP/rss")
}

check_states() {	# check_states EXPECTED_JSON
	python3 - "$1" "$TMP/facts.json" <<'PY' || fail "state counts"
import json, sys
want, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
names = 'x ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN CLOSING NEW_SYN_RECV'.split()
st = got['sockets']['states']
for i in range(1, 13):
    w = want['states'].get(str(i), 0)
    if st[names[i]] != w:
        sys.exit('%s: got %d, want %d' % (names[i], st[names[i]], w))
if got['sockets']['total'] != want['lines']:
    sys.exit('total: got %d, want %d' % (got['sockets']['total'], want['lines']))
if got['sockets']['source'] != 'proc':
    sys.exit('source %s' % got['sockets']['source'])
PY
}

# The baseline: a small recorded host.
inspect "$FIXTURES/proc/busy-host"
base=$RSS
echo "baseline (busy-host fixture): peak RSS $base KB"
check_mem() {	# check_mem WHAT
	echo "$1: peak RSS $RSS KB, $((RSS - base)) KB above the baseline"
	[ "$check_rss" = 1 ] || return 0
	[ $((RSS - base)) -le "$growth_max" ] ||
		fail "$1: peak RSS grew by $((RSS - base)) KB over the baseline, bound $growth_max KB"
	[ "$RSS" -le "$rss_max" ] || fail "$1: peak RSS $RSS KB, bound $rss_max KB"
}

# 1. A million sockets.
start=$(date +%s.%N)
gen "$TMP/million" million "$lines" > "$TMP/million.json" || fail "generating"
du -sh "$TMP/million/net/tcp"
t0=$(date +%s.%N)
inspect "$TMP/million"
t1=$(date +%s.%N)
awk -v a="$start" -v b="$t0" -v c="$t1" -v r="$RSS" -v n="$lines" \
	'BEGIN { printf "%d lines: generated in %.1fs, inspected in %.2fs, peak RSS %d KB\n", n, b - a, c - b, r }'
check_states "$TMP/million.json"
python3 - "$TMP/million.json" "$TMP/facts.json" <<'PY' || fail "destinations"
import json, sys
want, got = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
e = got['ephemeral']
assert e['complete'] is True, e['complete']
assert e['untracked'] == 0, 'untracked %d' % e['untracked']
assert e['destinations_total'] == want['destinations'], (e['destinations_total'], want['destinations'])
assert e['time_wait'] == want['time_wait'], (e['time_wait'], want['time_wait'])
d = e['destinations']
assert len(d) == 20 and d[0]['in_use'] == want['top'], d[:1]
assert all(d[i]['in_use'] >= d[i + 1]['in_use'] for i in range(len(d) - 1)), 'not sorted'
assert d[0]['share'] == 1, d[0]['share']
PY
check_mem "$lines sockets"
rm -rf "$TMP/million"

# 2. More distinct destinations than the table holds.
gen "$TMP/distinct" distinct "$distinct" > "$TMP/distinct.json" || fail "generating"
inspect "$TMP/distinct"
check_states "$TMP/distinct.json"
python3 - "$TMP/distinct.json" "$TMP/facts.json" "$distinct" <<'PY' || fail "untracked"
import json, sys
want, got, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
e = got['ephemeral']
# One socket per destination: the tracked destinations and the untracked
# sockets add up to all of them, never fewer.
print('tracked %d, untracked %d' % (e['destinations_total'], e['untracked']))
if n > 131072:
    assert e['untracked'] > 0, 'the table never filled'
assert e['destinations_total'] + e['untracked'] == want['in_ephemeral'] == n, \
    (e['destinations_total'], e['untracked'], want['in_ephemeral'])
assert e['time_wait'] == want['time_wait'], (e['time_wait'], want['time_wait'])
PY
check_mem "$distinct destinations"
rm -rf "$TMP/distinct"
pass_msg "$lines sockets and $distinct destinations in bounded memory, exact counts"
