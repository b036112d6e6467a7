#!/bin/bash
# SPDX-License-Identifier: MIT
# seed.sh - (re)build the seed corpora tests/fuzz/corpus/fuzz_NAME/ from the fixtures, the shipped profiles and a few hand-written inputs.
#
#   make && tests/fuzz/seed.sh [build/twadvise]
#
# Seeds are small on purpose (libFuzzer mutates small inputs faster): big
# recorded files are cut to their first lines or buffers. Hand-written
# seeds live in tests/fuzz/seeds/fuzz_NAME/ and are copied as they are. Run
# it again when fixtures are added; commit the result.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tw=${1:-$root/build/twadvise}
fx=$root/tests/fixtures
C=$here/corpus
cd "$root"

put() {	# put HARNESS NAME < data  (HARNESS without fuzz_)
	mkdir -p "$C/fuzz_$1"
	cat >"$C/fuzz_$1/$2"
}
# Made by the binary, with the time in them: kept once made, so that
# running this again does not churn the corpus.
put_once() {	# put_once HARNESS NAME < data
	if [ -e "$C/fuzz_$1/$2" ]; then
		cat >/dev/null
	else
		put "$@"
	fi
}

for h in "$here"/seeds/*/; do
	h=$(basename "$h")
	mkdir -p "$C/$h"
	cp "$here/seeds/$h"/* "$C/$h/"
done

# Profiles: shipped, good and bad fixtures.
for f in profiles/*.yaml "$fx"/profiles/good/*.yaml "$fx"/profiles/bad/*.yaml; do
	[ -f "$f" ] || continue
	# shellcheck disable=SC2094 # $f is only read; basename does not open it
	put profile "$(basename "$(dirname "$f")")-$(basename "$f")" <"$f"
done

# /proc text: every recorded tree, good and bad.
for d in "$fx"/proc/*/ "$fx"/proc-bad/*/; do
	[ -d "$d/net" ] || continue
	n=$(basename "$d")
	for t in tcp tcp6; do
		[ -f "$d/net/$t" ] && head -n 40 "$d/net/$t" | put proctcp "$n-$t"
	done
	for t in sockstat netstat snmp; do
		[ -f "$d/net/$t" ] && head -c 8192 "$d/net/$t" | put procstat "$n-$t"
	done
	for t in ip_local_port_range ip_local_reserved_ports; do
		[ -f "$d/sys/net/ipv4/$t" ] && put procstat "$n-$t" <"$d/sys/net/ipv4/$t"
	done
done
# (head -n keeps tcp-long-line's one long line whole: the line cap is the point.)

# Netlink: each recorded dump's first buffers and its last (NLMSG_DONE).
for bin in "$fx"/netlink/*.bin; do
	[ -f "$bin" ] || continue
	bufs=${bin%.bin}.bufs
	n=$(basename "$bin" .bin)
	python3 - "$bin" "$bufs" "$C/fuzz_diag" "$n" <<'PY'
import os, sys
bin_, bufs, out, name = sys.argv[1:]
data = open(bin_, 'rb').read()
lens = [int(l.split()[0]) for l in open(bufs) if l.strip() and not l.startswith('#')]
os.makedirs(out, exist_ok=True)
off = 0
for i, n in enumerate(lens):
    b = data[off:off + n]
    off += n
    if i == 0 or i == len(lens) - 1:
        open(os.path.join(out, '%s-buf%d' % (name, i)), 'wb').write(b)
    if i == 0:
        # the first 12 messages alone: a small seed to mutate fast
        o, k = 0, 0
        while o + 16 <= len(b) and k < 12:
            ml = int.from_bytes(b[o:o + 4], 'little')
            if ml < 16:
                break
            o += (ml + 3) & ~3
            k += 1
        open(os.path.join(out, '%s-head' % name), 'wb').write(b[:o])
PY
done

# Plans, findings and reports recorded as fixtures.
# shellcheck disable=SC2094 # $f is only read; basename does not open it
for f in "$fx"/plans/*.json "$fx"/plans/*/*.json; do
	[ -f "$f" ] && put plan "fixture-$(basename "$(dirname "$f")")-$(basename "$f")" <"$f"
