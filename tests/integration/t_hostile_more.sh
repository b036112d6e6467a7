#!/bin/bash
# SPDX-License-Identifier: MIT
# More hostile state (beyond t_apply_hostile): a state directory or its
# snapshots/ owned by another uid, snapshots/ a symlink, the lock replaced
# by a symlink or a directory, a stale lock file, a snapshot that is a FIFO
# or too large, the persisted file a hard link or a directory. Each is
# refused (or handled) with nothing changed and nothing written through a
# link; a stale lock file is no lock.
. "$TESTS_DIR/lib.sh"

keys=(net.ipv4.tcp_tw_reuse net.core.somaxconn)
before=$(sysctl "${keys[@]}")
reuse=$(sysctl -n net.ipv4.tcp_tw_reuse)
mkdir "$TMP/sysctl.d"
echo "{\"schema\": \"twadvise.plan/1\", \"changes\": [{\"key\": \"net.ipv4.tcp_tw_reuse\", \"from\": \"$reuse\", \"to\": \"1\"}]}" > "$TMP/plan.json"
echo "precious" > "$TMP/precious"

# unchanged WHAT: no sysctl changed, the precious file intact.
unchanged() {
	assert_eq "$(sysctl "${keys[@]}")" "$before" "$1: sysctls unchanged"
	assert_eq "$(cat "$TMP/precious")" precious "$1: nothing written through a link"
}
# fresh NAME: a good state directory with one snapshot (an apply rolled
# back), in $TMP/NAME; sets SD (its options) and SNAP (that snapshot).
fresh() {
	SD=(--state-dir "$TMP/$1" --sysctl-dir "$TMP/sysctl.d")
	run_tw 0 apply "$TMP/plan.json" "${SD[@]}" --format json
	SNAP=$(jget "$OUT" 'd["snapshot"]')
	run_tw 0 rollback "$SNAP" "${SD[@]}"
	assert_eq "$(sysctl "${keys[@]}")" "$before" "$1: set up"
}

# 1. The state directory owned by another uid (mode 0700 all the same):
# someone else's snapshots are not ours to trust or to add to.
fresh other-owner
chown -R 65534:65534 "$TMP/other-owner"
n=$(nfiles "$TMP/other-owner/snapshots")
run_tw 77 apply "$TMP/plan.json" "${SD[@]}"
grep -q "owned by uid 65534" "$ERR" || fail "owner message: $(cat "$ERR")"
run_tw 77 rollback --last "${SD[@]}"
run_tw 77 rollback "$SNAP" "${SD[@]}"
assert_eq "$(nfiles "$TMP/other-owner/snapshots")" "$n" "no snapshot added to another's directory"
unchanged "state dir of another uid"

# 2. Only snapshots/ owned by another uid.
fresh snap-owner
chown 65534:65534 "$TMP/snap-owner/snapshots"
run_tw 77 apply "$TMP/plan.json" "${SD[@]}"
grep -q "snapshots.*owned by uid 65534" "$ERR" || fail "snapshots owner message: $(cat "$ERR")"
run_tw 77 rollback --last "${SD[@]}"
unchanged "snapshots/ of another uid"

