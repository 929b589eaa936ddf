#!/bin/sh
# pdf.sh - the PDF booklet judged by independent tools: qpdf --check,
# pdffonts (every font embedded and subset), pdftotext (99% of the words
# back, no mojibake, no word outside the page or the text block, emoji
# and symbols extractable), pdfinfo (sizes, pages), the outline and page
# labels (qpdf --json), imposition, determinism, images (pdfimages),
# and clean failures.
NAME=pdf
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH   # builds are the same bytes without it too

# Edge-case notes written here: every script, emoji above U+FFFF, a very
# long word, long code, a long table, accents in every face.
python3 - "$tmp" <<'PY'
import sys, os
d = sys.argv[1]
rows = "\n".join("| row %d | some words in a cell | %d |" % (i, i * i) for i in range(60))
code = "\n".join("    value_%d = compute(alpha, beta, gamma, delta)  # step %d of the long pipeline" % (i, i) for i in range(90))
text = f"""# Edge cases

## Scripts and symbols

### 1. Which symbols print?

Arrows → ↔ ⇒, checks ✅ ❌ ⚠️ ⚡, emoji 👉 🔹 🧵, Greek αβγ δέλτα, Cyrillic Жизнь,
CJK 中文字符测试和数据库, accents é É ü ñ š ò ó ŉ ₫ and **bold é É ü ñ š ò ó**,
*italic é ü ñ*, `mono é ü ñ ò ó`.

### 2. What about a very long word?

Supercalifragilisticexpialidociousandevenlongerwithoutanybreakingpointwhatsoeverintheword
ends here.

### 3. Does long code break across pages?

```python
{code}
```

### 4. Does a long table repeat its header?

| Name | Description | Square |
| --- | --- | ---: |
{rows}
"""
open(os.path.join(d, "edge.md"), "w").write(text)
open(os.path.join(d, "missing.md"), "w").write("# T\n\n### What is this?\n\nSinhala \u0d9e and \U00013000.\n")
open(os.path.join(d, "korean.md"), "w").write("# 데이터베이스\n\n### 독립성이란?\n\n**논리적 독립성**: 응용 프로그램과 데이터베이스를 독립시킨다.\n")
open(os.path.join(d, "roles.conf"), "w").write(
    "body = /nowhere/NoSuchSerif.ttf ; /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf\n"
    "bold = /nowhere/NoSuchBold.ttf\n")
PY

# judge NAME NOTES PDF: the acceptance checks on one booklet
judge() {
	name=$1 notes=$2 pdf=$3
	out=$(python3 - "$notes" "$pdf" <<'PY'
import re, subprocess, sys
notes, pdf = sys.argv[1], sys.argv[2]
src = open(notes, encoding="utf-8", errors="replace").read()
# visible words: markup of HTML blocks and fence info strings never print
src = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", src)
src = re.sub(r"<[^>\n]+>", " ", src)
src = re.sub(r"(?m)^(\s*)(```|~~~)\s*[\w+-]*", r"\1", src)
src = re.sub(r"\[![A-Za-z-]+\][-+]?", " ", src)   # a callout's kind
src = re.sub(r"(?<![\w:/]):[a-z0-9_+-]+:(?![\w:/])", " ", src)   # :emoji: shortcodes
WORD = re.compile(r"[A-Za-z0-9]{2,}")
import collections
def words(t):
    return collections.Counter(w.lower() for w in WORD.findall(t) if w.lower() != "answer")
bad = []
r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
if r.returncode != 0: bad.append("qpdf: " + (r.stdout + r.stderr)[-200:])
r = subprocess.run(["pdffonts", pdf], capture_output=True, text=True)
for l in r.stdout.splitlines()[2:]:
    f = l.split()
    if len(f) >= 5 and (f[-5] != "yes" or f[-4] != "yes"):
        bad.append("font not embedded+subset: " + f[0])
r = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True)
if "Syntax" in r.stderr: bad.append("pdftotext warns: " + r.stderr[:120])
text = re.sub(r"-\n(?=[a-z])", "", r.stdout)
want, got = words(src), words(text)
total = sum(want.values())
hit = sum(min(n, got[w]) for w, n in want.items())
rec = hit / total if total else 1.0
if rec < 0.99: bad.append("word recovery %.4f" % rec)
moj = re.compile('(\uf8ff|\u201a\u00c4|\u201a\u00fa|\u00c3[\u00a0-\u00bf]|\u00e2\u20ac)')
if moj.search(text): bad.append("mojibake")
r = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
pw, ph = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", r.stdout).groups())
r = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True)
off = 0
for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"', r.stdout):
    x0, y0, x1, y1 = map(float, m.groups())
    # 13 mm is the narrowest margin of the default style (A5 outer)
    if x0 < 36.8 - 0.5 or x1 > pw - 36.8 + 0.5 or y0 < 0 or y1 > ph:
        off += 1
