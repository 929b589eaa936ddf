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
have other heights). The normal word space of DejaVu Serif and Sans is
0.318 em, of their bold faces 0.348 em, of DejaVu Sans Mono 0.602 em:
the bold one between two bold words, the mono one between two words of
inline code (which `pdftohtml -xml` tells: bold text is in <b>; code is
text in a monospaced font, or in a colour of such text other than the
body's, as the CJK characters of inline code, which come from a fallback
font, are); a gap over --max (default 2) times the normal one is reported. A gap
beside a formula's glyphs (KaTeX's fonts) is the formula's own spacing
(a matrix's columns, a relation's thick space), not a word space, and
is left out. Prints one line per loose line and a summary; exits 1 if any.
"""
import re, subprocess, sys

ASC_DESC = 1.164   # DejaVu ascent + descent, in em
NORMAL = 0.318     # DejaVu Serif / Sans space, in em
BOLD = 0.348       # DejaVu Serif Bold / Sans Bold space, in em
MONO = 0.602       # DejaVu Sans Mono advance (space included), in em

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def size_of(w):
    return (w[3] - w[1]) / ASC_DESC


def is_wide(w):
    """CJK characters: what inline code sets beside monospaced text."""
    return any(0x2E80 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF or
               0xFF00 <= ord(c) <= 0xFFEF for c in w[4])


TEXT = re.compile(r'<text top="([\d.]+)" left="([\d.]+)" width="([\d.]+)" height="([\d.]+)" font="(\d+)"[^>]*>(.*?)</text>')
SPEC = re.compile(r'<fontspec id="(\d+)" size="[\d.]+" family="([^"]*)" color="([^"]*)"')


def code_boxes(pdf):
    """Per page, the boxes (x0, y0, x1, y1) of text set as code, those of
    bold text (not code) and those of formulas (KaTeX's fonts)."""
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-zoom", "1", "-noroundcoord", pdf],
                         capture_output=True, text=True, errors="replace").stdout
    specs = {i: (fam, col) for i, fam, col in SPEC.findall(out)}
    # the colours of monospaced text but the body's ink (the colour of most
    # text; code blocks are set in it): characters of inline code that
    # come from a fallback font keep its colour
    uses = {}
    for font in re.findall(r'<text [^>]*font="(\d+)"', out):
        col = specs.get(font, ("", ""))[1]
        uses[col] = uses.get(col, 0) + 1
    ink = max(uses, key=uses.get) if uses else ""
    code_colors = {col for fam, col in specs.values() if "Mono" in fam} - {ink}
    code_ids = {i for i, (fam, col) in specs.items() if "Mono" in fam or col in code_colors}
    math_ids = {i for i, (fam, col) in specs.items() if "KaTeX" in fam}
    result, bold, math = [], [], []
    for page in out.split("<page ")[1:]:
        boxes, strong, formulas = [], [], []
        for top, left, width, height, font, text in TEXT.findall(page):
            t, l = float(top), float(left)
            box = (l, t, l + float(width), t + float(height))
            if font in code_ids:
                boxes.append(box)
            elif font in math_ids:
                formulas.append(box)
            elif text.startswith("<b>") or text.startswith("<i><b>"):
                strong.append(box)
        result.append(boxes)
        bold.append(strong)
        math.append(formulas)
    return result, bold, math


def in_boxes(w, boxes):
    cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
    return any(b[0] - 0.5 <= cx <= b[2] + 0.5 and b[1] - 0.5 <= cy <= b[3] + 0.5 for b in boxes)


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
    code, bold, math = code_boxes(pdf)
    for pno, blocks in enumerate(pages(pdf), 1):
        boxes = code[pno - 1] if pno - 1 < len(code) else []
        strong = bold[pno - 1] if pno - 1 < len(bold) else []
        formulas = math[pno - 1] if pno - 1 < len(math) else []
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
                coded = [in_boxes(w, boxes) for w in line]
                bolds = [not c and in_boxes(w, strong) for w, c in zip(line, coded)]
                maths = [in_boxes(w, formulas) for w in line]
                prose = [size_of(w) for w, c in zip(line, coded) if not c and not is_wide(w)]
                size = max(prose or [size_of(w) for w in line])
                for k, (w0, w1) in enumerate(zip(line, line[1:])):
                    if maths[k] or maths[k + 1]:
                        continue   # the formula's own spacing
                    normal = (MONO if coded[k] and coded[k + 1]
                              else BOLD if bolds[k] and bolds[k + 1] else NORMAL)
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
