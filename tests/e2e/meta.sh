#!/bin/sh
# meta.sh - what the notes say about themselves reaches every output.
#
# A YAML front matter block (title, subtitle, authors, date, description,
# keywords, cover) is never printed and shows on the booklet's title page
# and in its PDF info, in the EPUB's package metadata, title page and
# cover, and in the deck's name, description and tags. Logseq's page
# properties (title::, tags:: opening the page) are metadata too and never
# print.
# --metadata and --title win over the notes; an unknown key is a warning
# naming file and line; a bad value an error naming the key, with nothing
# written. cover: is read by the image rules: a picture outside the notes'
# folder is refused and the cover is typeset. An inline <a href> in a
# paragraph is a live link in all three outputs (under the one URL
# policy). One "ok"/"not ok" line each.
NAME=meta
. "$(dirname "$0")/lib.sh"
# has NAME PATTERN FILE: a line of FILE matches the extended regex
has() {
	if grep -Eq -- "$2" "$3"; then ok "$1"; else nok "$1" "no /$2/ in: $(head -c 300 "$3")"; fi
}

n=$tmp/notes
mkdir -p "$n/img" "$tmp/secret"
python3 - "$n/img/cover.png" "$tmp/secret/secret.png" <<'EOF_PY'
import struct, sys, zlib
def png(path, rgb, marker):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"".join(b"\0" + bytes(rgb) * 6 for _ in range(8))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 6, 8, 8, 2, 0, 0, 0))
                           + chunk(b"tEXt", b"Comment\0" + marker) + chunk(b"IDAT", zlib.compress(raw))
                           + chunk(b"IEND", b""))
png(sys.argv[1], (200, 40, 40), b"COVER-PICTURE")
png(sys.argv[2], (0, 0, 0), b"SECRET-PICTURE")
EOF_PY
ln -s "$tmp/secret/secret.png" "$n/img/link.png"

cat >"$n/cell.md" <<'NOTES'
---
title: Cell Biology
subtitle: A First Course
author:
  - Ann Lee
  - Bob Roe
date: 2024-03-01
lang: en
description: Lecture notes on membranes
keywords: [biology, membranes]
cover: img/cover.png
---

# Membranes

## What is a membrane?

A lipid bilayer; see <a href="https://example.org/membrane" title="more">the membrane page</a>
and <a href="javascript:alert(1)">a script</a>.
NOTES

# ---- front matter in every output -----------------------------------------
run 0 "front matter notes build" -q -o "$tmp/o" "$n/cell.md"
pdfinfo "$tmp/o/cell.pdf" >"$tmp/info" 2>&1
has "PDF Title" '^Title: +Cell Biology$' "$tmp/info"
has "PDF Author: every author" '^Author: +Ann Lee, Bob Roe$' "$tmp/info"
has "PDF Subject: the description" '^Subject: +Lecture notes on membranes$' "$tmp/info"
has "PDF Keywords: the keywords" '^Keywords: +biology, membranes$' "$tmp/info"
pdftotext -f 1 -l 1 "$tmp/o/cell.pdf" "$tmp/p1.txt"
pdftotext "$tmp/o/cell.pdf" "$tmp/all.txt"
if grep -q "A First Course" "$tmp/p1.txt" && grep -q "Ann Lee, Bob Roe" "$tmp/p1.txt" \
	&& grep -q "2024-03-01" "$tmp/p1.txt"; then
	ok "booklet title page: subtitle, authors, date"
else
	nok "booklet title page: subtitle, authors, date" "$(tr '\n' '|' <"$tmp/p1.txt")"
fi
if grep -Eq "^(title|subtitle|keywords|cover):|img/cover.png" "$tmp/all.txt"; then
	nok "the front matter is not printed" "$(grep -E "title:|cover" "$tmp/all.txt" | head -3)"
else
	ok "the front matter is not printed"
fi
# a subject without a description: the subtitle
sed '/^description:/d' "$n/cell.md" >"$n/nodesc.md"
"$QUIRE" -q -t pdf -o "$tmp/o" "$n/nodesc.md" 2>/dev/null
pdfinfo "$tmp/o/nodesc.pdf" >"$tmp/info2" 2>&1
has "PDF Subject: the subtitle without a description" '^Subject: +A First Course$' "$tmp/info2"

# ---- page properties, command line, messages -------------------------------
cat >"$n/logseq.md" <<'NOTES'
title:: Organelles
tags:: [[biology]], cells, #exam
alias:: organelles-101
rating:: 5

