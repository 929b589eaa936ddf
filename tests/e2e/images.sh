#!/bin/sh
# images.sh - the notes' images in the EPUB and the deck, and the fence
# around what may be read: a picture beside the notes (Markdown, HTML
# <img>, an Obsidian embed found by name anywhere in the vault) is in the
# EPUB's manifest with its media type and in the deck as one media file
# named after its content; a picture outside the notes' folder (../,
# an absolute path, file:, a symbolic link out) is refused with a
# file:line warning, and not one byte of it reaches the booklet, the EPUB
# or the deck, while its alt text is shown; --resource-path lets a named
# folder in. One "ok"/"not ok" line each.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
case $QUIRE in /*) ;; *) QUIRE=$PWD/$QUIRE ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

n=$tmp/vault/notes
mkdir -p "$n/img/deep" "$tmp/secret" "$tmp/shared"
python3 - "$n/img/red.png" "$n/img/deep/blue.png" "$tmp/secret/secret.png" "$tmp/shared/green.png" <<'EOF_PY'
import struct, sys, zlib
def png(path, rgb, marker):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"".join(b"\0" + bytes(rgb) * 4 for _ in range(3))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\0" + marker) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))
    open(path, "wb").write(data)
png(sys.argv[1], (255, 0, 0), b"RED-PICTURE")
png(sys.argv[2], (0, 0, 255), b"BLUE-PICTURE")
png(sys.argv[3], (0, 0, 0), b"SECRET-PICTURE")
png(sys.argv[4], (0, 255, 0), b"GREEN-PICTURE")
EOF_PY
ln -s "$tmp/secret/secret.png" "$n/img/link.png"
cat >"$n/pics.md" <<NOTES
# Pictures

## Inside

### What does red look like?

![a red square](img/red.png)

### What does red look like again?

<img src="img/red.png" alt="the same red square">

### What does blue look like?

![[blue.png]]

## Outside

### What is behind the parent folder?

![parent secret](../../secret/secret.png)

### What is at an absolute path?

![absolute secret]($tmp/secret/secret.png)

### What is behind a file URL?

![file secret](file://$tmp/secret/secret.png)

### What is behind a link?

![linked secret](img/link.png)

### What is in the shared folder?

![shared green]($tmp/shared/green.png)
NOTES

if "$QUIRE" -t pdf,epub,apkg -o "$tmp/o" "$n/pics.md" 2>"$tmp/err"; then
	echo "ok - images: notes with pictures build"
else
	echo "not ok - images: notes with pictures build: $(head -c 300 "$tmp/err")"
fi
"$QUIRE" -q -t epub,apkg -o "$tmp/o2" --resource-path "$tmp/shared" "$n/pics.md" 2>/dev/null

python3 - "$tmp" "$n/pics.md" <<'EOF_PY'
import json, os, re, sqlite3, subprocess, sys, tempfile, zipfile
tmp, notes = sys.argv[1], sys.argv[2]
o = os.path.join(tmp, "o")

def say(good, name, why=""):
    print("ok - images: %s" % name if good else "not ok - images: %s: %s" % (name, why))

err = open(os.path.join(tmp, "err"), encoding="utf-8").read()
lines = open(notes, encoding="utf-8").read().split("\n")
def line_of(text):
    return next(i + 1 for i, l in enumerate(lines) if text in l)
for alt in ("parent secret", "absolute secret", "file secret", "linked secret", "shared green"):
    at = "%s:%d:" % (notes, line_of(alt))
    say(any(l.startswith(at) and "warning" in l for l in err.split("\n")),
        "a warning names the line of the refused '%s'" % alt, err[:400])

# not a byte of a refused picture in any output
for ext in ("pdf", "epub", "apkg"):
    path = os.path.join(o, "pics." + ext)
    blobs = [open(path, "rb").read()]
    if ext != "pdf":
        with zipfile.ZipFile(path) as z:
            blobs += [z.read(m) for m in z.namelist()]
    say(not any(b"SECRET-PICTURE" in b or b"GREEN-PICTURE" in b for b in blobs),
        "nothing from outside the notes' folder in the %s" % ext)

# the EPUB: the pictures inside, in the manifest, alt text kept
with zipfile.ZipFile(os.path.join(o, "pics.epub")) as z:
    names = z.namelist()
    opf = z.read("EPUB/package.opf").decode()
    text = "".join(z.read(m).decode() for m in names if m.endswith(".xhtml"))
    pics = [m for m in names if m.startswith("EPUB/images/") and "cover" not in m]
    marks = [z.read(m) for m in pics]
say(len(pics) == 2 and any(b"RED-PICTURE" in m for m in marks) and any(b"BLUE-PICTURE" in m for m in marks),
    "the EPUB holds the red picture once and the blue one found by name", pics)
say(all(('href="%s"' % p[len("EPUB/"):]) in opf and "image/png" in opf for p in pics),
    "each picture is in the EPUB's manifest as image/png", opf[:400])
say('alt="a red square"' in text and 'alt="the same red square"' in text,
    "the EPUB keeps the alt text")
say("parent secret" in text and "linked secret" in text and "absolute secret" in text,
    "the EPUB shows a refused picture's alt text")

# the deck: one media file per picture, named after its content
def deck(path):
    z = zipfile.ZipFile(path)
    f = tempfile.NamedTemporaryFile(suffix=".anki2", delete=False)
    f.write(z.read("collection.anki2"))
    f.close()
    db = sqlite3.connect(f.name)
    os.unlink(f.name)
    return z, db
z, db = deck(os.path.join(o, "pics.apkg"))
media = json.loads(z.read("media"))
files = {k: z.read(k) for k in media}
say(len(media) == 2 and all(re.fullmatch(r"quire-[0-9a-f]{16}\.png", v) for v in media.values()),
    "the deck has two media files named after their content", media)
say(sorted(m for m in ("RED", "BLUE") if any(m.encode() + b"-PICTURE" in b for b in files.values()))
    == ["BLUE", "RED"], "the deck's media are the red and the blue picture")
flds = {r[0]: r[1] for r in db.execute("SELECT sfld, flds FROM notes")}
red = [v for k, v in flds.items() if k.startswith("What does red look like")]
names = {v: k for k, v in media.items()}
say(len(red) == 2 and all(re.search(r'<img src="(quire-[0-9a-f]{16}\.png)"', f) for f in red)
    and len({re.search(r'<img src="([^"]+)"', f).group(1) for f in red}) == 1,
    "both red cards show the one red media file", red)
behind = [v for k, v in flds.items() if "parent folder" in k]
say(behind and "<img" not in behind[0] and "parent secret" in behind[0],
    "a refused picture's card shows its alt text, no <img>", behind)

# --resource-path lets the named folder in
z2, db2 = deck(os.path.join(tmp, "o2", "pics.apkg"))
say(any(b"GREEN-PICTURE" in z2.read(k) for k in json.loads(z2.read("media"))),
    "--resource-path DIR lets a picture of DIR into the deck")
with zipfile.ZipFile(os.path.join(tmp, "o2", "pics.epub")) as e:
    say(any(b"GREEN-PICTURE" in e.read(m) for m in e.namelist() if m.startswith("EPUB/images/")),
        "--resource-path DIR lets a picture of DIR into the EPUB")
EOF_PY

# a rebuild with one picture changed: a new media file, the old one not kept
cp -r "$tmp/o" "$tmp/prev"
python3 - "$n/img/red.png" <<'EOF_PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
open(p, "wb").write(b.replace(b"RED-PICTURE", b"RED-PICTUR2"))
EOF_PY
"$QUIRE" -q -t apkg -o "$tmp/o" "$n/pics.md" 2>/dev/null   # over the previous deck
python3 - "$tmp/prev/pics.apkg" "$tmp/o/pics.apkg" <<'EOF_PY'
import json, sys, zipfile
a, b = (json.loads(zipfile.ZipFile(p).read("media")) for p in sys.argv[1:3])
va, vb = set(a.values()), set(b.values())
good = len(vb) == 2 and len(va & vb) == 1
print("ok - images: a changed picture is a new media file, an unchanged one the same"
      if good else "not ok - images: a changed picture is a new media file: %r %r" % (va, vb))
EOF_PY
