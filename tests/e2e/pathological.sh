#!/bin/sh
# pathological.sh - the reader is linear in its input: each pathological
# input (tests/pathological/gen.py: cmark's own and one per rule of the
# notes dialect) is read at 64 KB and at 256 KB, and the CPU time of the
# bigger one must stay under 8 times the smaller one's (linear: 4,
# quadratic: 16), or under 0.5 s, whichever is more. `make bench` times
# them at 1 MB.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
exec python3 - "$QUIRE" <<'PY'
import os, resource, subprocess, sys, tempfile
quire = sys.argv[1]
sys.path.insert(0, "tests/pathological")
import gen

def cpu(path, out):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([quire, "-q", "-t", "tree", "-o", out, path], capture_output=True, timeout=120)
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
PY