if off: bad.append("%d words outside the text block" % off)
print("; ".join(bad) if bad else "OK %.4f" % rec)
PY
)
	case "$out" in
	OK*) ok "$name: qpdf, fonts, words ${out#OK }, no mojibake, inside the block" ;;
	*) nok "$name" "$out" ;;
	esac
}

# The first processor this shell may use: a build limited to it has no
# thread beside the drawing one (finished pages are deflated in turn)
# and must give the same bytes.
one_cpu=$(taskset -cp $$ 2>/dev/null | sed -n 's/.*: *\([0-9]*\).*/\1/p')
[ -n "$one_cpu" ] || echo "# skip one-processor builds: no taskset"

inputs="$tmp/edge.md"
for f in input/*.md tests/corpus/python-fastapi-notes.md; do
	[ -f "$f" ] && inputs="$inputs $f"
done
for f in $inputs; do
	stem=$(basename "$f" .md)
	if "$QUIRE" -q -t pdf -o "$tmp/a" "$f" 2>"$tmp/err" && [ -f "$tmp/a/$stem.pdf" ]; then
		judge "$stem" "$f" "$tmp/a/$stem.pdf"
		"$QUIRE" -q -t pdf -o "$tmp/b" "$f" 2>/dev/null
		if cmp -s "$tmp/a/$stem.pdf" "$tmp/b/$stem.pdf"; then
			ok "$stem: two builds are byte-identical"
		else
			nok "$stem" "two builds differ"
		fi
		if [ -n "$one_cpu" ]; then
			taskset -c "$one_cpu" "$QUIRE" -q -t pdf -o "$tmp/c" "$f" 2>/dev/null
			if cmp -s "$tmp/a/$stem.pdf" "$tmp/c/$stem.pdf"; then
				ok "$stem: the same bytes on one processor"
			else
				nok "$stem" "the build on one processor differs"
			fi
		fi
	else
		nok "$stem" "quire failed: $(head -c 300 "$tmp/err")"
	fi
done

# Everything reaches the page: symbols and emoji come back from the text.
t=$(pdftotext "$tmp/a/edge.pdf" - 2>/dev/null)
missing=""
for c in → ↔ ⇒ ✅ ❌ ⚠ ⚡ 👉 🔹 🧵 α Ж 中 数据库 é š ò ŉ ₫; do
	case "$t" in *"$c"*) ;; *) missing="$missing $c" ;; esac
done
[ -z "$missing" ] && ok "every symbol, emoji and script is extractable" ||
	nok "every symbol, emoji and script is extractable" "missing:$missing"

# The long table repeats its header on each page it spans.
heads=$(pdftotext "$tmp/a/edge.pdf" - | grep -c "^Name$")
[ "$heads" -ge 2 ] && ok "table header repeated after a page break ($heads)" ||
	nok "table header repeated after a page break" "found $heads"

# Outline, page labels, links (the corpus when present, else the sample
# notes of input/, which have sections, questions and links too).
main="$tmp/a/data-engineering-notes.pdf"
[ -f "$tmp/a/python-fastapi-notes.pdf" ] && main="$tmp/a/python-fastapi-notes.pdf"
python3 - "$main" <<'PY'
import json, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True, text=True).stdout)
def count(items):
    return sum(1 + count(i.get("kids", [])) for i in items)
n = count(j.get("outlines", []))
print(("ok" if n >= 10 else "not ok") + " - outline of sections and questions (%d entries)" % n)
labels = [l for l in j.get("pagelabels", [])]
styles = [l["label"].get("/S") for l in labels]
print(("ok" if styles[:2] == ["/r", "/D"] else "not ok") + " - page labels roman then arabic: %s" % styles)
raw = json.dumps(j)
annots = raw.count('"/Subtype": "/Link"')
print(("ok" if annots >= 5 else "not ok") + " - linked contents and links (%d link annotations)" % annots)
PY

# Paper sizes and imposition.
"$QUIRE" -q -t pdf --paper a4 -o "$tmp/a4" "$tmp/edge.md"
pdfinfo "$tmp/a4/edge.pdf" | grep -q "595.28 x 841.89" && ok "--paper a4" || nok "--paper a4" "wrong size"
"$QUIRE" -q -t pdf --paper letter -o "$tmp/lt" "$tmp/edge.md"
pdfinfo "$tmp/lt/edge.pdf" | grep -q "612 x 792" && ok "--paper letter" || nok "--paper letter" "wrong size"
"$QUIRE" -q -t pdf --impose -o "$tmp/im" "$tmp/edge.md"
n=$(pdfinfo "$tmp/im/edge.pdf" | sed -n 's/^Pages: *//p')
s=$(pdfinfo "$tmp/im/edge-print.pdf" | sed -n 's/^Pages: *//p')
want=$(( (n + 3) / 4 * 2 ))
if [ "$s" = "$want" ] && pdfinfo "$tmp/im/edge-print.pdf" | grep -q "841.89 x 595.28" &&
	qpdf --check "$tmp/im/edge-print.pdf" >/dev/null 2>&1; then
	ok "--impose: $n pages on $s A4 landscape sides"
