#!/bin/bash
# SPDX-License-Identifier: MIT
# check --all-netns: every network namespace judged with its own sysctls and
# named by what lives in it. Runs in its own pid and mount namespace (so
# /proc and /run/netns hold only this test's namespaces), with holder
# processes in cgroups shaped like docker's and kubepods/containerd's under
# the test's own cgroup, and a fake /var/log/pods.
. "$TESTS_DIR/lib_netns.sh"

holder "$CG/system.slice/docker-$DID.scope"; docker=$HOLDER
holder "$KP/cri-containerd-$CID.scope"; pod=$HOLDER
ip netns add twa-blue || fail "ip netns add"
mkdir -p "$TMP/pods/shop_web-0_$UID_"

# A narrow port range and TIME_WAIT in the docker namespace only.
nsenter -t "$docker" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0
insock "$docker" --tw 90:20000
insock "$pod" --established 5:20001

run_tw 2 --all-netns --pods-dir "$TMP/pods" check --format json
F=$TMP/all.json; cp "$OUT" "$F"
python3 "$TESTS_DIR/schema_check.py" "$TESTS_DIR/../../docs/schema/netns-findings.json" "$F" ||
	fail "schema"
assert_eq "$(jget "$F" 'd["schema"]')" twadvise.netns-findings/1 "schema name"
assert_eq "$(jget "$F" 'd["status"]')" critical "worst status"
D="[n for n in d['namespaces'] if n['container'] and n['container']['runtime'] == 'docker'][0]"
assert_eq "$(jget "$F" "${D}['container']['id']")" "$DID" "docker id"
assert_eq "$(jget "$F" "${D}['status']")" critical "docker namespace critical"
assert_eq "$(jget "$F" "${D}['ephemeral_ports']")" "[40000, 40099]" "its own range"
assert_eq "$(jget "$F" "${D}['fix_command']")" "twadvise --netns /proc/$docker/ns/net plan" "fix command"
jget "$F" "${D}['remediation']['container']['run_flags']" | grep -q -- '--sysctl=net.ipv4.ip_local_port_range=' ||
	fail "docker --sysctl flags: $(jget "$F" "${D}['remediation']")"
assert_eq "$(jget "$F" "d['namespaces'][0]['path']")" "/proc/$docker/ns/net" "worst first"
P="[n for n in d['namespaces'] if n['pod']][0]"
assert_eq "$(jget "$F" "${P}['pod']['uid']")" "$UID_" "pod uid"
assert_eq "$(jget "$F" "${P}['label']")" "pod shop/web-0" "pod name from the pods dir"
assert_eq "$(jget "$F" "${P}['container']['runtime']")" containerd "containerd id"
assert_eq "$(jget "$F" "${P}['sockets']['total'] >= 10")" true "pod sockets counted there"
assert_eq "$(jget "$F" "[f['rule'] for f in ${P}['findings']['findings'] if f['rule'] == 'ephemeral-exhaustion']")" "[]" \
	"exhaustion in the docker namespace only"
B="[n for n in d['namespaces'] if n['name'] == 'twa-blue'][0]"
assert_eq "$(jget "$F" "${B}['path']")" /run/netns/twa-blue "ip netns path"
assert_eq "$(jget "$F" "${B}['ephemeral_ports']")" "[32768, 60999]" "default range there"
assert_eq "$(jget "$F" "[n['current'] for n in d['namespaces']].count(True)")" 1 "current namespace once"
assert_eq "$(jget "$F" 'sorted(d["host_wide_keys"])')" '["net.core.netdev_max_backlog", "net.ipv4.tcp_max_orphans"]' "host-wide keys"

# Text: grouped, worst first, with the fix where it lasts.
run_tw 2 --all-netns --pods-dir "$TMP/pods" check
head -n 1 "$OUT" | grep -q "^== CRITICAL  docker dddddddddddd" || fail "text head: $(head -n 1 "$OUT")"
grep -q -- "--sysctl .net.ipv4.ip_local_port_range=32768 60999." "$OUT" || fail "docker flags in text: $(cat "$OUT")"
grep -q "== .*pod shop/web-0" "$OUT" || fail "pod in text"
# Nagios names the worst namespace.
run_tw 2 --all-netns check --format nagios
head -n 1 "$OUT" | grep -q "^TWADVISE CRITICAL - .*worst: docker dddddddddddd" || fail "nagios: $(head -n 1 "$OUT")"
# Prometheus: labels, promtool-clean.
run_tw 2 --all-netns --pods-dir "$TMP/pods" check --format prometheus
grep -q "twadvise_netns_status{netns=\"[0-9]*\",name=\"\",container=\"dddddddddddd\",pod=\"\"} 2" "$OUT" ||
	fail "prometheus docker series: $(grep netns_status "$OUT")"
grep -q 'pod="shop/web-0"' "$OUT" || fail "prometheus pod label"
if command -v promtool >/dev/null; then
	promtool check metrics <"$OUT" || fail "promtool"
fi

# inspect --all-netns: each namespace's own facts.
run_tw 0 --all-netns --pods-dir "$TMP/pods" inspect --format json
assert_eq "$(jget "$OUT" 'd["schema"]')" twadvise.netns-facts/1 "inspect schema"
assert_eq "$(jget "$OUT" "[n['facts']['sockets']['states']['TIME_WAIT'] for n in d['namespaces'] if n['path'] == '/proc/$docker/ns/net']")" "[90]" \
	"docker namespace's TIME_WAIT"
assert_eq "$(jget "$OUT" "[n['label'] for n in d['namespaces'] if n['kind'] == 'pod']")" '["pod shop/web-0"]' "inspect pod label"

# The Kubernetes snippet when the pod's namespace is the one in trouble.
nsenter -t "$pod" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" net.ipv4.tcp_tw_reuse=0
insock "$pod" --tw 90:20002
run_tw 2 --all-netns --pods-dir "$TMP/pods" check
grep -q "securityContext:" "$OUT" || fail "k8s snippet"
grep -q "name: net.ipv4.ip_local_port_range" "$OUT" || fail "k8s key"
grep -q "value: \"1\"    # unsafe: the kubelet needs --allowed-unsafe-sysctls" "$OUT" ||
	fail "tcp_tw_reuse unsafe: $(grep -A12 securityContext "$OUT")"

# A namespace that vanishes between discovery and setns is gone, not an
# error (the test build pauses between the two).
nsenter -t "$docker" -n true
TWADVISE_TEST_NETNS_PAUSE=2 "$HELPERS/twadvise-hooks" --all-netns check --profile "$TESTS_DIR/../../profiles/default.yaml" --format json >"$TMP/gone.json" 2>"$TMP/gone.err" &
chk=$!
sleep 1
for p in "${SOCKGEN_PIDS[@]}"; do
	[ "$(readlink "/proc/$p/ns/net")" = "$(readlink "/proc/$docker/ns/net")" ] && kill "$p"
done
kill "$docker"
wait "$chk"
rc=$?
[ "$rc" = 2 ] || fail "gone run: exit $rc (the pod is still critical): $(cat "$TMP/gone.err")"
assert_eq "$(jget "$TMP/gone.json" "[n['state'] for n in d['namespaces'] if n['path'] == '/proc/$docker/ns/net']")" '["gone"]' "gone"
assert_eq "$(jget "$TMP/gone.json" 'd["counts"]["gone"]')" 1 "gone counted"

# Usage: not with --netns or --facts; not for plan.
run_tw 3 --all-netns --netns twa-blue check
run_tw 3 --all-netns check --facts /dev/null
run_tw 64 --all-netns plan
pass_msg "--all-netns judges every namespace with its own sysctls"
