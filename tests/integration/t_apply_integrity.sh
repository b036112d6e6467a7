#!/bin/bash
# SPDX-License-Identifier: MIT
# Issue 17, the applier: nothing foreign reaches sysctl.d (a newline in a
# plan's profile, a snapshot's persist.content), long values are never cut
# (70 reserved ports, 419 bytes: plan -> apply -> snapshot -> rollback),
# every key is read back at the end (conf.all.forwarding resets
# conf.lo.forwarding), a parent of the state directory writable by another
# user is refused, a missing --sysctl-dir changes nothing (66), stale temp
# files go, and a kill -9 during apply or rollback is always finished by
# rollback --last, never undone half way.
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
CONF="$TMP/sysctl.d/90-twadvise.conf"

plan() {	# plan FILE PROFILE KEY=FROM=TO ...
	local f=$1 profile=$2 first=1 kv
	shift 2
	{
		printf '{"schema": "twadvise.plan/1", "profile": "%s", "changes": [' "$profile"
		for kv in "$@"; do
			IFS='=' read -r k from to <<<"$kv"
			[ $first = 1 ] || echo ','
			first=0
			printf '{"key": "%s", "from": "%s", "to": "%s", "rule": "test", "reason": "test"}' "$k" "$from" "$to"
		done
		echo ']}'
	} > "$f"
}
reuse=$(sysctl -n net.ipv4.tcp_tw_reuse)

# 1. A newline in the profile field: refused at parse time (65), nothing written.
plan "$TMP/inject.json" 'x\nkernel.core_pattern = |/tmp/payload %p' "net.ipv4.tcp_tw_reuse=$reuse=1"
run_tw 65 apply "$TMP/inject.json" --persist "${S[@]}"
grep -q "inject.json: profile: value has a control" "$ERR" || fail "injection message: $(cat "$ERR")"
[ ! -e "$CONF" ] || fail "persisted file written for a refused plan"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" "$reuse" "refused plan changed nothing"
# A foreign line already in our file is not carried forward.
printf 'net.ipv4.tcp_tw_reuse = 1\nkernel.core_pattern = |/tmp/payload\n' > "$CONF"
plan "$TMP/ok.json" web "net.ipv4.tcp_tw_reuse=$reuse=1"
run_tw 65 apply "$TMP/ok.json" --persist "${S[@]}"
grep -q "would not write" "$ERR" || fail "foreign line message: $(cat "$ERR")"
rm "$CONF"
# A snapshot whose persist.content carries a foreign line: refused (65).
run_tw 0 apply "$TMP/ok.json" --persist "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
grep -qx "# profile: web" "$CONF" || fail "header: $(cat "$CONF")"
python3 - "$TMP/state/snapshots/$snap.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["persist"]["existed"] = True
d["persist"]["content"] = "# x\nkernel.core_pattern = |/tmp/payload %p\n"
json.dump(d, open(sys.argv[1], "w"))
PY
run_tw 65 rollback "$snap" "${S[@]}"
grep -q "names a program the kernel runs" "$ERR" || fail "content message: $(cat "$ERR")"
grep -q core_pattern "$CONF" && fail "foreign line reached the persisted file"
rm -rf "$TMP/state" "$CONF"
sysctl -qw net.ipv4.tcp_tw_reuse="$reuse"

# 2. 70 reserved ports, 419 bytes, survive apply, snapshot and rollback exactly.
ports=$(seq 40000 2 40138 | paste -sd,)
assert_eq "${#ports}" 419 "the list is 419 bytes"
sysctl -qw net.ipv4.ip_local_reserved_ports="$ports"
assert_eq "$(sysctl -n net.ipv4.ip_local_reserved_ports)" "$ports" "kernel holds the list"
# The plan comes from a check: a listener inside the ephemeral range makes
# listener-in-ephemeral-range propose the list plus its port.
python3 -c 'import socket, time; s = socket.socket(); s.bind(("127.0.0.1", 45001)); s.listen(); time.sleep(60)' &
SOCKGEN_PIDS+=($!)
for _ in $(seq 100); do ss -Hltn 'sport = :45001' | grep -q . && break; sleep 0.05; done
run_tw 0 plan --profile web-server -o "$TMP/ports.json"
assert_eq "$(jget "$TMP/ports.json" '[c["from"] for c in d["changes"] if c["key"] == "net.ipv4.ip_local_reserved_ports"][0]')" \
	"$ports" "plan keeps the 419-byte list whole"
