#!/bin/bash
# SPDX-License-Identifier: MIT
# trace (eBPF): a program with a known name opens N connections closed
# client-first, M closed server-first, K connect()s failing with
# EADDRNOTAVAIL and L held in CLOSE_WAIT; trace --format json reports
# exactly those for that process and destination, and nothing from another
# network namespace. Without root it exits 69 saying so. Needs BTF and BPF:
# skips only when the kernel has neither (CI's kernel has both).
. "$TESTS_DIR/lib.sh"

[ -r /sys/kernel/btf/vmlinux ] || skip "no BTF (/sys/kernel/btf/vmlinux)"
N=5 M=3 K=4 L=2 PORT=5000
# Exactly N+M+L ephemeral ports (an even count: the kernel uses even sizes),
# no reuse: the K extra connect()s find none free.
sysctl -qw net.ipv4.ip_local_port_range="40000 40009" net.ipv4.tcp_tw_reuse=0

# Another namespace, busy at the same time: none of it may show up.
# shellcheck disable=SC2016 # $HELPERS and $0 are the inner shell's
unshare -n bash -c 'ip link set lo up; exec "$HELPERS/twa_tracegen" 6000 3 0 0 1 "$0"' "$TMP/other.ready" &
other=$!
SOCKGEN_PIDS+=("$other")

"$TWADVISE" -v trace --duration 60 --format json >"$TMP/trace.json" 2>"$TMP/trace.err" &
tr=$!
for _ in $(seq 200); do
	grep -q "tracing for" "$TMP/trace.err" && break
	kill -0 "$tr" 2>/dev/null || { cat "$TMP/trace.err" >&2; fail "trace exited early"; }
	sleep 0.05
done
grep -q "tracing for" "$TMP/trace.err" || fail "trace not attached after 10 s"

"$HELPERS/twa_tracegen" $PORT $N $M $K $L "$TMP/gen.ready" &
gen=$!
SOCKGEN_PIDS+=("$gen")
for _ in $(seq 200); do [ -s "$TMP/gen.ready" ] && [ -s "$TMP/other.ready" ] && break; sleep 0.05; done
assert_eq "$(cat "$TMP/gen.ready")" "connected=$((N + M + L)) eaddrnotavail=$K" "the generator's own count"
kill -INT "$tr"
wait "$tr" || fail "trace exited $?: $(cat "$TMP/trace.err")"
OUT=$TMP/trace.json

R="[r for r in d['trace']['rows'] if r['comm'] == 'twa_tracegen' and r['role'] == 'client' and r['address'] == '127.0.0.1' and r['port'] == $PORT]"
assert_eq "$(jget "$OUT" "len($R)")" 1 "one client row"
R="${R}[0]"
assert_eq "$(jget "$OUT" "${R}['pid']")" "$gen" "pid"
assert_eq "$(jget "$OUT" "${R}['opened']")" $((N + M + L)) "opened"
assert_eq "$(jget "$OUT" "${R}['active_close']")" $N "closed client-first"
assert_eq "$(jget "$OUT" "${R}['passive_close']")" $((M + L)) "closed server-first"
assert_eq "$(jget "$OUT" "${R}['closed']")" $((N + M)) "closed"
assert_eq "$(jget "$OUT" "${R}['still_open']")" $L "still open"
assert_eq "$(jget "$OUT" "${R}['close_wait']['count']")" $((M + L)) "CLOSE_WAIT periods"
assert_eq "$(jget "$OUT" "${R}['close_wait']['still_in_close_wait']")" $L "held in CLOSE_WAIT"
assert_eq "$(jget "$OUT" "${R}['connect_errors']['EADDRNOTAVAIL']")" $K "EADDRNOTAVAIL"
assert_eq "$(jget "$OUT" "${R}['connect_failed']")" $K "connect() failures"
jget "$OUT" "${R}['close_wait']['max_ms'] > 0" | grep -q true || fail "no CLOSE_WAIT dwell"
jget "$OUT" "sum(b['count'] for b in ${R}['lifetime']['histogram'])" | grep -qx $((N + M)) ||
	fail "lifetime histogram: $(jget "$OUT" "${R}['lifetime']")"

S="[r for r in d['trace']['rows'] if r['comm'] == 'twa-trsrv' and r['role'] == 'server' and r['port'] == $PORT][0]"
assert_eq "$(jget "$OUT" "${S}['opened']")" $((N + M + L)) "server: accepted"
assert_eq "$(jget "$OUT" "${S}['active_close']")" $((M + L)) "server: closed first"
assert_eq "$(jget "$OUT" "${S}['passive_close']")" $N "server: closed second"

