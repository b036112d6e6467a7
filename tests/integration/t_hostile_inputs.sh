#!/bin/bash
# SPDX-License-Identifier: MIT
# Issue 17, the input half: FIFOs and directories wherever a file is read
# (no hang, exit 65), a remote profile cannot extend a local file, plain
# http only to loopback addresses, the token file (no link, no control
# characters), duplicate JSON keys, terminal escapes made visible, and the
# deadline on a server that never answers.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/lib_httpd.sh"

command -v python3 >/dev/null || skip "python3 is needed for the test server"
command -v openssl >/dev/null || skip "openssl is needed to make the test CA"
unset TWADVISE_CACERT TWADVISE_TOKEN
FACTS=$FIXTURES/report/facts.json

# bounded RC SECS ARGS...: run twadvise under timeout 10; fail on a hang,
# on another exit code, or when it took SECS seconds or more.
bounded() {
	local want=$1 max=$2 start rc secs
	shift 2
	start=$(now_s)
	timeout 10 "$TWADVISE" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	secs=$(elapsed_since "$start")
	[ "$rc" != 124 ] || fail "twadvise $* hung"
	[ "$rc" = "$want" ] || fail "twadvise $*: exit $rc, want $want: $(cat "$TMP/err")"
	awk -v s="$secs" -v m="$max" 'BEGIN { exit !(s < m) }' || fail "twadvise $* took ${secs}s"
}

# 1. A FIFO (and a directory) wherever a file is read: a clear 65, at once.
mkfifo "$TMP/fifo"
bounded 3 2 check --facts "$TMP/fifo"
grep -q "fifo: is not a regular file (a FIFO)" "$TMP/err" || fail "facts FIFO: $(cat "$TMP/err")"
bounded 65 2 report --facts "$TMP/fifo"
bounded 65 2 report --profile "$TMP/fifo" --facts "$FACTS"
grep -q "profile is not a regular file (a FIFO)" "$TMP/err" || fail "profile FIFO: $(cat "$TMP/err")"
bounded 65 2 profiles validate "$TMP/fifo"
bounded 65 2 apply "$TMP/fifo" --state-dir "$TMP/state" --dry-run
bounded 65 2 report --merge "$TMP/fifo"
bounded 65 2 report --facts "$FACTS" --post "http://127.0.0.1:9/" --token-file "$TMP/fifo"
bounded 65 2 report --facts "$FACTS" --post "https://127.0.0.1:9/" --cacert "$TMP/fifo"
bounded 3 2 check --facts "$TMP"
grep -q "is not a regular file (a directory)" "$TMP/err" || fail "directory: $(cat "$TMP/err")"
bounded 65 2 report --merge "$TMP"
bounded 65 2 apply "$TMP" --state-dir "$TMP/state" --dry-run
# /proc under --proc-root, and --netns given as a path
mkdir -p "$TMP/proc"
cp -r "$FIXTURES/proc/busy-host/." "$TMP/proc/"
rm -f "$TMP/proc/net/sockstat" && mkfifo "$TMP/proc/net/sockstat"
timeout 10 "$TWADVISE" inspect --proc-root "$TMP/proc" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" != 124 ] || fail "inspect hung on a FIFO under --proc-root"
grep -q "not a regular file (a FIFO)" "$TMP/err" || fail "proc FIFO: rc $rc, $(cat "$TMP/err")"
bounded 65 2 inspect --netns "$TMP/fifo"
pass_msg "FIFOs and directories as inputs: 65 at once"