assert_eq "$(jget "$TMP/ports.json" '[c["to"] for c in d["changes"] if c["key"] == "net.ipv4.ip_local_reserved_ports"][0]')" \
	"$ports,45001" "plan proposes the list plus the listener"
run_tw 0 apply "$TMP/ports.json" --persist "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
assert_eq "$(sysctl -n net.ipv4.ip_local_reserved_ports)" "$ports,45001" "applied whole"
assert_eq "$(jget "$TMP/state/snapshots/$snap.json" '[v["value"] for v in d["values"] if v["key"] == "net.ipv4.ip_local_reserved_ports"][0]')" \
	"$ports" "snapshot whole"
grep -qx "net.ipv4.ip_local_reserved_ports = $ports,45001" "$CONF" || fail "persisted cut: $(cat "$CONF")"
run_tw 0 apply "$TMP/ports.json" --persist "${S[@]}"
grep -q "nothing to change" "$OUT" || fail "second apply saw drift: $(cat "$OUT")"
run_tw 0 rollback "$snap" "${S[@]}"
assert_eq "$(sysctl -n net.ipv4.ip_local_reserved_ports)" "$ports" "rolled back whole"
[ ! -e "$CONF" ] || fail "persisted file not removed by rollback"
sysctl -qw net.ipv4.ip_local_reserved_ports=

# 3. Writing conf.all.forwarding resets conf.lo.forwarding: every key is
# read back at the end, written again when another write changed it.
sysctl -qw net.ipv4.conf.all.forwarding=1 net.ipv4.conf.lo.forwarding=0
plan "$TMP/fwd.json" fwd "net.ipv4.conf.lo.forwarding=0=1" "net.ipv4.conf.all.forwarding=1=0"
run_tw 0 apply "$TMP/fwd.json" "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
assert_eq "$(sysctl -n net.ipv4.conf.all.forwarding) $(sysctl -n net.ipv4.conf.lo.forwarding)" "0 1" "apply: both keys hold"
run_tw 0 rollback "$snap" "${S[@]}"
assert_eq "$(sysctl -n net.ipv4.conf.all.forwarding) $(sysctl -n net.ipv4.conf.lo.forwarding)" "1 0" "rollback: both keys restored"
sysctl -qw net.ipv4.conf.all.forwarding=0

# 4. A parent of the state directory owned by another user: refused (77)
# before anything, for every attempt.
chmod 755 "$TMP"
mkdir -p "$TMP/evil/state"
chown 65534:65534 "$TMP/evil"
plan "$TMP/p4.json" web "net.ipv4.tcp_tw_reuse=$reuse=1"
run_tw 77 apply "$TMP/p4.json" --state-dir "$TMP/evil/state" --sysctl-dir "$TMP/sysctl.d"
grep -q "owned by uid 65534" "$ERR" || fail "parent owner message: $(cat "$ERR")"
# ... and the exchange that race needs is within that user's reach:
setpriv --reuid=65534 --regid=65534 --clear-groups mv "$TMP/evil/state" "$TMP/evil/theirs" ||
	fail "the test user cannot rename in the parent (test setup)"
