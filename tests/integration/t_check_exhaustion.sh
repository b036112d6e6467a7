#!/bin/bash
# SPDX-License-Identifier: MIT
# Port exhaustion toward one destination: with a 1000-port range, 850
# TIME_WAIT sockets toward 127.0.0.1:20000 are CRITICAL (>= 80%), named,
# and the fix proposed is tcp_tw_reuse=1 and a wider range. tcp_tw_reuse=0
# keeps the TIME_WAIT ports truly unavailable (see t_check_tw_reuse.sh for
# when the kernel reuses them).
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sysctl -qw net.ipv4.tcp_tw_reuse=0
sockgen --tw 850:20000 --tw 100:20001

run_tw 2 check --format json
F=$TMP/check.json; cp "$OUT" "$F"
assert_eq "$(jget "$F" 'd["status"]')" critical "status"
E='[f for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"][0]'
assert_eq "$(jget "$F" "${E}['severity']")" critical "severity"
jget "$F" "${E}['summary']" | grep -q "toward 127.0.0.1:20000" || fail "destination not named"
jget "$F" "${E}['summary']" | grep -q "850 of 1000" || fail "count not in summary"
assert_eq "$(jget "$F" "[c['to'] for c in ${E}['changes'] if c['key'] == 'net.ipv4.tcp_tw_reuse']")" '["1"]' "tw_reuse proposal"
assert_eq "$(jget "$F" "[c['to'] for c in ${E}['changes'] if c['key'] == 'net.ipv4.ip_local_port_range']")" '["32768 60999"]' "range proposal"
# The misconception is never proposed as a cure.
assert_eq "$(jget "$F" "[c for f in d['findings'] for c in f['changes'] if c['key'] in ('net.ipv4.tcp_fin_timeout','net.ipv4.tcp_tw_recycle')]")" "[]" "no fin_timeout/tw_recycle proposal"
# The dump was needed here: nothing skipped.
assert_eq "$(jget "$F" 'd["inspected"]["skipped_states"]')" "[]" "nothing skipped"

# The same from /proc/net/tcp.
run_tw 2 check --proc --format json
assert_eq "$(jget "$OUT" "${E}['severity']")" critical "proc severity"

# Below the warning line with a wider range: 950 of 28232 is fine.
sysctl -qw net.ipv4.ip_local_port_range="32768 60999"
run_tw 0 check --format json
assert_eq "$(jget "$OUT" "[f['rule'] for f in d['findings'] if f['rule'] == 'ephemeral-exhaustion']")" "[]" "not firing"

# Nagios: CRITICAL with the worst share in perfdata.
sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
run_tw 2 check --format nagios
head -n 1 "$OUT" | grep -q '^TWADVISE CRITICAL - ' || fail "nagios: $(head -n 1 "$OUT")"
head -n 1 "$OUT" | grep -q 'ephemeral_worst=85.00%;@50.00:;@80.00:;0;100' || fail "perfdata: $(head -n 1 "$OUT")"
# --fail-on critical still exits 2; a host with only warnings would exit 0.
run_tw 2 check --fail-on critical
pass_msg "exhaustion is critical and named"