# 2. The token file: a symlink (to a secret) is refused, nothing is sent;
# a control character in the token is refused.
httpd record
printf 'secret-from-shadow\n' >"$TMP/secret" && chmod 600 "$TMP/secret"
ln -s "$TMP/secret" "$TMP/token-link"
bounded 77 2 report --facts "$FACTS" --post "http://127.0.0.1:$HTTPD_PORT/" --token-file "$TMP/token-link"
grep -q "symbolic link" "$TMP/err" || fail "token link: $(cat "$TMP/err")"
assert_eq "$(httpd_count)" 0 "no request with a linked token file"
printf 'tok\033[2Jen\n' >"$TMP/token-esc" && chmod 600 "$TMP/token-esc"
bounded 65 2 report --facts "$FACTS" --post "http://127.0.0.1:$HTTPD_PORT/" --token-file "$TMP/token-esc"
grep -q "control character" "$TMP/err" || fail "token control: $(cat "$TMP/err")"
assert_eq "$(httpd_count)" 0 "no request with a bad token"
# localhost is loopback here: allowed, and the answer's escapes are shown escaped
httpd_stop
httpd escape
bounded 0 5 report --facts "$FACTS" --post "http://localhost:$HTTPD_PORT/"
grep -q '\^\[\]0;pwned\^G\^\[\[2J' "$TMP/out" || fail "answer not escaped: $(cat -v "$TMP/out")"
! grep -q $'\033' "$TMP/out" || fail "a raw ESC from the server reached stdout"
httpd_stop
pass_msg "token file and the server's answer"

# 3. Plain http only to loopback addresses: a name that starts with 127.
# is refused before any lookup or connection; a redirect is not followed.
bounded 64 1 report --facts "$FACTS" --post "http://127.evil.example/"
grep -q "plain http only to 127.0.0.0/8" "$TMP/err" || fail "127.evil: $(cat "$TMP/err")"
bounded 64 1 report --facts "$FACTS" --post "http://127.0.0.1.evil.example:80/"
bounded 64 1 report --facts "$FACTS" --post "http://[::ffff:10.0.0.1]/"
httpd 302
bounded 65 5 report --facts "$FACTS" --post "http://127.0.0.1:$HTTPD_PORT/"
grep -q "HTTP 302.*not followed" "$TMP/err" || fail "302: $(cat "$TMP/err")"
assert_eq "$(httpd_count)" 1 "a redirect is neither followed nor retried"
httpd_stop
pass_msg "plain http only to loopback; 3xx is 65"

# 4. Duplicate JSON keys in facts, plan and merge inputs: refused with
# where. (Snapshots: the same parser, unit-tested.)
python3 - "$FACTS" "$TMP/dup.json" <<'EOF'
import sys
s = open(sys.argv[1]).read()
s = s.replace('"schema"', '"host": {"hostname": "decoy"},\n  "schema"', 1)
open(sys.argv[2], "w").write(s)
EOF
bounded 3 2 check --facts "$TMP/dup.json"
grep -q 'dup.json:[0-9]*:[0-9]*: duplicate key "host"' "$TMP/err" || fail "dup facts: $(cat "$TMP/err")"
"$TWADVISE" report --facts "$FACTS" --format json -o "$TMP/r.json" || fail "report json"
sed 's/"schema"/"version": "x", "schema"/' "$TMP/r.json" >"$TMP/r-dup.json"
grep -q '"version".*"version"\|"version"' "$TMP/r-dup.json" || fail "test setup"
bounded 65 2 report --merge "$TMP/r.json" "$TMP/r-dup.json"
grep -q "duplicate key" "$TMP/err" || fail "dup merge: $(cat "$TMP/err")"
printf '{"schema": "twadvise.plan/1", "schema": "twadvise.plan/1", "changes": []}\n' >"$TMP/plan-dup.json"
bounded 65 2 apply "$TMP/plan-dup.json" --state-dir "$TMP/state" --dry-run
grep -q "plan-dup.json:1:31: duplicate key" "$TMP/err" || fail "dup plan: $(cat "$TMP/err")"
pass_msg "duplicate JSON keys refused"

# 5. Terminal escapes: a hostname and a process name from a facts file,
# and a live process name, come out in cat -v notation.
python3 - "$FACTS" "$TMP/esc.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["host"]["hostname"] = "web\x1b]0;pwned\x07\r"
for o in d.get("close_wait_owners", []):
    o["comm"] = "ja\x1b[2Jva"
for l in d.get("listeners", []):
    if l.get("process"):
        l["process"]["comm"] = "ng\x9bx"
json.dump(d, open(sys.argv[2], "w"))
EOF
for fmt in markdown html; do
	bounded 0 2 report --facts "$TMP/esc.json" --format "$fmt"
	! grep -q $'[\033\r\007\x9b]' "$TMP/out" || fail "$fmt: a raw control character reached the output"
	# (the report writers blank control characters themselves: markup.c)
	grep -q 'web.]0;pwned' "$TMP/out" || fail "$fmt: hostname missing: $(grep -a web "$TMP/out" | cat -v | head -3)"
