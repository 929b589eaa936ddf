#!/bin/sh
# footnotes.sh - GitHub-flavoured extras in all three outputs: footnotes,
# strikethrough, task lists and definition lists.
#
# Footnotes: numbered in order of first reference; a reference to a
# footnote nothing defines stays as written, with a file:line warning, and
# so does a definition nothing refers to. EPUB: EPUB 3 note references
# (fnref-N ids, once per chapter) and asides (fn-N) with a link back,
# every id unique, epubcheck 0/0. Booklet: every note at the foot of the
# page of its reference (pdftotext page by page, over many pages and
# with a note longer than a page, which continues), every note once.
# Deck: a card's back ends with the notes it refers to, and only those.
# Book: two parts' [^1] are two notes with two numbers.
NAME=footnotes
. "$(dirname "$0")/lib.sh"
JAR=/usr/share/java/epubcheck.jar

for tool in pdftotext unzip sqlite3 python3; do
	command -v $tool >/dev/null 2>&1 || { nok "$tool" "missing (make deps-test)"; exit 1; }
done

# ---- the notes: a short file, and a long one generated --------------------
cat >"$tmp/short.md" <<'EOF'
# Cells

## What is a cell?

A unit of life.[^1] The ~~old~~ view and [^9] stay.

- [ ] open task
- [x] done task

## What did Virchow add?

Cells come from cells.[^v] As said before.[^1]

The {{c1::nucleus}} holds the chromosomes.[^v]

Nucleus
: holds the DNA

[^1]: Schleiden, 1838.
[^v]: Virchow, 1855.
[^u]: Nobody refers to this one.
EOF

python3 - "$tmp/long.md" <<'EOF'
import random, sys
random.seed(7)
words = "the cell membrane protein nucleus energy transport gradient enzyme".split()
W = lambda a, b: " ".join(random.choice(words) for _ in range(random.randint(a, b)))
out, n = ["# Long\n"], 0
for q in range(24):
    out.append("## Question %d?\n" % q)
    for p in range(3):
        t = W(20, 70)
        for _ in range(random.randint(0, 2)):
            n += 1
            t += " mk%dx[^n%d] %s" % (n, n, W(1, 8))
        out.append(t + "\n")
for i in range(1, n + 1):
    body = W(600, 700) if i == 9 else W(3, random.choice([10, 40, 90]))
    out.append("[^n%d]: NOTE%d %s\n" % (i, i, body))
open(sys.argv[1], "w").write("\n".join(out))
EOF

if "$QUIRE" -o "$tmp/out" "$tmp/short.md" "$tmp/long.md" 2>"$tmp/err"; then
	ok "builds"
else
	nok "builds" "$(tail -n 3 "$tmp/err" | tr '\n' ' ')"
	exit 1
fi

# ---- warnings --------------------------------------------------------------
grep -q 'short.md:5:[0-9]*: warning: footnote \[^9\] is referred to but never defined' "$tmp/err" \
	&& ok "undefined reference warned with file:line" \
	|| nok "undefined reference warned with file:line" "$(cat "$tmp/err")"
grep -q 'short.md:21:[0-9]*: warning: footnote \[^u\] is never referred to' "$tmp/err" \
	&& ok "unused definition warned with file:line" \
	|| nok "unused definition warned with file:line" "$(cat "$tmp/err")"
[ "$(grep -c 'footnote' "$tmp/err")" -eq 2 ] \
	&& ok "no other footnote warning" || nok "no other footnote warning" "$(grep footnote "$tmp/err")"

