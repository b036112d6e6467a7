#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - make sure the Debian packages a job needs are installed.
#
#   packaging/deps.sh build|test|bench|fuzz|package|valgrind|lint
#   packaging/deps.sh --list JOB     print the packages, install nothing
#
# As root on Debian, installs what is missing (apt-get). Otherwise prints
# the exact command to run and exits 1. Prints nothing when all is there.
set -eu

# The tracer: clang compiles its BPF object, bpftool writes vmlinux.h and the
# skeleton, llvm strips it, libbpf-dev gives the headers (libbpf1 is loaded
# at run time, only by `trace`).
build="gcc make pkg-config libyaml-dev libjson-c-dev libcurl4-openssl-dev clang llvm bpftool libbpf-dev"
# prometheus: promtool checks every Prometheus output and the alert rules;
# ansible-lint checks the collection (offline); python3-jsonschema
# checks every JSON document against docs/schema (t_contracts.sh);
# nftables: integration tests drop packets inside their own namespaces.
test="$build libcmocka-dev iproute2 util-linux procps python3 ca-certificates openssl chromium ansible ansible-lint groff-base prometheus python3-jsonschema nftables"
bench="$build iproute2 util-linux procps net-tools"
fuzz="$build clang libclang-rt-14-dev"
package="$build debhelper dpkg-dev fakeroot lintian rpm bash-completion libcmocka-dev cpio ansible-core"
valgrind="$test valgrind"
# make lint: python3 runs tests/lint/structure.py, nm (binutils) reads objects.
lint="$build clang shellcheck python3 binutils"

list=0
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
case "${1:-}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
package) want=$package ;;
valgrind) want=$valgrind ;;
lint) want=$lint ;;
*) echo "usage: $0 build|test|bench|fuzz|package|valgrind|lint" >&2; exit 64 ;;
esac

if [ $list = 1 ]; then
	echo "$want"
	exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system; install the equivalents of: $want" >&2
	exit 0
fi
missing=
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "twadvise: missing packages:$missing" >&2
	echo "install them with:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them when stale.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
	apt-get update -q >&2
fi
# shellcheck disable=SC2086 # $missing is a list of package names
apt-get install -y -q --no-install-recommends $missing >&2
