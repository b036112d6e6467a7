#!/bin/bash
# SPDX-License-Identifier: MIT
# When the kernel refuses the second write, the first is restored; an apply
# killed between two writes is recovered by rollback --last; without the
# right to write /proc/sys nothing changes (77); a second apply while one
# holds the lock exits 75; bad plans are refused (65) before anything.
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
keys=(net.ipv4.tcp_tw_reuse net.ipv4.tcp_ecn net.core.somaxconn)
before=$(sysctl "${keys[@]}")
ecn=$(sysctl -n net.ipv4.tcp_ecn)

plan() {	# plan FILE KEY=FROM=TO ...
	local f=$1 first=1 kv
	shift
	{
		echo '{"schema": "twadvise.plan/1", "profile": "test", "changes": ['
		for kv in "$@"; do
			IFS='=' read -r k from to <<<"$kv"
			[ $first = 1 ] || echo ','
			first=0
			printf '{"key": "%s", "from": "%s", "to": "%s", "rule": "test", "reason": "test"}' "$k" "$from" "$to"
		done
		echo ']}'
	} > "$f"
}

# The kernel rejects tcp_ecn=7 (EINVAL) after tcp_tw_reuse was written.
plan "$TMP/einval.json" "net.ipv4.tcp_tw_reuse=2=1" "net.ipv4.tcp_ecn=$ecn=7"
run_tw 65 apply "$TMP/einval.json" "${S[@]}"
grep -q "net.ipv4.tcp_ecn.*Invalid argument" "$ERR" || fail "kernel error not named: $(cat "$ERR")"
grep -q "nothing changed (every key written was restored)" "$ERR" || fail "restore not said: $(cat "$ERR")"
assert_eq "$(sysctl "${keys[@]}")" "$before" "first key restored"

# SIGKILL between the first and the second write, then rollback --last
# (with the shipped binary). The pause is a test build's hook
# (twadvise-hooks, built with TWA_TEST_HOOKS): the shipped binary has none.
if grep -q TWADVISE_TEST_PAUSE "${TWADVISE_REAL:-$TWADVISE}"; then
	fail "the shipped twadvise holds the test hook"
fi
plan "$TMP/two.json" "net.ipv4.tcp_tw_reuse=2=1" "net.core.somaxconn=4096=8192"
TWADVISE_TEST_PAUSE_AFTER_WRITE=1 TWADVISE_TEST_PAUSE_FILE="$TMP/paused" \
	"$HELPERS/twadvise-hooks" apply "$TMP/two.json" "${S[@]}" > "$TMP/killed.out" 2>&1 &
victim=$!
for _ in $(seq 200); do [ -e "$TMP/paused" ] && break; sleep 0.05; done
[ -e "$TMP/paused" ] || fail "apply never reached the pause"
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "first write done"
assert_eq "$(sysctl -n net.core.somaxconn)" 4096 "second write not done"
# While it holds the lock, another apply exits 75.
run_tw 75 apply "$TMP/two.json" "${S[@]}"
grep -q "another twadvise apply or rollback holds the lock (pid $victim)" "$ERR" || fail "lock message: $(cat "$ERR")"
kill -9 $victim
wait $victim 2>/dev/null
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$before" "recovered after SIGKILL"

# Without the right to write /proc/sys: 77 with a hint, nothing changed, no snapshot.
chmod 755 "$TMP"
chmod 644 "$TMP/two.json"
mkdir "$TMP/nobody-state"
chown 65534:65534 "$TMP/nobody-state"
chmod 700 "$TMP/nobody-state"
n_snap=$(nfiles "$TMP/state/snapshots")
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$TWADVISE" apply "$TMP/two.json" --state-dir "$TMP/nobody-state" > "$TMP/np.out" 2> "$TMP/np.err"
rc=$?
[ "$rc" = 77 ] || fail "unprivileged apply: exit $rc: $(cat "$TMP/np.err")"
grep -q "needs root, or CAP_NET_ADMIN" "$TMP/np.err" || fail "hint: $(cat "$TMP/np.err")"
assert_eq "$(nfiles "$TMP/nobody-state/snapshots")" 0 "no snapshot without permission"
assert_eq "$(sysctl "${keys[@]}")" "$before" "nothing changed without permission"

# Bad plans: refused with 65 before anything is read or written.
for bad in '{"schema": "twadvise.plan/1", "changes": [{"key": "net.ipv4/../../etc", "from": "1", "to": "2"}]}' \
	   '{"schema": "twadvise.plan/1", "changes": [{"key": "kernel.modprobe", "from": "/sbin/modprobe", "to": "/tmp/x"}]}' \
	   '{"schema": "twadvise.plan/1", "changes": [{"key": "net.ipv4.tcp_tw_reuse", "from": "2", "to": "1\n"}]}' \
	   '{"schema": "twadvise.plan/1", "changes": [{"key": "net.ipv4.tcp_tw_reuse", "from": "2", "to": "9"}]}' \
	   '{"schema": "twadvise.plan/2", "changes": []}' \
	   '{"schema": "twadvise.plan/1", "changes": [' ; do
	printf '%s' "$bad" > "$TMP/bad.json"
	run_tw 65 apply "$TMP/bad.json" "${S[@]}"
	grep -q "bad.json" "$ERR" || fail "bad plan message does not name the file: $(cat "$ERR")"
done
run_tw 66 apply "$TMP/missing.json" "${S[@]}"
assert_eq "$(sysctl "${keys[@]}")" "$before" "bad plans changed nothing"
assert_eq "$(nfiles "$TMP/state/snapshots")" "$n_snap" "bad plans took no snapshot"
pass_msg "failures restore and recover"
