#!/bin/bash
# SPDX-License-Identifier: MIT
# rollback refuses drift as apply does: an operator sets somaxconn by hand
# after an apply (6000 instead of the 4096 the apply wrote) -> rollback
# exits 75 naming key, expected and found, nothing changed; --dry-run shows
# the drift (and exits 75 too); --force restores. A snapshot of an older
# twadvise (no "written" values) is rolled back as before, with a warning.
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
sysctl -qw net.core.somaxconn=128
cat > "$TMP/somaxconn.yaml" <<'YAML'
name: somaxconn-4096
description: somaxconn 4096 (rollback drift test)
extends: default
sysctls:
  net.core.somaxconn:
    value: 4096
    reason: drift test
YAML

run_tw 0 plan --profile "$TMP/somaxconn.yaml" -o "$TMP/plan.json" "${S[@]}"
assert_eq "$(jget "$TMP/plan.json" '[(c["key"], c["from"], c["to"]) for c in d["changes"]]')" \
	'[["net.core.somaxconn", "128", "4096"]]' "plan"
run_tw 0 apply "$TMP/plan.json" "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
assert_eq "$(sysctl -n net.core.somaxconn)" 4096 "applied"
# The snapshot records the value before and the value the apply wrote.
assert_eq "$(jget "$TMP/state/snapshots/$snap.json" '[(v["key"], v["value"], v["written"]) for v in d["values"]]')" \
	'[["net.core.somaxconn", "128", "4096"]]' "snapshot values"

# The operator changes it by hand.
sysctl -qw net.core.somaxconn=6000
run_tw 75 rollback --last "${S[@]}"
grep -q "drift: net.core.somaxconn is '6000', expected '4096' (what $snap wrote)" "$ERR" ||
	fail "drift message: $(cat "$ERR")"
grep -q -- "--force" "$ERR" || fail "no way out named: $(cat "$ERR")"
assert_eq "$(sysctl -n net.core.somaxconn)" 6000 "nothing changed on drift"
assert_eq "$(nfiles "$TMP/state/snapshots")" 1 "no rollback snapshot on drift"
echo "rollback on drift: $(cat "$ERR")"

# --dry-run shows the drift, key by key, writes nothing.
run_tw 75 rollback --last --dry-run "${S[@]}"
grep -q "net.core.somaxconn .*6000 -> 128 (drifted: expected 4096, found 6000)" "$OUT" ||
	fail "dry run: $(cat "$OUT")"
echo "rollback --dry-run: $(cat "$OUT")"
run_tw 75 rollback --last --dry-run "${S[@]}" --format json
assert_eq "$(jget "$OUT" '[(k["key"], k["from"], k["to"], k["state"], k["expected"]) for k in d["keys"]]')" \
	'[["net.core.somaxconn", "6000", "128", "drifted", "4096"]]' "dry run json"
assert_eq "$(sysctl -n net.core.somaxconn)" 6000 "dry run changed nothing"

# --force restores the snapshot's value.
run_tw 0 rollback --last --force "${S[@]}"
assert_eq "$(sysctl -n net.core.somaxconn)" 128 "forced rollback"
# ... and its own snapshot records what it wrote: rolling it back is clean.
run_tw 0 rollback --last "${S[@]}"
assert_eq "$(sysctl -n net.core.somaxconn)" 6000 "rollback of the forced rollback"

# A rollback where the key already holds the restored value is no drift.
sysctl -qw net.core.somaxconn=128
run_tw 0 rollback "$snap" "${S[@]}"
grep -q "nothing to change" "$OUT" || fail "already restored: $(cat "$OUT")"

# A snapshot without "written" (twadvise before this change): no drift
# check, said so, restored as before.
old=$TMP/state/snapshots/$snap.json
python3 - "$old" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for v in d["values"]:
    del v["written"]
json.dump(d, open(sys.argv[1], "w"))
PY
sysctl -qw net.core.somaxconn=6000
run_tw 0 rollback "$snap" "${S[@]}"
grep -q "records no written values.*drift cannot be checked" "$ERR" || fail "old snapshot warning: $(cat "$ERR")"
assert_eq "$(sysctl -n net.core.somaxconn)" 128 "old snapshot restored"
pass_msg "rollback refuses drift (75), --dry-run shows it, --force restores"
