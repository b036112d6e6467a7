#!/bin/bash
# SPDX-License-Identifier: MIT
# Counters judged across runs: with no earlier check, overflows since boot
# are INFO; a burst between two checks is a WARNING that says "since the
# last check" and names the likely listener; the quiet check after it is OK;
# a changed boot id (a reboot) is INFO again. --no-history writes nothing.
# An idle namespace's profile deviations fail the default check but not
# --evidence-only.
. "$TESTS_DIR/lib.sh"

STATE="$TMP/hist"
HFILE="$STATE/history.json"
L='[f for f in d["findings"] if f["rule"] == "listen-overflow"]'
overflows() { awk '/^TcpExt:/ { if (!h) { split($0, k); h = 1 } else { split($0, v); for (i in k) if (k[i] == "ListenOverflows") print v[i] } }' /proc/net/netstat; }

# burst PORT: real ListenOverflows from a listener that never accepts, then
# the listener goes away (no queue is full at the next check).
burst() {
	sockgen --overflow "$1:2:10"
	for _ in $(seq 100); do [ "$(overflows)" -gt "${2:-0}" ] && break; sleep 0.05; done
	kill "$SOCKGEN_PID"; wait "$SOCKGEN_PID" 2>/dev/null
}

# A server with a small backlog that keeps up: the suspect to name.
python3 -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 20050)); s.listen(5); time.sleep(240)' &
PY=$!
SOCKGEN_PIDS+=("$PY")

burst 20061
n0=$(overflows)
[ "$n0" -gt 0 ] || fail "no ListenOverflows after the burst"

# 1: no history yet: the since-boot count is INFO.
"$TWADVISE" check --state-dir "$STATE" --format json >"$TMP/c1" 2>"$TMP/e1"; rc1=$?
assert_eq "$(jget "$TMP/c1" "${L}[0]['severity']")" info "run 1 severity"
jget "$TMP/c1" "${L}[0]['summary']" | grep -q "$n0 listen overflows since boot (no earlier check" ||
	fail "run 1 summary: $(jget "$TMP/c1" "${L}[0]['summary']")"
[ -f "$HFILE" ] || fail "no history file kept"
assert_eq "$(stat -c %a "$HFILE")" 600 "history file mode"
echo "run 1: ListenOverflows=$n0 status=$(jget "$TMP/c1" 'd["status"]') listen-overflow=info exit=$rc1"

# 2: a new burst since the last check: WARNING, says so, names python3.
burst 20062 "$n0"
n1=$(overflows)
run_tw 1 check --state-dir "$STATE" --format json
S=$(jget "$OUT" "${L}[0]['summary']")
assert_eq "$(jget "$OUT" "${L}[0]['severity']")" warning "run 2 severity"
assert_eq "$(jget "$OUT" "${L}[0]['kind']")" health "run 2 kind"
echo "$S" | grep -q "^$((n1 - n0)) listen overflows since the last check .* ago" || fail "run 2 summary: $S"
echo "$S" | grep -q "likely python3\[$PY\] on 127.0.0.1:20050 (backlog 5" || fail "run 2 suspect: $S"
echo "run 2: ListenOverflows=$n1 (+$((n1 - n0))) status=$(jget "$OUT" 'd["status"]') exit=1: $S"

# The text output says it too.
run_tw 0 check --state-dir "$STATE" --no-history -v
grep -q "listen-overflow: $n1 listen overflows since boot (--no-history)" "$OUT" ||
	fail "text: $(cat "$OUT")"

# 3: quiet since: OK again.
run_tw 0 check --state-dir "$STATE" --format json
assert_eq "$(jget "$OUT" "$L")" "[]" "run 3: listen-overflow back to OK"
echo "run 3: ListenOverflows=$(overflows) (+0) status=$(jget "$OUT" 'd["status"]') exit=0"

# inspect shows the same "since the last check" view and keeps nothing.
before=$(cat "$HFILE")
run_tw 0 inspect --state-dir "$STATE" --format json
assert_eq "$(jget "$OUT" 'd["history"]["state"]')" valid "inspect history state"
assert_eq "$(jget "$OUT" 'd["history"]["deltas"]["ListenOverflows"]')" 0 "inspect delta"
assert_eq "$(cat "$HFILE")" "$before" "inspect leaves the history alone"

