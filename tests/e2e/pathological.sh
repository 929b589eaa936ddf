#!/bin/sh
# pathological.sh - quire is linear in its input: each pathological input
# (tests/pathological/gen.py: cmark's own and one per rule of the notes
# dialect) is compiled to all three outputs (booklet, EPUB, deck) at
# 128 KB and at 512 KB, and the CPU time of the bigger one must stay
# under 6 times the smaller one's (linear: 4, with the fixed start-up a
# little less; quadratic: 16), or under 0.4 s. Sizes are compared, not
# absolute times, so that a busy machine slows both alike; a pair over
# the bound is measured twice more (the fastest run counts) before it
# fails. Every run must succeed. `make bench` times them at 1 MB.
#
# Some quadratic costs are small beside the rest below 1 MB; where one
# was removed, that output alone is compared at 256 KB and 1 MB, under 7
# times (it was 9 to 10): the deck's fields of a question asked again
# and again (card-tags, headings: a note of 47,000 cards compared its
# entries pairwise).
#
# A table of 10,000 columns and one of 100,000 rows must each take under
# 60 s in every output.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
exec python3 - "$QUIRE" <<'PY'
import os, resource, subprocess, sys, tempfile
quire = sys.argv[1]
sys.path.insert(0, "tests/pathological")
import gen

SMALL, BIG, BOUND, FLOOR = 128 << 10, 512 << 10, 6.0, 0.4
# case: (output, small, big, bound)
FOCUSED = {
    "card-tags": ("apkg", 256 << 10, 1 << 20, 7.0),
    "headings": ("apkg", 256 << 10, 1 << 20, 7.0),
}


def cpu(path, out, outputs="pdf,epub,apkg"):
    """CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        p = subprocess.run([quire, "-q", "-t", outputs, "-o", out, path],
                           capture_output=True, timeout=300)
        code = p.returncode
    except subprocess.TimeoutExpired:
        code = -1
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return code, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def check(d, name, make, outputs, sizes, bound):
    paths = []
    for size in sizes:
        path = os.path.join(d, "%s-%d.md" % (name, size))
        with open(path, "w") as f:
            f.write(make(size))
        paths.append(path)
    rc, small, big = 0, float("inf"), float("inf")
    for attempt in range(3):
        c1, t1 = cpu(paths[0], d, outputs)
        c2, t2 = cpu(paths[1], d, outputs)
        rc = rc or c1 or c2
        small, big = min(small, t1), min(big, t2)
        if rc or big <= bound * small or big < FLOOR:
            break
    ok = rc == 0 and (big <= bound * small or big < FLOOR)
    print("%s - pathological %s (%s): %.2fs at %d KB, %.2fs at %d KB (x%.1f)%s" % (
        "ok" if ok else "not ok", name, outputs, small, sizes[0] >> 10, big,
        sizes[1] >> 10, big / max(small, 1e-3), "" if rc == 0 else " (exit %d)" % rc))
    sys.stdout.flush()


with tempfile.TemporaryDirectory() as d:
    for name, make in gen.CASES.items():
        check(d, name, make, "pdf,epub,apkg", (SMALL, BIG), BOUND)
    for name, (outputs, small, big, bound) in FOCUSED.items():
        check(d, name, gen.CASES[name], outputs, (small, big), bound)
    for what, text in (("10,000 columns", gen.wide_pipe(10000 * 50, 3)),
                       ("100,000 rows", gen.wide_pipe(100000 * 27, 0, cols=3))):
        path = os.path.join(d, "big-table.md")
        with open(path, "w") as f:
            f.write(text)
        code, t = cpu(path, d)
        ok = code == 0 and t < 60
        print("%s - pathological table of %s in every output: %.2fs%s" % (
            "ok" if ok else "not ok", what, t, "" if code == 0 else " (exit %d)" % code))
PY
