#!/bin/bash
# SPDX-License-Identifier: MIT
# Truncated or malformed /proc files give a clear error naming the file
# and line (65); a missing socket table is "unavailable" (69). Never a
# crash, never a silently wrong count.
. "$TESTS_DIR/lib.sh"

R=$TMP/proc
mkdir -p "$R/net" "$R/sys/net/ipv4" "$R/sys/net/core" "$R/sys/kernel"
echo test-host > "$R/sys/kernel/hostname"
printf '32768\t60999\n' > "$R/sys/net/ipv4/ip_local_port_range"
echo 2 > "$R/sys/net/ipv4/tcp_tw_reuse"
hdr='  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
good='   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0'
tw='   1: 0100007F:9C40 0100007F:4E20 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000'
printf '%s\n%s\n%s\n' "$hdr" "$good" "$tw" > "$R/net/tcp"
printf 'TCP: inuse 1 orphan 0 tw 1 alloc 1 mem 1\n' > "$R/net/sockstat"
printf 'TcpExt: ListenOverflows ListenDrops\nTcpExt: 3 4\n' > "$R/net/netstat"

run_tw 0 inspect --proc-root "$R" --format json
assert_eq "$(jget "$OUT" 'd["sockets"]["source"]')" proc "source"
assert_eq "$(jget "$OUT" 'd["sockets"]["states"]["LISTEN"]')" 1 "LISTEN"
assert_eq "$(jget "$OUT" 'd["sockets"]["states"]["TIME_WAIT"]')" 1 "TIME_WAIT"
assert_eq "$(jget "$OUT" 'd["counters"]')" '{"ListenOverflows": 3, "ListenDrops": 4}' "counters"
assert_eq "$(jget "$OUT" '"TCPTimeWaitOverflow" in d["counters"]')" false "absent counter is absent, not 0"
assert_eq "$(jget "$OUT" 'd["ephemeral"]["destinations"][0]["remote_port"]')" 20000 "destination"

# A truncated line: 65, file and line named.
printf '%s\n%s\n   1: 0100007F:9C40 0100007F:4E20 06\n' "$hdr" "$good" > "$R/net/tcp"
run_tw 65 inspect --proc-root "$R"
grep -q "$R/net/tcp:3:.*truncated line: 4 of 10 fields" "$ERR" || fail "truncated: $(cat "$ERR")"
# A bad address.
printf '%s\n   0: 0100007Z:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345\n' "$hdr" > "$R/net/tcp"
run_tw 65 inspect --proc-root "$R"
grep -q "$R/net/tcp:2:.*bad local address '0100007Z:4E20'" "$ERR" || fail "bad address: $(cat "$ERR")"
# A line longer than any the kernel writes.
{ echo "$hdr"; head -c 10000 /dev/zero | tr '\0' x; echo; } > "$R/net/tcp"
run_tw 65 inspect --proc-root "$R"
grep -q "line longer than 4096 bytes" "$ERR" || fail "long line: $(cat "$ERR")"
# A counter value that does not fit.
printf '%s\n' "$hdr" > "$R/net/tcp"
printf 'TcpExt: ListenOverflows\nTcpExt: 99999999999999999999999\n' > "$R/net/netstat"
run_tw 65 inspect --proc-root "$R"
grep -q "$R/net/netstat:2:.*bad value" "$ERR" || fail "huge value: $(cat "$ERR")"
printf 'TcpExt: A B\nTcpExt: 1\n' > "$R/net/netstat"
run_tw 65 inspect --proc-root "$R"
grep -q "fewer values than names" "$ERR" || fail "count mismatch: $(cat "$ERR")"
printf 'TcpExt: A\nTcpExt: 1\n' > "$R/net/netstat"
# A sockstat without its TCP line.
printf 'sockets: used 1\n' > "$R/net/sockstat"
run_tw 65 inspect --proc-root "$R"
grep -q "sockstat: no 'TCP:' line" "$ERR" || fail "sockstat: $(cat "$ERR")"
printf 'TCP: inuse 1 orphan 0 tw 1 alloc 1 mem 1\n' > "$R/net/sockstat"
# A bad port range sysctl.
printf '70000 1\n' > "$R/sys/net/ipv4/ip_local_port_range"
run_tw 65 inspect --proc-root "$R"
grep -q "ip_local_port_range: bad port range" "$ERR" || fail "range: $(cat "$ERR")"
printf '32768\t60999\n' > "$R/sys/net/ipv4/ip_local_port_range"
# No socket table at all: unavailable.
rm "$R/net/tcp"
run_tw 69 inspect --proc-root "$R"
grep -q "$R/net/tcp: cannot open: No such file or directory" "$ERR" || fail "missing: $(cat "$ERR")"
# check turns all of these into UNKNOWN (3).
run_tw 3 check --proc-root "$R"
pass_msg "bad /proc input refused clearly"