else
	nok "--impose" "$n pages gave $s sides (want $want)"
fi
# the first side holds the last (blank) page and the title page, the
# second the contents: the fold order of a saddle-stitched booklet
first=$(pdftotext -f 1 -l 1 "$tmp/im/edge-print.pdf" -)
second=$(pdftotext -f 2 -l 2 "$tmp/im/edge-print.pdf" -)
case "$first" in *"Edge cases"*)
	case "$second" in *Contents*) ok "--impose: title and contents on the first sheet" ;;
	*) nok "--impose: contents on the back of the first sheet" "$(echo "$second" | head -c 100)" ;; esac ;;
*) nok "--impose: title page on the first sheet" "$(echo "$first" | head -c 100)" ;; esac

# A4 pages impose on A3 sheets at their own size (not shrunk onto A4).
"$QUIRE" -q -t pdf --paper a4 --impose -o "$tmp/ima4" "$tmp/edge.md"
if pdfinfo "$tmp/ima4/edge-print.pdf" | grep -q "1190.55 x 841.89"; then
	ok "--paper a4 --impose: A4 pages on A3 sheets"
else
	nok "--paper a4 --impose" "$(pdfinfo "$tmp/ima4/edge-print.pdf" | grep 'Page size')"
fi

# Characters no font has are reported, never dropped silently.
"$QUIRE" -t pdf -o "$tmp/m" "$tmp/missing.md" 2>"$tmp/err"
if grep -q "U+0D9E" "$tmp/err" && grep -q "U+13000" "$tmp/err" && grep -q "no-glyph" "$tmp/err"; then
	ok "characters no font has are warned about"
else
	nok "characters no font has are warned about" "$(head -c 300 "$tmp/err")"
fi

# Korean syllables, which the CJK font lacks, print in the hangul role's
# font (Nanum Gothic), bold ones too: no box, no warning.
"$QUIRE" -t pdf -o "$tmp/ko" "$tmp/korean.md" 2>"$tmp/err"
if ! grep -q "no-glyph" "$tmp/err" && pdffonts "$tmp/ko/korean.pdf" | grep -q "NanumGothic" &&
	pdftotext "$tmp/ko/korean.pdf" - | grep -q "논리적 독립성"; then
	ok "Korean prints in the hangul font"
else
	nok "Korean prints in the hangul font" "$(head -c 300 "$tmp/err")"
fi

# A missing font file names the font and the role and falls back.
"$QUIRE" -t pdf --fonts "$tmp/roles.conf" -o "$tmp/f" "$tmp/edge.md" 2>"$tmp/err"
if [ -f "$tmp/f/edge.pdf" ] && grep -q "'body'.*NoSuchSerif.ttf" "$tmp/err" &&
	grep -q "'bold'" "$tmp/err"; then
	ok "missing font file: warning names font and role, booklet still written"
