#!/usr/bin/env python3
"""cards report - recall and precision of quire's cards on real notes.

For every tests/corpus/NAME.md with a hand-judged NAME.cards.tsv (the
cards a careful person expects: LINE<TAB>FRONT), runs
`quire --questions -v` and `quire -t tree`, and prints per file and
overall: expected cards, cards found, matched, recall (expected found),
precision (found that were expected) and the deck's notes against the
expected cards.

A found card matches an expected one on the same line, or, failing that,
within three lines when their words mostly agree (a question whose
<summary> is on the line before its text). A found card that repeats the
words of a matched one (the notes ask the same question again) is neither
right nor wrong. Usage: report.py [--quire PATH] [--check R P N] [FILES]
--check fails (exit 1) when overall recall, precision or notes/expected
fall below R, P, N (fractions).
"""
import os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def words(s):
    return set(w for w in re.findall(r"\w+", s.lower()) if not w.isdigit())


def key(s):
    s = re.sub(r"^\s*(Q?\d+[.:)]\s*)", "", s.strip()).lower()
    return " ".join(re.findall(r"\w+", s))


def expected_cards(tsv):
    out = []
    with open(tsv, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == 0 and line.startswith("line"):
                continue
            line = line.rstrip("\n")
            if not line:
                continue
            no, _, front = line.partition("\t")
            out.append((int(no), front))
    return out


def found_cards(quire, md):
    p = subprocess.run([quire, "--questions", "-v", md], capture_output=True, text=True, errors="replace")
    cards = []
    for line in p.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[2] == "no-answer" or parts[2].startswith("no-"):
            continue
        cards.append((int(parts[0]), parts[1], parts[2]))
    return cards


def deck_notes(quire, md):
    p = subprocess.run([quire, "-t", "tree", "-o", "-", md], capture_output=True, text=True, errors="replace")
    m = re.search(r"keys=(\d+)", p.stdout)
    if m:
        return int(m.group(1))
    tmp = "/tmp/quire-cards-report"
    os.makedirs(tmp, exist_ok=True)
    subprocess.run([quire, "-q", "-t", "tree", "-o", tmp, md], capture_output=True)
    stem = os.path.splitext(os.path.basename(md))[0]
    with open(os.path.join(tmp, stem + ".tree"), encoding="utf-8", errors="replace") as f:
        m = re.search(r"keys=(\d+)", f.readline())
    return int(m.group(1)) if m else 0


def match(expected, found):
    """Returns (matched expected indexes, matched found indexes, repeats)."""
    by_line = {}
    for j, (no, _, _) in enumerate(found):
        by_line.setdefault(no, []).append(j)
    me, mf = set(), set()
    for i, (no, _) in enumerate(expected):
        for j in by_line.get(no, []):
            if j not in mf:
                me.add(i)
                mf.add(j)
                break
    for i, (no, front) in enumerate(expected):
        if i in me:
            continue
        ew = words(front)
        for j, (fno, text, _) in enumerate(found):
            if j in mf or abs(fno - no) > 3:
                continue
            fw = words(text)
            if ew and fw and len(ew & fw) / len(ew | fw) >= 0.5:
                me.add(i)
                mf.add(j)
                break
    keys = {key(found[j][1]) for j in mf} | {key(f) for _, f in expected}
    repeats = {j for j, (_, text, _) in enumerate(found) if j not in mf and key(text) in keys and key(text)}
    return me, mf, repeats


def main(argv):
    quire = os.path.join(ROOT, "quire")
    check = None
    files = []
    verbose = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--quire":
            quire = argv[i + 1]
            i += 2
        elif a == "--check":
            check = tuple(float(x) for x in argv[i + 1:i + 4])
            i += 4
        elif a == "-v":
            verbose = True
            i += 1
        else:
            files.append(a)
            i += 1
    if not files:
        d = os.path.join(ROOT, "tests", "corpus")
        files = sorted(os.path.join(d, f) for f in os.listdir(d)
                       if f.endswith(".md") and os.path.exists(os.path.join(d, f[:-3] + ".cards.tsv")))
    tot = [0, 0, 0, 0, 0]
    print("%-36s %5s %5s %5s %7s %9s %5s %7s" % ("file", "want", "found", "hit", "recall", "precision", "notes", "notes%"))
    for md in files:
        exp = expected_cards(md[:-3] + ".cards.tsv")
        got = found_cards(quire, md)
        me, mf, rep = match(exp, got)
        notes = deck_notes(quire, md)
        judged = len(got) - len(rep)
        rec = len(me) / len(exp) if exp else 1.0
        prec = len(mf) / judged if judged else 1.0
        print("%-36s %5d %5d %5d %6.1f%% %8.1f%% %5d %6.1f%%" % (os.path.basename(md)[:36], len(exp), len(got), len(me),
              100 * rec, 100 * prec, notes, 100 * notes / len(exp) if exp else 100))
        if verbose:
            for k, (no, front) in enumerate(exp):
                if k not in me:
                    print("    missed %5d  %s" % (no, front[:90]))
            for k, (no, text, rule) in enumerate(got):
                if k not in mf and k not in rep:
                    print("    extra  %5d  %-14s %s" % (no, rule, text[:80]))
        tot[0] += len(exp)
        tot[1] += len(got)
        tot[2] += len(me)
        tot[3] += judged
        tot[4] += notes
    rec = tot[2] / tot[0] if tot[0] else 1.0
    prec = tot[2] / tot[3] if tot[3] else 1.0
    print("%-36s %5d %5d %5d %6.1f%% %8.1f%% %5d %6.1f%%" % ("overall", tot[0], tot[1], tot[2], 100 * rec, 100 * prec,
          tot[4], 100 * tot[4] / tot[0] if tot[0] else 100))
    if check:
        ok = rec >= check[0] and prec >= check[1] and (tot[4] / tot[0] if tot[0] else 1) >= check[2]
        print("%s - cards report: recall %.1f%%, precision %.1f%%, notes %.1f%% of expected" %
              ("ok" if ok else "not ok", 100 * rec, 100 * prec, 100 * tot[4] / tot[0] if tot[0] else 100))
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