- What is a mitochondrion?
	- The powerhouse of the cell.
	  id:: 64f1a2b3-0000-4000-8000-000000000001
NOTES
run 0 "Logseq page builds" -o "$tmp/lq" "$n/logseq.md"
has "an unknown page property is a warning naming file and line" \
	"logseq.md:4:1: warning: unknown page property 'rating'" "$tmp/err"
pdftotext "$tmp/lq/logseq.pdf" "$tmp/lq.txt"
if grep -Eq "::|organelles-101|64f1a2b3" "$tmp/lq.txt"; then
	nok "property lines are not printed" "$(grep -E "::|64f1" "$tmp/lq.txt" | head -3)"
else
	ok "property lines are not printed"
fi
pdfinfo "$tmp/lq/logseq.pdf" >"$tmp/lqinfo" 2>&1
has "page properties: title:: is the title" '^Title: +Organelles$' "$tmp/lqinfo"
has "page properties: tags:: are the keywords" '^Keywords: +biology, cells, exam$' "$tmp/lqinfo"
printf -- '- title:: Bulleted Page\n  tags:: x\n- What is a cell?\n\t- The unit of life.\n' >"$n/bullet.md"
"$QUIRE" -q -t pdf -o "$tmp/lq" "$n/bullet.md" 2>/dev/null
pdfinfo "$tmp/lq/bullet.pdf" >"$tmp/lqinfo2" 2>&1
has "page properties as the first bullet" '^Title: +Bulleted Page$' "$tmp/lqinfo2"

run 0 "--metadata and --title build" -q -t pdf,apkg -o "$tmp/cli" --metadata subtitle=Overridden \
	--metadata keywords=x,y --metadata deck=Biology::Cells "$n/cell.md"
pdfinfo "$tmp/cli/cell.pdf" >"$tmp/cliinfo" 2>&1
has "--metadata wins over the front matter" '^Keywords: +x, y$' "$tmp/cliinfo"
pdftotext -f 1 -l 1 "$tmp/cli/cell.pdf" "$tmp/cli1.txt"
has "--metadata subtitle= on the title page" 'Overridden' "$tmp/cli1.txt"
"$QUIRE" -q -t pdf -o "$tmp/cli2" --title "Given Title" --metadata author=Cy "$n/cell.md" 2>/dev/null
pdfinfo "$tmp/cli2/cell.pdf" >"$tmp/cliinfo2" 2>&1
has "--title wins over title:" '^Title: +Given Title$' "$tmp/cliinfo2"
has "--metadata author= wins over author:" '^Author: +Cy$' "$tmp/cliinfo2"

printf -- '---\ntitle: T\nfavourite: x\n---\n\n# A\n\n### What?\n\nThat.\n' >"$n/unknown.md"
run 0 "an unknown front matter key is no error" -t pdf -o "$tmp/u" "$n/unknown.md"
has "an unknown front matter key is a warning naming file and line" \
	"unknown.md:3:1: warning: unknown front matter key 'favourite'" "$tmp/err"
printf -- '---\ntitle: Chapter 3: Sets\nauthor: Ana\ntags:\n  - math\n  - sets\nhint: Optional: x=1\n---\n\n# A\n\n### What?\n\nThat.\n' >"$n/colons.md"
run 0 "front matter that is not valid YAML is no error" -t pdf -o "$tmp/colons" "$n/colons.md"
has "not valid YAML: a warning naming the line" \
	"colons.md:2:17: warning: not valid YAML: mapping values are not allowed" "$tmp/err"
pdfinfo "$tmp/colons/colons.pdf" >"$tmp/colonsinfo" 2>&1
has "not valid YAML: the key's line read as written" '^Title: +Chapter 3: Sets$' "$tmp/colonsinfo"
has "not valid YAML: the keys after it read" '^Author: +Ana$' "$tmp/colonsinfo"
has "not valid YAML: a list after it read" '^Keywords: +math, sets$' "$tmp/colonsinfo"
has "not valid YAML: an unknown key after it warned of" \
	"colons.md:7:1: warning: unknown front matter key 'hint'" "$tmp/err"
printf -- '---\ntitle: T\npaper: huge\n---\n\n# A\n' >"$n/badpaper.md"
run 1 "a bad front matter value stops the run" -o "$tmp/bad" "$n/badpaper.md"
has "a bad value is an error naming the key and its line" \
	"badpaper.md:3:1: error: front matter key 'paper' must be a5, a4 or letter, not 'huge'" "$tmp/err"
