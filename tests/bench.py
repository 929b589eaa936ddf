#!/usr/bin/env python3
"""Benchmark quire: wall time (median of several runs) and peak memory
for the corpus and for 10x / 100x copies of it, per back end.

    make bench            (or: python3 tests/bench.py [--runs N])
    python3 tests/bench.py --pathological [--path-runs N] [--cases A,B]
                          (only the pathological inputs, N runs each)
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

QUIRE = os.environ.get("QUIRE", "./quire")
CORPUS = "tests/corpus/python-fastapi-notes.md"
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
PATH_RUNS = (int(sys.argv[sys.argv.index("--path-runs") + 1])
             if "--path-runs" in sys.argv else 1)


def backends():
    out = subprocess.run([QUIRE, "--help"], capture_output=True, text=True).stdout
    return [b for b in ("pdf", "epub", "apkg", "tree")
            if re.search(r"^\s+%s\s+(?!\(not yet)" % b, out, re.M)]


def peak_rss(args):
    """Peak RSS (MB) of one run, from /usr/bin/time (exact for the program)."""
    out = tempfile.mkdtemp()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", QUIRE, "-q", "-o", out] + args,
                       capture_output=True, text=True)
    shutil.rmtree(out, ignore_errors=True)
    try:
        return int(p.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return 0


def measure(args, runs):
    """Median wall seconds over runs (no wrapper process), and peak RSS."""
    walls = []
    for _ in range(runs):
        out = tempfile.mkdtemp()
        t0 = time.perf_counter()
        p = subprocess.run([QUIRE, "-q", "-o", out] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t0)
        shutil.rmtree(out, ignore_errors=True)
        if p.returncode != 0:
            return None, None, p.stderr.decode(errors="replace").strip()[-120:]
    return statistics.median(walls), peak_rss(args), None


def make_inputs(tmp):
    src = open(CORPUS, encoding="utf-8", errors="surrogateescape").read()
    files = {"corpus (98 KB)": CORPUS}
    for n in (10, 100):
        p = os.path.join(tmp, "corpus-x%d.md" % n)
        open(p, "w", encoding="utf-8", errors="surrogateescape").write(src * n)
        files["corpus x%d (%.1f MB)" % (n, os.path.getsize(p) / 1e6)] = p
    # distinct questions: each copy's questions suffixed with its copy number
    lines = src.split("\n")
    out = []
    for k in range(100):
        for l in lines:
            if re.match(r"^(#{1,6} .*|Q\d+[.:].*|Explain \*args and \*\*kwargs\.)\s*$", l) and \
               (l.rstrip().endswith(("?", ".")) or l.startswith("### ")):
                l = l.rstrip() + " (%d)" % k
            out.append(l)
    p = os.path.join(tmp, "corpus-distinct-x100.md")
    open(p, "w", encoding="utf-8", errors="surrogateescape").write("\n".join(out))
    files["distinct x100 (%.1f MB)" % (os.path.getsize(p) / 1e6)] = p
    p = with_images(tmp, src)
    size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)
               if f == "images.md" or f.startswith("figure-"))
    files["corpus + front matter + 10 images (%.1f MB)" % (size / 1e6)] = p
    return files


def noise_png(path, w, h, seed):
    """An RGB PNG of noise (incompressible: about 3*w*h bytes)."""
    import random, struct, zlib
    rnd = random.Random(seed)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\0" + bytes(rnd.getrandbits(8) for _ in range(3 * w)) for _ in range(h))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def with_images(tmp, src):
    """Issue 12: the corpus with front matter and ten images of 100 KB,
    one after every tenth of its lines."""
    lines = src.split("\n")
    out = ["---", "title: FastAPI notes", "author: A. Student", "lang: en", "---", ""]
    step = len(lines) // 10
    for k in range(10):
        noise_png(os.path.join(tmp, "figure-%d.png" % k), 190, 180, k)
        out += lines[k * step:(k + 1) * step] + ["", "![Figure %d](figure-%d.png)" % (k, k), ""]
    out += lines[10 * step:]
    p = os.path.join(tmp, "images.md")
    open(p, "w", encoding="utf-8", errors="surrogateescape").write("\n".join(out))
    return p


def main():
    if not os.path.exists(CORPUS):
        sys.exit("bench: %s is not here" % CORPUS)
    tmp = tempfile.mkdtemp()
    files = make_inputs(tmp)
    bes = backends()
    print("quire benchmark, %s, %d cores, median of %d runs (fewer for big inputs)\n"
          % (time.strftime("%Y-%m-%d"), os.cpu_count(), RUNS))
    print("| input | output | wall | peak RSS |")
    print("|---|---|---:|---:|")
    plan = []
    for name, path in files.items():
        big = "x100" in name
        mid = "x10 " in name
        for b in bes:
            if "distinct" in name and b not in ("apkg", "tree"):
                continue
            plan.append((name, path, b, (3 if b == "pdf" else 5) if big else
                         (5 if mid else RUNS)))
        if "images" in name:
            plan[-len(bes):] = []   # all three outputs only
        if not big and not mid and "distinct" not in name and len(bes) > 1:
            plan.append((name, path, ",".join(x for x in bes if x != "tree"), RUNS))
    # issue 11: peak memory of the booklet of 10 MB of notes (target under
    # 300 MB for all three outputs), of 200,000 headings and of one 5 MB
    # line
    lines = ["# Headings", ""]
    for i in range(200000):
        lines += ["## Heading number %d" % i, ""]
    p = os.path.join(tmp, "headings-200k.md")
    open(p, "w").write("\n".join(lines))
    plan.append(("200,000 headings (%.1f MB)" % (os.path.getsize(p) / 1e6), p, "pdf", 1))
    words = ("alpha", "beta", "gamma", "delta", "epsilon")
    p = os.path.join(tmp, "one-line.md")
    open(p, "w").write("# Line\n\n" + " ".join(words[i % 5] for i in range(800000)) + "\n")
    plan.append(("one 5 MB line (%.1f MB)" % (os.path.getsize(p) / 1e6), p, "pdf", 1))
    big = [f for f in files if "corpus x100" in f]
    if big and len(bes) > 1:
        # a target line (issue 11): the median of five, as the other 10 MB lines
        plan.append((big[0], files[big[0]], ",".join(x for x in bes if x != "tree"), 5))
    for name, path, b, runs in plan:
        wall, rss, err = measure(["-t", b, path], runs)
        if wall is None:
            print("| %s | %s | failed: %s | |" % (name, b, err))
        else:
            print("| %s | %s | %.1f ms | %.0f MB |" % (name, b, wall * 1000, rss))
        sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)
    pathological()
    formulas()


def timed(args):
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one
    run, all from the same run (under /usr/bin/time), or (None, None,
    error)."""
    out = tempfile.mkdtemp()
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", QUIRE, "-q", "-o", out] + args,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    if p.returncode != 0:
        return None, None, p.stderr.strip()[-120:]
    u, s, m = p.stderr.strip().splitlines()[-1].split()
    return (wall, float(u) + float(s)), int(m) / 1024, None


