#!/bin/bash
# SPDX-License-Identifier: MIT
# --profile https://...: a loopback HTTPS server with a CA made here serves
# profiles; twadvise trusts it only through TWADVISE_CACERT, refuses
# answers above 1 MiB, plain http, and says where a remote profile is bad.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/lib_httpd.sh"

command -v openssl >/dev/null || skip "openssl is needed to make the test CA (Debian: openssl, pulled in by ca-certificates)"
command -v python3 >/dev/null || skip "python3 is needed for the test server"
unset TWADVISE_CACERT

# A CA and a server certificate for 127.0.0.1 and localhost, valid 2 days.
cd "$TMP" || fail "cd $TMP"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=twadvise test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	>openssl.log 2>&1 || fail "openssl CA: $(cat openssl.log)"
openssl req "${ec[@]}" -keyout srv.key -out srv.csr -subj "/CN=127.0.0.1" >>openssl.log 2>&1 ||
	fail "openssl CSR: $(cat openssl.log)"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
	-extfile srv.ext >>openssl.log 2>&1 || fail "openssl sign: $(cat openssl.log)"

mkdir -p www
cat >www/remote.yaml <<'EOF'
# remote.yaml - a profile served over HTTPS
name: remote-test
description: fetched by t_report_profile_https.sh
sysctls:
  net.core.somaxconn:
    min: 8192
    value: 16384
rules:
  ephemeral-exhaustion:
    warning: 0.3
    critical: 0.6
EOF
printf 'name: remote-bad\nsysctls:\n  net.core.somaxconn:\n    min: [1\n' >www/remote-bad.yaml
# just above the 1 MiB cap: comments, then a valid profile
python3 -c '
for i in range(10700):
    print("# " + "p" * 97)
print("name: big\ndescription: too big")' >www/big.yaml
[ "$(stat -c %s www/big.yaml)" -gt 1048576 ] || fail "big.yaml is not above 1 MiB"

httpd files --tls srv.pem srv.key --serve-dir "$TMP/www"
U=https://127.0.0.1:$HTTPD_PORT
F=(--facts "$FIXTURES/report/facts.json")

# 1. Trusted through TWADVISE_CACERT: the profile is used (its thresholds
# and wants show in the report) and named by its URL.
TWADVISE_CACERT=$TMP/ca.pem run_tw 0 report --profile "$U/remote.yaml" "${F[@]}" --format json -o "$TMP/r.json"
assert_eq "$(jget "$TMP/r.json" 'd["profile"]')" remote-test "profile from the URL"
assert_eq "$(jget "$TMP/r.json" 'd["profile_source"]')" "$U/remote.yaml" "profile source"
assert_eq "$(jget "$TMP/r.json" '[s["status"] for s in d["sysctls"] if s["key"] == "net.core.somaxconn"][0]')" change "the remote want"
assert_eq "$(jget "$TMP/r.json" '"'"$U"'/remote.yaml" in d["commands"]["apply"]')" true "the commands name the URL"
assert_eq "$(hget "$(httpd_count)" 'r["method"] + " " + r["path"]')" "GET /remote.yaml" "request"
TWADVISE_CACERT=$TMP/ca.pem run_tw 0 report --profile "https://localhost:$HTTPD_PORT/remote.yaml" "${F[@]}"
grep -q "warns at 30% and is critical at 60%" "$OUT" || fail "remote thresholds not used"
# check uses the same fetcher
TWADVISE_CACERT=$TMP/ca.pem "$TWADVISE" check --profile "$U/remote.yaml" "${F[@]}" >/dev/null 2>"$TMP/check.err"
[ $? -le 2 ] || fail "check with a remote profile: $(cat "$TMP/check.err")"

# 2. Without the CA: TLS verification fails, nothing is fetched, a clear
# message; no retry can help.
n=$(httpd_count)
run_tw 69 report --profile "$U/remote.yaml" "${F[@]}"
grep -qi "certificate" "$ERR" || fail "TLS failure message: $(cat "$ERR")"
grep -q "after 1 attempt" "$ERR" || fail "a TLS failure is not retried: $(cat "$ERR")"
assert_eq "$(httpd_count)" "$n" "no HTTP request without a verified server"
# a CA file that is not this server's CA fails too
TWADVISE_CACERT=$TMP/srv.key "$TWADVISE" report --profile "$U/remote.yaml" "${F[@]}" >/dev/null 2>"$TMP/e" &&
	fail "a wrong CA file was accepted"

# 3. Above 1 MiB: refused, whatever the server sends.
TWADVISE_CACERT=$TMP/ca.pem "$TWADVISE" report --profile "$U/big.yaml" "${F[@]}" >"$TMP/o" 2>"$TMP/e"
rc=$?
[ "$rc" -ne 0 ] || fail "a profile above 1 MiB was accepted"
grep -q "larger than 1048576 bytes" "$TMP/e" || fail "size message: $(cat "$TMP/e")"
[ -s "$TMP/o" ] && fail "a report was written from a refused profile"

# 4. A bad remote profile: URL:line:col; a missing one: 66; plain http: refused.
TWADVISE_CACERT=$TMP/ca.pem run_tw 65 report --profile "$U/remote-bad.yaml" "${F[@]}"
grep -q "$U/remote-bad.yaml:[0-9]*:[0-9]*:" "$ERR" || fail "no URL:line:col: $(cat "$ERR")"
TWADVISE_CACERT=$TMP/ca.pem run_tw 66 report --profile "$U/nope.yaml" "${F[@]}"
grep -q "HTTP 404" "$ERR" || fail "404 message: $(cat "$ERR")"
run_tw 65 report --profile "http://127.0.0.1:$HTTPD_PORT/remote.yaml" "${F[@]}"
grep -q "not https" "$ERR" || fail "plain http message: $(cat "$ERR")"
httpd_stop
pass_msg "remote profiles over verified TLS"
