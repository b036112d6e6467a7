#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""structure.py - the structural checks behind `make lint` (see tests/lint/lint.sh).

    structure.py layers            no include from a higher stage folder
    structure.py edges             pure files include no OS-edge header
    structure.py include-cycles    no include cycle between modules
    structure.py call-cycles OBJDIR   no call cycle between modules (nm of OBJDIR)
    structure.py funclen [MAX]     no function body of MAX (80) lines or more

A module is x.c and x.h together, plus x_impl.h when it exists (a header
without a .c is a module of its own). Files scanned: advisor/*/*.[ch] and cmd/*.[ch]. Every check prints
what it found and exits 1 when it found a violation, 0 otherwise, 2 on a
usage error. Python 3 standard library only.
"""

import os
import re
import subprocess
import sys

# The stages of advisor/, lowest first: a file may include headers from its
# own folder and from folders before it in this list, never after it.
# cmd/ sits above them all and may include anything in advisor/; advisor/
# never includes cmd/. A new stage folder must be added here, in its place.
LAYERS = ["util", "facts", "inspect", "trace", "profile", "rules", "apply", "report"]

# OS-edge modules: the only files in advisor/ that touch the kernel, the
# filesystem or the network. Everything else in advisor/ is pure: it makes
# no system calls, includes none of these modules' headers and none of
# EDGE_SYSTEM_HEADERS, so it can be tested on fixtures and fuzzed.
# Edge modules may include each other. Keep each reason to one line.
EDGES = {
    "advisor/util/fsutil": "open/openat/rename/fsync/mkdir: the one atomic, no-follow file writer and reader",
    "advisor/util/http": "dlopen(libcurl) and <curl/curl.h>: HTTP for report posting and remote profiles",
    "advisor/inspect/procfs": "open/read of /proc (or a recorded tree under --proc-root)",
    "advisor/inspect/netlink": "socket(AF_NETLINK)/sendmsg/recvmsg: inet_diag dumps (parsing is diag.c, pure)",
    "advisor/inspect/netns": "open + setns(2) into a network namespace",
    "advisor/inspect/nsdisc": "opendir /proc and the netns bind-mount dirs, stat of ns/net, read of comm and cgroup",
    "advisor/inspect/owners": "opendir/readlink of /proc/PID/fd to find socket owners",
    "advisor/inspect/host": "clock_gettime and the host's identity read through procfs",
    "advisor/inspect/inspect": "orchestrator: drives procfs, netlink, owners, sysctl_io; clock_gettime for samples",
    "advisor/inspect/sysctl_io": "open/read/write of /proc/sys",
    "advisor/inspect/history_io": "lstat/mkdir/open/fstat/access of the counter history file and its directory (codec and deltas: facts/history, pure)",
    "advisor/trace/trace_load": "dlopen(libbpf.so.1), bpf(2) through libbpf, stat of /proc/self/ns/net: loads the tracer, reads its maps",
    "advisor/profile/profile_load": "open/fstat/stat/opendir/readdir: locating profile files in the search dirs",
    "advisor/apply/apply": "orchestrator of writes: sysctl_io writes, the persisted file, state, host identity",
    "advisor/apply/state": "the state directory: mkdir, flock, opendir, snapshot files",
    "advisor/apply/boot": "opendir/read of sysctl.d directories to replay the boot order",
}

# System headers only an edge may include (the OS-access APIs).
EDGE_SYSTEM_HEADERS = {
    "sys/socket.h", "curl/curl.h", "dirent.h", "fcntl.h", "unistd.h",
    "sys/stat.h", "sys/file.h", "sys/ioctl.h", "sys/mman.h", "sys/syscall.h",
    "sys/un.h", "sys/wait.h", "sys/epoll.h", "sys/select.h", "poll.h",
    "sched.h", "dlfcn.h", "netdb.h", "netinet/in.h", "arpa/inet.h",
    "pthread.h", "spawn.h", "signal.h", "syslog.h", "linux/rtnetlink.h",
}

# Calls only an edge may make (checked in code with comments and string
# literals removed, so rule texts that mention connect() do not count).
EDGE_CALLS = re.compile(
    r"\b(open|openat|creat|close|read|write|pread|pwrite|socket|connect|bind|"
    r"sendmsg|recvmsg|sendto|recvfrom|setns|unshare|syscall|ioctl|opendir|"
    r"fdopendir|readdir|readlink|readlinkat|stat|lstat|fstat|fstatat|mkdir|"
    r"mkdirat|rename|renameat|unlink|unlinkat|fsync|flock|fopen|fdopen|"
    r"dlopen|clock_gettime|gettimeofday|time|getenv|fork|execve|execvp)\s*\(")

# Explicit exceptions to the edges rule, as (file, included header or call)
# pairs, each with a comment naming who removes it and when. Keep it empty
# unless main has to stay green meanwhile; an exception is a debt, listed
# by `make lint` every time it runs.
EDGE_EXCEPTIONS = {
}

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]', re.M)


def sources():
    out = []
    for top in ("advisor", "cmd"):
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(dirpath, f), ROOT))
    return sorted(out)


def module_of(path):
    """x.c and x.h are module x; a private header x_impl.h, shared by x.c
    and the files that implement parts of x, belongs to x as well."""
    base = os.path.splitext(path)[0]
    if path.endswith("_impl.h"):
        owner = base[:-len("_impl")]
        if any(os.path.exists(os.path.join(ROOT, owner + e)) for e in (".c", ".h")):
            return owner
    return base


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as f:
        return f.read()


def includes(path):
    """(kind, target, line) for each #include; quoted targets resolved to repo paths."""
    text = read(path)
    out = []
    for m in INCLUDE.finditer(text):
        kind, target = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if kind == '"':
            local = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if os.path.exists(os.path.join(ROOT, local)):
                target = local
        out.append((kind, target, line))
    return out


def stage(path):
    """'cmd', a stage name from LAYERS, or None (outside advisor/ and cmd/)."""
    parts = path.split("/")
    if parts[0] == "cmd":
        return "cmd"
    if parts[0] == "advisor" and len(parts) >= 3:
        return parts[1]
    return None


def check_layers():
    bad = 0
    for path in sources():
        st = stage(path)
        if st not in LAYERS and st != "cmd":
            print(f"{path}: stage folder '{st}' is not in LAYERS (tests/lint/structure.py)")
            bad += 1
            continue
        for kind, target, line in includes(path):
            if kind != '"':
                continue
            ts = stage(target)
            if ts is None:
                continue
            if st == "cmd":
                continue  # cmd/ may include anything in advisor/ and cmd/
            if ts == "cmd":
                print(f"{path}:{line}: includes '{target}': advisor/ never includes cmd/")
                bad += 1
            elif ts not in LAYERS:
                print(f"{path}:{line}: includes '{target}' from unknown stage '{ts}'")
                bad += 1
            elif LAYERS.index(ts) > LAYERS.index(st):
                print(f"{path}:{line}: includes '{target}': {ts}/ is above {st}/ "
                      f"(order: {' < '.join(LAYERS)} < cmd)")
                bad += 1
    if not bad:
        print("layers: every include goes to the same or a lower stage")
    return 1 if bad else 0


def strip_c(text):
    """Remove comments, string and character literals and preprocessor
    lines, keeping newlines so line numbers stay right."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            # Preprocessor line, with continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append("\n")
                    i += 2
                    continue
                i += 1
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j) or " ")
            i = j
            continue
        if c == "/" and text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            q = c
            i += 1
            while i < n and text[i] != q:
                if text[i] == "\\":
                    i += 1
                if i < n and text[i] == "\n":
                    out.append("\n")
                i += 1
            i += 1
            out.append('""' if q == '"' else "0")
            at_line_start = False
            continue
        out.append(c)
        if c == "\n":
            at_line_start = True
        elif not c.isspace():
            at_line_start = False
        i += 1
    return "".join(out)


def check_edges():
    bad = 0
    for mod in sorted(EDGES):
        if not any(os.path.exists(os.path.join(ROOT, mod + ext)) for ext in (".c", ".h")):
            print(f"{mod}: listed in EDGES but neither {mod}.c nor {mod}.h exists")
            bad += 1
    edge_headers = {m + ".h" for m in EDGES}
    for path in sources():
        if stage(path) == "cmd" or module_of(path) in EDGES:
            continue  # cmd/ is the program's face; edges may include edges
        for kind, target, line in includes(path):
            if (path, target) in EDGE_EXCEPTIONS:
                print(f"{path}:{line}: includes '{target}' (exception: {EDGE_EXCEPTIONS[(path, target)]})")
                continue
            if kind == '"' and target in edge_headers:
                print(f"{path}:{line}: pure file includes the OS-edge header '{target}' "
                      f"({EDGES[module_of(target)]})")
                bad += 1
            elif kind == "<" and target in EDGE_SYSTEM_HEADERS:
                print(f"{path}:{line}: pure file includes <{target}>, an OS-access header")
                bad += 1
        code = strip_c(read(path))
        for m in EDGE_CALLS.finditer(code):
            before = code[:m.start()].rstrip()
            if before.endswith(("->", ".")) or re.search(r"\b(struct|enum|union)\s*$", before):
                continue  # a member or a type named like a call
            line = code.count("\n", 0, m.start()) + 1
            call = m.group(1) + "()"
            if (path, call) in EDGE_EXCEPTIONS:
                print(f"{path}:{line}: calls {call} (exception: {EDGE_EXCEPTIONS[(path, call)]})")
                continue
            print(f"{path}:{line}: pure file calls {call}: move it to an edge module or list the module in EDGES")
            bad += 1
    if not bad:
        print(f"edges: {len(EDGES)} edge modules; no pure file includes an edge header or calls the OS")
    return 1 if bad else 0


def find_cycles(graph):
    """Strongly connected components with more than one node (Tarjan),
    each returned as one concrete cycle path through it."""
    index, low, on, stack, sccs = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    cycles = []
    for comp in sorted(sccs):
        members = set(comp)
        start = comp[0]
        # Shortest path back to start inside the component (BFS).
        prev = {start: None}
        queue = [start]
        found = None
        while queue and found is None:
            nxt = []
            for v in queue:
                for w in sorted(graph.get(v, ())):
                    if w not in members:
                        continue
                    if w == start:
                        found = v
                        break
                    if w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if found is not None:
                    break
            queue = nxt
        path = [start]
        v = found
        while v is not None and v != start:
            path.append(v)
            v = prev[v]
        path = [start] + list(reversed(path[1:])) + [start]
        cycles.append((comp, path))
    return cycles


def report_cycles(kind, graph, why):
    cycles = find_cycles(graph)
    for comp, path in cycles:
        print(f"{kind} cycle: {' -> '.join(path)}")
        if len(comp) > len(path) - 1:
            print(f"  (the whole knot, {len(comp)} modules: {', '.join(comp)})")
        for a, b in zip(path, path[1:]):
            print(f"    {a} -> {b}: {why(a, b)}")
        pairs = [(a, b) for a in comp for b in comp
                 if a < b and b in graph.get(a, ()) and a in graph.get(b, ())]
        for a, b in pairs:
            print(f"  mutual: {a} <-> {b}")
    if not cycles:
        print(f"{kind} cycles: none")
    return 1 if cycles else 0


def check_include_cycles():
    graph, how = {}, {}
    for path in sources():
        a = module_of(path)
        graph.setdefault(a, set())
        for kind, target, line in includes(path):
            if kind != '"' or stage(target) is None:
                continue
            b = module_of(target)
            if b != a:
                graph[a].add(b)
                how.setdefault((a, b), f"{path}:{line} includes {target}")
    return report_cycles("include", graph, lambda a, b: how[(a, b)])


def nm(obj, *flags):
    res = subprocess.run([os.environ.get("NM", "nm"), *flags, obj],
                         capture_output=True, text=True, check=True)
    return [ln.split()[-1] for ln in res.stdout.splitlines() if ln.strip()]


def check_call_cycles(objdir):
    # The objects of today's sources only: a stale .o of a file since
    # removed or renamed would bring back edges that no longer exist.
    # (*.bpf.c is BPF code, built into the tracer's skeleton, not an object here.)
    objs = [os.path.join(objdir, module_of(p) + ".o") for p in sources()
            if p.endswith(".c") and not p.endswith(".bpf.c")]
    missing = [o for o in objs if not os.path.exists(o)]
    if missing:
        print(f"call cycles: {len(missing)} objects missing, e.g. {missing[0]}; build first (make lint-cycles does)")
        return 2
    defined, used = {}, {}
    for o in sorted(objs):
        mod = module_of(os.path.relpath(o, objdir)[:-2] + ".c")
        for sym in nm(o, "--defined-only", "-g"):
            defined[sym] = mod
        used[mod] = nm(o, "-u")
    graph, how = {}, {}
    for mod, syms in used.items():
        graph.setdefault(mod, set())
        for sym in syms:
            other = defined.get(sym)
            if other and other != mod:
                graph[mod].add(other)
                how.setdefault((mod, other), []).append(sym)

    def why(a, b):
        syms = sorted(how[(a, b)])
        more = f" and {len(syms) - 3} more" if len(syms) > 3 else ""
        return f"uses {', '.join(syms[:3])}{more}"
    return report_cycles("call", graph, why)


def functions(path):
    """(name, first line, last line) of each function definition: the
    line of its name and the line of the brace that closes its body."""
    code = strip_c(read(path))
    out = []
    depth = 0
    start = None
    name = None
    for m in re.finditer(r"[{}]", code):
        if m.group() == "{":
            if depth == 0:
                before = code[:m.start()].rstrip()
                # A definition's body follows its parameter list; an
                # initializer follows '=', a struct/enum body a name.
                if before.endswith(")"):
                    d, j = 0, len(before) - 1
                    while j >= 0:
                        if before[j] == ")":
                            d += 1
                        elif before[j] == "(":
                            d -= 1
                            if d == 0:
                                break
                        j -= 1
                    nm_ = re.search(r"(\w+)\s*$", before[:j])
                    name = nm_.group(1) if nm_ else "?"
                    at = nm_.start(1) if nm_ else m.start()
                    start = code.count("\n", 0, at) + 1
                else:
                    name = None
            depth += 1
        else:
            depth -= 1
            if depth == 0 and name:
                end = code.count("\n", 0, m.start()) + 1
                out.append((name, start, end))
                name = None
    return out


def check_funclen(limit):
    rows = []
    for path in sources():
        if path.endswith(".c"):
            for name, start, end in functions(path):
                rows.append((end - start + 1, path, start, name))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    over = [r for r in rows if r[0] >= limit]
    print(f"function length (lines from its name to its closing '}}'), longest first; limit < {limit}:")
    for n, path, start, name in rows[:5]:
        print(f"  {n:4d}  {path}:{start}  {name}()")
    if over:
        print(f"{len(over)} of {len(rows)} functions have {limit} lines or more:")
        for n, path, start, name in over:
            print(f"  {n:4d}  {path}:{start}  {name}()")
        return 1
    print(f"funclen: all {len(rows)} functions under {limit} lines")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "layers":
        return check_layers()
    if cmd == "edges":
        return check_edges()
    if cmd == "include-cycles":
        return check_include_cycles()
    if cmd == "call-cycles" and len(argv) == 3:
        return check_call_cycles(argv[2])
    if cmd == "funclen":
        return check_funclen(int(argv[2]) if len(argv) > 2 else 80)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
