#!/bin/sh
# pathological.sh - the reader is linear in its input: each pathological
# input (tests/pathological/gen.py: cmark's own and one per rule of the
# notes dialect) is read at 64 KB and at 256 KB, and the CPU time of the
# bigger one must stay under 8 times the smaller one's (linear: 4,
# quadratic: 16), or under 0.5 s, whichever is more. `make bench` times
# them at 1 MB. The table cases are also set in every output (booklet,
# EPUB, deck) at 128 KB and 512 KB under the same rule, and a table of
# 10,000 columns and one of 100,000 rows must each take under 60 s.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
exec python3 - "$QUIRE" <<'PY'
import os, resource, subprocess, sys, tempfile
quire = sys.argv[1]
sys.path.insert(0, "tests/pathological")
import gen

def cpu(path, out, every=False):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [quire, "-q", "-o", out, path] if every else [quire, "-q", "-t", "tree", "-o", out, path]
    p = subprocess.run(args, capture_output=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return p.returncode, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

with tempfile.TemporaryDirectory() as d:
    for name, make in gen.CASES.items():
        times = []
        rc = 0
        for size in (64 << 10, 256 << 10):
            path = os.path.join(d, name + ".md")
            with open(path, "w") as f:
                f.write(make(size))
            try:
                code, t = cpu(path, d)
            except subprocess.TimeoutExpired:
                code, t = -1, 120.0
            rc = rc or code
            times.append(t)
        small, big = times
        ok = rc == 0 and (big <= 8 * small or big < 0.5)
        print("%s - pathological %s: %.2fs at 64 KB, %.2fs at 256 KB%s" % (
            "ok" if ok else "not ok", name, small, big, "" if rc == 0 else " (exit %d)" % rc))

    tables = ["wide-pipe-table", "long-pipe-table", "wide-aligned-table", "aligned-overflow"]
    for name in tables:
        times, rc = [], 0
        for size in (128 << 10, 512 << 10):
            path = os.path.join(d, name + ".md")
            with open(path, "w") as f:
                f.write(gen.CASES[name](size))
            try:
                code, t = cpu(path, d, every=True)
            except subprocess.TimeoutExpired:
                code, t = -1, 120.0
            rc = rc or code
            times.append(t)
        small, big = times
        ok = rc == 0 and (big <= 8 * small or big < 0.5)
        print("%s - pathological %s in every output: %.2fs at 128 KB, %.2fs at 512 KB%s" % (
            "ok" if ok else "not ok", name, small, big, "" if rc == 0 else " (exit %d)" % rc))

    for what, text in (("10,000 columns", gen.wide_pipe(10000 * 50, 3)),
                       ("100,000 rows", gen.wide_pipe(100000 * 27, 0, cols=3))):
        path = os.path.join(d, "big-table.md")
        with open(path, "w") as f:
            f.write(text)
        try:
            code, t = cpu(path, d, every=True)
        except subprocess.TimeoutExpired:
            code, t = -1, 120.0
        ok = code == 0 and t < 60
        print("%s - pathological table of %s in every output: %.2fs%s" % (
            "ok" if ok else "not ok", what, t, "" if code == 0 else " (exit %d)" % code))
PY
