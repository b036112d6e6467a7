#!/bin/bash
# SPDX-License-Identifier: MIT
# Profile lookup: $TWADVISE_PROFILE_PATH first, then the source tree; a
# path works; extends resolves beside the child first; profiles validate.
. "$TESTS_DIR/lib.sh"

mkdir -p "$TMP/site" "$TMP/other"
cat > "$TMP/site/edge.yaml" <<'Y'
name: edge
description: site profile
extends: reverse-proxy
rules:
  close-wait-leak:
    warning: 5
Y
# A local profile named like a shipped one masks it.
cat > "$TMP/site/default.yaml" <<'Y'
name: default
description: masked
sysctls:
  net.ipv4.tcp_tw_reuse: 0
Y
TWADVISE_PROFILE_PATH=$TMP/site run_tw 0 profiles show edge --format json
assert_eq "$(jget "$OUT" 'd["chain"]')" "edge -> reverse-proxy -> web-server -> default" "chain"
assert_eq "$(jget "$OUT" 'd["rules"]["close-wait-leak"]["warning"]')" 5 "own parameter"
assert_eq "$(jget "$OUT" 'd["sysctls"]["net.ipv4.tcp_tw_reuse"]["value"]')" 1 "inherited want"
# default from the site path: it wants tcp_tw_reuse 0.
TWADVISE_PROFILE_PATH=$TMP/site run_tw 0 profiles show default --format json
assert_eq "$(jget "$OUT" 'd["description"]')" masked "site path first"
TWADVISE_PROFILE_PATH=$TMP/site run_tw 0 profiles list
{ grep -q '^edge ' "$OUT" && grep -q '^default  *masked' "$OUT" && grep -q '^reverse-proxy ' "$OUT"; } ||
	fail "list: $(cat "$OUT")"

# By path, with a parent beside it.
cat > "$TMP/other/child.yaml" <<'Y'
name: child
extends: parent
Y
cat > "$TMP/other/parent.yaml" <<'Y'
name: parent
sysctls:
  net.core.somaxconn: {min: 2048}
Y
run_tw 0 profiles validate "$TMP/other/child.yaml"
grep -q "ok (profile 'child', chain child -> parent)" "$OUT" || fail "validate: $(cat "$OUT")"
# A cycle through files.
printf 'name: parent\nextends: child\n' > "$TMP/other/parent.yaml"
run_tw 65 profiles validate "$TMP/other/child.yaml"
grep -q "parent.yaml:2:10: extends cycle: child -> parent -> child" "$ERR" || fail "cycle: $(cat "$ERR")"
run_tw 66 profiles validate "$TMP/other/missing.yaml"
# Every shipped profile validates.
for p in "$TESTS_DIR"/../../profiles/*.yaml; do
	run_tw 0 profiles validate "$p"
done
# export for TuneD.
run_tw 0 profiles export reverse-proxy --format tuned
{ grep -q '^\[main\]$' "$OUT" && grep -q '^summary=Many outbound' "$OUT" && grep -q '^\[sysctl\]$' "$OUT" &&
	grep -q '^net.ipv4.tcp_tw_reuse=1$' "$OUT"; } || fail "tuned export: $(cat "$OUT")"
run_tw 0 profiles export reverse-proxy --format sysctl
grep -q '^net.ipv4.ip_local_port_range = 10000 65535$' "$OUT" || fail "sysctl export"
sysctl -q -p "$OUT" || fail "export is not valid sysctl.d syntax"
pass_msg "profile lookup, extends, validate, export"
