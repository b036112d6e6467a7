#!/bin/bash
# SPDX-License-Identifier: MIT
# Hostile state: a persisted file or snapshot replaced by a symlink, a state
# directory writable by others, a snapshot edited to hold a bad key or one
# naming a program the kernel runs (kernel.modprobe): refused (65 or 77), nothing written through a link.
. "$TESTS_DIR/lib.sh"

S=(--state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d"
before=$(sysctl net.ipv4.tcp_tw_reuse net.core.somaxconn)
echo '{"schema": "twadvise.plan/1", "changes": [{"key": "net.ipv4.tcp_tw_reuse", "from": "2", "to": "1"}]}' > "$TMP/plan.json"

# The persisted file is a symlink to a file we must not touch.
echo "precious" > "$TMP/precious"
ln -s "$TMP/precious" "$TMP/sysctl.d/90-twadvise.conf"
run_tw 65 apply "$TMP/plan.json" --persist "${S[@]}"
grep -q "symbolic link" "$ERR" || fail "symlink message: $(cat "$ERR")"
assert_eq "$(cat "$TMP/precious")" precious "nothing written through the link"
assert_eq "$(sysctl net.ipv4.tcp_tw_reuse net.core.somaxconn)" "$before" "nothing changed"
rm "$TMP/sysctl.d/90-twadvise.conf"

# A good apply, then hostile edits of its snapshot.
run_tw 0 apply "$TMP/plan.json" --persist "${S[@]}" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
sf=$TMP/state/snapshots/$snap.json
cp "$sf" "$TMP/orig.json"
for edit in 's/"net.ipv4.tcp_tw_reuse"/"kernel.modprobe"/' \
	    's/"net.ipv4.tcp_tw_reuse"/"net.ipv4\/..\/..\/x"/' \
	    's/"value": "2"/"value": "2\\n1"/' \
	    "s|\"path\": \"[^\"]*\"|\"path\": \"$TMP/precious\"|"; do
	sed "$edit" "$TMP/orig.json" > "$sf"
	cmp -s "$sf" "$TMP/orig.json" && fail "edit '$edit' did not apply"
	run_tw 65 rollback "$snap" "${S[@]}"
	assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "edited snapshot ($edit) changed nothing"
	assert_eq "$(cat "$TMP/precious")" precious "nothing written outside sysctl.d"
done
# The snapshot replaced by a symlink.
rm "$sf"
ln -s "$TMP/orig.json" "$sf"
run_tw 65 rollback "$snap" "${S[@]}"
grep -q "symbolic link" "$ERR" || fail "snapshot symlink: $(cat "$ERR")"
rm "$sf"
cp "$TMP/orig.json" "$sf"
chmod 600 "$sf"

# A state directory writable by others: 77.
chmod 777 "$TMP/state"
run_tw 77 rollback "$snap" "${S[@]}"
grep -q "writable by others" "$ERR" || fail "mode message: $(cat "$ERR")"
run_tw 77 apply "$TMP/plan.json" --force "${S[@]}"
chmod 700 "$TMP/state"
# A state directory that is a symlink: 77.
ln -s "$TMP/state" "$TMP/state-link"
run_tw 77 rollback "$snap" --state-dir "$TMP/state-link" --sysctl-dir "$TMP/sysctl.d"

# A bad snapshot id cannot escape the directory.
run_tw 65 rollback "../../etc/passwd" "${S[@]}"
run_tw 66 rollback "no-such-snapshot" "${S[@]}"

run_tw 0 rollback "$snap" "${S[@]}"
assert_eq "$(sysctl net.ipv4.tcp_tw_reuse net.core.somaxconn)" "$before" "restored"
pass_msg "hostile state refused"