if [ -e "$tmp/bad/badpaper.pdf" ] || [ -e "$tmp/bad/badpaper.epub" ]; then
	nok "a bad value: nothing written" "$(ls "$tmp/bad")"
else
	ok "a bad value: nothing written"
fi
run 1 "a bad --metadata value stops the run" -o "$tmp/bad" --metadata reversed=maybe "$n/cell.md"
has "a bad --metadata value is an error naming the key" \
	"error: --metadata key 'reversed' must be true or false, not 'maybe'" "$tmp/err"
run 1 "an unknown --metadata key stops the run" -o "$tmp/bad" --metadata colour=red "$n/cell.md"
has "an unknown --metadata key is an error naming it" "--metadata: unknown key 'colour'" "$tmp/err"
printf 'title:: T\ncards:: everything\n\n- What?\n\t- That.\n' >"$n/badprop.md"
run 1 "a bad page property stops the run" -o "$tmp/bad" "$n/badprop.md"
has "a bad page property is an error naming the key and its line" \
	"badprop.md:2:1: error: page property 'cards' must be" "$tmp/err"

# ---- covers: the notes' own, refused ones, the typeset one ------------------
sed 's|^cover:.*|cover: ../secret/secret.png|' "$n/cell.md" >"$n/outside.md"
sed 's|^cover:.*|cover: img/link.png|' "$n/cell.md" >"$n/symlink.md"
sed 's|^cover:.*|cover: /etc/hostname|' "$n/cell.md" >"$n/absolute.md"
sed '/^cover:/d' "$n/cell.md" >"$n/typeset.md"
for f in outside symlink absolute; do
	run 0 "cover: $f builds" -t epub -o "$tmp/c" "$n/$f.md"
	has "cover: $f is refused with a warning naming file and line" \
		"$f.md:11:1: warning: cover image .* is left out \\(outside the notes' folder" "$tmp/err"
done
"$QUIRE" -q -t epub -o "$tmp/c" "$n/typeset.md" 2>/dev/null
"$QUIRE" -q -t epub -o "$tmp/c" --metadata cover=img/cover.png "$n/typeset.md" -o "$tmp/c2" 2>/dev/null

python3 - "$tmp" "$n" <<'EOF_PY'
import os, re, sqlite3, sys, tempfile, zipfile
tmp, notes = sys.argv[1], sys.argv[2]

def say(good, name, why=""):
    print("ok - meta: %s" % name if good else "not ok - meta: %s: %s" % (name, why))

def opf_of(z):
    return z.read("EPUB/package.opf").decode()

def cover_of(z):
    """The cover-image item's href and the bytes it names."""
    opf = opf_of(z)
    m = re.search(r'<item [^>]*href="([^"]+)"[^>]*properties="cover-image"', opf)
    return (m.group(1), z.read("EPUB/" + m.group(1))) if m else (None, b"")

# the EPUB's package metadata, title page and cover
z = zipfile.ZipFile(os.path.join(tmp, "o", "cell.epub"))
opf = opf_of(z)
want = ['<dc:title id="maintitle">Cell Biology</dc:title>', '>A First Course</dc:title>',
        '<dc:creator>Ann Lee</dc:creator>', '<dc:creator>Bob Roe</dc:creator>',
        '<dc:date>2024-03-01</dc:date>', '<dc:subject>biology</dc:subject>',
        '<dc:subject>membranes</dc:subject>',
        '<dc:description>Lecture notes on membranes</dc:description>',
        '<dc:language>en</dc:language>']
missing = [w for w in want if w not in opf]
say(not missing, "EPUB package metadata", "missing %r" % missing)
title = z.read("EPUB/title.xhtml").decode()
say(all(w in title for w in ("Cell Biology", "A First Course", "Ann Lee, Bob Roe", "2024-03-01")),
    "EPUB title page: title, subtitle, authors, date", re.sub(r"<[^>]+>", " ", title)[:300])
href, data = cover_of(z)
own = open(os.path.join(notes, "img", "cover.png"), "rb").read()
say(data == own and href.endswith(".png"), "cover: is the EPUB's cover-image", "cover %r" % href)
page = z.read("EPUB/cover.xhtml").decode()
say(href and ('src="%s"' % href) in page, "the cover page shows the cover image", page[-300:])
say('<itemref idref="cover"/>' in opf, "the cover page is in the spine")