done
# shellcheck disable=SC2094 # $f is only read; basename does not open it
for f in "$fx"/report/*.report.json; do
	[ -f "$f" ] && put fleet "fixture-$(basename "$f")" <"$f"
done
[ -f "$fx/report/findings.json" ] && put findings fixture-report-findings.json <"$fx/report/findings.json"
[ -f "$fx/report/facts.json" ] && put facts fixture-report-facts.json <"$fx/report/facts.json"

# The sysctl.d files of this machine (hand-written ones are in seeds/).
for f in /etc/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /etc/sysctl.conf; do
	[ -f "$f" ] && head -c 8192 "$f" | put sysctl_conf "host-$(basename "$f")"
done

# Facts, findings and reports from the binary, on the recorded trees.
if [ -x "$tw" ]; then
	for d in "$fx"/proc/*/ "$fx"/proc-bad/odd-but-valid/; do
		n=$(basename "$d")
		"$tw" inspect --proc-root "$d" --format json 2>/dev/null | put_once facts "$n.json" || true
		for p in default reverse-proxy web-server; do
			"$tw" check --proc-root "$d" --profile "$p" --format json 2>/dev/null |
				put_once findings "$n-$p.json" || true
			"$tw" report --proc-root "$d" --profile "$p" --format json 2>/dev/null |
				put_once fleet "$n-$p.json" || true
		done
	done
	for f in "$fx"/proc/*.facts.json "$fx"/facts/*.json; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .json)
		put facts "fixture-$n.json" <"$f"
		"$tw" check --facts "$f" --format json 2>/dev/null | put_once findings "fixture-$n.json" || true
		"$tw" report --facts "$f" --format json 2>/dev/null | put_once fleet "fixture-$n.json" || true
	done
fi
find "$C" -type f -empty -delete

# Dictionaries: the JSON keys and short strings of the seeds, the profile
# keys and YAML syntax (libFuzzer -dict, used by run.sh when present).
python3 - "$C" "$here" <<'PY'
import json, os, re, sys
C, out_dir = sys.argv[1:]
def walk(o, keys, vals):
    if isinstance(o, dict):
        for k, v in o.items():
            keys.add(k)
            walk(v, keys, vals)
    elif isinstance(o, list):
        for v in o:
            walk(v, keys, vals)
    elif isinstance(o, str) and 0 < len(o) <= 40 and '\n' not in o:
        vals.add(o)
def esc(s):
    return ''.join(c if 32 <= ord(c) < 127 and c not in '"\\' else '\\x%02x' % ord(c) for c in s)
def write(h, what, toks):
    with open(os.path.join(out_dir, h + '.dict'), 'w') as out:
        out.write('# %s.dict - libFuzzer dictionary: %s (written by seed.sh)\n' % (h, what))
        for i, t in enumerate(toks):
            out.write('kw%d="%s"\n' % (i, esc(t)))
for h in ['fuzz_plan', 'fuzz_snapshot', 'fuzz_facts', 'fuzz_findings', 'fuzz_fleet']:
    keys, vals = set(), set()
    d = os.path.join(C, h)
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        try:
            walk(json.load(open(os.path.join(d, f))), keys, vals)
        except Exception:
            pass
    toks = ['"%s":' % k for k in sorted(keys)] + ['"%s"' % v for v in sorted(vals)][:300]
    toks += ['{', '}', '[', ']', 'true', 'false', 'null', '-1', '0', '1e309',
             '9223372036854775808', '"\\u0000"', '"\\t"']
    write(h, 'the keys and short values of the seed corpus', toks)
keys = set()
d = os.path.join(C, 'fuzz_profile')
for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    for line in open(os.path.join(d, f), errors='replace'):
        m = re.match(r'\s*([A-Za-z0-9_.\-]+):', line)
        if m:
            keys.add(m.group(1) + ':')
write('fuzz_profile', 'profile keys, sysctl names, YAML syntax',
      sorted(keys) + ['- ', ': ', '\n  ', '"', "'", '&a', '*a', '!!str', '---', '...',
                      '{', '}', '[', ']', '>-', '|', '#'])
PY
for h in "$C"/*/; do
	printf '%-14s %4d seeds\n' "$(basename "$h")" "$(find "$h" -type f | wc -l)"
done