# 4: a reboot (another boot id in the kept sample): INFO again.
python3 - "$HFILE" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for ns in d["namespaces"].values():
    ns["boot_id"] = "00000000-0000-0000-0000-000000000000"
json.dump(d, open(sys.argv[1], "w"))
PY
run_tw 0 check --state-dir "$STATE" --format json
assert_eq "$(jget "$OUT" "${L}[0]['severity']")" info "run 4 (reboot) severity"
jget "$OUT" "${L}[0]['summary']" | grep -q "since boot (rebooted since the last check)" ||
	fail "run 4 summary: $(jget "$OUT" "${L}[0]['summary']")"
echo "run 4 (boot id changed): status=$(jget "$OUT" 'd["status"]') listen-overflow=info exit=0"

# A corrupt history is ignored with a -v note and replaced; never fatal.
echo '{"schema": "twadvise.history/1", "namespaces": [' >"$HFILE"
run_tw 0 check --state-dir "$STATE" -v --format json
grep -q "note: ignoring the counter history: .*history.json" "$ERR" || fail "no note: $(cat "$ERR")"
assert_eq "$(jget "$OUT" "${L}[0]['severity']")" info "corrupt history: since boot"
jget "$HFILE" 'd["schema"]' | grep -q twadvise.history/1 || fail "corrupt file not replaced"

# A symlink is never followed, neither read nor written through.
echo '{}' >"$TMP/elsewhere"
rm -f "$HFILE"; ln -s "$TMP/elsewhere" "$HFILE"
run_tw 0 check --state-dir "$STATE" -v --format json
assert_eq "$(cat "$TMP/elsewhere")" '{}' "written through a symlink"
[ -L "$HFILE" ] || fail "symlink replaced"
rm -f "$HFILE"

# --no-history neither reads nor writes.
run_tw 0 check --state-dir "$TMP/none" --no-history --format json
[ ! -e "$TMP/none" ] || fail "--no-history created $(ls -R "$TMP/none")"
run_tw 0 inspect --state-dir "$TMP/none" --no-history --format json
assert_eq "$(jget "$OUT" 'd["history"]')" '{"state": "disabled"}' "inspect --no-history"

# Recorded facts: their own history is used, this host's is not touched.
run_tw 0 inspect --state-dir "$STATE" --format json
cp "$OUT" "$TMP/facts.json"
python3 - "$TMP/facts.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["history"] = {"previous_time": "2026-01-01T00:00:00Z", "interval_seconds": 300,
                "deltas": {"ListenOverflows": 340}}
json.dump(d, open(sys.argv[1], "w"))
PY
rm -rf "$STATE"
run_tw 1 check --state-dir "$STATE" --facts "$TMP/facts.json" --format json
jget "$OUT" "${L}[0]['summary']" | grep -q "^340 listen overflows since the last check 5 min ago" ||
	fail "recorded history: $(jget "$OUT" "${L}[0]['summary']")"
[ ! -e "$STATE" ] || fail "--facts touched the history"

# Health vs compliance: an idle namespace with the reverse-proxy profile.
unshare -n "$TWADVISE" check --state-dir "$TMP/idle" --profile reverse-proxy >"$TMP/idle1" 2>&1
rc=$?
assert_eq "$rc" 1 "default check of profile deviations: $(cat "$TMP/idle1")"
grep -q "\[compliance\]" "$TMP/idle1" || fail "kind not shown: $(cat "$TMP/idle1")"
unshare -n "$TWADVISE" check --state-dir "$TMP/idle" --profile reverse-proxy --evidence-only >"$TMP/idle2" 2>&1
rc2=$?
assert_eq "$rc2" 0 "--evidence-only: $(cat "$TMP/idle2")"
grep -q "^OK: 0 critical, 0 warning" "$TMP/idle2" || fail "evidence-only status: $(cat "$TMP/idle2")"
unshare -n "$TWADVISE" check --state-dir "$TMP/idle" --profile reverse-proxy --evidence-only --format nagios >"$TMP/idle3" 2>&1 ||
	fail "nagios --evidence-only: $(cat "$TMP/idle3")"
head -n 1 "$TMP/idle3" | grep -q '^TWADVISE OK' || fail "nagios: $(head -n 1 "$TMP/idle3")"
echo "idle reverse-proxy: default exit $rc ($(grep -c '^WARNING' "$TMP/idle1") warnings), --evidence-only exit $rc2"
pass_msg "counter history across runs, suspects named, evidence-only"
