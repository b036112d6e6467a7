#!/bin/bash
# SPDX-License-Identifier: MIT
# report --post against a loopback test server: content types, headers, the
# bearer token (from TWADVISE_TOKEN or --token-file, never argv), retries
# on 503 and 429 (Retry-After honoured), none on 401, timeouts and closed
# ports (exit 69, bounded), what goes to stdout and stderr.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/lib_httpd.sh"

command -v python3 >/dev/null || skip "python3 is needed for the test server"
unset TWADVISE_TOKEN
R=(report --facts "$FIXTURES/report/facts.json" --profile "$FIXTURES/report/profile.yaml")

# 1. JSON with the token from the environment and an extra header; the
# server's answer goes to stdout, its status to stderr, the report only to
# the server.
httpd record
TWADVISE_TOKEN=env-secret-123 run_tw 0 "${R[@]}" --format json \
	--post "http://127.0.0.1:$HTTPD_PORT/hook?key=abc" --header 'X-Ticket-Queue: ops'
assert_eq "$(httpd_count)" 1 "requests"
assert_eq "$(hget 1 'r["method"]')" POST "method"
assert_eq "$(hget 1 'r["path"]')" "/hook?key=abc" "path"
assert_eq "$(hget 1 'h["content-type"]')" "application/json" "json content type"
assert_eq "$(hget 1 'h["authorization"]')" "Bearer env-secret-123" "bearer from TWADVISE_TOKEN"
assert_eq "$(hget 1 'h["x-ticket-queue"]')" "ops" "--header"
assert_eq "$(hget 1 'json.loads(r["body"])["schema"]')" "twadvise.report/1" "posted body"
assert_eq "$(hget 1 'json.loads(r["body"])["findings"]["findings"][0]["rule"]')" "listen-overflow" "posted findings"
assert_eq "$(cat "$OUT")" '{"id": 4242, "url": "/tickets/4242"}' "stdout: the server's answer only"
grep -q "posted to http://127.0.0.1:$HTTPD_PORT/hook?...: HTTP 201 (1 attempt)" "$ERR" ||
	fail "status line on stderr (query string hidden): $(cat "$ERR")"
grep -q "abc" "$ERR" && fail "the URL's query string leaked into messages"
httpd_stop

# 2. Markdown with the token from a 0600 file (first line, trimmed), and -o
# keeps a copy of what was posted.
printf '  file-secret-456  \nsecond line ignored\n' >"$TMP/token"
chmod 600 "$TMP/token"
httpd record
run_tw 0 "${R[@]}" --post "http://localhost:$HTTPD_PORT/t" --token-file "$TMP/token" -o "$TMP/posted.md"
assert_eq "$(hget 1 'h["content-type"]')" "text/markdown; charset=utf-8" "markdown content type"
assert_eq "$(hget 1 'h["authorization"]')" "Bearer file-secret-456" "bearer from --token-file"
assert_eq "$(hget 1 'r["body"].split("\n")[0]')" "# twadvise report: busy-host" "markdown body"
cmp -s <(hget 1 'r["body"]') <(cat "$TMP/posted.md"; echo) || fail "-o holds what was posted"
httpd_stop

# 3. HTML content type; --token-file wins over the environment.
httpd record
TWADVISE_TOKEN=env-loses run_tw 0 "${R[@]}" --format html --token-file "$TMP/token" \
	--post "http://127.0.0.1:$HTTPD_PORT/"
assert_eq "$(hget 1 'h["content-type"]')" "text/html; charset=utf-8" "html content type"
assert_eq "$(hget 1 'h["authorization"]')" "Bearer file-secret-456" "--token-file over TWADVISE_TOKEN"
assert_eq "$(hget 1 'r["body"].startswith("<!DOCTYPE html>")')" true "html body"
httpd_stop

# 4. A token file every user can read is refused before anything is sent;
# a group-readable one is used with a warning.
chmod 644 "$TMP/token"
httpd record
run_tw 77 "${R[@]}" --post "http://127.0.0.1:$HTTPD_PORT/" --token-file "$TMP/token"
grep -q "readable by every user" "$ERR" || fail "world-readable token file message: $(cat "$ERR")"
assert_eq "$(httpd_count)" 0 "nothing sent with a world-readable token"
chmod 640 "$TMP/token"
run_tw 0 "${R[@]}" --post "http://127.0.0.1:$HTTPD_PORT/" --token-file "$TMP/token"
grep -q "warning: token file" "$ERR" || fail "group-readable token file: no warning"
chmod 600 "$TMP/token"
httpd_stop

# 5. Credentials on the command line are refused: no Authorization
# header, no user:password in the URL; plain http only to loopback.
run_tw 64 "${R[@]}" --post "http://127.0.0.1:1/" --header 'Authorization: Bearer argv-secret'
grep -q "TWADVISE_TOKEN" "$ERR" || fail "Authorization header refusal should point at TWADVISE_TOKEN"
run_tw 64 "${R[@]}" --post "http://user:pw@127.0.0.1:1/"
run_tw 64 "${R[@]}" --post "http://192.0.2.1/hook"
run_tw 64 "${R[@]}" --post "ftp://127.0.0.1/x"
run_tw 64 "${R[@]}" --token-file "$TMP/token"
run_tw 64 "${R[@]}" --post "http://127.0.0.1:1/" --header 'no colon'

