#!/bin/bash
# SPDX-License-Identifier: MIT
# TuneD profiles in (issue 16): every profile Debian's tuned package ships,
# imported as a set (validated, include chains intact, skipped parts
# listed), round-tripped through export, the net.* keys applied in this
# private network namespace and rolled back exactly, and bad input refused.
# Keys outside net.* are host-wide: they are never written on the host,
# only in a recorded --proc-root tree (a copy of busy-host, extended here).
# shellcheck disable=SC2016 # TuneD's ${variables} are literal text here, never expanded
. "$TESTS_DIR/lib.sh"

dir=${TWADVISE_TUNED_PROFILES:-}
if [ -z "$dir" ] && [ -n "${TWADVISE_TUNED_PYTHONPATH:-}" ]; then
	dir=${TWADVISE_TUNED_PYTHONPATH%/python3/dist-packages}/tuned
fi
[ -n "$dir" ] || dir=/tmp/tunedx/root/usr/lib/tuned
if [ ! -d "$dir" ]; then
	[ -n "${TWADVISE_NO_SKIP:-}" ] && fail "no TuneD profiles at '$dir' (set TWADVISE_TUNED_PROFILES, or unpack tuned: apt-get download tuned; dpkg-deb -x)"
	skip "no TuneD profiles (set TWADVISE_TUNED_PROFILES or TWADVISE_TUNED_PYTHONPATH)"
fi
want=$(find "$dir" -mindepth 2 -maxdepth 2 -name tuned.conf | wc -l)
[ "$want" -ge 30 ] || fail "only $want TuneD profiles under $dir"

