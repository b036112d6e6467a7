#!/bin/bash
# SPDX-License-Identifier: MIT
# Many applies and rollbacks started at the same instant against one state
# directory: each succeeds or exits 75 (lock held, or drift after another
# one's change), none hangs; the snapshots they leave, replayed in order,
# show writes never interleaved (each operation saw exactly the state the
# previous one left, and the host ends in the state the sequence implies);
# rolling every snapshot back, newest first, restores the original values.
# The first round starts on a state directory that does not exist yet, and
# so do CONCURRENCY_FRESH (30) more rounds of N applies that change nothing.
. "$TESTS_DIR/lib.sh"

N=${CONCURRENCY:-8}
ROUNDS=${CONCURRENCY_ROUNDS:-4}
SD=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
keys=(net.ipv4.tcp_tw_reuse net.core.somaxconn net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_syn_backlog)
before=$(sysctl "${keys[@]}")
reuse=$(sysctl -n net.ipv4.tcp_tw_reuse)
somax=$(sysctl -n net.core.somaxconn)
fin=$(sysctl -n net.ipv4.tcp_fin_timeout)
backlog=$(sysctl -n net.ipv4.tcp_max_syn_backlog)
{ [ "$reuse" != 1 ] && [ "$somax" != 8192 ] && [ "$fin" != 30 ] && [ "$backlog" != 4444 ]; } ||
	skip "unexpected starting values: $before"

plan() {	# plan FILE PROFILE KEY=FROM=TO ...
	local f=$1 profile=$2 first=1 kv k from to
	shift 2
	{
		printf '{"schema": "twadvise.plan/1", "profile": "%s", "changes": [' "$profile"
		for kv in "$@"; do
			IFS='=' read -r k from to <<<"$kv"
			[ $first = 1 ] || printf ','
			first=0
			printf '{"key": "%s", "from": "%s", "to": "%s"}' "$k" "$from" "$to"
		done
		echo ']}'
	} > "$f"
}
# a and c touch the same keys (c only applies after a); b others.
plan "$TMP/a.json" plan-a "net.ipv4.tcp_tw_reuse=$reuse=1" "net.core.somaxconn=$somax=8192"
plan "$TMP/b.json" plan-b "net.ipv4.tcp_fin_timeout=$fin=30" "net.ipv4.tcp_max_syn_backlog=$backlog=4444"
plan "$TMP/c.json" plan-c "net.ipv4.tcp_tw_reuse=1=0" "net.core.somaxconn=8192=1024"

# round R OPS...: start every op at once (they all block on one FIFO
# until it is opened for writing), wait for all, bounded.
round() {
	local r=$1 i=0 op pids=() start
	shift
	rm -f "$TMP/go"
	mkfifo "$TMP/go"
	for op in "$@"; do
		i=$((i + 1))
		(
			read -r _ <"$TMP/go"
			case $op in
			rollback) exec timeout 60 "$TWADVISE" rollback --last "${SD[@]}" --format json ;;
			*) exec timeout 60 "$TWADVISE" apply "$TMP/$op.json" "${SD[@]}" --format json ;;
			esac
		) >"$TMP/r$r.$i.out" 2>"$TMP/r$r.$i.err" &
		pids+=($!)
		echo "$op" >"$TMP/r$r.$i.op"
	done
	sleep 0.2
	start=$(date +%s.%N)
	echo go >"$TMP/go"	# opens the FIFO: every reader wakes at once
	i=0
	for p in "${pids[@]}"; do
		i=$((i + 1))
		wait "$p"
		echo $? >"$TMP/r$r.$i.rc"
	done
	awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "round %d: %.2fs\n", '"$r"', e - s }'
}

ops_first=(a a a b b b c c)
ops_more=(a b c rollback a rollback c rollback)
round 1 "${ops_first[@]:0:$N}"
for r in $(seq 2 "$ROUNDS"); do
	round "$r" "${ops_more[@]:0:$N}"
done

