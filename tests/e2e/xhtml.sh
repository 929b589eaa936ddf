#!/bin/sh
# xhtml.sh - end-to-end checks of the shared render layer (src/render) in
# real outputs: the corpus notes and input/*.md compiled to EPUB and Anki
# deck. For each notes file:
#   - every EPUB content document is well-formed XML (xmllint --noout);
#   - the book has one <pre class="code"> per code block of the model
#     (`-t tree`), and the text inside each, tags stripped and entities
#     decoded, is exactly the code of the model: the highlighter's tokens
#     lose and repeat nothing;
#   - every code block in the deck's fields is one of the model's, and
#     every code block inside a card is in the deck;
#   - spans inside code use only the token classes (kw str com num name
#     dec) and never nest;
#   - most Python blocks get keyword spans (highlighting really happens);
#   - no href/src with a javascript:, data:, vbscript: or file: URL;
#   - styles/highlight.css is in the book and in the deck's note type CSS.
NAME=xhtml
. "$(dirname "$0")/lib.sh"
CORPUS=tests/corpus/python-fastapi-notes.md

if [ ! -x "$QUIRE" ] && ! command -v "$QUIRE" >/dev/null 2>&1; then
	nok "quire binary" "$QUIRE not found (make quire)"
	exit 1
fi
for tool in python3 xmllint unzip; do
	if ! command -v $tool >/dev/null 2>&1; then
		nok "tools" "$tool missing (apt-get install python3 libxml2-utils unzip)"
		exit 1
	fi
done

cat >"$tmp/check.py" <<'EOF'
import html, os, re, sqlite3, subprocess, sys, zipfile

tree, epub, apkg, name, work = sys.argv[1:6]
CLASSES = {"kw", "str", "com", "num", "name", "dec"}
PRE = re.compile(r'<pre class="code"(?: data-lang="([^"]*)")?><code>(.*?)</code></pre>', re.S)
BAD_URL = re.compile(r'(?:href|src)="\s*(?:javascript|data|vbscript|file):', re.I)

def say(good, what, why=""):
    print(("ok - xhtml: %s %s" % (what, name)) if good else
          ("not ok - xhtml: %s %s: %s" % (what, name, why)))

def model_code(path):
    """The code blocks of `-t tree`: (lang, text, in_card) in document
    order."""
    out, cur, indent, stack = [], None, None, []
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        line = line.rstrip("\n")
        if cur is not None and line.startswith(indent):
            cur.append(line[len(indent):])
            continue
        cur = None
        m = re.match(r"^( *)([a-z_]+) \d+", line)
        if not m:
            continue
        depth = len(m.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, m.group(2)))
        m = re.match(r"^( *)code \d+ lang=(\S+)", line)
        if m:
            cur = []
            in_card = any(t == "card" for _, t in stack)
            out.append((m.group(2), cur, in_card))
            indent = m.group(1) + "  | "
    return [(lang, "".join(l + "\n" for l in lines), c)
            for lang, lines, c in out]

def pre_blocks(text):
    """(lang, inner markup) of every code block in an XHTML text."""
    return [(m.group(1) or "", m.group(2)) for m in PRE.finditer(text)]

LINE = re.compile(r"ln(?: i[1-8])?$")

def spans_ok(inner):
    """Every line a span "ln" (ending in its newline, but the last);
    token spans only inside a line, never nested."""
    depth = 0
    for m in re.finditer(r'<(/?)span(?: class="([^"]*)")?>|<(?!/?span)', inner):
        if m.group(0) == "<":
            return "other markup inside code"
        if m.group(1):
            depth -= 1
        elif depth == 0:
            if not LINE.match(m.group(2) or ""):
                return "a line of class %r" % m.group(2)
            depth = 1
        else:
            if m.group(2) not in CLASSES:
                return "class %r" % m.group(2)
            depth += 1
        if depth not in (0, 1, 2):
            return "nested or unbalanced spans"
    if depth:
        return "unclosed span"
    lines = re.findall(r'<span class="ln[^"]*">(.*?)</span>(?=<span class="ln|$)', inner, re.S)
    if any("\n" in l[:-1] for l in lines) or any(not l.endswith("\n") for l in lines[:-1]):
        return "a line span that is not one line"
    return None