else
	nok "missing font file" "$(head -c 300 "$tmp/err")"
fi

# A booklet longer than one PDF holds (libharu: 32,767 pages) is written
# as volumes with a warning; QUIRE_PDF_VOLUME_PAGES lowers the limit so
# that this runs in a second.
QUIRE_PDF_VOLUME_PAGES=4 "$QUIRE" -t pdf -o "$tmp/vol" "$tmp/edge.md" 2>"$tmp/err"
rc=$? total=0 nvol=0 good=1
for v in "$tmp"/vol/edge-*.pdf; do
	[ -f "$v" ] || continue
	nvol=$((nvol + 1))
	p=$(pdfinfo "$v" 2>/dev/null | sed -n 's/^Pages: *//p')
	total=$((total + ${p:-0}))
	qpdf --check "$v" >/dev/null 2>&1 || good=0
done
single=$(pdfinfo "$tmp/im/edge.pdf" | sed -n 's/^Pages: *//p')
if [ $rc -eq 0 ] && [ $good -eq 1 ] && [ "$nvol" -gt 1 ] && [ "$total" = "$single" ] &&
	[ ! -e "$tmp/vol/edge.pdf" ] && grep -q "volumes, edge-1.pdf to edge-$nvol.pdf" "$tmp/err"; then
	ok "a booklet over the page limit: $nvol volumes of $total pages, with a warning"
else
	nok "a booklet over the page limit is split into volumes" "rc=$rc volumes=$nvol pages=$total/$single $(head -c 200 "$tmp/err")"
fi

# The notes' language: /Lang in the catalog; a language with no
# hyphenation dictionary is a warning and a ragged-right booklet.
"$QUIRE" -q -t pdf --lang de -o "$tmp/de" "$tmp/edge.md"
if qpdf --show-object=1 "$tmp/de/edge.pdf" 2>/dev/null | grep -q "/Lang (de)"; then
	ok "/Lang from the notes' language"
else
	nok "/Lang from the notes' language" "$(qpdf --show-object=1 "$tmp/de/edge.pdf" 2>&1 | head -c 200)"
fi
"$QUIRE" -t pdf --lang tlh -o "$tmp/tlh" "$tmp/edge.md" 2>"$tmp/err"
if [ -f "$tmp/tlh/edge.pdf" ] && grep -q "no hyphenation dictionary for the language 'tlh'.*ragged" "$tmp/err"; then
	ok "a language without a hyphenation dictionary warns and sets ragged"
else
	nok "a language without a hyphenation dictionary warns" "$(head -c 300 "$tmp/err")"
fi
"$QUIRE" -t pdf --lang tr -o "$tmp/tr" "$tmp/edge.md" 2>"$tmp/err"
if grep -q "language 'tr' (Debian has none)" "$tmp/err" && ! grep -q "hyphen-tr" "$tmp/err"; then
	ok "a language Debian has no dictionary of names no package"
else
	nok "a language Debian has no dictionary of names no package" "$(head -c 300 "$tmp/err")"
fi
"$QUIRE" -t pdf --lang vi -o "$tmp/vi" "$tmp/edge.md" 2>"$tmp/err"
if [ -f "$tmp/vi/edge.pdf" ] && ! grep -q "hyphenation" "$tmp/err"; then
	ok "Vietnamese (one syllable a word) needs no hyphenation dictionary"
else
	nok "Vietnamese needs no hyphenation dictionary" "$(head -c 300 "$tmp/err")"
fi

# Right-to-left running heads (issue 15): a title that fits is the head
# whole, one that does not is cut at a character with "…" at its logical
# end (the pages after the title page; the PDF has Arabic presentation
# forms, compared after NFKC), and the heads stay inside the text block.
mkdir -p "$tmp/rtl"
cat >"$tmp/rtl/ar.md" <<'EOF'
# مقدمة في تاريخ الحضارة العربية

## ما هي عاصمة الدولة العباسية؟

بغداد.
EOF
cat >"$tmp/rtl/he.md" <<'EOF'
# הערות לימוד מפורטות על ההיסטוריה של ירושלים בתקופת בית המקדש השני מימי שיבת ציון ועד החורבן בידי הרומאים

