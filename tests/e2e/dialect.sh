#!/bin/sh
# dialect.sh - the ten cases of issue 9 (tests/e2e/dialect-cases.md, notes
# written for this test) in all three outputs: fenced code in a list item
# kept, CJK emphasis, a <details> term kept, sub/sup, a raw <img> shown,
# links that bare-URL linking must not break (and link annotations in
# the booklet), navigation left out, no
# leftovers, `## Python:` a section, `___` a rule and `\(x^2\)` a formula.
NAME=dialect
. "$(dirname "$0")/lib.sh"
notes=tests/e2e/dialect-cases.md
"$QUIRE" -o "$tmp" -t pdf,epub,apkg "$notes" 2>"$tmp/err" || { nok "quire failed" "$(head -c 300 "$tmp/err")"; exit 0; }
pdftotext -layout "$tmp/dialect-cases.pdf" "$tmp/pdf.txt" 2>/dev/null
unzip -p "$tmp/dialect-cases.epub" 'OEBPS/*.xhtml' 'EPUB/*.xhtml' '*.xhtml' >"$tmp/epub.txt" 2>/dev/null
unzip -p "$tmp/dialect-cases.apkg" collection.anki2 >"$tmp/c.anki2" 2>/dev/null
sqlite3 "$tmp/c.anki2" "select flds from notes" >"$tmp/deck.txt" 2>/dev/null
pdftotext -bbox "$tmp/dialect-cases.pdf" "$tmp/bbox.html" 2>/dev/null
qpdf --qdf --object-streams=disable "$tmp/dialect-cases.pdf" "$tmp/qdf.pdf" 2>/dev/null
python3 - "$tmp" "$tmp/err" <<'PY'
import html, re, sys
d = sys.argv[1]
def text(p):
    return open(p, encoding="utf-8", errors="replace").read()
pdf, epub, deck = text(d + "/pdf.txt"), text(d + "/epub.txt"), text(d + "/deck.txt")
err = text(sys.argv[2])
plain = lambda s: html.unescape(re.sub(r"<[^>]+>", "", s))
pdf1 = " ".join(pdf.split())
def check(name, cond):
    print(("ok" if cond else "not ok") + " - dialect: " + name)

for out, t in (("epub", epub), ("deck", deck)):
    pre = " ".join(plain(m) for m in re.findall(r"<pre[^>]*>.*?</pre>", t, re.S))
    check(out + ": fenced code in a list item kept whole", "make all < in.txt" in pre and "in.txt\\" not in pre
          and "Then run it" not in pre and "Then run it" in plain(t) and 'data-lang="sh\\' not in t)
    check(out + ": emphasis next to CJK text", "<strong>散射</strong>" in t and "**" not in plain(t))
    check(out + ": a <details> term is a bold lead-in", re.search(r"<strong>FIFO</strong>\s*Evict the oldest page", t) is not None)
    check(out + ": <sub> and <sup> kept", "<sub>i</sub>" in t and "<sup>2</sup>" in t)
    check(out + ": a raw <img> shows its alt text", "a formula" in plain(t))
    check(out + ": links next to CJK punctuation", 'href="https://x.org/a#b"' in t and 'href="https://x.org/c"' in t
          and "x.org/c。" not in re.sub(r">[^<]*<", "><", t) and 'href="https://e.org/a"' in t and "[docs](" not in t)
    check(out + ": navigation left out", "Back to Top" not in t)
    check(out + ": no empty paragraph, no line break left at the end", "<p></p>" not in t and not re.search(r"<br\s*/>\s*</p>", t))
check("epub: \\(x^2\\) is a formula (issue 14)", 'alttext="x^2"' in epub and "\\(x^2\\)" not in plain(epub))
check("epub: `## # 1. Basics` is the section 1. Basics", re.search(r">\s*1\. Basics\s*<", epub) is not None and "# 1. Basics" not in epub)
check("epub: `## Python:` is a section", re.search(r"<h\d[^>]*>[^<]*Python:", epub) is not None)
check("epub: ___ is a rule", "<hr" in epub)
check("pdf: fenced code in a list item kept whole", "make all < in.txt" in pdf and "in.txt\\" not in pdf)
check("pdf: emphasis next to CJK text", "散射" in pdf and "**" not in pdf)
check("pdf: a <details> term and its text", "FIFO" in pdf1 and "Evict the oldest page" in pdf1)
check("pdf: a raw <img> shows its alt text", "a formula" in pdf1)
check("pdf: navigation left out", "Back to Top" not in pdf)
check("pdf: section names without stray marks", "1. Basics" in pdf and "# 1. Basics" not in pdf)
check("pdf: \\(x^2\\) is a formula (issue 14), copied as its TeX", "with$x^2$kept" in pdf1.replace(" ", "") and "\\(x" not in pdf1)
words = [(float(a), float(b), float(c), float(e), w) for a, b, c, e, w in re.findall(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', text(d + "/bbox.html"))]
def pair(base, small):   # the small word right after the base word, touching it
    for a, b in zip(words, words[1:]):
        if a[4] == base and b[4] == small and abs(b[0] - a[2]) < 0.5:
            return a, b
    return None, None
y, i = pair("y", "i")
x, two = pair("x", "2")
check("pdf: <sub> set as a subscript (smaller, lower)", y is not None and i[3] - i[1] < y[3] - y[1] and i[3] > y[3])
check("pdf: <sup> set as a superscript (smaller, higher)", x is not None and two[3] - two[1] < x[3] - x[1] and two[1] < x[1])
qdf = open(d + "/qdf.pdf", "rb").read()
check("pdf: links are link annotations to their targets", all(b"/URI (" + u + b")" in qdf
      for u in (b"https://x.org/a#b", b"https://x.org/c", b"https://e.org/a")))
check("pdf and deck: `## Python:` names its section", "Python:" in pdf and "Python:" in deck)
check("the raw <img> is reported", "f.png" in err or "image" in err)
PY
