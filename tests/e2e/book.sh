#!/bin/sh
# book.sh - a course kept as one notes file per lecture is one book: a
# folder (or --book NAME with files) gives one booklet, one EPUB and one
# deck; each file a part, in natural order for a folder (lecture-2 before
# lecture-10) and in the order given for files; the folder's quire.yaml is
# the book's metadata; the deck has a subdeck per part whose Source names
# the part's own file; a note keeps its identity (GUID) when its file
# moves into a book; a bad quire.yaml or an empty folder stops before
# anything is written. One "ok"/"not ok" line each.
NAME=book
. "$(dirname "$0")/lib.sh"

c=$tmp/course
mkdir -p "$c"
printf 'title: Networks Course\nauthor: A. Teacher\n' >"$c/quire.yaml"
printf '# Lecture 10: Routing\n\n### What is BGP?\n\nA routing protocol.\n' >"$c/lecture-10.md"
printf '# Lecture 2: Links\n\n### What is a frame?\n\nA unit on a link.\n' >"$c/lecture-2.md"
printf '# Lecture 1: Basics\n\n### What is a packet?\n\nA unit of data.\n' >"$c/lecture-1.md"

run 0 "a folder builds" -q -o "$tmp/o" "$c"
if [ -f "$tmp/o/course.pdf" ] && [ -f "$tmp/o/course.epub" ] && [ -f "$tmp/o/course.apkg" ] \
	&& [ "$(ls "$tmp/o" | wc -l)" = 3 ]; then
	ok "one booklet, one EPUB and one deck, named after the folder"
else
	nok "one booklet, one EPUB and one deck, named after the folder" "$(ls "$tmp/o" | tr '\n' ' ')"
fi
# each file once on its own, to compare its deck with the book's
for n in 1 2 10; do
	"$QUIRE" -q -t apkg -o "$tmp/alone" "$c/lecture-$n.md" 2>>"$tmp/err.alone" \
		|| nok "lecture-$n.md builds alone" "$(head -c 300 "$tmp/err.alone")"
done

python3 - "$tmp" <<'EOF_PY'
import json, os, re, sqlite3, subprocess, sys, tempfile, zipfile
tmp = sys.argv[1]
o = os.path.join(tmp, "o")

def say(good, name, why=""):
    print("ok - book: %s" % name if good else "not ok - book: %s: %s" % (name, why))

def deck(path):
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    f = tempfile.NamedTemporaryFile(suffix=".anki2", delete=False)
    f.write(data)
    f.close()
    db = sqlite3.connect(f.name)
    os.unlink(f.name)
    return db

def order(text, words):
    at = [text.find(w) for w in words]
    return all(a >= 0 for a in at) and at == sorted(at), at

# the booklet: parts in natural order, the book's title
txt = subprocess.run(["pdftotext", os.path.join(o, "course.pdf"), "-"],
                     capture_output=True, text=True).stdout
body = txt[txt.find("Contents"):] if "Contents" in txt else txt
good, at = order(body, ["Lecture 1: Basics", "Lecture 2: Links", "Lecture 10: Routing"])
say(good, "the booklet's parts in natural order", at)
say("Networks Course" in txt.split("Contents")[0], "the booklet's title from quire.yaml",
    txt[:200])

# the EPUB: the metadata of quire.yaml, the parts in order in the nav
with zipfile.ZipFile(os.path.join(o, "course.epub")) as z:
    opf = z.read("EPUB/package.opf").decode()
    nav = z.read("EPUB/nav.xhtml").decode()
say("<dc:title>Networks Course</dc:title>" in opf and "A. Teacher</dc:creator>" in opf,
    "the EPUB's title and author from quire.yaml", opf[:300])
good, at = order(nav, ["Lecture 1: Basics", "Lecture 2: Links", "Lecture 10: Routing"])
say(good, "the EPUB's parts in natural order", at)

# the deck: a top deck with a subdeck per part, Source naming the file
db = deck(os.path.join(o, "course.apkg"))
names = sorted(d["name"] for d in json.loads(db.execute("SELECT decks FROM col").fetchone()[0]).values())
want = ["Networks Course::Lecture 1: Basics", "Networks Course::Lecture 10: Routing",
        "Networks Course::Lecture 2: Links"]
say(all(w in names for w in want), "a subdeck per part", names)
rows = db.execute("SELECT n.flds, json_extract(c.decks, '$.\"' || k.did || '\".name')"
                  " FROM notes n JOIN cards k ON k.nid = n.id, col c").fetchall()
bgp = [r for r in rows if r[0].startswith("What is BGP?")]
say(len(rows) == 3 and len(bgp) == 1 and "lecture-10.md:3" in bgp[0][0]
    and bgp[0][1] == "Networks Course::Lecture 10: Routing",
    "a card in its part's subdeck, its Source the part's own file and line",
    [(r[0][:80], r[1]) for r in rows])
book = {g for (g,) in db.execute("SELECT guid FROM notes")}
alone = set()
for n in (1, 2, 10):
    alone |= {g for (g,) in deck(os.path.join(tmp, "alone", "lecture-%d.apkg" % n))
              .execute("SELECT guid FROM notes")}
