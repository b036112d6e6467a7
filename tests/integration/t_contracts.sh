#!/bin/bash
# SPDX-License-Identifier: MIT
# The contracts monitoring and packagers rely on, each against its real
# consumer: promtool check metrics on every Prometheus output; the Nagios
# plugin guidelines (status line, perfdata grammar, UNKNOWN with a reason
# on every failure path, exit code matching the status word); the JSON
# schemas of docs/schema on every JSON document; TuneD's own profile
# loader on the TuneD export, compared with plan; fleet rows keyed by
# machine-id.
. "$TESTS_DIR/lib.sh"

SCHEMAS=$TESTS_DIR/../../docs/schema
BUSY=$FIXTURES/proc/busy-host
# Debian's python3 has python3-jsonschema and TuneD's modules; a python3
# earlier on PATH (pyenv) may not.
PY=python3
"$PY" -c 'import jsonschema' 2>/dev/null || PY=/usr/bin/python3
"$PY" -c 'import jsonschema' 2>/dev/null || fail "python3-jsonschema is not installed (packaging/deps.sh test)"
command -v promtool >/dev/null || fail "promtool is not installed (Debian package prometheus: packaging/deps.sh test)"

schema() { # schema NAME FILE...
	local name=$1
	shift
	"$PY" "$TESTS_DIR/schema_check.py" "$SCHEMAS/$name.json" "$@" || fail "$* does not match docs/schema/$name.json"
}
promlint() { # promlint FILE WHAT
	promtool check metrics <"$1" >"$TMP/promtool" 2>&1 || fail "promtool check metrics on $2: $(cat "$TMP/promtool")"
}

# ---- Prometheus: every output lint-clean ----
sockgen --close-wait 3:20300
run_tw 0 inspect --format prometheus
promlint "$OUT" "inspect (live)"
run_tw 0 --proc-root "$BUSY" inspect --format prometheus
promlint "$OUT" "inspect (busy-host)"
grep -q '^# TYPE twadvise_tcp_events_total counter$' "$OUT" || fail "no counter family"
grep -q '^twadvise_tcp_events_total{name="ListenOverflows"} 20$' "$OUT" || fail "ListenOverflows counter"
grep -q '^twadvise_tcp_current{name="CurrEstab"} ' "$OUT" || fail "CurrEstab gauge"
! grep -q 'twadvise_tcp_events_total{name="\(CurrEstab\|MaxConn\)"}' "$OUT" || fail "gauge exported as counter"
! grep -q 'twadvise_tcp_counter' "$OUT" || fail "old untyped family still there"
! grep -q 'close_wait_owner_sockets{.*pid=' "$OUT" || fail "CLOSE_WAIT owners still by pid"
grep -q '^twadvise_close_wait_owner_sockets{comm="sockgen"} ' "$OUT" || fail "CLOSE_WAIT owners by comm"
run_tw 0 check --format prometheus
promlint "$OUT" "check (live)"
run_tw 1 --proc-root "$BUSY" check --format prometheus
promlint "$OUT" "check (busy-host)"
pass_msg "promtool check metrics: clean on inspect and check"

# ---- UNKNOWN on every failure path, in every format ----
unknown_paths() { # each line: the arguments of one failing check
	printf '%s\n' "--profile nosuch" "--facts $TMP/absent.json" "--proc-root $TMP/absent" \
		"--bogus-option" "--fail-on never" "extra-operand" "--samples 0"
}
printf 'name: broken\nsysctls:\n  net.ipv4.tcp_tw_reuse: 7\n' >"$TMP/broken.yaml"
{ unknown_paths; echo "--profile $TMP/broken.yaml"; } >"$TMP/paths"
while read -r line; do
	# shellcheck disable=SC2086 # $line is a list of arguments by design
	set -- $line
	run_tw 3 check --format nagios "$@"
	[ "$(wc -l <"$OUT")" = 1 ] || fail "nagios $line: $(cat "$OUT")"
	grep -Eq '^TWADVISE UNKNOWN - [^|]+$' "$OUT" || fail "nagios $line: '$(cat "$OUT")'"
	reason=$(sed 's/^TWADVISE UNKNOWN - //' "$OUT")
	grep -qF -- "$reason" "$ERR" || fail "nagios $line: reason '$reason' is not the error '$(cat "$ERR")'"
	run_tw 3 check --format json "$@"
	schema findings "$OUT"
	assert_eq "$(jget "$OUT" 'd["status"]')" unknown "json status ($line)"
	assert_eq "$(jget "$OUT" 'bool(d["error"])')" true "json error ($line)"
	# -o FILE: the previous (ok) file is replaced by status 3.
	run_tw 0 check --format prometheus -o "$TMP/check.prom"
	grep -q '^twadvise_check_status{profile="default"} 0$' "$TMP/check.prom" || fail "prom ok first"
	run_tw 3 check --format prometheus -o "$TMP/check.prom" "$@"
	grep -q '^twadvise_check_status{profile=".*"} 3$' "$TMP/check.prom" || fail "prom -o $line: $(cat "$TMP/check.prom")"
	promlint "$TMP/check.prom" "check unknown ($line)"
