#!/bin/bash
# SPDX-License-Identifier: MIT
# make install / make uninstall with DESTDIR and PREFIX: the exact file
# list and modes, the compiled-in profile directory, paths rewritten in the
# man page and the unit, the man page renders without warnings and names
# every command and option the binary has (so does the bash completion),
# the systemd units verify, and uninstall leaves nothing but a state
# directory holding snapshots.
. "$TESTS_DIR/lib.sh"

REPO=$(cd "$TESTS_DIR/../.." && pwd)
command -v make >/dev/null || skip "make not installed"
BUILD_DIR=$TMP/build
mkdir -p "$BUILD_DIR"
# Reuse the objects of the binary under test (only profile_path.o changes
# with PREFIX); without them make builds from scratch.
src_build=$(dirname "$TWADVISE")
if [ -f "$src_build/libtwadvise.a" ] && [ -d "$src_build/cmd" ]; then
	cp -a "$src_build/advisor" "$src_build/cmd" "$src_build/libtwadvise.a" "$BUILD_DIR/"
fi

# inst TARGET DESTDIR VARS...: make install/uninstall quietly, bounded.
inst() {
	local target=$1 dest=$2
	shift 2
	timeout 300 make -s -C "$REPO" -j"$(nproc)" "$target" DESTDIR="$dest" BUILD="$BUILD_DIR" "$@" \
		>"$TMP/make.log" 2>&1 || fail "make $target DESTDIR=$dest $*: $(tail -n 30 "$TMP/make.log")"
}

