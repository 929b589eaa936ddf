#!/bin/sh
# tables.sh - wide and long tables lose nothing, in every output: a
# 40-column and a 100-column pipe table, a 40-column table of aligned
# text and a table with one very long cell (and a long address). The
# tree (`-t tree`) has every column, pdftotext finds every cell's text in
# the booklet with no word outside the page or over another one (a wide
# table is set smaller, then cut into parts captioned "columns 1, ..."),
# the EPUB holds every cell (a wide table in a div.table-wrap that
# scrolls) and passes epubcheck with 0 errors and 0 warnings, and the
# deck's card holds every cell of its answer's table. A table cut into
# parts is noted (file:line).
NAME=tables
. "$(dirname "$0")/lib.sh"
JAR=/usr/share/java/epubcheck.jar

python3 - "$tmp" <<'PY'
import os, sys
d = sys.argv[1]

def pipe(nc, nr, prefix):
    rows = ["| " + " | ".join("%sh%d" % (prefix, c + 1) for c in range(nc)) + " |",
            "|" + "---|" * nc]
    for r in range(nr):
        rows.append("| " + " | ".join("%sr%dc%d" % (prefix, r + 1, c + 1) for c in range(nc)) + " |")
    return "\n".join(rows) + "\n"

def aligned(nc, nr, prefix):
    grid = [["%sh%d" % (prefix, c + 1) for c in range(nc)]]
    grid += [["%sr%dc%d" % (prefix, r + 1, c + 1) for c in range(nc)] for r in range(nr)]
    w = max(len(x) for row in grid for x in row) + 2
    return "\n".join("".join(x.ljust(w) for x in row).rstrip() for row in grid) + "\n"

def write(name, text):
    with open(os.path.join(d, name + ".md"), "w") as f:
        f.write(text)

write("wide40", "# Forty\n\n## What does the table of forty columns hold?\n\n"
      + pipe(40, 5, "qa") + "\nAfter the table.\n")
write("wide100", "# Hundred\n\n## What does the table of a hundred columns hold?\n\n"
      + pipe(100, 4, "qb") + "\nAfter the table.\n")
write("aligned40", "# Aligned\n\nSome text before.\n\n" + aligned(40, 4, "qc") + "\nAfter the table.\n")
long_cell = " ".join("qdw%d" % i for i in range(1, 401))
write("longcell", "# Long cell\n\n## What does the table with a long cell hold?\n\n"
      "| Key | Value | Note |\n|---|---|---|\n"
      "| qdk1 | " + long_cell + " | qdn1 |\n"
      "| qdk2 | qdv2 | https://example.org/" + "a" * 300 + " |\n\nAfter the table.\n")
PY