done <"$TMP/paths"
# the format itself wrong: UNKNOWN exit, the error on stderr
run_tw 3 check --format xml
[ ! -s "$OUT" ] || fail "bad --format wrote to stdout"
pass_msg "UNKNOWN with its reason on every failure path (nagios, json, prometheus -o)"

# ---- Nagios: status word = exit code, perfdata grammar ----
for args in "" "--profile reverse-proxy" "--proc-root $BUSY" "--proc-root $BUSY --profile reverse-proxy"; do
	# shellcheck disable=SC2086 # $args is a list of arguments by design
	"$TWADVISE" check --format nagios $args >"$TMP/n" 2>"$TMP/nerr"
	rc=$?
	word=$(sed -n '1s/^TWADVISE \([A-Z]*\) - .*/\1/p' "$TMP/n")
	case "$rc:$word" in 0:OK | 1:WARNING | 2:CRITICAL | 3:UNKNOWN) ;;
	*) fail "nagios $args: exit $rc with status word '$word'" ;;
	esac
	perf=$(head -n 1 "$TMP/n" | sed 's/^[^|]*| *//')
	for item in $perf; do
		echo "$item" | grep -Eq "^[a-z_0-9]+=-?[0-9.]+(%|c|s|B)?(;(@?(~|-?[0-9.]+)?:?(-?[0-9.]+)?)?){0,2}(;-?[0-9.]*){0,2}$" ||
			fail "perfdata item '$item' is not 'label=value[UOM];[warn];[crit];[min];[max]'"
	done
done
pass_msg "nagios: status word matches the exit code; perfdata grammar"