# ---- EPUB --------------------------------------------------------------------
python3 - "$tmp/out/short.epub" "$tmp/out/long.epub" <<'EOF'
import re, sys, zipfile
def say(good, name, why=""):
    print(("ok - footnotes: epub %s" % name) if good else
          ("not ok - footnotes: epub %s: %s" % (name, why)))
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("EPUB/ch"))
ref1 = re.search(r'<a id="fnref-1" class="footref" epub:type="noteref" role="doc-noteref" href="#fn-1">1</a>', text)
say(bool(ref1), "note reference links to its note", text[:2000])
say('href="#fn-2">2</a>' in text, "second note numbered 2 (order of first reference)")
say(re.search(r'<aside class="footnote" epub:type="footnote" role="doc-footnote" id="fn-1">\s*'
              r'<p class="footnote-label"><a href="#fnref-1" role="doc-backlink">1</a></p>\s*'
              r'<p>Schleiden, 1838.</p>', text) is not None, "aside with a link back")
say(text.count('id="fn-1"') == 1 and text.count('id="fnref-1"') == 1,
    "a second reference gets no second id")
say("[^9]" in text, "undefined reference stays as written")
say("Nobody refers to this one." in text, "unused definition kept")
say("<del>old</del>" in text, "strikethrough")
say("\u2610 open task" in text and "\u2611 done task" in text, "task list checkboxes")
say("Nucleus" in text and "holds the DNA" in text, "definition list")
for book in sys.argv[1:]:
    z = zipfile.ZipFile(book)
    for n in z.namelist():
        if not n.endswith(".xhtml"):
            continue
        t = z.read(n).decode()
        ids = re.findall(r'\sid="([^"]+)"', t)
        dup = sorted({i for i in ids if ids.count(i) > 1})
        targets = set(re.findall(r'href="#(fn[^"]*)"', t))
        if dup or not targets <= set(ids):
            say(False, "ids unique and every note link lands", "%s %s %s" % (n, dup, targets - set(ids)))
            break
    else:
        continue
    break
else:
    say(True, "ids unique and every note link lands")
EOF

if [ -f "$JAR" ] && command -v java >/dev/null 2>&1; then
	for b in short long; do
		v=$(java -jar "$JAR" "$tmp/out/$b.epub" 2>&1 | grep -E 'fatals|No errors or warnings' | tail -n 1)
		case "$v" in
		*"No errors or warnings"* | *"0 fatals / 0 errors / 0 warnings"*) ok "epubcheck $b" ;;
		*) nok "epubcheck $b" "$v" ;;
		esac
	done
else
	nok "epubcheck" "$JAR or java missing (make deps-test)"
fi

# ---- booklet: each note on the page of its reference -------------------------
python3 - "$tmp/out/long.pdf" "$tmp/out/short.pdf" <<'EOF'
import re, subprocess, sys
def say(good, name, why=""):
    print(("ok - footnotes: pdf %s" % name) if good else
          ("not ok - footnotes: pdf %s: %s" % (name, why)))
