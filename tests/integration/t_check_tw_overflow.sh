#!/bin/bash
# SPDX-License-Identifier: MIT
# tcp_max_tw_buckets overflow: the kernel logs nothing, TCPTimeWaitOverflow
# grows. Info for the count since boot when there is no earlier check to
# compare with; warning when it grew since the last check; critical when it
# grows during --samples.
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.tcp_max_tw_buckets=50
sockgen --tw 200:20000
"$TWADVISE" check --format json >"$TMP/c1.json" 2>"$TMP/c1.err"
O='[f for f in d["findings"] if f["rule"] == "time-wait-overflow"][0]'
assert_eq "$(jget "$TMP/c1.json" "${O}['severity']")" info "first check: severity"
jget "$TMP/c1.json" "${O}['summary']" | grep -q "skipped TIME_WAIT since boot (no earlier check to compare with) because tcp_max_tw_buckets (50)" ||
	fail "summary: $(jget "$TMP/c1.json" "${O}['summary']")"

# More overflows since that check: warning, and it says so.
sockgen --tw 100:20002
run_tw 1 check --format json
assert_eq "$(jget "$OUT" "${O}['severity']")" warning "severity"
jget "$OUT" "${O}['summary']" | grep -Eq "^[0-9]+ closing sockets skipped TIME_WAIT since the last check .* ago because tcp_max_tw_buckets \(50\)" ||
	fail "summary: $(jget "$OUT" "${O}['summary']")"
assert_eq "$(jget "$OUT" "[c['to'] for c in ${O}['changes']]")" '["131072"]' "proposal"

# Growing during the samples: critical.
"$TWADVISE" check --samples 2 --interval 1.5 --format json > "$TMP/s.json" 2>"$TMP/s.err" &
chk=$!
sleep 0.5
sockgen --tw 100:20001
wait $chk
rc=$?
[ "$rc" = 2 ] || fail "sampled check exit $rc: $(cat "$TMP/s.err")"
assert_eq "$(jget "$TMP/s.json" "${O}['severity']")" critical "sampled severity"
pass_msg "TIME_WAIT overflow detected from the counter"
