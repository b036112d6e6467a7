#!/bin/bash
# SPDX-License-Identifier: MIT
# An accept queue that overflows: critical, the listener named, and no
# somaxconn change proposed since the application's own backlog (2) is the
# limit. The LISTEN-only inspection agrees.
. "$TESTS_DIR/lib.sh"

sockgen --overflow 20013:2:10
gen=$SOCKGEN_PID
run_tw 2 check --format json
L='[f for f in d["findings"] if f["rule"] == "listen-overflow"][0]'
assert_eq "$(jget "$OUT" "${L}['severity']")" critical "severity"
jget "$OUT" "${L}['summary']" | grep -q "accept queue full on 127.0.0.1:20013 (sockgen\[$gen\])" ||
	fail "listener not named: $(jget "$OUT" "${L}['summary']")"
assert_eq "$(jget "$OUT" "${L}['changes']")" "[]" "no sysctl for an application backlog"

run_tw 0 inspect --listeners --format json
assert_eq "$(jget "$OUT" 'd["listeners"][0]["queue"]')" 3 "queue"
assert_eq "$(jget "$OUT" 'd["listeners"][0]["backlog"]')" 2 "backlog"
# Only LISTEN and SYN_RECV (the listeners' SYN queues) were dumped.
assert_eq "$(jget "$OUT" '"LISTEN" not in d["sockets"]["skipped"] and "SYN_RECV" not in d["sockets"]["skipped"] and len(d["sockets"]["skipped"]) == 9')" true "LISTEN-only dump"
pass_msg "listen overflow named"
