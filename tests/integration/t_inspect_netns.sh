#!/bin/bash
# SPDX-License-Identifier: MIT
# --netns: read another network namespace (a container's) through
# /proc/PID/ns/net. Its sockets and sysctls are its own; a missing
# namespace exits 66, one we may not enter 77.
. "$TESTS_DIR/lib.sh"

# A nested namespace holding 123 TIME_WAIT sockets and its own sysctl.
ready=$TMP/inner.ready
# shellcheck disable=SC2016 # the script is expanded by the inner bash
unshare -n bash -c 'ip link set lo up && sysctl -qw net.ipv4.tcp_tw_reuse=0 &&
	exec "$0" --tw 123:20000 --ready-file "$1" --hold 60' "$HELPERS/sockgen" "$ready" &
inner=$!
SOCKGEN_PIDS+=("$inner")
for _ in $(seq 200); do [ -f "$ready" ] && break; sleep 0.05; done
[ -f "$ready" ] || fail "inner namespace not ready"
pid=$(cat "$ready")

run_tw 0 --netns "/proc/$pid/ns/net" inspect --format json
assert_eq "$(jget "$OUT" 'd["sockets"]["states"]["TIME_WAIT"]')" 123 "TIME_WAIT in the other namespace"
assert_eq "$(jget "$OUT" 'd["sysctls"]["net.ipv4.tcp_tw_reuse"]')" 0 "its own sysctl"
assert_eq "$(jget "$OUT" 'd["host"]["netns"]')" "$(readlink "/proc/$pid/ns/net")" "netns reported"
# Here, in the test's namespace, there are none and tcp_tw_reuse is the default.
run_tw 0 inspect --format json
assert_eq "$(jget "$OUT" 'd["sockets"]["states"]["TIME_WAIT"]')" 0 "TIME_WAIT here"
assert_eq "$(jget "$OUT" 'd["sysctls"]["net.ipv4.tcp_tw_reuse"]')" 2 "sysctl here"
# The option works after the command too, and for check.
run_tw 0 check --netns "/proc/$pid/ns/net" --format json

run_tw 66 --netns "$TMP/no-such-ns" inspect
grep -q "no-such-ns: cannot open network namespace: No such file or directory" "$ERR" || fail "66 message: $(cat "$ERR")"
run_tw 66 --netns no-such-name inspect
grep -q "/run/netns/no-such-name" "$ERR" || fail "named namespace path: $(cat "$ERR")"
chmod 755 "$TMP"
setpriv --reuid=65534 --regid=65534 --clear-groups "$TWADVISE" --netns "/proc/$pid/ns/net" inspect \
	>"$TMP/np.out" 2>"$TMP/np.err"
rc=$?
[ "$rc" = 77 ] || fail "unprivileged setns: exit $rc: $(cat "$TMP/np.err")"
grep -q "ns/net" "$TMP/np.err" || fail "77 message names the path: $(cat "$TMP/np.err")"
pass_msg "--netns reads the other namespace"
