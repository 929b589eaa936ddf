#!/bin/sh
# links.sh - the one URL policy (src/util/url.h) in all three outputs.
#
# Notes with links whose scheme is hidden by entities (&#x66;ile:,
# &#x73;mb:, java&#9;script:), script schemes, a relative path and the
# allowed kinds, written both as Markdown and as HTML. In the booklet
# every link annotation (/URI), in the EPUB every href of the chapters
# and in the deck every href of the note fields must be http, https,
# mailto or the document's own; and the text of each refused link is
# still there (nothing the notes say vanishes).
NAME=links
. "$(dirname "$0")/lib.sh"

cat >"$tmp/links.md" <<'NOTES'
# Links

## Hostile

### What do hidden schemes do?

Markdown: [mdfile](&#x66;ile:///etc/passwd), [mdsmb](&#x73;mb://host/share),
[mdjs](javascript:alert(1)), [mddata](data:text/html,x), [mdvb](vbscript:msgbox),
[mdrel](other.md), [mdweb](https://example.org/ok), [mdmail](mailto:me@example.org).

<p>HTML: <a href="&#x66;ile:///etc/passwd">hfile</a> <a href="&#x73;mb://host/share">hsmb</a>
<a href="java&#9;script:alert(1)">hjs</a> <a href="&#x64;ata:text/html,x">hdata</a>
<a href="https://example.org/h">hweb</a></p>
NOTES

if ! "$QUIRE" -q -t pdf,epub,apkg -o "$tmp/out" "$tmp/links.md" 2>"$tmp/err"; then
	nok "build" "$(head -c 300 "$tmp/err")"
	exit 1
fi
if command -v qpdf >/dev/null 2>&1; then
	qpdf --qdf --object-streams=disable "$tmp/out/links.pdf" "$tmp/links.qdf.pdf"
else
	echo "# qpdf missing (make deps-test): the booklet's annotations are not checked"
fi
pdftotext "$tmp/out/links.pdf" "$tmp/links.txt" 2>/dev/null

python3 - "$tmp" <<'EOF_PY'
import os, re, sqlite3, sys, tempfile, zipfile
tmp = sys.argv[1]
OK = re.compile(r"^(https?:|mailto:|#|ch\d{4}\.xhtml(#|$)|[a-z]+\.css$)", re.I)

def say(good, name, why=""):
    print("ok - links: %s" % name if good else "not ok - links: %s: %s" % (name, why))

# the booklet: every URI annotation, and the addresses printed as text
qdf = os.path.join(tmp, "links.qdf.pdf")
if os.path.exists(qdf):
    raw = open(qdf, "rb").read().decode("latin-1")
    uris = re.findall(r"/URI \(((?:\\.|[^\\)])*)\)", raw)
    bad = [u for u in uris if not OK.match(u)]
    # a link broken over two lines has an annotation on each
    say(len(set(uris)) == 2 and not bad, "booklet link annotations",
        "%d addresses, refused ones kept: %r" % (len(set(uris)), bad))
txt = open(os.path.join(tmp, "links.txt"), encoding="utf-8", errors="replace").read() \
    if os.path.exists(os.path.join(tmp, "links.txt")) else ""
if txt:
    flat = re.sub(r"\s+", "", txt)   # an address may break across lines
    say(all(w in flat for w in ("mdfile", "/etc/passwd", "smb://host/share", "mdjs")),
        "booklet shows refused links as text", txt[:200])

# the book: every href of every chapter
z = zipfile.ZipFile(os.path.join(tmp, "out", "links.epub"))
hrefs, text = [], ""
for n in z.namelist():
    if re.match(r"EPUB/ch\d+\.xhtml$", n):
        d = z.read(n).decode("utf-8")
        hrefs += re.findall(r'href="([^"]*)"', d)
        text += re.sub(r"<[^>]+>", "", d)
bad = [h for h in hrefs if not OK.match(h)]
say(not bad and any(h.startswith("https://example.org/h") for h in hrefs),
    "book links", "refused ones kept: %r" % bad)
say(all(w in text for w in ("mdfile (file:///etc/passwd)", "hfile", "hsmb", "hjs")),
    "book keeps the text of refused links", text[:200])

# the deck: every href of every note field
z = zipfile.ZipFile(os.path.join(tmp, "out", "links.apkg"))
fd, col = tempfile.mkstemp(suffix=".anki2", dir=tmp)
with os.fdopen(fd, "wb") as f:
    f.write(z.read("collection.anki2"))
flds = "\n".join(r[0] for r in sqlite3.connect(col).execute("select flds from notes"))
hrefs = re.findall(r"""href\s*=\s*["']?([^"' >]*)""", flds)
bad = [h for h in hrefs if not OK.match(h)]
say(not bad and hrefs, "card links", "refused ones kept: %r (of %r)" % (bad, hrefs))
say(all(w in flds for w in ("mdfile", "hfile", "hsmb")), "cards keep the text of refused links",
    flds[:200])
EOF_PY