def pages(pdf):
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.check_output(["pdfinfo", pdf]).decode()).group(1))
    return [subprocess.check_output(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"]).decode()
            for p in range(1, n + 1)]
long = pages(sys.argv[1])
bad, seen, defined = [], {}, 0
for p, t in enumerate(long, 1):
    for note in re.findall(r"NOTE(\d+)", t):
        seen[note] = seen.get(note, 0) + 1
    for ref in re.findall(r"mk(\d+)x", t):
        if "NOTE%s" % ref in t:
            continue
        # behind a note longer than a page, a note may go on to the next
        after_long = "NOTE9" in t and p < len(long) and "NOTE%s" % ref in long[p]
        if not after_long:
            bad.append("page %d: mk%sx without NOTE%s" % (p, ref, ref))
defined = len(re.findall(r"NOTE\d+", open(sys.argv[1].replace("out/long.pdf", "long.md")).read()))
say(not bad, "every note on the page of its reference", "; ".join(bad[:5]))
say(len(seen) == defined and all(v == 1 for v in seen.values()),
    "every note set once (%d of %d)" % (len(seen), defined),
    str({k: v for k, v in seen.items() if v != 1}))
nine = [p for p, t in enumerate(long) if re.search(r"\bNOTE9\b", t)]
say(len(nine) == 1 and nine[0] + 1 < len(long) and "mk9x" in long[nine[0]]
    and len(long[nine[0] + 1].split()) > 100,
    "a note longer than a page continues on the next page", str(nine))
short = pages(sys.argv[2])
body = "\n".join(short)
say("Schleiden, 1838." in body and "Virchow, 1855." in body, "short notes set")
page = next((t for t in short if "A unit of life." in t), "")
say("Schleiden, 1838." in page, "note on the page of its reference (short)")
say(body.count("Schleiden, 1838.") == 1, "a note referred to twice is set once")
say("[^9]" in body and "Nobody refers to this one." in body,
    "undefined reference and unused note kept")
say("old" in body and "~~" not in body, "strikethrough drawn, not written")
say("\u2610 open task" in body and "\u2611 done task" in body, "task list checkboxes")
say("Nucleus" in body and "holds the DNA" in body, "definition list")
EOF

# ---- deck: the notes a card refers to, at the end of its back --------------------
python3 - "$tmp/out/short.apkg" <<'EOF'
import os, sqlite3, sys, tempfile, zipfile
def say(good, name, why=""):
    print(("ok - footnotes: apkg %s" % name) if good else
          ("not ok - footnotes: apkg %s: %s" % (name, why)))
d = tempfile.mkdtemp()
zipfile.ZipFile(sys.argv[1]).extract("collection.anki2", d)
db = sqlite3.connect(os.path.join(d, "collection.anki2"))
cards = {f.split("\x1f")[0]: f.split("\x1f")[1] for (f,) in db.execute("select flds from notes")}
a = cards.get("What is a cell?", "")
b = cards.get("What did Virchow add?", "")
say(a.rstrip().endswith('<p class="footnote-label">1</p>\n<p>Schleiden, 1838.</p>\n</div>\n</div>'),
    "back ends with its note", a)
say("Virchow, 1855." not in a and "Nobody" not in a, "only the notes the card refers to", a)
say('<div class="footnotes">' in b and "Virchow, 1855." in b and "Schleiden, 1838." in b
    and b.count("Virchow, 1855.") == 1, "two notes on one back, each once", b)
say("<del>old</del>" in a and "\u2610 open task" in a, "strikethrough and task list", a)
say("holds the DNA" in cards.get("Nucleus", ""), "definition list")
cloze = [f for (f,) in db.execute("select flds from notes") if "{{c1::nucleus}}" in f]
say(len(cloze) == 1 and "Virchow, 1855." in cloze[0].split("\x1f")[1]
    and "Schleiden" not in cloze[0], "a cloze note's Extra ends with its note", str(cloze))
EOF

# ---- a book: each part's [^1] a note of its own --------------------------------
mkdir -p "$tmp/course"
printf '# One\n\n## What is A?\n\nA.[^1]\n\n[^1]: First part note.\n' >"$tmp/course/a.md"
printf '# Two\n\n## What is B?\n\nB.[^1]\n\n[^1]: Second part note.\n' >"$tmp/course/b.md"
if "$QUIRE" -q -t epub,pdf -o "$tmp/bk" "$tmp/course" 2>"$tmp/err"; then
	python3 - "$tmp/bk/course.epub" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
t = "".join(z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("EPUB/ch"))
good = re.search(r'id="fn-1">.*?First part note', t, re.S) and re.search(r'id="fn-2">.*?Second part note', t, re.S)
print("ok - footnotes: book numbers its parts' notes in one sequence" if good else
      "not ok - footnotes: book numbers its parts' notes in one sequence: " + t[:3000])
EOF
	pdftotext "$tmp/bk/course.pdf" - | grep -q 'Second part note' \
		&& ok "book: every part's note in the booklet" || nok "book: every part's note in the booklet"
else
	nok "book builds" "$(tail -n 3 "$tmp/err" | tr '\n' ' ')"
fi
