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
NAME=images
. "$(dirname "$0")/lib.sh"

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
	ok "notes with pictures build"
else
	nok "notes with pictures build" "$(head -c 300 "$tmp/err")"
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

# Every format in all three outputs (issue 12): a GIF (its first frame
# drawn), a WebP (still, and animated: its first frame), an SVG (drawn at
# 300 ppi, its natural size kept) and a JPEG and a PNG beside them; a
# broken GIF, WebP and SVG each warn (file:line) in each output and show
# their alt text; the EPUB passes epubcheck with its WebP's PNG twin.
f=$tmp/fmt
mkdir -p "$f"
cp tests/fixtures/images/chart.gif tests/fixtures/images/photo.webp tests/fixtures/images/anim.webp \
	tests/fixtures/images/diagram.svg "$f/"
python3 tests/fixtures/mkimage.py jpeg 64 48 "$f/photo.jpg" && python3 tests/fixtures/mkimage.py png 30 20 "$f/grad.png"
printf 'GIF89a\020\000\020\000\200\000\000not-a-picture' >"$f/broken.gif"
printf 'RIFF\040\000\000\000WEBPVP8 \024\000\000\000\000\000\000\235\001\052\020\000\020\000not-a-picture' >"$f/broken.webp"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect' >"$f/broken.svg"
cat >"$f/formats.md" <<'NOTES'
# Formats

## What does the chart show?

![Bar chart](chart.gif)

## What does the diagram show?

![Diagram of shapes](diagram.svg)

## What does the WebP show?

![WebP gradient](photo.webp)

## What does the animation show first?

![Animated WebP](anim.webp)

## What does the JPEG show?

![Blocky photograph](photo.jpg)

## What does the PNG show?

![PNG gradient](grad.png)

## What is broken?

![Broken GIF](broken.gif)

![Broken WebP](broken.webp)

![Broken SVG](broken.svg)
NOTES
"$QUIRE" -t pdf,epub,apkg -o "$f/o" "$f/formats.md" 2>"$f/err"
"$QUIRE" -q -t pdf -o "$f/again" "$f/formats.md" 2>/dev/null
pdfimages -list "$f/o/formats.pdf" >"$f/list" 2>&1
mkdir -p "$f/px" && pdfimages "$f/o/formats.pdf" "$f/px/i" 2>/dev/null
if cmp -s "$f/o/formats.pdf" "$f/again/formats.pdf"; then
	ok "a booklet with GIF, WebP and SVG figures is the same bytes twice"
else
	nok "a booklet with GIF, WebP and SVG figures is the same bytes twice" "differs"
fi

python3 - "$f" "$f/formats.md" "${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}" <<'EOF_PY'
import json, os, re, sqlite3, subprocess, sys, tempfile, zipfile
f, notes, jar = sys.argv[1:4]

def say(good, name, why=""):
    print("ok - images: %s" % name if good else "not ok - images: %s: %s" % (name, str(why)[:600]))

# pdfimages -list: page num type width height color comp bpc enc interp object ID x-ppi y-ppi
rows = [l.split() for l in open(os.path.join(f, "list")).read().split("\n")[2:] if l.strip()]
imgs = [(r[2], int(r[3]), int(r[4]), r[8], int(r[12])) for r in rows if len(r) > 13]
def has(kind, w, h, enc, ppi):
    return (kind, w, h, enc, ppi) in imgs
listing = open(os.path.join(f, "list")).read()
say(has("image", 48, 32, "image", 150) and has("smask", 48, 32, "image", 150),
    "pdfimages: the GIF at 150 ppi, its transparency as a soft mask", listing)
say(has("image", 625, 375, "image", 300) and has("smask", 625, 375, "image", 300),
    "pdfimages: the SVG of 200 x 120 CSS pixels drawn at 300 ppi (625 x 375), transparent around it", listing)
say(has("image", 40, 30, "image", 150) and has("image", 32, 24, "image", 150),
    "pdfimages: the still and the animated WebP at 150 ppi", listing)
say(has("image", 64, 48, "jpeg", 150) and has("image", 30, 20, "image", 150),
    "pdfimages: the JPEG (as it is) and the PNG beside them", listing)
say(len([i for i in imgs if i[0] == "image"]) == 6, "pdfimages: six pictures, none of the broken files", listing)

def ppm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    return w, h, {tuple(px[i:i + 3]) for i in range(0, 3 * w * h, 3)}
colours = {}
for name in sorted(os.listdir(os.path.join(f, "px"))):
    if name.endswith(".ppm"):
        w, h, c = ppm(os.path.join(f, "px", name))
        colours.setdefault((w, h), set()).update(c)
gif, anim, svg = colours.get((48, 32), set()), colours.get((32, 24), set()), colours.get((625, 375), set())
say((30, 60, 200) in gif and (220, 20, 20) not in gif,
    "the GIF's first frame is drawn (blue bars), not its second (red)", sorted(gif)[:8])
say(anim == {(20, 160, 60)}, "the animated WebP's first frame is drawn (green), not its second (red)", anim)
say((48, 96, 208) in svg and (208, 48, 48) in svg and (255, 243, 196) in svg,
    "the SVG's circle, triangle and fill are drawn in their colours", len(svg))

