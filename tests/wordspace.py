#!/usr/bin/env python3
"""wordspace.py - the widest word space of every justified line of a PDF,
measured with `pdftotext -bbox-layout`, relative to the font size.

    tests/wordspace.py [--max RATIO] [-v] FILE.pdf...

A line counts as justified when it ends at the right edge of the text
block (the rightmost line end of its page, within half a point) and is
not the last line of its block: ragged lines, code (whose lines stop
short of the edge by the background's padding), headings and the last
lines of paragraphs are left out. The font size is the word height over
DejaVu's ascent + descent (1.164 em), the largest of the line's prose
words (inline code is set smaller than the prose around it, CJK faces
have other heights). The normal word
space of DejaVu Serif and Sans is 0.318 em, of DejaVu Sans Mono 0.602 em
(used between two words that are both monospaced, every character as
wide as the next, or one monospaced and one holding CJK characters, or
both holding CJK characters and one Latin letters too: inline code); a gap over --max (default 2) times the normal one is
reported. Prints one line per loose line and a summary; exits 1 if any.
"""
import re, subprocess, sys

ASC_DESC = 1.164   # DejaVu ascent + descent, in em
NORMAL = 0.318     # DejaVu Serif / Sans space, in em
MONO = 0.602       # DejaVu Sans Mono advance (space included), in em


def size_of(w):
    return (w[3] - w[1]) / ASC_DESC


def is_wide(w):
    """CJK characters: what inline code sets beside monospaced text."""
    return any(0x2E80 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF or
               0xFF00 <= ord(c) <= 0xFFEF for c in w[4])


def is_latin(w):
    return any(c.isascii() and c.isalpha() for c in w[4])


def is_mono(w):
    """Every character of the word as wide as DejaVu Sans Mono's."""
    n = len(w[4].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            .replace("&quot;", '"').replace("&apos;", "'"))
    size = size_of(w)
    return n >= 1 and size > 0 and abs((w[2] - w[0]) / n / size - MONO) < 0.01

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pages(pdf):
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"],
                         capture_output=True, text=True, errors="replace").stdout
    for page in out.split("<page ")[1:]:
        blocks = []
        for block in page.split("<block ")[1:]:
            lines = []
            for line in block.split("<line ")[1:]:
                words = [(float(a), float(b), float(c), float(d), t)
                         for a, b, c, d, t in WORD.findall(line)]
                if words:
                    lines.append(words)
            blocks.append(lines)
        yield blocks


def loose_lines(pdf, limit):
    found, total = [], 0
    for pno, blocks in enumerate(pages(pdf), 1):
        ends = [l[-1][2] for b in blocks for l in b]
        if not ends:
            continue
        right = max(ends)
        for b in blocks:
            for i, line in enumerate(b):
                if i == len(b) - 1 or len(line) < 2 or abs(line[-1][2] - right) > 0.5:
                    continue
                total += 1
                worst = 0.0
                prose = [size_of(w) for w in line if not is_wide(w) and not is_mono(w)]
                size = max(prose or [size_of(w) for w in line])
                for w0, w1 in zip(line, line[1:]):
                    m0, m1 = is_mono(w0), is_mono(w1)
                    k0, k1 = is_wide(w0), is_wide(w1)
                    code = ((m0 or k0) and (m1 or k1) and (m0 or m1)) or \
                        (k0 and k1 and (is_latin(w0) or is_latin(w1)))
                    normal = MONO if code else NORMAL
                    if size > 0:
                        worst = max(worst, (w1[0] - w0[2]) / size / normal)
                if worst > limit:
                    text = " ".join(w[4] for w in line)
                    found.append((pno, worst, text))
    return found, total


def main():
    args = sys.argv[1:]
    limit = 2.0
    if "--max" in args:
        k = args.index("--max")
        limit = float(args[k + 1])
        del args[k:k + 2]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    bad = 0
    for pdf in args:
        found, total = loose_lines(pdf, limit)
        bad += len(found)
        for pno, ratio, text in found:
            print("%s: page %d: word space %.2f x normal: %s" % (pdf, pno, ratio, text[:90]))
        if verbose or found:
            print("%s: %d justified lines, %d with a word space over %.1f x normal"
                  % (pdf, total, len(found), limit))
    sys.exit(1 if bad else 0)


main()