say(len(alone) == 3 and alone == book,
    "a note keeps its GUID when its file moves into the book", (sorted(alone), sorted(book)))
EOF_PY

# --book NAME with files: the order given, the name given
run 0 "--book NAME with files builds" -q -t pdf -o "$tmp/o2" --book "Net course" \
	"$c/lecture-10.md" "$c/lecture-1.md"
if [ -f "$tmp/o2/Net course.pdf" ] || [ -f "$tmp/o2/Net-course.pdf" ] || [ -f "$tmp/o2/Net_course.pdf" ]; then
	f=$(ls "$tmp/o2"/*.pdf)
	t=$(pdftotext "$f" - 2>/dev/null | sed -n '/Contents/,$p' | tr '\n' ' ')
	case $t in
	*"Lecture 10: Routing"*"Lecture 1: Basics"*) ok "--book keeps the order given" ;;
	*) nok "--book keeps the order given" "$(printf '%s' "$t" | head -c 200)" ;;
	esac
else
	nok "--book NAME names the outputs" "$(ls "$tmp/o2" | tr '\n' ' ')"
fi

# --metadata sets the book's metadata, the parts keep their titles; the
# cover: of quire.yaml is read beside it
cp -r "$c" "$tmp/meta"
printf 'title: Networks Course\ncover: cover.png\n' >"$tmp/meta/quire.yaml"
python3 -c "
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
raw = b''.join(b'\\0' + b'\\x10\\x80\\x10' * 4 for _ in range(4))
open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))" "$tmp/meta/cover.png"
run 0 "--metadata with a folder builds" -q -t pdf,epub -o "$tmp/om" --metadata title="Net Book" \
	--metadata subtitle=Autumn "$tmp/meta"
pdfinfo "$tmp/om/meta.pdf" 2>/dev/null | grep -q '^Title: *Net Book$' && ok "--metadata title= is the book's title" \
	|| nok "--metadata title= is the book's title" "$(pdfinfo "$tmp/om/meta.pdf" 2>&1 | head -2)"
t=$(pdftotext "$tmp/om/meta.pdf" - 2>/dev/null | tr '\n' ' ')
case $t in
*Autumn*"Lecture 1: Basics"*"Lecture 2: Links"*) ok "--metadata: the book's subtitle, the parts' own titles" ;;
*) nok "--metadata: the book's subtitle, the parts' own titles" "$(printf '%s' "$t" | head -c 200)" ;;
esac
if unzip -p "$tmp/om/meta.epub" EPUB/package.opf | grep -q 'href="images/i0001.png" media-type="image/png" properties="cover-image"'; then
	ok "quire.yaml's cover: is the book's cover"
else
	nok "quire.yaml's cover: is the book's cover" "$(unzip -p "$tmp/om/meta.epub" EPUB/package.opf | grep -i cover)"
fi

# --questions names each part's file
"$QUIRE" -q --questions "$c" >"$tmp/q" 2>"$tmp/err"
if [ "$(cut -f1 "$tmp/q" | tr '\n' ' ')" = "$c/lecture-1.md:3 $c/lecture-2.md:3 $c/lecture-10.md:3 " ]; then
	ok "--questions names FILE:LINE in natural order"
else
	nok "--questions names FILE:LINE in natural order" "$(head -c 300 "$tmp/q")"
fi

# a bad quire.yaml: an error naming it, nothing written
cp -r "$c" "$tmp/bad"
printf 'title: [unclosed\n' >"$tmp/bad/quire.yaml"
run 1 "a bad quire.yaml is an error" -o "$tmp/o3" "$tmp/bad"
grep -q "quire.yaml:[0-9]*:[0-9]*: error:" "$tmp/err" && ok "the error names quire.yaml and its line" \
	|| nok "the error names quire.yaml and its line" "$(head -c 300 "$tmp/err")"
[ -z "$(ls -A "$tmp/o3" 2>/dev/null)" ] && ok "nothing is written after a bad quire.yaml" \
	|| nok "nothing is written after a bad quire.yaml" "$(ls "$tmp/o3" | tr '\n' ' ')"

# a folder without notes
mkdir "$tmp/empty"
run 2 "a folder without notes is refused" -o "$tmp/o4" "$tmp/empty"
[ ! -e "$tmp/o4" ] && ok "nothing is written for an empty folder" || nok "nothing is written for an empty folder"

# two files that would write the same outputs, without --book: an error first
mkdir -p "$tmp/a" "$tmp/b"
printf '# A\n\n### What is a?\n\nA.\n' >"$tmp/a/notes.md"
printf '# B\n\n### What is b?\n\nB.\n' >"$tmp/b/notes.md"
run 2 "two inputs with one output name are refused" -o "$tmp/o5" "$tmp/a/notes.md" "$tmp/b/notes.md"
[ -z "$(ls -A "$tmp/o5" 2>/dev/null)" ] && ok "nothing is written when output names clash" \
	|| nok "nothing is written when output names clash" "$(ls "$tmp/o5" | tr '\n' ' ')"