err = open(os.path.join(f, "err"), encoding="utf-8").read()
lines = open(notes, encoding="utf-8").read().split("\n")
for alt in ("Broken GIF", "Broken WebP", "Broken SVG"):
    at = "%s:%d:" % (notes, next(i + 1 for i, l in enumerate(lines) if alt in l))
    outs = [o for o in ("booklet", "EPUB", "Anki deck")
            if any(l.startswith(at) and "warning" in l and ("not in the %s" % o) in l for l in err.split("\n"))]
    say(len(outs) == 3, "'%s' warns with its file:line in the booklet, the EPUB and the deck" % alt, err)
say(err.count("warning") == 9, "no other warning", err)
text = subprocess.run(["pdftotext", os.path.join(f, "o", "formats.pdf"), "-"], capture_output=True, text=True).stdout
say(all(a in text for a in ("Broken GIF", "Broken WebP", "Broken SVG", "Bar chart", "Diagram of shapes")),
    "the booklet shows the broken files' alt text and the captions", text[-300:])

with zipfile.ZipFile(os.path.join(f, "o", "formats.epub")) as z:
    opf = z.read("EPUB/package.opf").decode()
    names = z.namelist()
    xhtml = "".join(z.read(m).decode() for m in names if m.endswith(".xhtml"))
    items = {m.group(1): m.group(0) for m in re.finditer(r'<item id="img\d+[^"]*" href="([^"]+)"[^>]*>', opf)}
    def kept(ext, media):
        return [h for h, i in items.items() if h.endswith("." + ext) and 'media-type="%s"' % media in i
                and "cover" not in h]
    say(len(kept("gif", "image/gif")) == 1 and len(kept("svg", "image/svg+xml")) == 1
        and len(kept("jpg", "image/jpeg")) == 1 and len(kept("webp", "image/webp")) == 2,
        "the EPUB's manifest lists the GIF, the SVG, the JPEG and both WebPs with their media types", opf)
    webp_ok = True
    for h in kept("webp", "image/webp"):
        fb = re.search(r'fallback="([^"]+)"', items[h])
        twin = fb and re.search(r'<item id="%s" href="([^"]+)" media-type="image/png"' % fb.group(1), opf)
        webp_ok = webp_ok and bool(twin) and ("EPUB/" + twin.group(1)) in names \
            and z.read("EPUB/" + twin.group(1)).startswith(b"\x89PNG")
    say(webp_ok, "each WebP in the EPUB has a PNG twin as its manifest fallback", opf)
    say(all(("EPUB/" + h) in names for h in items), "every manifest image is in the EPUB")
    say(all(z.read("EPUB/" + h) == open(os.path.join(f, src), "rb").read()
            for h, src in ((kept("gif", "image/gif")[0], "chart.gif"), (kept("svg", "image/svg+xml")[0], "diagram.svg")))
        and sorted(z.read("EPUB/" + h) for h in kept("webp", "image/webp"))
        == sorted(open(os.path.join(f, s), "rb").read() for s in ("photo.webp", "anim.webp")),
        "the EPUB carries the GIF, the SVG and the WebPs as they are")
    say(len(kept("gif", "image/gif")) + len(kept("svg", "image/svg+xml")) == 2
        and all(a in xhtml for a in ("Broken GIF", "Broken WebP", "Broken SVG")),
        "the EPUB holds no broken file and shows their alt text")

z = zipfile.ZipFile(os.path.join(f, "o", "formats.apkg"))
media = json.loads(z.read("media"))
exts = sorted(v.rsplit(".", 1)[1] for v in media.values())
say(exts == ["gif", "jpg", "png", "svg", "webp", "webp"], "the deck's media map holds each format once", media)
data = {v: z.read(k) for k, v in media.items()}
say(sorted(data.values()) == sorted(open(os.path.join(f, s), "rb").read() for s in
                                    ("chart.gif", "diagram.svg", "photo.webp", "anim.webp", "photo.jpg", "grad.png")),
    "the deck's media are the files as they are")
tmpdb = tempfile.NamedTemporaryFile(suffix=".anki2", delete=False)
tmpdb.write(z.read("collection.anki2"))
tmpdb.close()
flds = "\n".join(r[0] for r in sqlite3.connect(tmpdb.name).execute("SELECT flds FROM notes"))
os.unlink(tmpdb.name)
say(all('<img src="%s"' % v in flds for v in media.values()), "every card with a picture shows its media file", flds[:300])

# epubcheck 0/0
if os.path.exists(jar):
    r = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
                        os.path.join(f, "o", "formats.epub")], capture_output=True, text=True)
    out = r.stdout + r.stderr
    say("0 fatals / 0 errors / 0 warnings" in out, "epubcheck passes the EPUB with every format",
        "\n".join(l for l in out.split("\n") if re.match(r"(ERROR|FATAL|WARNING|Messages)", l)))
else:
    say(False, "epubcheck passes the EPUB with every format", jar + " missing (make deps-test)")
EOF_PY
