#!/bin/sh
# apkg.sh - end-to-end checks of the Anki deck (-t apkg) on the real
# notes: the package opened with python3's zipfile and sqlite3 (schema 11,
# JSON keys, counts, fields, checksums, decks, tags, card HTML), byte
# identity of rebuilds, guid and mod stability across edits, renumbering
# and moves, clean failures, and hostile notes. One line per check.
NAME=apkg
. "$(dirname "$0")/lib.sh"
CORPUS=${CORPUS:-tests/corpus/python-fastapi-notes.md}
PY=python3
check() { # check NAME CMD...: ok when CMD succeeds, else its output
	name=$1
	shift
	if out=$("$@" 2>&1); then ok "$name"; else nok "$name" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

cat >"$tmp/inspect.py" <<'EOF'
"""inspect.py CMD APKG [ARG]: checks of one deck; exits 1 with a message."""
import atexit, html.entities, json, os, re, sqlite3, sys, tempfile, zipfile, hashlib

COLS = {
    "col": "id crt mod scm ver dty usn ls conf models decks dconf tags",
    "notes": "id guid mid mod usn tags flds sfld csum flags data",
    "cards": "id nid did ord mod usn type queue due ivl factor reps lapses left odue odid flags data",
    "revlog": "id cid usn ease ivl lastIvl factor time type",
    "graves": "usn oid type",
}
REQ = {
    "notetype": "id name type mod usn sortf did tmpls flds css".split(),
    "field": "name sticky rtl font size".split(),
    "template": "name qfmt".split(),
    "deck": "id name usn lrnToday revToday newToday timeToday collapsed dyn conf desc".split(),
    "dconf": "id mod name usn maxTaken autoplay timer new rev lapse".split(),
}

def fail(msg):
    print(msg)
    sys.exit(1)

SCRATCH = tempfile.TemporaryDirectory(prefix="quire-apkg-")
atexit.register(SCRATCH.cleanup)

def open_deck(path):
    """The package and its collection, unpacked into SCRATCH (removed at exit)."""
    z = zipfile.ZipFile(path)
    fd, name = tempfile.mkstemp(suffix=".anki2", dir=SCRATCH.name)
    with os.fdopen(fd, "wb") as t:
        t.write(z.read("collection.anki2"))
    return z, sqlite3.connect(name)

# Anki 2.1.15 utils.stripHTMLMedia and fieldChecksum
def ents(s):
    s = s.replace("&nbsp;", " ")
    def fix(m):
        t = m.group(0)
        if t[:2] == "&#":
            try:
                return chr(int(t[3:-1], 16)) if t[:3] == "&#x" else chr(int(t[2:-1]))
            except ValueError:
                return t
        try:
            return chr(html.entities.name2codepoint[t[1:-1]])
        except KeyError:
            return t
    return re.sub(r"&#?\w+;", fix, s)

def strip(s):
    s = re.sub("(?i)<img[^>]+src=[\"']?([^\"'>]+)[\"']?[^>]*>", " \\1 ", s)
    for r in ("(?s)<!--.*?-->", "(?si)<style.*?>.*?</style>",
              "(?si)<script.*?>.*?</script>", "(?s)<.*?>"):
        s = re.sub(r, "", s)
    return ents(s)

def csum(s):
    return int(hashlib.sha1(strip(s).encode()).hexdigest()[:8], 16)

def cmd_zip(path):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    if sorted(names) != ["collection.anki2", "media"]:
        fail("entries %r" % names)
    for i in z.infolist():
        if i.compress_type not in (0, 8):
            fail("%s compressed with method %d" % (i.filename, i.compress_type))
        if i.flag_bits & 1:
            fail("encrypted entry")
    if z.testzip() is not None:
        fail("bad CRC")
    if json.loads(z.read("media")) != {}:
        fail("media map not {}")

def cmd_schema(path):
    _, db = open_deck(path)
    for t, cols in COLS.items():
        got = " ".join(r[1] for r in db.execute("pragma table_info(%s)" % t))
        if got != cols:
            fail("%s columns %r" % (t, got))
    if db.execute("pragma integrity_check").fetchone()[0] != "ok":
        fail("integrity")
    rows = db.execute("select ver, conf, tags from col").fetchall()
    if len(rows) != 1 or rows[0][0] != 11:
        fail("col rows %r" % [r[0] for r in rows])
    if not isinstance(json.loads(rows[0][1]), dict) or json.loads(rows[0][2]) != {}:
        fail("col conf/tags")

def miss(obj, keys):
    return [k for k in keys if k not in obj]

# quire's note types: id -> (name, type, fields, templates)
SHAPES = {
    "1577836800177": ("quire", 0, ["Question", "Answer", "Section", "Source", "Booklet page", "Reverse"],
                      ["Recall", "Reverse"]),
    "1577836800277": ("quire cloze", 1, ["Text", "Extra", "Source", "Booklet page"], ["Cloze"]),
    "1577836800077": ("quire 0.1", 0, ["Question", "Answer", "Source"], ["Recall"]),
}
CLOZE = "1577836800277"

def cmd_json(path):
    _, db = open_deck(path)
    models, decks, dconf = (json.loads(x) for x in db.execute(
        "select models, decks, dconf from col").fetchone())
    used = {str(r[0]) for r in db.execute("select distinct mid from notes")}
    if not models or set(models) - set(SHAPES) or used - set(models):
        fail("notetypes %r, used %r" % (sorted(models), sorted(used)))
    for mid, m in models.items():
        if miss(m, REQ["notetype"]) or str(m["id"]) != mid:
            fail("notetype keys %r" % miss(m, REQ["notetype"]))
        name, typ, flds, tmpls = SHAPES[mid]
        if (m["name"], m["type"], [f["name"] for f in m["flds"]], [t["name"] for t in m["tmpls"]]) \
           != (name, typ, flds, tmpls):
            fail("note type %s: %r" % (mid, (m["name"], [f["name"] for f in m["flds"]])))
        for f in m["flds"]:
            if miss(f, REQ["field"]) or "id" not in f:
                fail("field keys %r" % miss(f, REQ["field"]))
        for t in m["tmpls"]:
            if miss(t, REQ["template"]) or "id" not in t:
                fail("templates")
    for d in decks.values():
        if miss(d, REQ["deck"]) or not isinstance(d["collapsed"], bool):
            fail("deck %s keys %r" % (d.get("name"), miss(d, REQ["deck"])))
    for c in dconf.values():
        if miss(c, REQ["dconf"]) or "perDay" not in c["new"] or "perDay" not in c["rev"]:
            fail("dconf keys %r" % miss(c, REQ["dconf"]))

def cmd_count(path, want):
    """want notes of questions (not cloze), each with one card"""
    _, db = open_deck(path)
    n = db.execute("select count() from notes where mid != ?", (CLOZE,)).fetchone()[0]
    c = db.execute("select count() from cards c join notes n on n.id = c.nid"
                   " where n.mid != ? and c.ord = 0", (CLOZE,)).fetchone()[0]
    g = db.execute("select count(distinct guid) from notes where mid != ?", (CLOZE,)).fetchone()[0]
    if not (n == c == g == int(want)):
        fail("notes %d cards %d guids %d, want %s" % (n, c, g, want))

def cmd_notes(path):
    _, db = open_deck(path)
    models = json.loads(db.execute("select models from col").fetchone()[0])
    decks = json.loads(db.execute("select decks from col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    for n in names:
        parts = n.split("::")
        if any(not p or p != p.strip() or p.startswith(":") or p.endswith(":") for p in parts):
            fail("deck name %r" % n)
        for i in range(1, len(parts)):
            if "::".join(parts[:i]) not in names:
                fail("parent of %r missing" % n)
    first = {}
    for nid, guid, mid, mod, tags, flds, sfld, cs in db.execute(
            "select id, guid, mid, mod, tags, flds, sfld, csum from notes"):
        f = flds.split("\x1f")
        if str(mid) not in models or len(f) != len(models[str(mid)]["flds"]):
            fail("note %d: %d fields" % (nid, len(f)))
        if not (1500000000000 <= nid < 1600000000000) or mod > 10**11:
            fail("note %d id/mod" % nid)
        if cs != csum(f[0]) or str(sfld) != strip(f[0]):
            fail("note %d: csum/sfld %r" % (nid, sfld))
        if not strip(f[0]).strip():
            fail("note %d: empty question" % nid)
        if tags and (tags[0] != " " or tags[-1] != " " or "  " in tags):
            fail("note %d: tags %r" % (nid, tags))
        for t in tags.split():
            if '"' in t or "'" in t or not t.strip("_:"):
                fail("note %d: tag %r" % (nid, t))
        outside = re.sub(r"\{\{c\d+::", "", flds) if str(mid) == CLOZE else flds
        if re.search(r"(?i)<script|<iframe|<[^>]*\son\w+\s*=|=\s*[\"']?\s*javascript:|\{\{|\[sound:", outside):
            fail("note %d: unsafe text %r" % (nid, flds[:200]))
        if sfld in first:
            fail("two notes with the question %r" % sfld)
        first[sfld] = nid
    for cid, nid, did, ord_, typ, queue, due, mid in db.execute(
            "select c.id, c.nid, c.did, c.ord, c.type, c.queue, c.due, n.mid"
            " from cards c join notes n on n.id = c.nid"):
        m = models[str(mid)]
        bad_ord = ord_ < 0 or (m["type"] == 0 and ord_ >= len(m["tmpls"]))
        if str(did) not in decks or bad_ord or typ != 0 or queue != 0 or due < 1:
            fail("card %d: did %d ord %d type %d queue %d due %d" % (cid, did, ord_, typ, queue, due))
    if db.execute("select count() from (select nid, ord from cards group by nid, ord"
                  " having count() > 1)").fetchone()[0]:
        fail("two cards with the same note and ord")
    if db.execute("select count() from cards where nid not in (select id from notes)").fetchone()[0]:
        fail("orphan cards")

def cmd_html(path):
    _, db = open_deck(path)
    m = list(json.loads(db.execute("select models from col").fetchone()[0]).values())[0]
    css = m["css"]
    for need in (".nightMode", "pre.code", "white-space: pre-wrap", "text-align: left",
                 "table.grid", ".kw", ".str", ".com"):
        if need not in css:
            fail("CSS lacks %r" % need)
    if "prefers-color-scheme" in css:
        fail("card CSS follows the system's colour scheme, not Anki's night mode")
    every = css + m["tmpls"][0]["qfmt"] + m["tmpls"][0]["afmt"]
    if re.search(r"(?i)<script|@import|url\(", every):
        fail("script or remote content in CSS/templates")
    flds = [r[0] for r in db.execute("select flds from notes")]
    code = [f for f in flds if '<pre class="code"' in f]
    hl = [f for f in code if '<span class="kw">' in f]
    tables = [f for f in flds if '<table class="grid">' in f]
    if not code or not hl:
        fail("no highlighted code block (%d code)" % len(code))
    if not tables:
        fail("no table")
    print("code=%d highlighted=%d tables=%d" % (len(code), len(hl), len(tables)))

# fields that say where a note stands (they do not count as a change)
POSITIONAL = {"1577836800177": (3, 4), "1577836800277": (2, 3), "1577836800077": ()}

def rows(path):
    """guid -> (mod, fields without the positional ones and booklet pages, tags)"""
    _, db = open_deck(path)
    page = re.compile(r'<span class="page">[^<]*</span>')
    out = {}
    for g, m, f, t, mid in db.execute("select guid, mod, flds, tags, mid from notes"):
        f = [x for i, x in enumerate(f.split("\x1f")) if i not in POSITIONAL.get(str(mid), ())]
        out[g] = (m, page.sub("", "\x1f".join(f)), t)
    return out

def cmd_same_guids(a, b):
    ra, rb = rows(a), rows(b)
    if set(ra) != set(rb):
        fail("guids differ: %d only before, %d only after" % (len(set(ra) - set(rb)), len(set(rb) - set(ra))))

def cmd_changed(a, b, want):
    """exactly `want` notes got a newer mod, and those are the ones whose
    content (booklet pages aside) changed; every other note kept its mod."""
    ra, rb = rows(a), rows(b)
    newer = [g for g in rb if g in ra and rb[g][0] > ra[g][0]]
    other = [g for g in rb if g in ra and rb[g][0] < ra[g][0]]
    content = [g for g in rb if g in ra and rb[g][1:] != ra[g][1:]]
    if other or len(newer) != int(want) or sorted(newer) != sorted(content):
        fail("newer %d (want %s), older %d, content changed %d" % (len(newer), want, len(other), len(content)))

def cmd_css_has(path, text):
    _, db = open_deck(path)
    m = list(json.loads(db.execute("select models from col").fetchone()[0]).values())[0]
    if text not in m["css"]:
        fail("CSS lacks %r" % text)

def cmd_decks_start(path, top):
    _, db = open_deck(path)
    names = [d["name"] for d in json.loads(db.execute("select decks from col").fetchone()[0]).values()]
    used = [r[0] for r in db.execute("select distinct did from cards")]
    decks = json.loads(db.execute("select decks from col").fetchone()[0])
    bad = [decks[str(d)]["name"] for d in used if not (decks[str(d)]["name"] + "::").startswith(top + "::")]
    if bad or top not in names:
        fail("cards outside %r: %r" % (top, bad[:3]))

def cmd_no_live_link(path):
    _, db = open_deck(path)
    for (flds,) in db.execute("select flds from notes"):
        for m in re.finditer(r"<a\s[^>]*href=\"([^\"]*)\"", flds):
            url = html.unescape(m.group(1)).strip().lower()
            if not re.match(r"(https?:|mailto:|#)", url):
                fail("live link %r" % m.group(0))

def cmd_upgrade(old, new, least):
    """every note of the 0.1 deck that the rebuild still has keeps its guid
    and its note type (0.1's: Anki cannot change a note's type on import),
    at least `least` of them are kept, and the rebuild's new notes use the
    new type"""
    _, a = open_deck(old)
    _, b = open_deck(new)
    before = dict(a.execute("select guid, mid from notes"))
    after = dict(b.execute("select guid, mid from notes"))
    kept = [g for g in after if g in before]
    moved = [g for g in kept if after[g] != before[g]]
    fresh = [g for g in after if g not in before and str(after[g]) == "1577836800077"]
    if moved or fresh or len(kept) < int(least):
        fail("kept %d (want >= %s), type changed %d, new notes on 0.1's type %d"
             % (len(kept), least, len(moved), len(fresh)))

def cmd_same_note(old, new, old_like, new_like):
    """the note whose question is like new_like has the guid (and id) that
    the note like old_like had"""
    _, a = open_deck(old)
    _, b = open_deck(new)
    x = a.execute("select guid, id from notes where sfld like ?", (old_like,)).fetchall()
    y = b.execute("select guid, id from notes where sfld like ?", (new_like,)).fetchall()
    if len(x) != 1 or x != y:
        fail("before %r, after %r" % (x, y))

def cmd_has_page(path, sql_like):
    _, db = open_deck(path)
    f = db.execute("select flds from notes where sfld like ?", (sql_like,)).fetchone()
    if not f or not re.fullmatch(r"\d+(, \d+)*", f[0].split("\x1f")[4]):
        fail("note %r has no booklet page: %r" % (sql_like, f and f[0].split("\x1f")[2:]))

def cmd_shape(path, want):
    """want is "reverse=N cloze=N section-tags=N": Reverse cards, cloze
    notes and notes tagged with a section path (a tag with ::)"""
    _, db = open_deck(path)
    rev = db.execute("select count() from cards where ord = 1 and nid in"
                     " (select id from notes where mid != ?)", (CLOZE,)).fetchone()[0]
    cloze = db.execute("select count() from notes where mid = ?", (CLOZE,)).fetchone()[0]
    tagged = sum(1 for (t,) in db.execute("select tags from notes") if "::" in t)
    got = "reverse=%d cloze=%d section-tags=%d" % (rev, cloze, tagged)
    if got != want:
        fail("%s, want %s" % (got, want))

def cmd_field_has(path, sql_like, text):
    _, db = open_deck(path)
    f = db.execute("select flds from notes where sfld like ?", (sql_like,)).fetchone()
    if not f or text not in f[0]:
        fail("note %r lacks %r" % (sql_like, text))

sys.exit(globals()["cmd_" + sys.argv[1]](*sys.argv[2:]) or 0)
EOF
insp() { $PY "$tmp/inspect.py" "$@"; }

# the number of notes the model says (distinct keys), from -t tree
keys_of() {
	"$QUIRE" -q -t tree -o "$tmp/tree" "$1" >/dev/null 2>&1 || { echo -1; return; }
	sed -n '1s/.* keys=\([0-9]*\).*/\1/p' "$tmp/tree/$(basename "${1%.*}").tree"
}

deck_checks() { # deck_checks LABEL NOTES.md APKG
	check "$1 zip entries" insp zip "$3"
	check "$1 schema 11" insp schema "$3"
	check "$1 json keys" insp json "$3"
	check "$1 one note per key" insp count "$3" "$(keys_of "$2")"
	check "$1 notes, cards, decks, tags" insp notes "$3"
}

# ---- the corpus ---------------------------------------------------------
mkdir -p "$tmp/src" "$tmp/a" "$tmp/b"
cp "$CORPUS" "$tmp/src/notes.md"
check "corpus builds" "$QUIRE" -q -t apkg -o "$tmp/a" "$tmp/src/notes.md"
deck_checks corpus "$tmp/src/notes.md" "$tmp/a/notes.apkg"
check "corpus has 463 notes" insp count "$tmp/a/notes.apkg" 463
check "corpus card html" insp html "$tmp/a/notes.apkg"
"$QUIRE" -q -t apkg -o "$tmp/b" "$tmp/src/notes.md" >/dev/null 2>&1
check "two builds byte-identical" cmp "$tmp/a/notes.apkg" "$tmp/b/notes.apkg"
cp "$tmp/a/notes.apkg" "$tmp/first.apkg"
SOURCE_DATE_EPOCH=1700000500 "$QUIRE" -q -t apkg -o "$tmp/a" "$tmp/src/notes.md" >/dev/null 2>&1
check "rebuild over the previous deck is byte-identical" cmp "$tmp/first.apkg" "$tmp/a/notes.apkg"
# the work is shared among the processors: one processor, same bytes
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then
	mkdir -p "$tmp/one"
	taskset -c 0 "$QUIRE" -q -t apkg -o "$tmp/one" "$tmp/src/notes.md" >/dev/null 2>&1
	check "one processor: same bytes" cmp "$tmp/first.apkg" "$tmp/one/notes.apkg"
	SOURCE_DATE_EPOCH=1700000500 taskset -c 0 "$QUIRE" -q -t apkg -o "$tmp/one" \
		"$tmp/src/notes.md" >/dev/null 2>&1
	check "one processor, over the previous deck: same bytes" cmp "$tmp/first.apkg" \
		"$tmp/one/notes.apkg"
fi

# ---- edits: one answer, renumbering, reordering, moving ----------------
edit() { # edit NAME PYTHON: a copy of the notes changed by PYTHON (on t),
	# rebuilt later (SOURCE_DATE_EPOCH) over a copy of the first deck
	mkdir -p "$tmp/$1"
	$PY - "$tmp/src/notes.md" "$tmp/$1/notes.md" "$2" <<'EOF2' || return 1
import sys
t = open(sys.argv[1], encoding="utf-8").read()
env = {"t": t}
exec(sys.argv[3], env)
if env["t"] == t:
    sys.exit("the edit changed nothing")
open(sys.argv[2], "w", encoding="utf-8").write(env["t"])
EOF2
	cp "$tmp/first.apkg" "$tmp/$1/notes.apkg"
	SOURCE_DATE_EPOCH=1700009999 "$QUIRE" -q -t apkg -o "$tmp/$1" "$tmp/$1/notes.md"
}
check "edit one answer builds" edit ans \
	't = t.replace("command-line args", "command-line args (edited)", 1)'
check "edit one answer: same guids" insp same_guids "$tmp/first.apkg" "$tmp/ans/notes.apkg"
check "edit one answer: exactly one note newer" insp changed "$tmp/first.apkg" "$tmp/ans/notes.apkg" 1
check "edit one answer: new text in the note" insp field_has "$tmp/ans/notes.apkg" \
	"What are some must-know built-in Python modules%" "command-line args (edited)"
check "renumber builds" edit num '
t = t.replace("### 1. What are some must-know", "### 13. What are some must-know", 1)
t = t.replace("### 2. What are Python", "### Q7. What are Python", 1)'
check "renumber: same guids" insp same_guids "$tmp/first.apkg" "$tmp/num/notes.apkg"
check "renumber: no note newer" insp changed "$tmp/first.apkg" "$tmp/num/notes.apkg" 0
# swap questions 1 and 2 (same section); move question 3 to a new last section
check "reorder and move build" edit move '
a, b = t.index("### 1. What are some"), t.index("### 2. What are Python")
c, d = t.index("### 3. Difference between"), t.index("### 4. What is __all__")
t = t[:a] + t[b:c] + t[a:b] + t[d:] + "\n\n## Moved Here\n\n" + t[c:d]'
check "reorder and move: same guids" insp same_guids "$tmp/first.apkg" "$tmp/move/notes.apkg"
check "reorder and move: only the moved note newer" insp changed "$tmp/first.apkg" "$tmp/move/notes.apkg" 1

# booklet pages (from the PDF back end) are not a change: a deck built
# with the PDF, then one without, must not make Anki update anything
if "$QUIRE" --help 2>&1 | grep -Eq '^ +pdf +[^(]'; then
	mkdir -p "$tmp/pg"
	cp "$tmp/src/notes.md" "$tmp/pg/notes.md"
	"$QUIRE" -q -t pdf,apkg -o "$tmp/pg" "$tmp/pg/notes.md" >/dev/null 2>&1
	cp "$tmp/pg/notes.apkg" "$tmp/pg-first.apkg"
	check "booklet pages in the Booklet page field" insp has_page "$tmp/pg-first.apkg" \
		"What are some must-know built-in Python modules%"
	SOURCE_DATE_EPOCH=1700009999 "$QUIRE" -q -t apkg -o "$tmp/pg" "$tmp/pg/notes.md" >/dev/null 2>&1
	check "pages known, then unknown: no note newer" insp changed "$tmp/pg-first.apkg" "$tmp/pg/notes.apkg" 0
fi

# ---- a deck of quire 0.1 rebuilt: updated in place --------------------------
# (tests/fixtures/deck-0.1.0: decks 0.1 built from these notes)
FX=tests/fixtures/deck-0.1.0
for n in clean-markdown-notes data-engineering-notes; do
	mkdir -p "$tmp/up"
	cp "$FX/$n.md" "$tmp/up/$n.md"
	cp "$FX/$n.apkg" "$tmp/up/$n.apkg"
	old=$(python3 -c "import zipfile,sqlite3,sys,tempfile,os
d=tempfile.mkdtemp(); p=os.path.join(d,'c'); open(p,'wb').write(zipfile.ZipFile(sys.argv[1]).read('collection.anki2'))
print(sqlite3.connect(p).execute('select count() from notes').fetchone()[0])" "$FX/$n.apkg")
	check "0.1 deck of $n rebuilds" "$QUIRE" -q -t apkg -o "$tmp/up" "$tmp/up/$n.md"
	check "0.1 deck of $n: notes keep guid and type" insp upgrade "$FX/$n.apkg" \
		"$tmp/up/$n.apkg" $((old * 9 / 10))
	deck_checks "0.1 deck of $n, rebuilt" "$tmp/up/$n.md" "$tmp/up/$n.apkg"
done
cp "$FX/corpus.apkg" "$tmp/up/notes.apkg"
cp "$tmp/src/notes.md" "$tmp/up/notes.md"
check "0.1 deck of the corpus rebuilds" "$QUIRE" -q -t apkg -o "$tmp/up" "$tmp/up/notes.md"
check "0.1 deck of the corpus: notes keep guid and type" insp upgrade "$FX/corpus.apkg" \
	"$tmp/up/notes.apkg" 440

# ---- rewording real notes: reword, split, merge, delete -------------------
# (the corpus's first section; its first deck is $tmp/first.apkg)
check "reword builds" edit reword '
t = t.replace("### 1. What are some must-know built-in Python modules?",
              "### 1. Which built-in Python modules should everyone know?", 1)'
check "reword: the reworded question keeps its note" insp same_note "$tmp/first.apkg" \
	"$tmp/reword/notes.apkg" "What are some must-know%" "Which built-in Python modules%"
check "reword: same guids" insp same_guids "$tmp/first.apkg" "$tmp/reword/notes.apkg"
check "reword: only that note newer" insp changed "$tmp/first.apkg" "$tmp/reword/notes.apkg" 1
msg=$(SOURCE_DATE_EPOCH=1700009999 "$QUIRE" -t apkg -o "$tmp/reword" "$tmp/reword/notes.md" 2>&1)
echo "$msg" | grep -q 'reworded: "Which built-in Python modules should everyone know?" keeps the Anki note' \
	&& ok "reword: the summary names the old and the new question" \
	|| nok "reword: the summary names the old and the new question" "$(echo "$msg" | grep apkg- | head -3)"
check "delete builds" edit delete '
c, d = t.index("### 3. Difference between"), t.index("### 4. What is __all__")
t = t[:c] + t[d:]'
msg=$(cp "$tmp/first.apkg" "$tmp/delete/notes.apkg"; "$QUIRE" -t apkg -o "$tmp/delete" "$tmp/delete/notes.md" 2>&1)
gone=$(python3 - "$tmp/first.apkg" <<'PY'
import sqlite3, sys, tempfile, zipfile, os
d = tempfile.mkdtemp(); p = os.path.join(d, "c")
open(p, "wb").write(zipfile.ZipFile(sys.argv[1]).read("collection.anki2"))
print(sqlite3.connect(p).execute("select id from notes where sfld like 'Difference between import module vs from%'").fetchone()[0])
PY
)
echo "$msg" | grep -q "gone from the notes: \"Difference between" && echo "$msg" | grep -q "search for  nid:$gone " \
	&& ok "delete: the summary lists it with a search for its note id" \
	|| nok "delete: the summary lists it with a search for its note id" "$(echo "$msg" | grep apkg-gone | head -2)"
# split: question 2 becomes two, the first half of its answer under the
# first; merged: questions 3 and 4 become one with both answers
check "split builds" edit split '
b, c = t.index("### 2. What are Python"), t.index("### 3. Difference between")
ans = t[t.index("\n", b):c]
half = ans.index("Databases:")
t = (t[:b] + "### 2. Which third-party libraries are common for the web and for data?" + ans[:half]
     + "### 2b. Which libraries are common for databases, networking and tests?\n\n" + ans[half:]
     + t[c:])'
summary() { cp "$tmp/first.apkg" "$tmp/$1/notes.apkg"; "$QUIRE" -t apkg -o "$tmp/$1" "$tmp/$1/notes.md" 2>&1; }
msg=$(summary split)
if [ "$(echo "$msg" | grep -c 'apkg-reworded')" -eq 1 ] && ! echo "$msg" | grep -q 'gone from the notes:' \
   && echo "$msg" | grep -q 'reworded: "Which third-party libraries are common for the web'; then
	ok "split: the first half keeps the note, the second is new, nothing gone"
else
	nok "split: the first half keeps the note, the second is new, nothing gone" "$(echo "$msg" | grep apkg- | head -3)"
fi
check "merge builds" edit merge '
c, d, e = t.index("### 3. Difference between"), t.index("### 4. What is __all__"), t.index("### 5.")
first = t.index("\n", c)
second = t.index("\n", d)
t = (t[:c] + "### 3. How do import styles differ, and what is __all__?" + t[first:d]
     + t[second + 1:e] + t[e:])'
msg=$(summary merge)
if [ "$(echo "$msg" | grep -c 'apkg-reworded')" -eq 1 ] && [ "$(echo "$msg" | grep -c 'gone from the notes:')" -eq 1 ] \
   && echo "$msg" | grep -q 'gone from the notes: "What is __all__'; then
	ok "merge: one keeps its note, the other is listed as gone"
else
	nok "merge: one keeps its note, the other is listed as gone" "$(echo "$msg" | grep apkg- | head -3)"
fi
check "lines moved (blank lines at the top) builds" edit top '
t = "\n\n\n" + t'
check "lines moved: same guids" insp same_guids "$tmp/first.apkg" "$tmp/top/notes.apkg"
check "lines moved: no note newer" insp changed "$tmp/first.apkg" "$tmp/top/notes.apkg" 0

# ---- the sample notes in input/ ----------------------------------------
for f in input/*.md; do
	[ -f "$f" ] || continue
	n=$(basename "${f%.md}")
	mkdir -p "$tmp/in"
	check "input/$n.md builds" "$QUIRE" -q -t apkg -o "$tmp/in" "$f"
	deck_checks "input/$n" "$f" "$tmp/in/$n.apkg"
done

# ---- options ---------------------------------------------------------------
printf '.card { font-size: 21px; } /* my-card-style */\n' >"$tmp/my.css"
check "--card-style replaces cards.css" sh -c "\"$QUIRE\" -q -t apkg --card-style \"$tmp/my.css\" -o \"$tmp/opt\" \"$tmp/src/notes.md\" && $PY \"$tmp/inspect.py\" css_has \"$tmp/opt/notes.apkg\" my-card-style && $PY \"$tmp/inspect.py\" css_has \"$tmp/opt/notes.apkg\" 'pre.code .kw'"
check "--deck sets the top deck" sh -c "\"$QUIRE\" -q -t apkg --deck 'Lang::Py' -o \"$tmp/opt\" \"$tmp/src/notes.md\" && $PY \"$tmp/inspect.py\" decks_start \"$tmp/opt/notes.apkg\" 'Lang::Py'"

# the deck's options from the notes' front matter (reversed:, cloze:,
# tag-sections:), and the command line winning over them: two term
# cards (:::, read as flashcards with the tag), one highlight, one
# question, all in Biology > Cells
printf '%s\n' '---' 'title: Front matter' 'tags: [flashcards]' 'reversed: true' 'cloze: marked' 'tag-sections: true' '---' '' \
	'# Biology' '' '## Cells' '' 'Mitochondrion:::the powerhouse of the cell' '' \
	'Ribosome:::the protein factory' '' 'The <mark>nucleus</mark> holds the DNA.' '' \
	'### What is a ribosome made of?' '' 'RNA and proteins.' >"$tmp/src/fm.md"
sed -e '/^reversed:/d' -e '/^cloze:/d' -e '/^tag-sections:/d' "$tmp/src/fm.md" >"$tmp/src/plain.md"
check "front matter: plain notes (no Reverse cards, flashcards-tagged highlights are clozes)" \
	sh -c "\"$QUIRE\" -q -t apkg -o \"$tmp/fm\" \"$tmp/src/plain.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm/plain.apkg\" 'reverse=0 cloze=1 section-tags=0'"
check "front matter: reversed: true, cloze: marked, tag-sections: true" \
	sh -c "\"$QUIRE\" -q -t apkg -o \"$tmp/fm\" \"$tmp/src/fm.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm/fm.apkg\" 'reverse=2 cloze=0 section-tags=3'"
check "front matter: --cloze highlight wins over cloze: marked" \
	sh -c "\"$QUIRE\" -q -t apkg --cloze highlight -o \"$tmp/fm2\" \"$tmp/src/fm.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm2/fm.apkg\" 'reverse=2 cloze=1 section-tags=4'"
check "front matter: --metadata reversed=false wins over reversed: true" \
	sh -c "\"$QUIRE\" -q -t apkg --metadata reversed=false -o \"$tmp/fm3\" \"$tmp/src/fm.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm3/fm.apkg\" 'reverse=0 cloze=0 section-tags=3'"
# Obsidian Spaced Repetition's tag with a deck (#flashcards/biology), in
# the text or the front matter, is the tag; #flashcardsX is not
sed 's|^tags: \[flashcards\]|tags: [flashcards/biology]|' "$tmp/src/plain.md" >"$tmp/src/subdeck.md"
sed -e 's|^tags: \[flashcards\]|tags: [biology]|' -e 's|^## Cells|## Cells\n\n#flashcards/biology|' "$tmp/src/plain.md" >"$tmp/src/inline.md"
sed -e 's|^tags: \[flashcards\]|tags: [biology]|' -e 's|^## Cells|## Cells\n\n#flashcardsX|' "$tmp/src/plain.md" >"$tmp/src/other.md"
check "#flashcards/DECK in the front matter: highlights are clozes" \
	sh -c "\"$QUIRE\" -q -t apkg -o \"$tmp/fm5\" \"$tmp/src/subdeck.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm5/subdeck.apkg\" 'reverse=0 cloze=1 section-tags=0'"
check "#flashcards/DECK in the text: highlights are clozes" \
	sh -c "\"$QUIRE\" -q -t apkg -o \"$tmp/fm5\" \"$tmp/src/inline.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm5/inline.apkg\" 'reverse=0 cloze=1 section-tags=0'"
check "#flashcardsX is not the tag: highlights stay marks" \
	sh -c "\"$QUIRE\" -q -t apkg -o \"$tmp/fm5\" \"$tmp/src/other.md\" && $PY \"$tmp/inspect.py\" shape \"$tmp/fm5/other.apkg\" 'reverse=0 cloze=0 section-tags=0'"
sed 's/^cloze: marked/cloze: sometimes/' "$tmp/src/fm.md" >"$tmp/src/badfm.md"
msg=$("$QUIRE" -t apkg -o "$tmp/fm4" "$tmp/src/badfm.md" 2>&1)
echo "$msg" | grep -q "badfm.md:5:1: error: front matter key 'cloze' must be auto, marked or highlight, not 'sometimes'" \
	&& ok "front matter: a bad cloze: is an error naming its line" \
	|| nok "front matter: a bad cloze: is an error naming its line" "$(echo "$msg" | head -2)"

# #tags after a question are the note's tags, out of its front; a word
# that a question asks about (`Explain #pragma`) stays
printf '# Tags\n\n### What is a cell? #biology #ch-2\n\nA unit of life.\n\n### Explain #pragma\n\nA directive.\n' >"$tmp/src/tags.md"
"$QUIRE" -q -t apkg -o "$tmp/tg" "$tmp/src/tags.md" >/dev/null 2>&1
got=$(cd "$tmp/tg" && $PY -c "
import sqlite3, sys, tempfile, zipfile
d = tempfile.mkdtemp(); zipfile.ZipFile('tags.apkg').extract('collection.anki2', d)
for tags, sfld in sqlite3.connect(d + '/collection.anki2').execute('SELECT tags, sfld FROM notes ORDER BY sfld'):
    print(repr(tags), sfld)")
[ "$got" = "$(printf "%s\n%s" "'' Explain #pragma" "' biology ch-2 ' What is a cell?")" ] \
	&& ok "#tags after a question: the note's tags, not its front" \
	|| nok "#tags after a question: the note's tags, not its front" "$(echo "$got" | tr '\n' '|')"

# ---- hostile notes -------------------------------------------------------
printf '# Evil\n\n## What is {{Answer}} and </div><script>alert(1)</script>?\n\nIt is \037 <img src=x onerror=alert(1)> [sound:x.mp3] {{#Source}}.\n\n```html\n<script>alert(2)</script>\n```\n\n## Why does javascript:alert(3) stay text?\n\nBecause [link](javascript:alert(4)).\n' >"$tmp/src/evil.md"
check "hostile notes build" "$QUIRE" -q -t apkg -o "$tmp/e" "$tmp/src/evil.md"
check "hostile notes: fields intact, nothing runs" insp notes "$tmp/e/evil.apkg"
check "hostile notes: text kept visible" insp field_has "$tmp/e/evil.apkg" "What is%" "alert(1)"
printf '# Links\n\n## What links here?\n\nSee [the Q&A page](https://example.org/?a=1&b=2 "Q&A title") and <a href="&#x66;ile:///etc/passwd">a file</a> or <a href="&#x73;mb://evil/share">a share</a>.\n' >"$tmp/src/links.md"
check "links build" "$QUIRE" -q -t apkg -o "$tmp/e" "$tmp/src/links.md"
check "a link whose title has & stays a link" insp field_has "$tmp/e/links.apkg" "What links%" \
	'<a href="https://example.org/?a=1&amp;b=2" title="Q&amp;A title">'
check "no live file: or smb: link" insp no_live_link "$tmp/e/links.apkg"

# ---- failures are clean ------------------------------------------------------
mkdir -p "$tmp/f/notes.apkg"          # a folder where the deck should go
"$QUIRE" -q -t apkg -o "$tmp/f" "$tmp/src/notes.md" >/dev/null 2>&1
rc=$?
left=$(find "$tmp/f" -mindepth 1 ! -path "$tmp/f/notes.apkg" | wc -l)
if [ $rc -eq 3 ] && [ "$left" -eq 0 ]; then ok "unwritable output: exit 3, nothing left"
else nok "unwritable output: exit 3, nothing left" "exit $rc, $left stray files"; fi
mkdir -p "$tmp/g"
"$QUIRE" -q -t apkg --card-style "$tmp/none.css" -o "$tmp/g" "$tmp/src/notes.md" >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ] && [ -z "$(ls -A "$tmp/g")" ]; then ok "missing card style: exit 2 (usage), no deck"
else nok "missing card style: exit 2 (usage), no deck" "exit $rc: $(ls "$tmp/g")"; fi
mkdir -p "$tmp/h"
echo "not a zip" >"$tmp/h/notes.apkg"
msg=$("$QUIRE" -t apkg -o "$tmp/h" "$tmp/src/notes.md" 2>&1)
rc=$?
if [ $rc -eq 0 ] && echo "$msg" | grep -q 'apkg-previous' && insp count "$tmp/h/notes.apkg" 463 >/dev/null
then ok "unreadable previous deck: warning, good deck"
else nok "unreadable previous deck: warning, good deck" "exit $rc"; fi

# ---- a hostile file where the previous deck should be -----------------------
# each is refused with a warning, in seconds and a little memory, and a
# good deck is written in its place
hostile() { # hostile LABEL SETUP: SETUP makes $tmp/hx/notes.apkg
	rm -rf "$tmp/hx"
	mkdir -p "$tmp/hx"
	cp input/clean-markdown-notes.md "$tmp/hx/notes.md"
	eval "$2" || { nok "$1" "setup failed"; return; }
	rss=0
	if [ -x /usr/bin/time ]; then
		msg=$(timeout 20 /usr/bin/time -f 'rss=%M' "$QUIRE" -t apkg -o "$tmp/hx" "$tmp/hx/notes.md" 2>&1)
		rc=$?
		rss=$(echo "$msg" | sed -n 's/^rss=//p')
	else
		msg=$(timeout 20 "$QUIRE" -t apkg -o "$tmp/hx" "$tmp/hx/notes.md" 2>&1)
		rc=$?
	fi
	if [ $rc -eq 0 ] && echo "$msg" | grep -q 'apkg-previous' && [ -f "$tmp/hx/notes.apkg" ] \
	   && [ ! -L "$tmp/hx/notes.apkg" ] && [ "${rss:-0}" -lt 200000 ] \
	   && insp count "$tmp/hx/notes.apkg" "$(keys_of "$tmp/hx/notes.md")" >/dev/null; then
		ok "$1"
	else
		nok "$1" "exit $rc, ${rss}KB: $(echo "$msg" | grep -m1 -E 'apkg-previous|error')"
	fi
}
HD="$PY tests/e2e/hostile-deck.py"
hostile "previous deck: a notes view with a recursive query" "$HD recursive-view \"\$tmp/hx/notes.apkg\""
hostile "previous deck: a view of 3,000 guids of 1 MB" "$HD huge-guid-view \"\$tmp/hx/notes.apkg\""
hostile "previous deck: a table of 100 guids of 1 MB" "$HD huge-guid-table \"\$tmp/hx/notes.apkg\""
hostile "previous deck: a 1 MB zip bomb of 1 GB" "$HD bomb \"\$tmp/hx/notes.apkg\""
hostile "previous deck: a FIFO" "mkfifo \"\$tmp/hx/notes.apkg\""
hostile "previous deck: a link to /dev/zero" "ln -s /dev/zero \"\$tmp/hx/notes.apkg\""

# ---- libzip (and the libcrypto it brings) only where a zip is made -----------
# the program and the PDF module do not load it, so a run that writes no
# deck and no EPUB does not pay for it (see README, Dependencies)
lib=$(dirname "$QUIRE")/build/lib
[ -d "$lib" ] || lib=$(dirname "$QUIRE")/lib
if [ -f "$lib/quire-apkg.so" ]; then
	zipped=$(ldd "$lib/quire-apkg.so" "$lib/quire-epub.so" | grep -c 'libzip')
	extra=$(ldd "$QUIRE" "$lib/quire-pdf.so" 2>/dev/null | grep -E 'libzip|libcrypto|libsqlite' | tr -d '\t' | tr '\n' ' ')
	[ "$zipped" -eq 2 ] && ok "epub and apkg modules use libzip" || nok "epub and apkg modules use libzip" "$zipped"
	[ -z "$extra" ] && ok "the program and the pdf module load no libzip or SQLite" || nok "the program or the pdf module load more" "$extra"
else
	nok "modules found beside $QUIRE" "no $lib/quire-apkg.so"
fi
