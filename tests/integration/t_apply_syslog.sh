#!/bin/bash
# SPDX-License-Identifier: MIT
# Every apply and rollback is logged to syslog with its snapshot id. The
# test gives itself a private mount namespace with a /dev of its own, so a
# datagram listener can stand in for the journal at /dev/log without
# touching the host's /dev.
. "$TESTS_DIR/lib.sh"

echo '{"schema": "twadvise.plan/1", "profile": "logtest", "changes": [{"key": "net.ipv4.tcp_tw_reuse", "from": "2", "to": "1"}]}' > "$TMP/plan.json"
cat > "$TMP/listen.py" <<'PY'
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open(sys.argv[2], "w").close()
s.settimeout(20)
with open(sys.argv[1], "a") as out:
    try:
        while True:
            out.write(s.recv(4096).decode(errors="replace") + "\n")
            out.flush()
    except socket.timeout:
        pass
PY
# shellcheck disable=SC2016 # the script is expanded by the inner bash
unshare -m --propagation private bash -c '
	set -e
	TMP=$1 TWADVISE=$2
	mkdir "$TMP/olddev"
	mount --bind /dev "$TMP/olddev"
	mount -t tmpfs -o mode=755 tmpfs /dev
	for n in null zero full random urandom; do
		touch "/dev/$n"
		mount --bind "$TMP/olddev/$n" "/dev/$n"
	done
	python3 "$TMP/listen.py" "$TMP/syslog.txt" "$TMP/listening" &
	for i in $(seq 100); do [ -e "$TMP/listening" ] && break; sleep 0.05; done
	S="--state-dir $TMP/state --sysctl-dir $TMP"
	"$TWADVISE" apply "$TMP/plan.json" $S --format json > "$TMP/apply.json"
	"$TWADVISE" rollback --last $S --format json > "$TMP/rollback.json"
	sysctl -n net.ipv4.tcp_tw_reuse > "$TMP/after_rollback"
	# The key already at its target: only the persisted file changes.
	sysctl -qw net.ipv4.tcp_tw_reuse=1
	"$TWADVISE" apply "$TMP/plan.json" $S --persist --format json > "$TMP/persist.json"
	"$TWADVISE" rollback --last $S --format json > /dev/null
	sysctl -qw net.ipv4.tcp_tw_reuse=2
	sleep 0.3
	kill %1
' _ "$TMP" "$TWADVISE" || fail "private /dev setup or the commands failed"

snap=$(jget "$TMP/apply.json" 'd["snapshot"]')
undo=$(jget "$TMP/rollback.json" 'd["snapshot"]')
grep -q "twadvise\[[0-9]*\]: applied $TMP/plan.json profile=logtest snapshot=$snap: net.ipv4.tcp_tw_reuse=1" "$TMP/syslog.txt" ||
	fail "apply not logged: $(cat "$TMP/syslog.txt")"
grep -q "twadvise\[[0-9]*\]: rolled back snapshot=$snap (undo snapshot=$undo)" "$TMP/syslog.txt" ||
	fail "rollback not logged: $(cat "$TMP/syslog.txt")"
assert_eq "$(cat "$TMP/after_rollback")" 2 "rolled back"
psnap=$(jget "$TMP/persist.json" 'd["snapshot"]')
grep -q "twadvise\[[0-9]*\]: applied $TMP/plan.json profile=logtest snapshot=$psnap persisted=$TMP/90-twadvise.conf: $" "$TMP/syslog.txt" ||
	fail "persist-only apply not logged with an empty key list: $(cat "$TMP/syslog.txt")"
! grep -q "(null)" "$TMP/syslog.txt" || fail "(null) in syslog: $(cat "$TMP/syslog.txt")"
pass_msg "apply and rollback logged with snapshot ids"