# 3. snapshots/ is a symlink to a directory elsewhere: nothing read from
# or written into the target.
fresh snap-link
mkdir -m 700 "$TMP/elsewhere"
mv "$TMP/snap-link/snapshots"/* "$TMP/elsewhere/"
rmdir "$TMP/snap-link/snapshots"
ln -s "$TMP/elsewhere" "$TMP/snap-link/snapshots"
n=$(nfiles "$TMP/elsewhere")
run_tw 77 apply "$TMP/plan.json" "${SD[@]}"
grep -q "symbolic link" "$ERR" || fail "snapshots symlink message: $(cat "$ERR")"
run_tw 77 rollback "$SNAP" "${SD[@]}"
run_tw 77 snapshots "${SD[@]}"
assert_eq "$(nfiles "$TMP/elsewhere")" "$n" "nothing written through the snapshots link"
unchanged "snapshots/ a symlink"

# 4. The lock replaced by a symlink to a file we must not touch: refused,
# and the target neither truncated nor given our pid.
fresh lock-link
rm -f "$TMP/lock-link/lock"
ln -s "$TMP/precious" "$TMP/lock-link/lock"
run_tw 77 apply "$TMP/plan.json" "${SD[@]}"
grep -q "lock" "$ERR" || fail "lock symlink message: $(cat "$ERR")"
run_tw 77 rollback --last "${SD[@]}"
unchanged "lock a symlink"
# ... or a dangling one (it must not be created through the link).
rm "$TMP/lock-link/lock"
ln -s "$TMP/lock-target" "$TMP/lock-link/lock"
run_tw 77 apply "$TMP/plan.json" "${SD[@]}"
[ ! -e "$TMP/lock-target" ] || fail "the lock was created through a dangling symlink"
unchanged "lock a dangling symlink"

# 5. The lock is a directory: refused, not a crash, nothing changed.
fresh lock-dir
rm -f "$TMP/lock-dir/lock"
mkdir "$TMP/lock-dir/lock"
"$TWADVISE" apply "$TMP/plan.json" "${SD[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
case $rc in 73|77) ;; *) fail "lock a directory: exit $rc: $(cat "$TMP/err")" ;; esac
grep -q "lock" "$TMP/err" || fail "lock directory message: $(cat "$TMP/err")"
unchanged "lock a directory"

# 6. A stale lock file (the pid of a process long gone, no flock held) is
# no lock: apply goes ahead.
fresh stale
echo 999999 > "$TMP/stale/lock"
run_tw 0 apply "$TMP/plan.json" "${SD[@]}" --format json
assert_eq "$(sysctl -n net.ipv4.tcp_tw_reuse)" 1 "applied over a stale lock file"
run_tw 0 rollback --last "${SD[@]}"
unchanged "stale lock"

# 7. A snapshot that is a FIFO: refused at once (no open() waiting for a
# writer that never comes), as is one larger than the cap.
fresh fifo
rm "$TMP/fifo/snapshots/$SNAP.json"
mkfifo -m 600 "$TMP/fifo/snapshots/$SNAP.json"
start=$(date +%s)
timeout 20 "$TWADVISE" rollback "$SNAP" "${SD[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" != 124 ] || fail "rollback hung on a FIFO snapshot"
[ "$rc" = 65 ] || fail "FIFO snapshot: exit $rc, want 65: $(cat "$TMP/err")"
grep -q "not a regular file" "$TMP/err" || fail "FIFO message: $(cat "$TMP/err")"
[ $(( $(date +%s) - start )) -lt 10 ] || fail "FIFO snapshot took too long"
rm "$TMP/fifo/snapshots/$SNAP.json"
head -c 3000000 /dev/zero | tr '\0' ' ' > "$TMP/fifo/snapshots/$SNAP.json"
chmod 600 "$TMP/fifo/snapshots/$SNAP.json"
"$TWADVISE" rollback "$SNAP" "${SD[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 65 ] || fail "a 3 MB snapshot: exit $rc, want 65 (bad data)"
grep -q "larger than" "$TMP/err" || fail "big snapshot message: $(cat "$TMP/err")"
unchanged "FIFO and huge snapshots"

# 8. The persisted file is a hard link to a file we must not touch: it is
# replaced (rename), never written in place; rollback restores the old
# content to the sysctl.d name, still without touching the other link.
SD=(--state-dir "$TMP/hardlink" --sysctl-dir "$TMP/sysctl.d")
printf '# not ours\nnet.ipv4.tcp_ecn = 2\n' > "$TMP/linked"
cp "$TMP/linked" "$TMP/linked.orig"
ln "$TMP/linked" "$TMP/sysctl.d/90-twadvise.conf"
run_tw 0 apply "$TMP/plan.json" --persist "${SD[@]}"
grep -q '^net.ipv4.tcp_tw_reuse = 1$' "$TMP/sysctl.d/90-twadvise.conf" || fail "persisted: $(cat "$TMP/sysctl.d/90-twadvise.conf")"
cmp -s "$TMP/linked" "$TMP/linked.orig" || fail "hard link target written: $(cat "$TMP/linked")"
[ "$(stat -c %h "$TMP/linked")" = 1 ] || fail "the link was written in place, not replaced"
run_tw 0 rollback --last "${SD[@]}"
cmp -s "$TMP/sysctl.d/90-twadvise.conf" "$TMP/linked.orig" || fail "old content not restored"
cmp -s "$TMP/linked" "$TMP/linked.orig" || fail "hard link target written by rollback"
rm "$TMP/sysctl.d/90-twadvise.conf"
unchanged "persisted file a hard link"

# 9. The persisted file is a directory: apply --persist fails and leaves
# no sysctl changed (all or nothing), the directory in place.
SD=(--state-dir "$TMP/persist-dir" --sysctl-dir "$TMP/sysctl.d")
mkdir "$TMP/sysctl.d/90-twadvise.conf"
"$TWADVISE" apply "$TMP/plan.json" --persist "${SD[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" != 0 ] || fail "apply --persist over a directory succeeded"
grep -q "90-twadvise.conf" "$TMP/err" || fail "persist directory message: $(cat "$TMP/err")"
[ -d "$TMP/sysctl.d/90-twadvise.conf" ] || fail "the directory was removed"
unchanged "persisted file a directory"
rmdir "$TMP/sysctl.d/90-twadvise.conf"

# 10. The state directory path is a regular file.
echo x > "$TMP/state-file"
run_tw 77 apply "$TMP/plan.json" --state-dir "$TMP/state-file" --sysctl-dir "$TMP/sysctl.d"
grep -q "not a directory" "$ERR" || fail "state file message: $(cat "$ERR")"
unchanged "state dir a file"
pass_msg "more hostile state refused"