R=$TMP/root
inst install "$R" PREFIX=/usr
profiles=$(cd "$REPO/profiles" && printf '%s\n' ./*.yaml | sed 's|^\./||' | sed 's|^|usr/share/twadvise/profiles/|')
want=$(sort <<EOF
usr/bin/twadvise
usr/lib/systemd/system/twadvise-check.service
usr/lib/systemd/system/twadvise-check.timer
usr/share/bash-completion/completions/twadvise
usr/share/man/man8/twadvise.8
usr/share/twadvise/ansible/examples/ansible.cfg
usr/share/twadvise/ansible/examples/apply-profile.yml
usr/share/twadvise/ansible/examples/fleet-report.yml
usr/share/twadvise/ansible/examples/inventory.example
usr/share/twadvise/ansible/library/twadvise.py
usr/share/twadvise/ansible/roles/twadvise/defaults/main.yml
usr/share/twadvise/ansible/roles/twadvise/meta/argument_specs.yml
usr/share/twadvise/ansible/roles/twadvise/meta/main.yml
usr/share/twadvise/ansible/roles/twadvise/tasks/install.yml
usr/share/twadvise/ansible/roles/twadvise/tasks/main.yml
usr/share/twadvise/ansible/roles/twadvise/tasks/timer.yml
usr/share/twadvise/ansible/roles/twadvise/vars/main.yml
usr/share/twadvise/ansible/twadvise-twadvise-$(sed -n 's/^VERSION = //p' "$REPO/Makefile").tar.gz
usr/share/twadvise/prometheus/twadvise.rules.test.yml
usr/share/twadvise/prometheus/twadvise.rules.yml
$profiles
EOF
)
got=$(cd "$R" && find . -type f -o -type l | sed 's|^\./||' | sort)
[ "$got" = "$want" ] || fail "installed files differ: $(diff <(echo "$want") <(echo "$got"))"
[ "$(stat -c %a "$R/usr/bin/twadvise")" = 755 ] || fail "binary mode"
[ -z "$(cd "$R" && find . -type f ! -path ./usr/bin/twadvise ! -perm 0644)" ] || fail "data files not 0644"
{ [ -d "$R/var/lib/twadvise" ] && [ "$(stat -c %a "$R/var/lib/twadvise")" = 700 ]; } || fail "state directory 0700"

# The binary looks for profiles where they were installed.
grep -qa '/usr/share/twadvise' "$R/usr/bin/twadvise" || fail "binary does not name /usr/share/twadvise"
! grep -qa '/usr/local/share/twadvise' "$R/usr/bin/twadvise" || fail "binary still names /usr/local/share/twadvise"
TWADVISE_PROFILE_PATH=$R/usr/share/twadvise/profiles "$R/usr/bin/twadvise" profiles show web-server >"$TMP/show" 2>&1 ||
	fail "installed binary cannot load the installed profile: $(cat "$TMP/show")"
grep -q '^ExecStart=/usr/bin/twadvise check --evidence-only --format prometheus -o ' "$R/usr/lib/systemd/system/twadvise-check.service" ||
	fail "unit ExecStart"

# The man page renders without warnings.
if command -v groff >/dev/null; then
	groff -ww -man -z "$R/usr/share/man/man8/twadvise.8" >"$TMP/groff" 2>&1 || fail "groff failed"
	[ ! -s "$TMP/groff" ] || fail "groff warnings: $(cat "$TMP/groff")"
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man --warnings -l "$R/usr/share/man/man8/twadvise.8" >"$TMP/man.txt" 2>"$TMP/man.err" ||
		fail "man -l failed: $(cat "$TMP/man.err")"
	[ ! -s "$TMP/man.err" ] || fail "man warnings: $(cat "$TMP/man.err")"
fi

# Every command and option the binary knows is in the man page and the
# completion: adding an option without documenting it fails here.
man8=$R/usr/share/man/man8/twadvise.8
comp=$REPO/packaging/completion/twadvise.bash
cmds=$("$TWADVISE" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 9 ] || fail "cannot read the command list: $cmds"
for c in $cmds; do
	grep -q "^\.SS $c\b" "$man8" || fail "man page has no section for command '$c'"
	grep -q "_twadvise_commands=.*\b$c\b" "$comp" || fail "completion lacks command '$c'"
	for o in $("$TWADVISE" help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "${o//-/\\\\-}" "$man8" || fail "man page lacks '$o' ($c)"
		grep -q -- "$o\b" "$comp" || fail "completion lacks '$o' ($c)"
	done
done

# The units verify (against the installed binary, where systemd is there).
if command -v systemd-analyze >/dev/null; then
	mkdir "$TMP/units"
	for u in service timer; do
		sed "s|/usr/bin/twadvise|$R/usr/bin/twadvise|" "$R/usr/lib/systemd/system/twadvise-check.$u" \
			>"$TMP/units/twadvise-check.$u"
	done
	timeout 60 systemd-analyze verify --man=no "$TMP/units/twadvise-check.service" "$TMP/units/twadvise-check.timer" \
		>"$TMP/verify" 2>&1 || fail "systemd-analyze verify: $(cat "$TMP/verify")"
	[ ! -s "$TMP/verify" ] || fail "systemd-analyze verify: $(cat "$TMP/verify")"
fi

inst uninstall "$R" PREFIX=/usr
left=$(cd "$R" && find . \( -type f -o -type l -o -name '*twadvise*' \) | sed 's|^\./||')
[ -z "$left" ] || fail "uninstall left: $left"

# Another prefix: the paths in the man page, the unit and the examples follow.
R2=$TMP/root2
inst install "$R2" PREFIX=/opt/tw SYSCONFDIR=/opt/tw/etc
grep -q '^ExecStart=/opt/tw/bin/twadvise check' "$R2/opt/tw/lib/systemd/system/twadvise-check.service" ||
	fail "unit ExecStart under /opt/tw"
{ grep -q '/opt/tw/share/twadvise/profiles' "$R2/opt/tw/share/man/man8/twadvise.8" &&
	grep -q '/opt/tw/etc/twadvise/profiles' "$R2/opt/tw/share/man/man8/twadvise.8"; } || fail "man page paths under /opt/tw"
grep -qa '/opt/tw/share/twadvise' "$R2/opt/tw/bin/twadvise" || fail "binary paths under /opt/tw"
[ -f "$R2/opt/tw/share/bash-completion/completions/twadvise" ] || fail "completion under /opt/tw"
# A state directory with snapshots in it survives uninstall.
mkdir "$R2/var/lib/twadvise/snapshots"
inst uninstall "$R2" PREFIX=/opt/tw SYSCONFDIR=/opt/tw/etc
left=$(cd "$R2" && find . \( -type f -o -type l -o -name '*twadvise*' \) | sed 's|^\./||')
{ [ "$left" = var/lib/twadvise ] && [ -d "$R2/var/lib/twadvise/snapshots" ]; } || fail "uninstall under /opt/tw left: $left"
pass_msg "make install/uninstall, man page, completion and units"
