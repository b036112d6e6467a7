#!/bin/sh
# SPDX-License-Identifier: MIT
# build-packages.sh - build the Debian package or the RPM from a scratch
# copy of the source tree, so no debian/ directory, tarball or build
# artefact is ever left in the tree.
#
#   packaging/build-packages.sh deb OUTDIR   dpkg-buildpackage -us -uc -b
#   packaging/build-packages.sh rpm OUTDIR   rpmbuild -bb from a tarball
#   packaging/build-packages.sh tarball OUTDIR   twadvise-VERSION.tar.gz only
#
# The copy holds the files git knows (tracked, and untracked but not
# ignored), symlinks as symlinks (the recorded /proc fixtures hold dangling
# ones: fd/N -> socket:[...], ns/net), or everything but build/ and .git/
# outside a git checkout.
# DEB_BUILD_OPTIONS=nocheck skips the unit tests of either build. On a system whose rpm
# database does not hold the build dependencies (Debian), rpmbuild runs with
# --nodeps and without a debuginfo package.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-}
out=${2:-}
case $what in
deb | rpm | tarball) ;;
*) echo "usage: $0 deb|rpm|tarball OUTDIR" >&2; exit 64 ;;
esac
[ -n "$out" ] || { echo "usage: $0 $what OUTDIR" >&2; exit 64; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(sed -n 's/^VERSION = //p' "$top/Makefile")
scratch=$(mktemp -d /tmp/twadvise-pkg.XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM
src=$scratch/twadvise-$version

# export_tree DIR: copy the source tree to DIR.
export_tree() {
	mkdir -p "$1"
	if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# shellcheck disable=SC2016 # $f is expanded by the inner sh
		git -C "$top" ls-files -z --cached --others --exclude-standard |
			(cd "$top" && xargs -0 sh -c 'for f; do { [ -e "$f" ] || [ -L "$f" ]; } && printf "%s\0" "$f"; done' sh) |
			(cd "$top" && tar --null -T - -cf -) | tar -xf - -C "$1"
	else
		(cd "$top" && tar --exclude=./build --exclude=./.git --exclude=./debian -cf - .) |
			tar -xf - -C "$1"
	fi
}

export_tree "$src"

case $what in
tarball)
	tar -C "$scratch" -czf "$out/twadvise-$version.tar.gz" "twadvise-$version"
	echo "$out/twadvise-$version.tar.gz"
	;;
deb)
	cp -r "$src/packaging/debian" "$src/debian"
	(cd "$src" && dpkg-buildpackage -us -uc -b) >"$scratch/build.log" 2>&1 || {
		tail -n 60 "$scratch/build.log" >&2
		echo "build-packages.sh: dpkg-buildpackage failed (log above)" >&2
		exit 1
	}
	for f in "$scratch"/twadvise*_*.deb "$scratch"/twadvise_*.changes "$scratch"/twadvise_*.buildinfo; do
		[ -e "$f" ] && cp "$f" "$out/" && echo "$out/$(basename "$f")"
	done
	;;
rpm)
	mkdir -p "$scratch/rpmbuild/SOURCES"
	tar -C "$scratch" -czf "$scratch/rpmbuild/SOURCES/twadvise-$version.tar.gz" "twadvise-$version"
	set -- --define "_topdir $scratch/rpmbuild"
	if ! rpm -q glibc >/dev/null 2>&1; then
		# Not an RPM system: the BuildRequires cannot be checked.
		set -- "$@" --nodeps --define "debug_package %{nil}"
	fi
	case " ${DEB_BUILD_OPTIONS:-} " in
	*" nocheck "*) set -- "$@" --without check ;;
	esac
	rpmbuild -bb "$src/packaging/rpm/twadvise.spec" "$@" >"$scratch/build.log" 2>&1 || {
		tail -n 60 "$scratch/build.log" >&2
		echo "build-packages.sh: rpmbuild failed (log above)" >&2
		exit 1
	}
	# shellcheck disable=SC2016 # $1 and $2 are the inner sh's arguments
	find "$scratch/rpmbuild/RPMS" -name '*.rpm' -exec cp {} "$out/" \; -exec sh -c 'echo "$1/$(basename "$2")"' sh "$out" {} \;
	;;
esac