# 6. 503 then 201: retried once, success.
httpd 503-then-201
run_tw 0 "${R[@]}" --format json --post "http://127.0.0.1:$HTTPD_PORT/"
assert_eq "$(httpd_count)" 2 "503 is retried"
grep -q "HTTP 201 (2 attempts)" "$ERR" || fail "attempts on stderr: $(cat "$ERR")"
httpd_stop

# 7. 429 with Retry-After: 1, then 201: the client waits at least 1 s.
httpd 429-then-201
run_tw 0 "${R[@]}" --format json --post "http://127.0.0.1:$HTTPD_PORT/"
assert_eq "$(httpd_count)" 2 "429 is retried"
gap=$(python3 -c 'import json,sys; rs=[json.loads(l) for l in open(sys.argv[1])]; print(rs[1]["time"] - rs[0]["time"])' "$HTTPD_LOG")
awk -v g="$gap" 'BEGIN { exit !(g >= 0.95 && g < 10) }' || fail "Retry-After: 1 not honoured (gap ${gap}s)"
httpd_stop

# 8. 401: not retried, exit 65, the server's answer on stderr.
httpd 401
run_tw 65 "${R[@]}" --format json --post "http://127.0.0.1:$HTTPD_PORT/"
assert_eq "$(httpd_count)" 1 "401 is not retried"
grep -q "HTTP 401" "$ERR" || fail "401 message: $(cat "$ERR")"
grep -q "bad token" "$ERR" || fail "the server's 401 body should be shown"
[ -s "$OUT" ] && fail "nothing on stdout after a refusal"
httpd_stop

# 9. A server that never answers: --timeout 2 per attempt, 1 + 3 retries
# within --deadline 10 (the last attempt gets what is left), exit 69 in
# bounded time. Meanwhile the token (from a file) is nowhere in
# the process's command line.
printf 'hang-secret-789\n' >"$TMP/token2"
chmod 600 "$TMP/token2"
HTTPD_LIFETIME=40 httpd hang
start=$(now_s)
"$TWADVISE" "${R[@]}" --format json --post "http://127.0.0.1:$HTTPD_PORT/" \
	--token-file "$TMP/token2" --timeout 2 --deadline 10 >"$TMP/hang.out" 2>"$TMP/hang.err" &
tw=$!
for _ in $(seq 100); do
	[ "$(httpd_count)" -ge 1 ] && break
	sleep 0.1
done
[ "$(httpd_count)" -ge 1 ] || fail "the hanging server saw no request"
[ -r "/proc/$tw/cmdline" ] || fail "twadvise exited before its request timed out"
tr '\0' ' ' <"/proc/$tw/cmdline" | grep -q "hang-secret" && fail "the token is in the command line"
tr '\0' '\n' <"/proc/$tw/environ" | grep -q "hang-secret" && fail "the token is in the environment"
# shellcheck disable=SC2009 # the test is what ps itself shows
ps -eo args | grep -q "hang-secre[t]" && fail "the token shows in ps"
assert_eq "$(hget 1 'h["authorization"]')" "Bearer hang-secret-789" "token sent"
wait "$tw"
rc=$?
secs=$(elapsed_since "$start")
assert_eq "$rc" 69 "exit after timeouts ($(cat "$TMP/hang.err"))"
assert_eq "$(httpd_count)" 4 "1 try + 3 retries"
awk -v s="$secs" 'BEGIN { exit !(s >= 7.5 && s < 12) }' || fail "4 attempts in a 10 s deadline took ${secs}s"
grep -qi "timed out\|timeout" "$TMP/hang.err" || fail "timeout message: $(cat "$TMP/hang.err")"
httpd_stop

# 10. Nothing listening: exit 69 quickly (3 backoffs: 0.5 + 1 + 2 s).
port=$(closed_port)
start=$(now_s)
run_tw 69 "${R[@]}" --post "http://127.0.0.1:$port/"
secs=$(elapsed_since "$start")
awk -v s="$secs" 'BEGIN { exit !(s < 12) }' || fail "closed port took ${secs}s"
grep -q "4 attempts" "$ERR" || fail "closed port message: $(cat "$ERR")"

# 11. -o - with --post: the report on stdout, the answer on stderr.
httpd record
run_tw 0 "${R[@]}" --format json --post "http://127.0.0.1:$HTTPD_PORT/" -o -
assert_eq "$(jget "$OUT" 'd["schema"]')" "twadvise.report/1" "-o - puts the report on stdout"
grep -q '"id": 4242' "$ERR" || fail "with -o - the answer goes to stderr"
httpd_stop
pass_msg "report --post"