assert_eq "$(jget "$OUT" "[r for r in d['trace']['rows'] if r['port'] == 6000]")" "[]" "the other namespace"
assert_eq "$(jget "$OUT" "d['trace']['overflow']")" '{"sockets": 0, "rows": 0}' "overflow"
assert_eq "$(jget "$OUT" "d['trace']['netns']")" "$(stat -L -c %i /proc/self/ns/net)" "netns"
pass_msg "trace: exact counts for $N/$M/$K/$L"

# report --trace: the facts carry "trace", valid against docs/schema.
run_tw 0 report --trace 0.2 --no-history --format json
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["facts"], open(sys.argv[2], "w"))' \
	"$OUT" "$TMP/facts.json"
assert_eq "$(jget "$TMP/facts.json" "d['trace']['available']")" true "report --trace: trace in the facts"
python3 "$TESTS_DIR/schema_check.py" "$TESTS_DIR/../../docs/schema/facts.json" "$TMP/facts.json" ||
	fail "report --trace facts do not match docs/schema/facts.json"
python3 "$TESTS_DIR/schema_check.py" "$TESTS_DIR/../../docs/schema/report.json" "$OUT" ||
	fail "report --trace does not match docs/schema/report.json"

# Text: the process and its failures are named.
run_tw 0 trace --duration 0.2
grep -q "^PROCESS" "$OUT" || fail "text header: $(cat "$OUT")"

# check --trace, in a namespace of its own (this one's ports are spent):
# ephemeral-exhaustion turns CRITICAL and names the process and destination.
# shellcheck disable=SC2016 # expanded by the inner bash
unshare -n bash -c '
	ip link set lo up
	sysctl -qw net.ipv4.ip_local_port_range="40000 40009" net.ipv4.tcp_tw_reuse=0
	"$TWADVISE" -v check --trace 60 --no-history --format json >"$0/check.json" 2>"$0/check.err" &
	tr=$!
	for _ in $(seq 200); do grep -q "tracing for" "$0/check.err" && break; sleep 0.05; done
	"$HELPERS/twa_tracegen" 5000 5 3 4 2 "$0/gen2.ready" &
	gen=$!
	for _ in $(seq 200); do [ -s "$0/gen2.ready" ] && break; sleep 0.05; done
	echo "$gen" >"$0/gen2.pid"
	kill -INT "$tr"
	wait "$tr"
	echo $? >"$0/check.rc"
	kill "$gen"
' "$TMP"
assert_eq "$(cat "$TMP/check.rc")" 2 "check --trace exit (critical)"
OUT=$TMP/check.json
E="[f for f in d['findings'] if f['rule'] == 'ephemeral-exhaustion'][0]"
assert_eq "$(jget "$OUT" "${E}['severity']")" critical "ephemeral-exhaustion severity"
jget "$OUT" "${E}['summary']" | grep -q "^twa_tracegen\[$(cat "$TMP/gen2.pid")\]: $K connect() calls failed with EADDRNOTAVAIL toward 127.0.0.1:$PORT in " ||
	fail "summary: $(jget "$OUT" "${E}['summary']")"
pass_msg "check --trace: $(jget "$OUT" "${E}['summary']")"

# Without root: exit 69, one line saying why.
command -v setpriv >/dev/null || fail "setpriv (util-linux) missing"
setpriv --reuid=65534 --regid=65534 --clear-groups "$TWADVISE" trace --duration 1 \
	>"$TMP/np.out" 2>"$TMP/np.err"
rc=$?
assert_eq "$rc" 69 "trace without root"
assert_eq "$(wc -l <"$TMP/np.err")" 1 "one line"
grep -q "needs root" "$TMP/np.err" || fail "reason: $(cat "$TMP/np.err")"
pass_msg "trace without root: 69, $(cat "$TMP/np.err")"

# check --trace without root carries on, and says tracing was unavailable.
setpriv --reuid=65534 --regid=65534 --clear-groups "$TWADVISE" check --trace 0.2 --no-history \
	--state-dir "$TMP/np-state" >"$TMP/np.out" 2>"$TMP/np.err"
rc=$?
[ "$rc" -le 2 ] || fail "check --trace without root: exit $rc: $(cat "$TMP/np.err")"
grep -q "tracing unavailable: it needs root.*carrying on without it" "$TMP/np.err" ||
	fail "check --trace without root: $(cat "$TMP/np.err")"
pass_msg "check --trace without root carries on"
