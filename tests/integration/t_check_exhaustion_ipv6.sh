#!/bin/bash
# SPDX-License-Identifier: MIT
# IPv6 connections count toward the sockstat bound too: /proc/net/sockstat's
# inuse is IPv4 only, so with 700 established IPv6 connections toward
# [::1]:20000 over a 1000-port range, check must still dump and warn.
. "$TESTS_DIR/lib.sh"

sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sockgen --ipv6 --established 700:20000
grep -q '^TCP: inuse 0 ' /proc/net/sockstat || fail "expected no IPv4 sockets: $(cat /proc/net/sockstat)"

run_tw 1 check --format json
assert_eq "$(jget "$OUT" 'd["inspected"]["destinations_counted"]')" true "destinations counted"
E='[f for f in d["findings"] if f["rule"] == "ephemeral-exhaustion"][0]'
assert_eq "$(jget "$OUT" "${E}['severity']")" warning "severity"
jget "$OUT" "${E}['summary']" | grep -q "toward \[::1\]:20000 (from ::1) are unavailable: 700 of 1000" ||
	fail "summary: $(jget "$OUT" "${E}['summary']")"
pass_msg "IPv6 sockets are in the bound"