done
python3 -c 'import ctypes, socket, time
ctypes.CDLL(None).prctl(15, b"ev\x1b[2Jil", 0, 0, 0)
s = socket.socket(); s.bind(("127.0.0.1", 18088)); s.listen(); time.sleep(30)' &
SOCKGEN_PIDS+=("$!")
for _ in $(seq 100); do ss -Htln | grep -q ':18088' && break; sleep 0.05; done
bounded 0 5 inspect -v
grep -q 'ev^\[\[2Jil' "$TMP/out" || fail "comm not escaped: $(cat -v "$TMP/out")"
! grep -q $'\033' "$TMP/out" || fail "inspect: a raw ESC reached the output"
pass_msg "terminal escapes made visible"

# 6. The shipped binary has no test hooks.
if strings "$TWADVISE" | grep -q 'TWADVISE_TEST'; then
	fail "test hooks in the shipped binary: $(strings "$TWADVISE" | grep TWADVISE_TEST)"
fi
pass_msg "no test hooks in the shipped binary"

# 7. Remote profiles: extends of a local path is refused without reading
# it (a FIFO there would hang if opened); a server that never answers
# costs one URL deadline (10 s), not 4 x 30 s.
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
printf 'name: evil\nextends: /etc/shadow\n' >www/shadow.yaml
printf 'name: evil2\nextends: %s\n' "$TMP/fifo" >www/fifo.yaml
printf 'name: evil3\nextends: https://other.example/base.yaml\n' >www/other.yaml
printf 'name: fine\nextends: default\n' >www/fine.yaml
httpd files --tls srv.pem srv.key --serve-dir "$TMP/www"
U=https://127.0.0.1:$HTTPD_PORT
export TWADVISE_CACERT=$TMP/ca.pem
bounded 0 5 report --profile "$U/fine.yaml" --facts "$FACTS"
bounded 65 5 report --profile "$U/shadow.yaml" --facts "$FACTS"
grep -q "shadow.yaml:2:10: extends '/etc/shadow': a remote profile may extend only" "$TMP/err" ||
	fail "shadow: $(cat "$TMP/err")"
! grep -q "root:" "$TMP/err" || fail "/etc/shadow's content in the error"
bounded 65 5 report --profile "$U/fifo.yaml" --facts "$FACTS"
grep -q "never a local path" "$TMP/err" || fail "fifo extends: $(cat "$TMP/err")"
bounded 65 5 report --profile "$U/other.yaml" --facts "$FACTS"
httpd_stop
HTTPD_LIFETIME=40 httpd hang --tls srv.pem srv.key
start=$(now_s)
timeout 30 "$TWADVISE" report --profile "https://127.0.0.1:$HTTPD_PORT/x.yaml" --facts "$FACTS" >"$TMP/out" 2>"$TMP/err"
rc=$?
secs=$(elapsed_since "$start")
assert_eq "$rc" 69 "silent profile server ($(cat "$TMP/err"))"
awk -v s="$secs" 'BEGIN { exit !(s >= 9 && s < 12) }' || fail "silent profile server: ${secs}s, want ~10: $(cat "$TMP/err")"
grep -q "gave up at the deadline of 10.0 s" "$TMP/err" || fail "deadline message: $(cat "$TMP/err")"
echo "silent profile server: gave up after ${secs}s"
httpd_stop
# --post: --timeout per attempt, --deadline for all of them
HTTPD_LIFETIME=30 httpd hang
start=$(now_s)
timeout 30 "$TWADVISE" report --facts "$FACTS" --post "http://127.0.0.1:$HTTPD_PORT/" \
	--timeout 1 --deadline 2.5 >"$TMP/out" 2>"$TMP/err"
rc=$?
secs=$(elapsed_since "$start")
assert_eq "$rc" 69 "silent post server ($(cat "$TMP/err"))"
awk -v s="$secs" 'BEGIN { exit !(s >= 2 && s < 4) }' || fail "--deadline 2.5: ${secs}s"
echo "silent post server, --timeout 1 --deadline 2.5: gave up after ${secs}s, $(httpd_count) attempts"
httpd_stop
pass_msg "remote profile extends and deadlines"