# 1. The whole set, imported together.
run_tw 0 profiles import "$dir" --format tuned -o "$TMP/imp"
assert_eq "$(nfiles "$TMP/imp")" "$want" "one twadvise profile per TuneD profile"
grep -q "not imported: \[cpu\]" "$ERR" || fail "skipped plugins on stderr: $(head "$ERR")"
grep -q "recommend.d: no tuned.conf" "$ERR" || fail "non-profile dir named: $(head "$ERR")"
run_tw 0 profiles validate "$TMP"/imp/*.yaml
assert_eq "$(grep -c ': ok' "$OUT")" "$want" "every imported profile validates"
grep -qx "$TMP/imp/network-latency.yaml: ok (profile 'network-latency', chain network-latency -> latency-performance)" "$OUT" ||
	fail "include chain: $(grep network-latency "$OUT")"
grep -q '^#   line [0-9]*: \[bootloader\]' "$TMP/imp/network-latency.yaml" || fail "header lists skipped parts"
grep -q 'function ${f:virt_check' "$TMP/imp/openshift.yaml" || fail "include through a function named"
python3 - "$dir" "$TMP/imp" "$TMP/expected.json" <<'PY' || fail "imported sysctls differ from TuneD's"
# What TuneD itself would set, per profile, with includes merged (its
# configparser settings), against what the imported YAML says.
import configparser, json, os, re, sys
src, imp, out = sys.argv[1:]
def own(name):
    c = configparser.ConfigParser(delimiters=('='), inline_comment_prefixes=('#'), strict=False)
    c.optionxform = str
    c.read(os.path.join(src, name, 'tuned.conf'))
    inc = c.get('main', 'include', fallback='')
    sysc = {k: re.sub(r'^"(.*)"$', r'\1', v) for k, v in (c.items('sysctl') if c.has_section('sysctl') else [])}
    return (inc if '${' not in inc else ''), {k: v for k, v in sysc.items() if '${' not in v}
def merged(name):
    inc, s = own(name)
    base = merged(inc) if inc else {}
    base.update(s)
    return base
exp, nkeys = {}, 0
for name in sorted(os.listdir(src)):
    if not os.path.isfile(os.path.join(src, name, 'tuned.conf')):
        continue
    exp[name] = merged(name)
    text = open(os.path.join(imp, name + '.yaml')).read()
    for k, v in own(name)[1].items():
        nkeys += 1
        plain = v.lstrip('<>') if v[:1] in '<>' and len(v) > 1 else v
        if k + ':' not in text or plain not in text:
            sys.exit('%s: %s=%s not in the YAML' % (name, k, v))
json.dump(exp, open(out, 'w'))
print('imported sysctls:', nkeys)
PY

# 2. Round trip through export. export equals plan, so it is made against a
# recorded tree where every key holds another value of the same shape: then
# plan proposes every key and export's [sysctl] must be TuneD's merged one
# (a '>N' comes back as N, the value plan proposes when the current is below).
make_tree() {	# make_tree NAME: $TMP/tree with NAME's keys at other values
	rm -rf "$TMP/tree"
	cp -r "$FIXTURES/proc/busy-host" "$TMP/tree"
	python3 - "$TMP/expected.json" "$1" "$TMP/tree/sys" <<'PY'
import json, os, sys
exp, name, root = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
for k, v in exp[name].items():
    v = v.lstrip('<>') if v[:1] in '<>' and len(v) > 1 else v
    words = v.split()
    ints = all(w.lstrip('-').isdigit() for w in words) and words
    if ints:
        other = ' '.join('1' if w != '1' else '2' for w in words)
    else:
        other = 'x' + v
    p = os.path.join(root, *k.split('.'))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'w').write(other + '\n')
PY
}
ok=0 diff=0
for f in "$TMP"/imp/*.yaml; do
	name=$(basename "$f" .yaml)
	make_tree "$name"
	run_tw 0 profiles export "$f" --format tuned --proc-root "$TMP/tree" -o "$TMP/rt.conf"
	if python3 - "$TMP/expected.json" "$name" "$TMP/rt.conf" <<'PY'
import configparser, json, sys
exp = json.load(open(sys.argv[1]))[sys.argv[2]]
c = configparser.ConfigParser(delimiters=('='), inline_comment_prefixes=('#'), strict=False)
c.optionxform = str
c.read(sys.argv[3])
got = dict(c.items('sysctl')) if c.has_section('sysctl') else {}
want = {k: (v[1:] if v[:1] in '<>' and len(v) > 1 else v) for k, v in exp.items()}
norm = lambda d: {k: ' '.join(v.split()) for k, v in d.items()}
# busy-host has a listener inside the ephemeral range: plan (so export) adds
# its reservation on top of the profile's keys; nothing else may come extra.
extra = set(got) - set(want) - {'net.ipv4.ip_local_reserved_ports'}
got = {k: v for k, v in got.items() if k in want or k in extra}
if norm(got) != norm(want):
    print('%s: export %s, TuneD %s' % (sys.argv[2], norm(got), norm(want)), file=sys.stderr)
    sys.exit(1)
PY
	then ok=$((ok + 1)); else diff=$((diff + 1)); fi
done
echo "round trip: $ok of $want profiles give back TuneD's [sysctl] section, $diff differ"
assert_eq "$diff" 0 "round trip"

# 3. Keys outside net. are host-wide: plan says so (on the recorded tree).
make_tree throughput-performance
run_tw 0 plan --profile "$TMP/imp/throughput-performance.yaml" --proc-root "$TMP/tree" -o "$TMP/tp.json"
grep -q "host-wide: outside net." "$OUT" || fail "plan marks host-wide keys: $(cat "$OUT")"
# apply --netns refuses them before writing anything (the tree, never the host).
cp -r "$TMP/tree" "$TMP/tree.before"
run_tw 65 apply "$TMP/tp.json" --netns /proc/self/ns/net --proc-root "$TMP/tree" --force
grep -q "vm.dirty_ratio is host-wide (outside net.)" "$ERR" || fail "refusal: $(cat "$ERR")"
diff -r "$TMP/tree/sys" "$TMP/tree.before/sys" >/dev/null || fail "apply --netns wrote to the tree"

# 4. The net.* keys of Debian's profiles, applied in this private network
# namespace and rolled back exactly.
mkdir -p "$TMP/netonly/debian-net"
python3 - "$dir" > "$TMP/netonly/debian-net/tuned.conf" <<'PY'
import configparser, os, sys
keys = {}
for name in sorted(os.listdir(sys.argv[1])):
    c = configparser.ConfigParser(delimiters=('='), inline_comment_prefixes=('#'), strict=False)
    c.optionxform = str
    c.read(os.path.join(sys.argv[1], name, 'tuned.conf'))
    if c.has_section('sysctl'):
        for k, v in c.items('sysctl'):
            p = '/proc/sys/' + k.replace('.', '/')
            # Writable in this namespace (global net.core keys are read-only here).
            if k.startswith('net.') and os.path.exists(p) and os.stat(p).st_mode & 0o200:
                keys[k] = v
print('[main]\nsummary=net.* keys of the Debian TuneD profiles\n\n[sysctl]')
for k, v in sorted(keys.items()):
    print('%s=%s' % (k, v))
PY
run_tw 0 profiles import "$TMP/netonly/debian-net/tuned.conf" -o "$TMP/debian-net.yaml"
keys=$(python3 -c 'import sys; print(" ".join(l.split("=")[0] for l in open(sys.argv[1]) if l.startswith("net.")))' "$TMP/netonly/debian-net/tuned.conf")
[ -n "$keys" ] || fail "no net.* keys to apply"
echo "applied and rolled back in this namespace: $keys"
# shellcheck disable=SC2086 # keys is a list of sysctl names
before=$(sysctl $keys)
run_tw 0 plan --profile "$TMP/debian-net.yaml" -o "$TMP/net.json"
run_tw 0 apply "$TMP/net.json" --format json
snap=$(jget "$OUT" 'd["snapshot"]')
run_tw 0 check --profile "$TMP/debian-net.yaml" --format json
python3 - "$OUT" <<'PY' || fail "after apply, check still finds a mismatch"
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d['findings'] if f['rule'] == 'sysctl-mismatch' and f['severity'] != 'ok']
sys.exit(1 if bad else 0)
PY
run_tw 0 rollback "$snap"
# shellcheck disable=SC2086 # keys is a list of sysctl names
assert_eq "$(sysctl $keys)" "$before" "rollback restores every key exactly"

# 5. Bad input: each a clear error with file and line, nothing written.
bad=$TMP/bad; mkdir -p "$bad/loop-a" "$bad/loop-b" "$bad/big" "$bad/empty/nothing" "$bad/cont"
printf '[main]\ninclude=loop-b\n[sysctl]\nvm.swappiness=10\n' > "$bad/loop-a/tuned.conf"
printf '[main]\ninclude=loop-a\n' > "$bad/loop-b/tuned.conf"
run_tw 65 profiles import "$bad" -o "$TMP/badout"
grep -q "loop-a/tuned.conf:2:1: include loop" "$ERR" || fail "include loop: $(cat "$ERR")"
[ -e "$TMP/badout" ] && fail "nothing written on an include loop"
rm -r "$bad/loop-a" "$bad/loop-b"
head -c 10485760 /dev/zero | tr '\0' '#' > "$bad/big/tuned.conf"
run_tw 65 profiles import "$bad/big" -o "$TMP/big.yaml"
grep -q "big/tuned.conf: larger than" "$ERR" || fail "10 MB file: $(cat "$ERR")"
[ -e "$TMP/big.yaml" ] && fail "nothing written for a 10 MB file"
run_tw 66 profiles import "$bad/empty" -o "$TMP/e"
grep -q "empty/tuned.conf: no such file" "$ERR" || fail "no tuned.conf: $(cat "$ERR")"
[ -e "$TMP/e" ] && fail "nothing written without tuned.conf"
printf '[main]\ninclude=no-such-profile\n' > "$bad/cont/tuned.conf"
run_tw 66 profiles import "$bad/cont/tuned.conf" -o "$TMP/c.yaml"
grep -q "cont/tuned.conf:2:1: include=no-such-profile: no such profile" "$ERR" || fail "missing include: $(cat "$ERR")"
printf '[sysctl]\nvm.swappiness=${swap}\nkernel.core_pattern=|/tmp/x\n' > "$bad/cont/tuned.conf"
run_tw 65 profiles import "$bad/cont/tuned.conf" -o "$TMP/c.yaml"
grep -q "cont/tuned.conf:3:1: \[sysctl\] sysctl 'kernel.core_pattern' names a program" "$ERR" || fail "program key: $(cat "$ERR")"
[ -e "$TMP/c.yaml" ] && fail "nothing written for a refused key"
# A variable: not imported, the key and the reason named.
printf '[sysctl]\nvm.swappiness=${swap}\nvm.dirty_ratio=5\n' > "$bad/cont/tuned.conf"
run_tw 0 profiles import "$bad/cont/tuned.conf" -o "$TMP/c.yaml"
grep -q 'tuned.conf:2: not imported: \[sysctl\] vm.swappiness=${swap}: its value depends on the variable ${swap}' "$ERR" ||
	fail "variable: $(cat "$ERR")"
grep -q 'line 2: \[sysctl\] vm.swappiness' "$TMP/c.yaml" || fail "variable in the header"
# A key that does not exist, a value of the wrong shape: where the target is known.
make_tree throughput-performance
printf '[sysctl]\nvm.no_such_knob=1\n' > "$bad/cont/tuned.conf"
run_tw 0 profiles import "$bad/cont/tuned.conf" -o "$TMP/c.yaml"
run_tw 65 plan --profile "$TMP/c.yaml" --proc-root "$TMP/tree" -o "$TMP/c.json"
grep -q "c.yaml:[0-9]*:3: vm.no_such_knob: no such sysctl on the target ($TMP/tree/sys)" "$ERR" || fail "no such key: $(cat "$ERR")"
[ -e "$TMP/c.json" ] && fail "no plan written for a missing key"
printf '[sysctl]\nvm.dirty_ratio=4096 16384\n' > "$bad/cont/tuned.conf"
run_tw 0 profiles import "$bad/cont/tuned.conf" -o "$TMP/c.yaml"
run_tw 65 plan --profile "$TMP/c.yaml" --proc-root "$TMP/tree" -o "$TMP/c.json"
grep -q "vm.dirty_ratio: the kernel holds one integer, not '4096 16384'" "$ERR" || fail "wrong shape: $(cat "$ERR")"
pass_msg "TuneD profiles: $want imported, round trip exact, net.* applied and rolled back, bad input refused"
