#!/usr/bin/env python3
# ref-graph.py - call and data reference cycles between the objects of advisor/ (nm over a build directory).
"""Reference graph between advisor/ object files (calls and data): cycles.
usage: tests/lint/ref-graph.py BUILD-DIR"""
import subprocess, sys, glob, collections
objs = sorted(glob.glob(sys.argv[1] + '/advisor/*/*.o'))
defs, refs = {}, collections.defaultdict(set)
for o in objs:
    m = o[len(sys.argv[1]) + 1:-2]
    for line in subprocess.run(['nm', o], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'TDRB':
            defs[p[2]] = m
        elif len(p) == 2 and p[0] == 'U':
            refs[m].add(p[1])
edges = {o[len(sys.argv[1]) + 1:-2]: set() for o in objs}
for m, syms in refs.items():
    for s in syms:
        if s in defs and defs[s] != m:
            edges[m].add(defs[s])
idx, low, st, on, sccs, n = {}, {}, [], set(), [], [0]
def sc(v):
    idx[v] = low[v] = n[0]; n[0] += 1; st.append(v); on.add(v)
    for w in edges[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        c = []
        while True:
            w = st.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(sorted(c))
for v in sorted(edges):
    if v not in idx: sc(v)
for c in sccs: print('cycle:', ' <-> '.join(c))
print(f'{len(edges)} objects, {len(sccs)} reference cycles')
sys.exit(1 if sccs else 0)