# Fresh state directories again and again, N applies racing to create
# each: losing the mkdir() race is no error (it was exit 73 "File exists").
fresh=${CONCURRENCY_FRESH:-30}
[ -n "${VALGRIND_LOG_DIR:-}" ] && fresh=3	# make valgrind: each run is slow
plan "$TMP/noop.json" noop "net.ipv4.tcp_fin_timeout=$fin=$fin"
for r in $(seq "$fresh"); do
	pids=()
	for i in $(seq "$N"); do
		timeout 60 "$TWADVISE" apply "$TMP/noop.json" --state-dir "$TMP/fresh$r" \
			--sysctl-dir "$TMP/sysctl.d" >/dev/null 2>"$TMP/fresh.$r.$i.err" &
		pids+=($!)
	done
	i=0
	for p in "${pids[@]}"; do
		i=$((i + 1))
		wait "$p"
		rc=$?
		[ "$rc" = 0 ] || [ "$rc" = 75 ] ||
			fail "apply $i of $N on fresh state directory $r: exit $rc: $(cat "$TMP/fresh.$r.$i.err")"
	done
	rm -rf "$TMP/fresh$r"
done

# Every operation: 0, or 75 saying why (lock or drift); never a hang (124).
ok=0 busy=0
for f in "$TMP"/r*.rc; do
	b=${f%.rc}
	rc=$(cat "$f")
	case $rc in
	0) ok=$((ok + 1)) ;;
	75) busy=$((busy + 1))
	    grep -Eq "holds the lock|drift:" "$b.err" || fail "$(cat "$b.op"): 75 without a reason: $(cat "$b.err")" ;;
	*) fail "$(cat "$b.op") exited $rc: $(cat "$b.err")" ;;
	esac
done
echo "operations: $ok succeeded, $busy exited 75"
[ "$ok" -gt 0 ] || fail "nothing succeeded"

# The snapshots, in order, against the sequence they imply.
python3 - "$TMP" "$TMP/state/snapshots" "${keys[@]}" <<'PY' || fail "snapshots do not show a serial history"
import glob, json, os, subprocess, sys
tmp, snapdir, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
def now():
    return {k: subprocess.check_output(['sysctl', '-n', k], text=True).strip() for k in keys}
plans = {}
for name in 'abc':
    p = json.load(open(os.path.join(tmp, name + '.json')))
    plans[p['profile']] = {c['key']: c['to'] for c in p['changes']}
# What each successful operation reported.
reported = set()
for out in glob.glob(os.path.join(tmp, 'r*.out')):
    if open(out[:-4] + '.rc').read().strip() != '0':
        continue
    d = json.load(open(out))
    if d.get('snapshot'):
        reported.add(d['snapshot'])
ids = sorted(f[:-5] for f in os.listdir(snapdir) if f.endswith('.json'))
if set(ids) != reported:
    sys.exit('snapshots on disk %s != snapshots reported %s' % (sorted(set(ids)), sorted(reported)))
snaps = {i: json.load(open(os.path.join(snapdir, i + '.json'))) for i in ids}
# The values before the first operation: what the first snapshot of each
# key recorded (checked below against the host's start).
state = {}
for i in ids:
    for v in snaps[i]['values']:
        state.setdefault(v['key'], v['value'])
start = dict(state)
for i in ids:
    s = snaps[i]
    for v in s['values']:
        if state[v['key']] != v['value']:
            sys.exit('%s (%s) saw %s=%s, but the operations before it left %s: interleaved'
                     % (i, s['operation'], v['key'], v['value'], state[v['key']]))
    if s['operation'] == 'apply':
        state.update(plans[s['profile']])
    else:
        state.update({v['key']: v['value'] for v in snaps[s['rolls_back']]['values']})
host = now()
for k, v in state.items():
    if host[k] != v:
        sys.exit('host has %s=%s, the sequence of %d operations implies %s' % (k, host[k], len(ids), v))
open(os.path.join(tmp, 'ids'), 'w').write('\n'.join(ids) + '\n')
open(os.path.join(tmp, 'start'), 'w').write(json.dumps(start))
print('%d snapshots replay serially' % len(ids))
PY
for k in "${keys[@]}"; do
	v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$TMP/start" "$k")
	[ -z "$v" ] || assert_eq "$v" "$(echo "$before" | sed -n "s/^$k = //p")" "first snapshot of $k"
done

# Roll everything back, newest first: the original values.
for id in $(tac "$TMP/ids"); do
	run_tw 0 rollback "$id" "${SD[@]}"
done
assert_eq "$(sysctl "${keys[@]}")" "$before" "rollback chain restores the start"
pass_msg "$ROUNDS rounds of $N concurrent operations, serial"