def pathological():
    """Each pathological input (tests/pathological/gen.py) at 1 MB: read
    into the study model (-t tree) and made into all three outputs (median
    of --path-runs runs, 1 by default: wall and CPU time, the highest peak
    memory), and all three
    again at 2 MB (one run): time grows linearly, so the last column (CPU
    time, which a busy machine disturbs less than wall time) is about 2."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pathological"))
    import gen
    tmp = tempfile.mkdtemp()
    print("\n| pathological input | size | tree | pdf,epub,apkg | CPU | peak RSS "
          "| at 2 MB | CPU | 2 MB / 1 MB (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    only = sys.argv[sys.argv.index("--cases") + 1].split(",") if "--cases" in sys.argv else None
    for name, make in gen.CASES.items():
        if only and name not in only:
            continue
        paths = []
        for size in (1 << 20, 2 << 20):
            path = os.path.join(tmp, "%s-%d.md" % (name, size))
            with open(path, "w") as f:
                f.write(make(size))
            paths.append(path)
        err = None
        tree = [timed(["-t", "tree", paths[0]]) for _ in range(PATH_RUNS)]
        three = [timed(["-t", "pdf,epub,apkg", paths[0]]) for _ in range(PATH_RUNS)]
        double = timed(["-t", "pdf,epub,apkg", paths[1]])
        for runs in (tree, three, [double]):
            bad = [r[2] for r in runs if r[0] is None]
            err = err or (bad[0] if bad else None)
        if err:
            print("| %s | %.2f MB | failed: %s | | | | | | |"
                  % (name, os.path.getsize(paths[0]) / 1e6, err))
            continue
        t1 = statistics.median(r[0][0] for r in tree)
        t3 = statistics.median(r[0][0] for r in three)
        c3 = statistics.median(r[0][1] for r in three)
        rss = max(r[1] for r in three)
        print("| %s | %.2f MB | %.0f ms | %.0f ms | %.0f ms | %.0f MB | %.0f ms | %.0f ms | %.1f |" % (
            name, os.path.getsize(paths[0]) / 1e6, t1 * 1000, t3 * 1000, c3 * 1000, rss,
            double[0][0] * 1000, double[0][1] * 1000, double[0][1] / max(c3, 1e-3)))
        sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)


def formulas():
    """1,000 formulas (tests/math/formulas.txt over and over, inline in a
    sentence or displayed) against the same notes with a word in place of
    each formula: the booklet's extra time for typesetting them."""
    lines = [l for l in open("tests/math/formulas.txt", encoding="utf-8")
             if l[:2] in ("i ", "d ")]
    math, words = ["# Formulas\n"], ["# Formulas\n"]
    for k in range(1000):
        l = lines[k % len(lines)].rstrip("\n")
        if l.startswith("d "):
            math.append("Displayed:\n\n$$\n%s\n$$\n" % l[2:])
            words.append("Displayed:\n\nformula\n")
        else:
            math.append("Formula %d is $%s$ in a sentence.\n" % (k, l[2:]))
            words.append("Formula %d is formula in a sentence.\n" % k)
    tmp = tempfile.mkdtemp()
    pm, pw = os.path.join(tmp, "math.md"), os.path.join(tmp, "words.md")
    open(pm, "w", encoding="utf-8").write("\n".join(math))
    open(pw, "w", encoding="utf-8").write("\n".join(words))
    # interleaved, so a busy minute weighs on both alike
    wm, ww = [], []
    for _ in range(RUNS):
        wm.append(measure(["-t", "pdf", pm], 1)[0])
        ww.append(measure(["-t", "pdf", pw], 1)[0])
    m, w = statistics.median(wm), statistics.median(ww)
    print("\n| 1,000 formulas | pdf | the same notes without them | extra |")
    print("|---|---:|---:|---:|")
    print("| formulas.txt x%d | %.1f ms | %.1f ms | %.1f ms |"
          % (1000 // len(lines) + 1, m * 1000, w * 1000, (m - w) * 1000))
    shutil.rmtree(tmp, ignore_errors=True)


if "--pathological" in sys.argv:   # only the table of pathological inputs
    pathological()
else:
    main()
