#!/usr/bin/env python3
# include-graph.py - include cycles between advisor/ modules (x.c + x.h count as one) and includes that reach up the stage order.
"""Include graph of advisor/: module cycles (x.c + x.h = one module) and upward includes across stage folders.
usage: tests/lint/include-graph.py [GIT-REV]   (no rev: the working tree)"""
import re, subprocess, sys, os
ORDER = ['util', 'facts', 'inspect', 'profile', 'rules', 'apply', 'report']
rev = sys.argv[1] if len(sys.argv) > 1 else None
if rev:
    files = subprocess.run(['git', 'ls-tree', '-r', '--name-only', rev, 'advisor/'], capture_output=True, text=True, check=True).stdout.split()
    read = lambda f: subprocess.run(['git', 'show', f'{rev}:{f}'], capture_output=True, text=True, check=True).stdout
else:
    files = [os.path.join(d, f) for d, _, fs in os.walk('advisor') for f in fs]
    read = lambda f: open(f).read()
files = sorted(f for f in files if f.endswith(('.c', '.h')))
mod = lambda f: f.rsplit('.', 1)[0]
edges = {}
for f in files:
    m = mod(f)
    edges.setdefault(m, set())
    for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)"', read(f), re.M):
        t = mod(inc)
        if t != m:
            edges[m].add(t)
bad = 0
for m in sorted(edges):
    for t in sorted(edges[m]):
        a, b = m.split('/')[1], t.split('/')[1] if t.startswith('advisor/') else None
        if b is None or b not in ORDER:
            continue
        if ORDER.index(b) > ORDER.index(a):
            print(f'upward: {m} -> {t}'); bad += 1
# Tarjan SCC
idx, low, st, on, sccs, n = {}, {}, [], set(), [], [0]
def sc(v):
    idx[v] = low[v] = n[0]; n[0] += 1; st.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in edges: continue
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        c = []
        while True:
            w = st.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(sorted(c))
sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in idx: sc(v)
for c in sccs:
    print('cycle:', ' <-> '.join(c)); bad += 1
print(f'{len(edges)} modules, {sum(map(len, edges.values()))} include edges, {len(sccs)} cycles, {bad} problems')
sys.exit(1 if bad else 0)