# --metadata cover= is read by the same rules
href, data = cover_of(zipfile.ZipFile(os.path.join(tmp, "c2", "typeset.epub")))
say(data == own, "--metadata cover= is the cover", "cover %r" % href)

# refused covers: nothing of theirs in the book, the cover typeset
secret = open(os.path.join(tmp, "secret", "secret.png"), "rb").read()
for f in ("outside", "symlink", "absolute"):
    z = zipfile.ZipFile(os.path.join(tmp, "c", f + ".epub"))
    leaked = [n for n in z.namelist() if secret in z.read(n) or b"SECRET-PICTURE" in z.read(n)]
    href, data = cover_of(z)
    say(not leaked and href == "images/cover.svg", "cover: %s: nothing of it in the EPUB, the cover typeset" % f,
        "leaked in %r, cover %r" % (leaked, href))

# the typeset cover: the title page's design, as SVG
href, data = cover_of(zipfile.ZipFile(os.path.join(tmp, "c", "typeset.epub")))
svg = data.decode()
say(href == "images/cover.svg" and all(w in svg for w in ("Cell Biology", "A First Course", "Ann Lee, Bob Roe", "2024-03-01")),
    "without cover: the cover is typeset from title, subtitle, authors, date", svg[:300])

# the deck: name and tags
def deck(path):
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    fd, name = tempfile.mkstemp(suffix=".anki2", dir=tmp)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return sqlite3.connect(name)

db = deck(os.path.join(tmp, "o", "cell.apkg"))
import json
names = sorted(d["name"] for d in json.loads(db.execute("select decks from col").fetchone()[0]).values())
say("Cell Biology" in names, "the deck is named by the title", names)
descs = [d["desc"] for d in json.loads(db.execute("select decks from col").fetchone()[0]).values()
         if d["name"] == "Cell Biology"]
say(descs and "<p>Lecture notes on membranes</p>" in descs[0], "the top deck's description is the notes'", descs)
tags = {t for (ts,) in db.execute("select tags from notes") for t in ts.split()}
say({"biology", "membranes"} <= tags, "the deck's notes carry the keywords as tags", sorted(tags))
db = deck(os.path.join(tmp, "cli", "cell.apkg"))
names = sorted(d["name"] for d in json.loads(db.execute("select decks from col").fetchone()[0]).values())
say("Biology::Cells" in names, "--metadata deck= names the deck", names)
db = deck(os.path.join(tmp, "lq", "logseq.apkg"))
tags = {t for (ts,) in db.execute("select tags from notes") for t in ts.split()}
say({"biology", "cells", "exam"} <= tags, "page properties: tags:: tag the deck's notes", sorted(tags))

# an inline <a href> is a link in all three outputs; javascript: is not
z = zipfile.ZipFile(os.path.join(tmp, "o", "cell.epub"))
ch = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"EPUB/ch\d+\.xhtml$", n))
say('<a href="https://example.org/membrane"' in ch, "inline <a href> is a link in the EPUB", ch[-400:])
say("javascript" not in re.findall(r'href="([^"]*)"', ch).__repr__() and "a script" in ch,
    "inline <a href=javascript:> keeps its text, not its link")
flds = "\n".join(r[0] for r in deck(os.path.join(tmp, "o", "cell.apkg")).execute("select flds from notes"))
hrefs = re.findall(r'href="([^"]*)"', flds)
say("https://example.org/membrane" in hrefs and not [h for h in hrefs if "javascript" in h],
    "inline <a href> is a link on the card", hrefs)
raw = open(os.path.join(tmp, "o", "cell.pdf"), "rb").read()
uris = [u.replace(b"\\057", b"/") for u in re.findall(rb"/URI\s*\(((?:\\.|[^\\)])*)\)", raw)]
say(b"https://example.org/membrane" in uris and not [u for u in uris if b"javascript" in u],
    "inline <a href> is a link annotation in the booklet", uris)
EOF_PY

# the EPUB with its own cover passes epubcheck
JAR=/usr/share/java/epubcheck.jar
if [ -f "$JAR" ] && command -v java >/dev/null 2>&1; then
	java -jar "$JAR" "$tmp/o/cell.epub" >"$tmp/check" 2>&1
	has "epubcheck 0/0 with the notes' cover" "Messages: 0 fatals / 0 errors / 0 warnings" "$tmp/check"
else
	echo "# epubcheck missing (make deps-test): the EPUB is not checked"
fi
