#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - run every tests/integration/t_*.sh, each in a private network
# namespace (unshare -n, loopback up) so no test touches the host's sockets
# or sysctls. Needs root (or user namespaces) and util-linux's unshare.
#
#   TWADVISE=build/twadvise HELPERS=build/tests/helpers tests/integration/run.sh [t_name ...]
#
# A test exits 0 (pass), 77 (skip: say why) or anything else (fail).
# CI sets TWADVISE_NO_SKIP=1: there a skip counts as a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TWADVISE:?set TWADVISE to the twadvise binary}"
: "${HELPERS:?set HELPERS to the helper binaries directory}"
export TWADVISE HELPERS TESTS_DIR="$here" FIXTURES="$here/../fixtures"

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("$here"/t_*.sh)
fi

if ! unshare -n true 2>/dev/null; then
	echo "integration: cannot create a network namespace (unshare -n): run as root" >&2
	[ "${TWADVISE_NO_SKIP:-0}" = 1 ] && exit 1
	exit 77
fi

# The host's sysctls before: compared after every test.
host_before=$(sysctl -a 2>/dev/null | grep -E '^net\.(ipv4\.(tcp_|ip_local)|core\.somaxconn)' | sort)

pass=0 fail=0 skip=0
for t in "${tests[@]}"; do
	[ -f "$t" ] || t="$here/$t"
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s.%N)
	# shellcheck disable=SC2016 # $0 is the inner bash's: the test script
	timeout 300 unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$t" >"$log" 2>&1
	rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	case $rc in
	0) pass=$((pass + 1)); printf 'PASS %-36s %5ss\n' "$name" "$secs" ;;
	77) if [ "${TWADVISE_NO_SKIP:-0}" = 1 ]; then
		fail=$((fail + 1)); printf 'FAIL %-36s (skipped, but CI allows no skips)\n' "$name"
	    else
		skip=$((skip + 1)); printf 'SKIP %-36s %s\n' "$name" "$(tail -n 1 "$log")"
	    fi ;;
	*) fail=$((fail + 1)); printf 'FAIL %-36s (exit %d)\n' "$name" "$rc"; sed 's/^/    /' "$log" ;;
	esac
	rm -f "$log"
	host_now=$(sysctl -a 2>/dev/null | grep -E '^net\.(ipv4\.(tcp_|ip_local)|core\.somaxconn)' | sort)
	if [ "$host_now" != "$host_before" ]; then
		echo "FAIL $name changed the host's sysctls:"
		diff <(echo "$host_before") <(echo "$host_now") | sed 's/^/    /'
		fail=$((fail + 1))
		host_before=$host_now
	fi
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
