#!/bin/bash
# SPDX-License-Identifier: MIT
# test-packages.sh - build the Debian package and the RPM from scratch
# copies of the tree, run lintian on the .deb and the .changes (errors
# fail, warnings are listed), check what each package holds, and run the
# packaged binary (extracted, read-only `check`) against its shipped
# profiles. `make package-test`; slow (two builds), so not part of `make test`.
#
#   packaging/test-packages.sh [--install]
#
# --install also installs the .deb on this host (dpkg -i), runs the
# installed twadvise, and purges it again; refused when twadvise is
# already installed. DEB_BUILD_OPTIONS=nocheck skips the unit tests inside
# both builds.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
install=0
[ "${1:-}" = --install ] && install=1
tmp=$(mktemp -d /tmp/twadvise-pkgtest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
now() { date +%s.%N; }
secs() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# expect_contents LISTING: the paths every package must hold.
expect_contents() {
	local listing=$1 p
	for p in bin/twadvise share/twadvise/profiles/default.yaml share/twadvise/profiles/web-server.yaml \
		share/twadvise/profiles/reverse-proxy.yaml share/man/man8/twadvise.8 \
		share/bash-completion/completions/twadvise systemd/system/twadvise-check.service \
		systemd/system/twadvise-check.timer share/twadvise/ansible/library/twadvise.py \
		share/twadvise/ansible/examples/fleet-report.yml share/twadvise/ansible/examples/apply-profile.yml \
		share/twadvise/ansible/twadvise-twadvise-0.1.0.tar.gz share/twadvise/ansible/roles/twadvise/tasks/main.yml \
		share/twadvise/ansible/roles/twadvise/defaults/main.yml share/twadvise/prometheus/twadvise.rules.yml \
		var/lib/twadvise; do
		grep -q "$p" "$listing" || fail "package lacks $p"
	done
	grep -Eq '^drwx------ .*var/lib/twadvise/?$' "$listing" || fail "/var/lib/twadvise is not 0700"
}

# run_extracted ROOT: the packaged binary finds its profiles where the
# package put them (checked through TWADVISE_PROFILE_PATH, as ROOT is not /).
run_extracted() {
	local root=$1 rc
	{ grep -qa '/usr/share/twadvise' "$root/usr/bin/twadvise" && ! grep -qa '/usr/local/share' "$root/usr/bin/twadvise"; } ||
		fail "packaged binary does not look in /usr/share/twadvise"
	TWADVISE_PROFILE_PATH=$root/usr/share/twadvise/profiles timeout 30 "$root/usr/bin/twadvise" \
		check --profile web-server --format json >"$tmp/check.json" 2>"$tmp/check.err"
	rc=$?
	case $rc in
	0 | 1 | 2) grep -q '"schema": "twadvise.findings/1"' "$tmp/check.json" || fail "packaged check printed no findings" ;;
	*) fail "packaged check exited $rc: $(cat "$tmp/check.err")" ;;
	esac
}

# Debian
start=$(now)
if "$top/packaging/build-packages.sh" deb "$tmp/deb" >"$tmp/deb.list"; then
	echo "deb: built in $(secs "$start") s: $(xargs -n1 basename <"$tmp/deb.list" | tr '\n' ' ')"
	deb=$(ls "$tmp"/deb/twadvise_*.deb)
	changes=$(ls "$tmp"/deb/twadvise_*.changes)
	start=$(now)
	lintian --pedantic -I --show-overrides "$changes" "$deb" >"$tmp/lintian" 2>&1
	echo "lintian ($(secs "$start") s):"
	sed 's/^/    /' "$tmp/lintian"
	if grep -q '^E:' "$tmp/lintian"; then fail "lintian errors"; else ok "no lintian errors"; fi
	dpkg-deb -c "$deb" >"$tmp/deb.contents"
	expect_contents "$tmp/deb.contents"
	dpkg-deb -x "$deb" "$tmp/deb-root"
	run_extracted "$tmp/deb-root"
	ok "deb contents and packaged binary"
	if [ $install = 1 ]; then
		if dpkg-query -W twadvise >/dev/null 2>&1; then
			fail "twadvise is already installed: not installing the test package over it"
		else
			dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$tmp/dpkg.log")"
			(cd / && timeout 30 twadvise check --profile web-server >/dev/null 2>"$tmp/inst.err")
			rc=$?
			[ $rc -le 2 ] || fail "installed twadvise check --profile web-server exited $rc: $(cat "$tmp/inst.err")"
			[ "$(stat -c %a /var/lib/twadvise)" = 700 ] || fail "installed /var/lib/twadvise not 0700"
			dpkg -P twadvise >>"$tmp/dpkg.log" 2>&1 || fail "dpkg -P: $(cat "$tmp/dpkg.log")"
			{ [ ! -e /usr/bin/twadvise ] && [ ! -e /var/lib/twadvise ]; } || fail "purge left files behind"
			ok "dpkg -i, installed check found the shipped profile, dpkg -P"
		fi
	fi
else
	fail "Debian package build"
fi

# RPM, where rpmbuild is present
if ! command -v rpmbuild >/dev/null 2>&1; then
	echo "skip: rpmbuild is not installed: no RPM built"
	echo "package-test: $failures failure(s)"
	[ $failures -eq 0 ]
	exit
fi
if rpmspec -P "$top/packaging/rpm/twadvise.spec" >"$tmp/spec.parsed" 2>"$tmp/spec.err"; then
	ok "rpmspec -P parses the spec"
else
	fail "rpmspec -P: $(cat "$tmp/spec.err")"
fi
start=$(now)
if "$top/packaging/build-packages.sh" rpm "$tmp/rpm" >"$tmp/rpm.list"; then
	echo "rpm: built in $(secs "$start") s: $(xargs -n1 basename <"$tmp/rpm.list" | tr '\n' ' ')"
	rpmfiles=("$tmp"/rpm/twadvise-[0-9]*.rpm)
	rpmfile=${rpmfiles[0]}
	rpm -qlpv "$rpmfile" 2>/dev/null | awk '{ $2 = $3 = $4 = $5 = $6 = $7 = $8 = ""; print }' |
		sed 's/  */ /g' >"$tmp/rpm.contents"
	expect_contents "$tmp/rpm.contents"
	mkdir "$tmp/rpm-root"
	(cd "$tmp/rpm-root" && rpm2cpio "$rpmfile" | cpio -idm --quiet) || fail "rpm2cpio"
	run_extracted "$tmp/rpm-root"
	ok "rpm contents and packaged binary"
else
	fail "RPM build"
fi

echo "package-test: $failures failure(s)"
[ $failures -eq 0 ]