# ---- JSON: every document matches its schema ----
run_tw 0 inspect --format json
schema facts "$OUT"
cp "$OUT" "$TMP/live.facts.json"
assert_eq "$(jget "$OUT" 'd["sysctls"]["net.ipv4.ip_local_port_range"]')" "$(tr '\t' ' ' </proc/sys/net/ipv4/ip_local_port_range)" "port range normalised"
run_tw 0 --proc-root "$BUSY" inspect --format json
schema facts "$OUT"
run_tw 0 --proc-root "$BUSY" inspect --format json --listeners
schema facts "$OUT"
run_tw 0 check --format json
schema findings "$OUT"
run_tw 1 --proc-root "$BUSY" check --format json
schema findings "$OUT"
run_tw 0 plan --profile reverse-proxy -o "$TMP/plan.json"
schema plan "$TMP/plan.json"
run_tw 0 apply "$TMP/plan.json" --dry-run --format json --state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d"
schema apply-result "$OUT"
run_tw 0 apply "$TMP/plan.json" --format json --state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d"
schema apply-result "$OUT"
assert_eq "$(jget "$OUT" 'sorted(set(k["state"] for k in d["keys"]))')" '["applied"]' "written keys are applied"
schema snapshot "$TMP"/state/snapshots/*.json
! grep -qP '\t' "$TMP"/state/snapshots/*.json "$TMP/plan.json" || fail "a tab in a plan or snapshot"
run_tw 0 rollback --last --format json --state-dir "$TMP/state" --sysctl-dir "$TMP/sysctl.d"
schema apply-result "$OUT"
run_tw 0 report --format json -o "$TMP/a.report.json"
schema report "$TMP/a.report.json"
pass_msg "JSON schemas: facts, findings (ok and unknown), plan, apply, snapshot, report"

# ---- TuneD export = plan, read by TuneD's own loader ----
for prof in reverse-proxy web-server high-churn-client; do
	run_tw 0 --proc-root "$BUSY" plan --profile "$prof" -o "$TMP/p.json"
	mkdir -p "$TMP/tuned/$prof"
	run_tw 0 --proc-root "$BUSY" profiles export "$prof" --format tuned -o "$TMP/tuned/$prof/tuned.conf"
	run_tw 0 --proc-root "$BUSY" profiles export "$prof" --format sysctl -o "$TMP/$prof.conf"
	# TuneD's loader: from an unpacked package (.ci/run), else an installed
	# tuned, else TuneD's own configparser settings.
	PYTHONPATH="${TWADVISE_TUNED_PYTHONPATH:-}" REQUIRE_LOADER="${TWADVISE_TUNED_PYTHONPATH:+1}" \
	/usr/bin/python3 - "$TMP/tuned" "$prof" "$TMP/p.json" "$TMP/$prof.conf" "$FIXTURES/../../profiles/$prof.yaml" <<'PYEOF' || fail "tuned export of $prof"
import json, sys
root, name, plan_file, sysctl_file, yaml_file = sys.argv[1:]
try:
    import tuned.profiles as tp
    from tuned.utils.global_config import GlobalConfig
    loader = tp.Loader(tp.Locator([root]), tp.Factory(), tp.Merger(), GlobalConfig(),
                       tp.variables.Variables())
    prof = loader.load([name])
    summary = prof.options.get("summary", "")
    sysctl = dict(prof.units["sysctl"].options) if "sysctl" in prof.units else {}
    how = "tuned.profiles.Loader"
except ImportError:
    import os
    if os.environ.get("REQUIRE_LOADER"):
        raise
    import configparser  # TuneD's own parser settings
    cp = configparser.ConfigParser(delimiters=("=",), inline_comment_prefixes=("#",), strict=False)
    cp.optionxform = str
    cp.read(root + "/" + name + "/tuned.conf")
    summary = cp.get("main", "summary", fallback="")
    sysctl = dict(cp.items("sysctl")) if cp.has_section("sysctl") else {}
    how = "configparser"
plan = {c["key"]: c["to"] for c in json.load(open(plan_file))["changes"]}
if sysctl != plan:
    sys.exit("%s: tuned [sysctl] %r != plan %r" % (how, sysctl, plan))
plain = {}
for line in open(sysctl_file):
    if line.strip() and not line.startswith("#"):
        k, v = line.split("=", 1)
        plain[k.strip()] = v.strip()
if plain != plan:
    sys.exit("sysctl export %r != plan %r" % (plain, plan))
desc = " ".join(open(yaml_file).read().split("description:", 1)[1].split("\n")[0:1])
if not summary or summary.endswith(" ") or len(summary) < 20:
    sys.exit("summary %r" % summary)
if "tcp_fin_timeout" in sysctl and "tcp_fin_timeout" not in plan:
    sys.exit("exports a key plan refuses")
print("ok: %s via %s: %d keys" % (name, how, len(sysctl)))
PYEOF
done
# the whole description, never cut: the TuneD summary ends where the profile's does
grep -q '^summary=.*deep listen queues\.$' "$TMP/tuned/reverse-proxy/tuned.conf" || fail "summary cut: $(grep summary "$TMP/tuned/reverse-proxy/tuned.conf")"
grep -q '^net.ipv4.ip_local_reserved_ports=' "$TMP/tuned/reverse-proxy/tuned.conf" || fail "reserved ports plan adds are not exported"
# a profile lowering tcp_fin_timeout "for TIME_WAIT": plan refuses it, export too
printf 'name: fin\nextends: default\nsysctls:\n  net.ipv4.tcp_fin_timeout: 30\n' >"$TMP/fin.yaml"
run_tw 0 --proc-root "$BUSY" profiles export "$TMP/fin.yaml" --format tuned
! grep -q 'tcp_fin_timeout' "$OUT" || fail "tcp_fin_timeout exported: $(cat "$OUT")"
pass_msg "TuneD export equals plan (TuneD loader)"

# ---- fleet: rows keyed by machine-id, the file when reports collide ----
mkdir -p "$TMP/r1/etc" "$TMP/r2/etc"
cp -a "$BUSY/." "$TMP/r1/" && cp -a "$BUSY/." "$TMP/r2/"
echo 0123456789abcdef0123456789abcdef >"$TMP/r1/etc/machine-id"
echo fedcba9876543210fedcba9876543210 >"$TMP/r2/etc/machine-id"
run_tw 0 --proc-root "$TMP/r1" report --format json -o "$TMP/one.json"
run_tw 0 --proc-root "$TMP/r2" report --format json -o "$TMP/two.json"
cp "$TMP/one.json" "$TMP/one-again.json"
run_tw 0 report --merge "$TMP/one.json" "$TMP/two.json" "$TMP/one-again.json" --format json -o "$TMP/fleet.json"
schema fleet "$TMP/fleet.json"
assert_eq "$(jget "$TMP/fleet.json" 'sorted(h["id"] for h in d["hosts"])')" \
	'["0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"]' "fleet ids"
assert_eq "$(jget "$TMP/fleet.json" 'len(set(h["label"] for h in d["hosts"]))')" 3 "three distinct rows"
assert_eq "$(jget "$TMP/fleet.json" '[h["label"] for h in d["hosts"] if h["id"].startswith("fedc")]')" '["busy-host [fedcba98]"]' "label with machine-id"
run_tw 0 report --merge "$TMP/one.json" "$TMP/two.json" -o "$TMP/fleet.md"
grep -q 'busy-host \[01234567\]' "$TMP/fleet.md" || fail "markdown rows not told apart"
pass_msg "fleet rows keyed by machine-id"