def plain(inner):
    return html.unescape(re.sub(r"</?span[^>]*>", "", inner))

def check_spans(where, blocks):
    bad = [spans_ok(inner) for _, inner in blocks]
    bad = [b for b in bad if b]
    say(not bad, where + " code spans", "; ".join(bad[:3]))

code = model_code(tree)
want = sorted(t for _, t, _ in code)
in_cards = set(t for _, t, c in code if c)

# ---- EPUB -------------------------------------------------------------------
z = zipfile.ZipFile(epub)
docs = [n for n in z.namelist() if n.endswith(".xhtml")]
blocks, bad_xml, bad_url = [], [], []
for n in docs:
    data = z.read(n)
    p = os.path.join(work, "doc.xhtml")
    open(p, "wb").write(data)
    if subprocess.run(["xmllint", "--noout", "--nonet", p],
                      capture_output=True).returncode != 0:
        bad_xml.append(n)
    text = data.decode("utf-8")
    blocks += pre_blocks(text)
    bad_url += BAD_URL.findall(text)
say(not bad_xml, "epub well-formed", ", ".join(bad_xml[:3]))
say(len(blocks) == len(code), "epub one pre per code block",
    "%d pre, %d code blocks in the model" % (len(blocks), len(code)))
check_spans("epub", blocks)
got = sorted(plain(inner) for _, inner in blocks)
missing = [t for t in want if t not in got]
say(got == want, "epub code text is the model's",
    "%d of %d blocks differ, e.g. %r" % (len(missing), len(want),
                                        missing[0][:80] if missing else ""))
py = [inner for lang, inner in blocks if lang == "python"]
kw = [inner for inner in py if '<span class="kw">' in inner]
say(not py or len(kw) >= 0.7 * len(py), "epub python is highlighted",
    "%d of %d python blocks have keyword spans" % (len(kw), len(py)))
say(not bad_url, "epub no unsafe URL", repr(bad_url[:3]))
css = [n for n in z.namelist() if n.endswith(".css")]
has_hl = any(b"pre.code .kw" in z.read(n) for n in css)
say(has_hl, "epub has highlight.css", "no stylesheet with pre.code .kw")

# ---- Anki deck --------------------------------------------------------------
z = zipfile.ZipFile(apkg)
col = [n for n in z.namelist() if n.startswith("collection.anki2")]
if not col:
    say(False, "apkg collection", "no collection.anki2* in the deck")
    sys.exit(0)
p = os.path.join(work, "col.db")
open(p, "wb").write(z.read(sorted(col)[0]))
db = sqlite3.connect(p)
fields = "\n".join(r[0] for r in db.execute("select flds from notes"))
try:
    css = "\n".join(r[0] for r in db.execute("select models from col"))
except sqlite3.Error:
    css = ""
try:
    css += "\n".join(str(r[0]) for r in db.execute("select config from notetypes"))
except sqlite3.Error:
    pass
blocks = pre_blocks(fields)
check_spans("apkg", blocks)
got = set(plain(inner) for _, inner in blocks)
extra = [t for t in got if t not in set(want)]
say(not extra, "apkg code text is the model's",
    "%d blocks not in the model, e.g. %r" % (len(extra), extra[0][:80] if extra else ""))
missing = [t for t in in_cards if t not in got]
say(not missing, "apkg has the code of every card",
    "%d of %d missing, e.g. %r" % (len(missing), len(in_cards),
                                   missing[0][:80] if missing else ""))
say(not BAD_URL.findall(fields), "apkg no unsafe URL")
say("pre.code .kw" in css, "apkg css has highlight.css")
EOF

for notes in "$CORPUS" input/*.md; do
	[ -f "$notes" ] || continue
	stem=$(basename "$notes" .md)
	out="$tmp/out-$stem"
	mkdir -p "$out"
	if ! "$QUIRE" -q -t tree,epub,apkg -o "$out" "$notes" >"$tmp/log" 2>&1; then
		nok "build $stem" "$(head -n 3 "$tmp/log" | tr '\n' ' ')"
		continue
	fi
	python3 "$tmp/check.py" "$out/$stem.tree" "$out/$stem.epub" \
		"$out/$stem.apkg" "$stem" "$tmp" ||
		nok "check $stem" "python check failed"
done