# name, columns and rows of its table (header included), first column
# repeated in parts
fail=0
check() {
	name=$1
	"$QUIRE" -q -o "$tmp/out" "$tmp/$name.md" 2>"$tmp/$name.err" || {
		nok "$name" "exit $? $(head -c 300 "$tmp/$name.err")"
		return
	}
	"$QUIRE" -q -t tree -o "$tmp/out" "$tmp/$name.md" 2>>"$tmp/$name.err"
	pdftotext -layout "$tmp/out/$name.pdf" "$tmp/$name.txt"
	pdftotext -bbox "$tmp/out/$name.pdf" "$tmp/$name.html" 2>/dev/null   # "no word list": a blank page
	mkdir -p "$tmp/$name.epub.d" "$tmp/$name.apkg.d"
	unzip -q -o "$tmp/out/$name.epub" -d "$tmp/$name.epub.d"
	unzip -q -o "$tmp/out/$name.apkg" -d "$tmp/$name.apkg.d"
	python3 - "$tmp" "$name" <<'PY'
import glob, os, re, sqlite3, sys
tmp, name = sys.argv[1], sys.argv[2]
src = open(os.path.join(tmp, name + ".md")).read()
# every cell's text, as written: the tokens qa..., qb..., qc..., qd...
words = sorted(set(re.findall(r"\bq[a-d][a-z]*\d+(?:c\d+)?\b", src)))
ok = lambda what: print("ok - tables: %s: %s" % (name, what))
def bad(what, why):
    print("not ok - tables: %s: %s: %s" % (name, what, why))

def missing(text):
    have = set(re.findall(r"\bq[a-d][a-z]*\d+(?:c\d+)?\b", text))
    return [w for w in words if w not in have]

# the tree: every column of the table
tree = open(os.path.join(tmp, "out", name + ".tree")).read()
cols = re.findall(r"^\s*table \d+ cols=(\d+)", tree, re.M)
head = re.search(r"^\|(.*)\|$", src, re.M) or re.search(r"^(\S+(?:  +\S+)+)$", src, re.M)
want = len(re.split(r" \| |  +", head.group(1).strip(" |")))
m = missing(tree)
# each row's cells in order: the cell of column c holds ...c<c> (or h<c>)
rows = [re.findall(r'^ *cell \d+\n(?: *text \d+ "([^"]*)"\n)?', r, re.M)
        for r in re.split(r"^ *row \d+\n", tree.split(" table ", 1)[-1], flags=re.M)[1:]]
misplaced = [(i, c + 1, x[:20]) for i, r in enumerate(rows) for c, x in enumerate(r)
             if want > 3 and not re.fullmatch(r"q[a-d](?:h|r\d+c)%d" % (c + 1), x)]
lines = src.splitlines()
nrows = (sum(l.startswith("|") for l in lines) - 1 if head.group(0).startswith("|")
         else sum(l.startswith("qc") for l in lines))
if cols == [str(want)] and not m and not misplaced and len(rows) == nrows:
    ok("tree has all %d columns and %d cell texts, each in its column" % (want, len(words)))
else:
    bad("tree", "cols=%s, want %d; rows %d, want %d; missing %s; misplaced (row, column, text) %s"
        % (cols, want, len(rows), nrows, m[:5], misplaced[:3]))

# the booklet: every cell's text, every word on the page, none over another
text = open(os.path.join(tmp, name + ".txt")).read()
m = missing(text)
if not m:
    ok("pdftotext finds all %d cell texts" % len(words))
else:
    bad("pdftotext", "%d missing, e.g. %s" % (len(m), m[:5]))
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                   open(os.path.join(tmp, name + ".html")).read(), re.S)
out, over = [], []
for pw, ph, body in pages:
    boxes = [tuple(map(float, b)) + (w,) for *b, w in re.findall(
        r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>', body)]
    for b in boxes:
        if b[0] < 18 or b[2] > float(pw) - 18:
            out.append(b[4])
    boxes.sort()
    for i, a in enumerate(boxes):   # sweep by xMin: overlapping boxes
        for c in boxes[i + 1:]:
            if c[0] >= a[2] - 0.5:
                break
            if min(a[3], c[3]) - max(a[1], c[1]) > 1.0 and min(a[2], c[2]) - max(a[0], c[0]) > 0.5:
                over.append(a[4] + "/" + c[4])
if not out:
    ok("no word outside the page margins")
else:
    bad("words outside the page margins", out[:5])
if not over:
    ok("no word over another")
else:
    bad("overlapping words", over[:5])
if name == "wide100":
    if re.search(r"columns 1, \d+\s*[\u2013-]\s*\d+", text):
        ok("the parts of a cut table are captioned")
    else:
        bad("captions", "no 'columns 1, N-M' in the booklet")

# the EPUB: every cell; a wide table scrolls in its wrapper
book = "".join(open(f).read() for f in glob.glob(os.path.join(tmp, name + ".epub.d", "**", "*.xhtml"), recursive=True))
m = missing(book)
if not m:
    ok("the EPUB holds all %d cell texts" % len(words))
else:
    bad("EPUB", "%d missing, e.g. %s" % (len(m), m[:5]))
if want >= 8 and 'class="table-wrap"' not in book:
    bad("EPUB", "a table of %d columns is not in a div.table-wrap" % want)

# the deck: the card's answer holds every cell of its table
if "## What" in src:
    db = sqlite3.connect(os.path.join(tmp, name + ".apkg.d", "collection.anki2"))
    fields = " ".join(r[0] for r in db.execute("select flds from notes"))
    m = missing(fields)
    if not m:
        ok("the deck holds all %d cell texts" % len(words))
    else:
        bad("deck", "%d missing, e.g. %s" % (len(m), m[:5]))
PY
	grep -i "warning\|error" "$tmp/$name.err" | head -n 3 | sed "s/^/# /"
	echo "$tmp/out/$name.epub" >>"$tmp/books"
}

: >"$tmp/books"
for n in wide40 wide100 aligned40 longcell; do
	check "$n"
done

# a table cut into parts is said, with its file and line
"$QUIRE" -t pdf -o "$tmp/out" "$tmp/wide100.md" 2>"$tmp/note"
if grep -q "wide100.md:[0-9]*:1: note: a table of 100 columns .* parts of columns" "$tmp/note"; then
	ok "a table cut into parts is noted at its line"
else
	nok "no note of the cut table" "$(head -c 300 "$tmp/note")"
fi

# epubcheck: 0 fatals, 0 errors, 0 warnings for each book
if [ ! -r "$JAR" ]; then
	nok "epubcheck" "$JAR missing (make deps-test)"
else
	while read -r b; do
		v=$(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$JAR" "$b" 2>&1 | grep '^Messages:')
		case "$v" in
		*"0 fatals / 0 errors / 0 warnings"*) ok "epubcheck $(basename "$b")" ;;
		*) nok "epubcheck $(basename "$b")" "$v" ;;
		esac
	done <"$tmp/books"
fi