## מי בנה את בית המקדש השני?

זרובבל.
EOF
"$QUIRE" -q -t pdf -o "$tmp/rtl" "$tmp/rtl/ar.md" "$tmp/rtl/he.md" 2>"$tmp/err"
if out=$(python3 - "$tmp/rtl" <<'PY'
import re, subprocess, sys, unicodedata
d = sys.argv[1]
def after_title_page(stem):
    t = subprocess.run(["pdftotext", "-f", "2", "-enc", "UTF-8", "%s/%s.pdf" % (d, stem), "-"],
                       capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", re.sub("[\u200e\u200f\u202a-\u202e]", "", t))
def title(stem):
    return open("%s/%s.md" % (d, stem), encoding="utf-8").readline()[2:].strip()
bad = []
if title("ar") not in after_title_page("ar"):
    bad.append("ar: no whole title: %r" % after_title_page("ar")[:80])
t, h = title("he"), after_title_page("he")
m = re.search(r"(\S[^\n]*)\.\.\.", h)   # NFKC: "\u2026" is "..."
if not m or not t.startswith(m.group(1)) or len(m.group(1)) < len(t) // 3:
    bad.append("he: no shortened title: %r" % h[:80])
print("; ".join(bad))
sys.exit(1 if bad else 0)
PY
); then
	ok "right-to-left running heads: an Arabic title whole, a long Hebrew one shortened"
else
	nok "right-to-left running heads" "$out $(head -c 200 "$tmp/err")"
fi
[ -f "$tmp/rtl/ar.pdf" ] && judge rtl-head "$tmp/rtl/ar.md" "$tmp/rtl/ar.pdf"

# Images (issue 12): PNG and JPEG figures at 150 ppi, one XObject per
# file, captions from the alt text, a page-high picture within the
# margins, an interlaced PNG with alpha, and warnings for what the
# booklet cannot draw (a GIF without a picture, a broken file) with the
# alt text shown.
mkdir -p "$tmp/img"
mk=tests/fixtures/mkimage.py
python3 $mk png 120 90 "$tmp/img/grad.png" && python3 $mk jpeg 64 48 "$tmp/img/photo.jpg" &&
python3 $mk png 2000 3000 "$tmp/img/tall.png" && python3 $mk png 60 40 "$tmp/img/il.png" interlace alpha
printf 'GIF89a\020\000\020\000\000\000\000;' >"$tmp/img/anim.gif"
printf 'not a picture' >"$tmp/img/broken.png"
cat >"$tmp/img/pics.md" <<'EOF'
# Pictures

## What does the gradient show?

![Gradient of red and green](grad.png)

## Is the same file used twice?

Here it is in a sentence: ![the gradient again](grad.png) and more words.

## And a photograph?

![Blocky photograph](photo.jpg)

## A tall one?

![Taller than the page](tall.png)

## Transparent?

![Interlaced with alpha](il.png)

## What cannot be drawn?

![Animated picture](anim.gif)

![Broken picture](broken.png)
EOF
SOURCE_DATE_EPOCH=1700000000 "$QUIRE" -t pdf --impose -o "$tmp/img/out" "$tmp/img/pics.md" 2>"$tmp/img/err"
SOURCE_DATE_EPOCH=1700000000 "$QUIRE" -q -t pdf -o "$tmp/img/again" "$tmp/img/pics.md" 2>/dev/null
pdf=$tmp/img/out/pics.pdf
pdfimages -list "$pdf" >"$tmp/img/list" 2>&1
if qpdf --check "$pdf" >/dev/null 2>&1 && qpdf --check "$tmp/img/out/pics-print.pdf" >/dev/null 2>&1; then
	ok "a booklet with images passes qpdf --check (and its imposed sheets)"
else
	nok "a booklet with images passes qpdf --check" "$(qpdf --check "$pdf" 2>&1 | tail -3)"
fi
# page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
if awk '$3 == "image" && $4 == 120 && $5 == 90 && $9 == "image" && $13 == 150 { n++; id[$11] = 1 }
	$3 == "image" && $4 == 64 && $5 == 48 && $9 == "jpeg" && $13 == 150 { j++ }
	$3 == "smask" && $4 == 60 && $5 == 40 { a++ }
	END { k = 0; for (i in id) k++; exit !(n == 2 && k == 1 && j == 1 && a == 1) }' "$tmp/img/list"; then
	ok "pdfimages: the PNG twice as one image, the JPEG, the interlaced PNG's alpha, at 150 ppi"
else
	nok "pdfimages shows the images" "$(cat "$tmp/img/list")"
fi
if awk '$3 == "image" && $4 == 2000 && $5 == 3000 && $13 > 150 { f = 1 } END { exit !f }' "$tmp/img/list" &&
   qpdf --qdf --object-streams=disable "$pdf" "$tmp/img/qdf.pdf" 2>/dev/null &&
   python3 - "$tmp/img/qdf.pdf" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read().decode('latin-1')
W, H = 419.53, 595.28                      # A5
top, bottom, side = 42.5, 48.1, 36.8       # styles/booklet.conf: 15, 17, 13 mm
tall = [(float(w), float(h), float(x), float(y)) for w, h, x, y in
        re.findall(r'([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*/\w+ Do', data)
        if float(h) > 200]
ok = len(tall) == 1 and all(x >= side and x + w <= W - side and y >= bottom and y + h <= H - top
                            and abs(w / h - 2 / 3) < 0.01 for w, h, x, y in tall)
sys.exit(0 if ok else 1)
PY
then
	ok "a picture larger than the page is scaled within the margins, its proportions kept"
else
	nok "a picture larger than the page is scaled within the margins" "$(grep ' 2000 ' "$tmp/img/list")"
fi
pdftotext "$pdf" "$tmp/img/text.txt"
if grep -q "Gradient of red and green" "$tmp/img/text.txt" && grep -q "Blocky photograph" "$tmp/img/text.txt" &&
   grep -q "in a sentence: the gradient again and more" "$tmp/img/text.txt"; then
	ok "captions and the alt text in a sentence are extractable text"
else
	nok "captions are extractable text" "$(head -c 400 "$tmp/img/text.txt")"
fi
if grep -q "pics.md:25:.*warning: .*anim.gif is not in the booklet.*alt text.*\[image\]" "$tmp/img/err" &&
   grep -q "pics.md:27:.*warning: .*broken.png is not in the booklet.*\[image\]" "$tmp/img/err" &&
   grep -q "Animated picture" "$tmp/img/text.txt" && grep -q "Broken picture" "$tmp/img/text.txt"; then
	ok "a GIF without a picture and a broken file warn (file:line) and show their alt text"
else
	nok "undrawable images warn and show their alt text" "$(cat "$tmp/img/err")"
fi
if cmp -s "$pdf" "$tmp/img/again/pics.pdf"; then
	ok "a booklet with images is the same bytes twice"
else
	nok "a booklet with images is the same bytes twice" "differs"
fi

# A list item that opens with code, fenced in the item or lifted from an
# indented block, has its number beside the code's first line.
printf '# Steps\n\n1. ```py\n   def f(x):\n       return x\n   ```\n2. Then run it.\n3.     plain output line\n' > "$tmp/items.md"
"$QUIRE" -q -t pdf -o "$tmp/items" "$tmp/items.md"
pdftotext -layout "$tmp/items/items.pdf" "$tmp/items/items.txt"
if grep -q '^ *1\. *def f(x):' "$tmp/items/items.txt" && grep -q '^ *3\. *plain output line' "$tmp/items/items.txt" \
   && ! grep -qx ' *[13]\.' "$tmp/items/items.txt"; then
	ok "a list item's number stands beside the code block it opens with"
else
	nok "list number beside code" "$(grep -A1 '^ *[13]\.' "$tmp/items/items.txt" | head -6)"
fi

# Failures are clean: no partial PDF left behind.
"$QUIRE" -q -t pdf --booklet-style /nowhere/booklet.conf -o "$tmp/x" "$tmp/edge.md" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] && [ ! -e "$tmp/x/edge.pdf" ] && grep -q "booklet.conf" "$tmp/err"; then
	ok "a missing style file fails cleanly (exit $rc, nothing written)"
else
	nok "a missing style file fails cleanly" "exit $rc"
fi
exit 0