mv "$TMP/evil/theirs" "$TMP/evil/state"
chown 0:0 "$TMP/evil" && chmod 777 "$TMP/evil"
run_tw 77 apply "$TMP/p4.json" --state-dir "$TMP/evil/state" --sysctl-dir "$TMP/sysctl.d"
grep -q "writable by group or others" "$ERR" || fail "parent mode message: $(cat "$ERR")"
run_tw 77 apply "$TMP/p4.json" --persist --state-dir "$TMP/state" --sysctl-dir "$TMP/evil"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" "$reuse" "untrusted paths changed nothing"

# 5. A missing --sysctl-dir: 66 before anything is written or saved.
n_snap=$(nfiles "$TMP/state/snapshots")
run_tw 66 apply "$TMP/p4.json" --persist --state-dir "$TMP/state" --sysctl-dir "$TMP/nowhere"
grep -q "does not exist: nothing changed" "$ERR" || fail "missing dir message: $(cat "$ERR")"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" "$reuse" "missing sysctl dir changed nothing"
assert_eq "$(nfiles "$TMP/state/snapshots")" "$n_snap" "missing sysctl dir took no snapshot"

# 6. Kill -9 during apply and during rollback, at each write in turn:
# rollback --last always ends at the values from before the plan.
keys=(net.ipv4.tcp_tw_reuse net.core.somaxconn net.ipv4.tcp_fin_timeout)
before=$(sysctl "${keys[@]}")
fin=$(sysctl -n net.ipv4.tcp_fin_timeout)
som=$(sysctl -n net.core.somaxconn)
plan "$TMP/three.json" web "net.ipv4.tcp_tw_reuse=$reuse=1" "net.core.somaxconn=$som=8192" \
	"net.ipv4.tcp_fin_timeout=$fin=30"
killed_at() {	# killed_at N CMD...: run the hooks build, kill -9 after write N
	local n=$1 victim
	shift
	rm -f "$TMP/paused"
	TWADVISE_TEST_PAUSE_AFTER_WRITE=$n TWADVISE_TEST_PAUSE_FILE="$TMP/paused" \
		"$HELPERS/twadvise-hooks" "$@" "${S[@]}" > /dev/null 2>&1 &
	victim=$!
	for _ in $(seq 200); do [ -e "$TMP/paused" ] && break; sleep 0.02; done
	[ -e "$TMP/paused" ] || fail "$* never reached write $n"
	kill -9 $victim
	wait $victim 2>/dev/null
}
for i in $(seq 10); do
	n=$(( (i - 1) % 3 + 1 ))
	killed_at $n apply "$TMP/three.json" --persist
	: > "$TMP/sysctl.d/90-twadvise.conf.tmp.4242.1"	# as a killed replace leaves it
	run_tw 0 rollback --last "${S[@]}"
	assert_eq "$(sysctl "${keys[@]}")" "$before" "apply killed after write $n, rolled back"
	[ ! -e "$TMP/sysctl.d/90-twadvise.conf.tmp.4242.1" ] || fail "stale temp file kept"
done
for i in $(seq 10); do
	n=$(( (i - 1) % 3 + 1 ))
	run_tw 0 apply "$TMP/three.json" --persist "${S[@]}"
	killed_at $n rollback --last
	[ -e "$TMP/state/rollback-in-progress" ] || fail "no rollback mark after kill at $n"
	run_tw 75 apply "$TMP/three.json" "${S[@]}"
	grep -q "was interrupted" "$ERR" || fail "apply over a mark: $(cat "$ERR")"
	run_tw 0 rollback --last "${S[@]}"
	assert_eq "$(sysctl "${keys[@]}")" "$before" "rollback killed after write $n, finished"
	[ ! -e "$TMP/state/rollback-in-progress" ] || fail "rollback mark left"
	[ ! -e "$CONF" ] || fail "persisted file left after the finished rollback"
done
# The finished rollback can itself be undone, back to the plan's values.
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl -n net.core.somaxconn)" 8192 "undo of the finished rollback"
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$before" "and back"
pass_msg "applier integrity: grammar, long values, read-back, trusted paths, kill -9"
