#!/bin/sh
# epub.sh - end-to-end checks of `quire -t epub` with the real validator.
#
# For the corpus notes, input/*.md and tests/data/*.md, in both answer
# modes (inline, popup): epubcheck reports 0 fatals / 0 errors / 0
# warnings; two builds are byte-identical, also when one is limited to
# one processor (no worker threads); the container is right
# (mimetype first, stored, no extra field); every link of the table of
# contents and every pop-up note reference lands on an id that exists;
# every question is in the table of contents; no script anywhere; no
# chapter over 120 KB but one that holds a single question; at least 99.5% of the words of the notes are in
# the book text, and no mojibake. Then the failure cases: an output
# folder that cannot be written, a missing stylesheet (exit status 2, a
# usage error), a book path that is a folder: an error, exit status 3,
# no partial .epub, and a previous
# good book left untouched. Also --style and the stable identifier.
#
# epubcheck runs once for all books (one JVM, see Batch.java below) when
# a JDK can run a source file; otherwise once per book.
NAME=epub
. "$(dirname "$0")/lib.sh"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT   # a folder made read-only
chmod 755 "$tmp"
JAR=/usr/share/java/epubcheck.jar
CORPUS=tests/corpus/python-fastapi-notes.md

if [ ! -x "$QUIRE" ] && ! command -v "$QUIRE" >/dev/null 2>&1; then
	nok "quire binary" "$QUIRE not found (make quire)"
	exit 1
fi

# ---- the per-book checks (python: zip, XML, words) ------------------------
cat >"$tmp/check.py" <<'EOF'
import collections, re, sys, zipfile
import xml.etree.ElementTree as ET

epub, notes, mode, tag = sys.argv[1:5]
MOJIBAKE = re.compile('(\uf8ff|\u201a\u00c4|\u201a\u00fa|\u201a\u00f9|\u201a\u00dc|\u00fc\u00eb|\u00c3[\u00a0-\u00bf]|\u00e2\u20ac)')
WORD = re.compile(r"[A-Za-z0-9]{2,}")
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUBNS = "{http://www.idpf.org/2007/ops}"

def say(good, name, why=""):
    print(("ok - epub: %s %s" % (name, tag)) if good else
          ("not ok - epub: %s %s: %s" % (name, tag, why)))

def repaired(path):
    t = open(path, encoding="utf-8", errors="replace").read()
    def fix(m):
        s = m.group(0)
        for enc in ("mac_roman", "cp1252", "latin-1"):
            try:
                r = s.encode(enc).decode("utf-8")
                if r != s:
                    return r
            except UnicodeError:
                pass
        return s
    return re.sub(r"[\u0080-\uffff]+", fix, t)

# Markup of the notes is not words of the notes: HTML tags, what a
# <script> or <style> holds (the book drops it), fence info strings, the
# URL of a [text](url) link (the book keeps it as the link's target).
TAGS = ("details|summary|div|span|script|style|p|br|b|i|em|strong|a|img|"
        "table|thead|tbody|tr|td|th|ul|ol|li|code|pre|kbd|sup|sub|mark|u|s|"
        "hr|h[1-6]|blockquote|section|aside|iframe|small|abbr|dl|dt|dd")
def unmarked(t):
    t = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", t)
    t = re.sub(r"(?i)</?(?:%s)\b[^>]*>" % TAGS, " ", t)
    # a link's address is not its words (the acceptance rule): a link to
    # another notes file shows its text alone
    t = re.sub(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)", "] ", t)
    t = re.sub(r"\[![A-Za-z-]+\][-+]?", " ", t)   # a callout's kind
    t = re.sub(r"(?<![\w:/]):[a-z0-9_+-]+:(?![\w:/])", " ", t)   # :emoji: shortcodes
    return re.sub(r"(?m)^(\s*(?:```+|~~~+))[^\n`]*$", r"\1", t)

def words(text):
    return collections.Counter(w.lower() for w in WORD.findall(text) if w.lower() != "answer")

z = zipfile.ZipFile(epub)
infos = z.infolist()
first = infos[0]
say(first.filename == "mimetype" and first.compress_type == 0 and not first.extra
    and z.read("mimetype") == b"application/epub+zip"
    and all(i.compress_type == 8 for i in infos[1:]),
    "container", "mimetype not first/stored, or an entry not deflated")

docs, ids, bad_xml = {}, {}, []
for i in infos:
    if i.filename.endswith(".xhtml"):
        raw = z.read(i.filename)
        docs[i.filename] = raw.decode("utf-8")
        try:
            root = ET.fromstring(raw)
        except ET.ParseError as e:
            bad_xml.append("%s: %s" % (i.filename, e))
            continue
        ids[i.filename] = root
say(not bad_xml, "well-formed", "; ".join(bad_xml[:3]))

everything = "\n".join(z.read(i.filename).decode("utf-8", "replace") for i in infos[1:])
scripted = re.findall(r"<script|\son[a-z]+\s*=|href=\"\s*javascript:", everything, re.I)
say(not scripted, "no-script", "found %r" % scripted[:3])

def id_set(root):
    return {e.get("id") for e in root.iter() if e.get("id")}
idmap = {name: id_set(root) for name, root in ids.items()}

# every link of the navigation document lands on an existing id
nav = ids.get("EPUB/nav.xhtml")
broken, nav_q = [], 0
if nav is not None:
    for a in nav.iter(XHTML + "a"):
        href = a.get("href", "")
        f, _, frag = href.partition("#")
        path = "EPUB/" + f
        if path not in idmap or (frag and frag not in idmap[path]):
            broken.append(href)
        if frag.startswith("q-"):
            nav_q += 1
say(nav is not None and not broken, "nav-links", "broken: %s" % broken[:3])

# every question is a heading with an id, and in the table of contents
questions = 0
for name, root in ids.items():
    if name.endswith("/nav.xhtml"):
        continue
    for e in root.iter():
        if e.get("class") == "question" and re.match(XHTML + "h[1-6]$", e.tag):
            questions += 1
say(questions == nav_q, "questions-in-toc",
    "%d question headings, %d in the toc" % (questions, nav_q))

# pop-up mode: each noteref points at a footnote aside in the same file
if mode == "popup":
    refs = bad = 0
    for name, root in ids.items():
        asides = {e.get("id") for e in root.iter(XHTML + "aside")
                  if e.get(EPUBNS + "type") == "footnote"}
        for a in root.iter(XHTML + "a"):
            if a.get(EPUBNS + "type") == "noteref":
                refs += 1
                if a.get("href", "")[1:] not in asides:
                    bad += 1
    say(refs == questions and bad == 0, "popup-notes",
        "%d questions, %d noterefs, %d dangling" % (questions, refs, bad))

# chapters close at the first split point after 96 KB; a bigger one
# holds a single question or block that cannot be split
def one_item(d):
    return len(re.findall(r'<div class="card">', d)) <= 1
big = [(n, len(d.encode())) for n, d in docs.items()
       if len(d.encode()) > 120 * 1024 and "nav" not in n and not one_item(d)]
say(not big, "chapter-size", "over 120 KB: %s" % big[:3])

# words: the acceptance rule (tags stripped, nav left out)
text = []
for name, d in docs.items():
    if "nav" in name.rsplit("/", 1)[-1]:
        continue
    x = re.sub(r"<[^>]+>", " ", d)
    x = x.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    text.append(x)
body = "\n".join(text)
got = words(body)
def rate_of(src):
    total = sum(src.values())
    return (sum(min(n, got[w]) for w, n in src.items()) / total) if total else 1.0
strict = rate_of(words(repaired(notes)))
src = words(unmarked(repaired(notes)))
total = sum(src.values())
hit = sum(min(n, got[w]) for w, n in src.items())
rate = hit / total if total else 1.0
missing = [(w, n - got[w]) for w, n in src.most_common() if got[w] < n][:6]
say(rate >= 0.995, "words", "%.4f of the words (missing %s)" % (rate, missing))
moji = MOJIBAKE.findall(body)
say(not moji, "mojibake", "%d left: %r" % (len(moji), moji[:3]))
print("# %s: %d files, %d questions, %.2f%% of the words (%.2f%% counting"
      " HTML tag names), %d bytes unzipped" % (tag, len(infos), questions,
      100 * rate, 100 * strict, sum(i.file_size for i in infos)))
EOF

# ---- epubcheck, batched in one JVM when possible --------------------------
cat >"$tmp/Batch.java" <<'EOF'
import com.adobe.epubcheck.tool.EpubChecker;
public class Batch {
	public static void main(String[] args) {
		for (String f : args) {
			System.out.println("=== book " + f);
			new EpubChecker().run(new String[] {f});
		}
	}
}
EOF
: >"$tmp/books"
JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

epubcheck_all() {
	[ -s "$tmp/books" ] || return 0
	if [ ! -r "$JAR" ]; then
		while read -r b t; do nok "epubcheck $t" "$JAR missing (make deps-test)"; done <"$tmp/books"
		return
	fi
	log=$tmp/epubcheck.log
	# shellcheck disable=SC2086
	if ! java $JAVA_OPTS -cp "$JAR" "$tmp/Batch.java" $(cut -d' ' -f1 "$tmp/books") >"$log" 2>&1; then
		: >"$log"
		while read -r b t; do
			echo "=== book $b" >>"$log"
			java $JAVA_OPTS -jar "$JAR" "$b" >>"$log" 2>&1
		done <"$tmp/books"
	fi
	while read -r b t; do
		verdict=$(awk -v b="$b" '$0 == "=== book " b {on = 1; next}
			/^=== book / {on = 0} on && /^Messages:/ {print}' "$log")
		case "$verdict" in
		*"0 fatals / 0 errors / 0 warnings"*) ok "epubcheck $t" ;;
		"") nok "epubcheck $t" "no verdict: $(tail -n 3 "$log" | tr '\n' ' ')" ;;
		*) nok "epubcheck $t" "$verdict $(awk -v b="$b" '$0 == "=== book " b {on = 1; next}
			/^=== book / {on = 0} on && /^(ERROR|WARNING|FATAL)/' "$log" | head -n 3 | tr '\n' ' ')" ;;
		esac
	done <"$tmp/books"
}

# Notes that stress the book: words and URLs wider than a page, a wide
# table, a long code line, emoji above U+FFFF, right-to-left text, nested
# lists, a quote, HTML with a script, a handler and an image, a question
# with a link, content and cards before the first section, an empty
# section, headings nested deeper than h6.
cat >"$tmp/stress.md" <<'NOTES'
Text before any section: a supercalifragilisticexpialidociousandthensomemorewordsgluedtogether word, and https://example.com/a/very/long/path/that/goes/on/and/on/and/on/forever?with=query&and=more.

### What is a root question?

An answer before the first section.

# Stress notes

## Wide things

### What does a wide table look like?

| Column one | Column two | Column three | Column four | Column five | Column six |
| --- | --- | --- | --- | --- | --- |
| averyveryverylongidentifierwithoutbreaks | short | `some_code_identifier_that_is_long()` | 12345678901234567890 | x | y |
| a | b | c | d | e | f |

### How does a long code line wrap?

```python
def function_with_a_really_long_name(argument_number_one, argument_number_two, argument_number_three_is_long):
    return {"key": "value", "another_key": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]}
```

### What does [the spec](https://spec.example.org/a_b) say about <b>bold</b>?

It says *nothing* about [relative links](other.md) or [scripts](javascript:alert(1)).

## Empty section

## Symbols 🔹

### Q1. Are emoji kept? ✅

Yes: 👉 → ← ↔ ⚡ 🧵 😀 𝔸 (U+1D538), CJK 漢字, Hebrew שלום, Cyrillic безопасность.

> A quote with **strong** and *emphasis*.

1. first
2. second
   - nested bullet
     - deeper bullet

<div onclick="alert(1)"><script>alert("x")</script><p>Inside HTML</p><img src="x.png" alt="an image"></div>

### Level three

#### Level four

##### Level five

###### Level six

####### Level seven is text

What is deep? Deep is fine.
NOTES

# ---- build and check every input in both modes ----------------------------
: >"$tmp/empty.md"
inputs="$tmp/stress.md $tmp/empty.md"
[ -f "$CORPUS" ] && inputs="$CORPUS $inputs"
for f in input/*.md tests/data/*.md; do
	[ -f "$f" ] && inputs="$inputs $f"
done

# The first processor this shell may use: a build limited to it has no
# worker threads and must give the same bytes.
one_cpu=$(taskset -cp $$ 2>/dev/null | sed -n 's/.*: *\([0-9]*\).*/\1/p')
[ -n "$one_cpu" ] || echo "# skip one-processor builds: no taskset"

echo "# $(date +%s) building"
n=0
for f in $inputs; do
	n=$((n + 1))
	stem=$(basename "$f" .md)
	for mode in inline popup; do
		t="$mode:$f"
		a=$tmp/b$n-$mode-a b=$tmp/b$n-$mode-b
		"$QUIRE" -q -t epub --epub-answers=$mode -o "$a" "$f" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 0 ]; then
			if [ $rc -eq 1 ] && [ -s "$tmp/err" ] && [ ! -e "$a/$stem.epub" ]; then
				ok "refused $t with a message, no book"
			else
				nok "build $t" "exit $rc: $(head -c 300 "$tmp/err")"
			fi
			continue
		fi
		"$QUIRE" -q -t epub --epub-answers=$mode -o "$b" "$f" 2>/dev/null
		if cmp -s "$a/$stem.epub" "$b/$stem.epub"; then
			ok "deterministic $t"
		else
			nok "deterministic $t" "two builds differ"
		fi
		if [ -n "$one_cpu" ]; then
			c=$tmp/b$n-$mode-c
			taskset -c "$one_cpu" "$QUIRE" -q -t epub --epub-answers=$mode -o "$c" "$f" 2>/dev/null
			if cmp -s "$a/$stem.epub" "$c/$stem.epub"; then
				ok "same bytes on one processor $t"
			else
				nok "same bytes on one processor $t" "differs from the build on every processor"
			fi
		fi
		python3 "$tmp/check.py" "$a/$stem.epub" "$f" "$mode" "$t"
		echo "$a/$stem.epub $t" >>"$tmp/books"
	done
done
[ -n "$inputs" ] || nok "inputs" "no notes to test (corpus, input/, tests/data/)"

# ---- identity, date, style ------------------------------------------------
notes=$tmp/idnotes.md
printf '# Stable\n\n## Part\n\n### What is stable?\n\nThe identifier.\n' >"$notes"
"$QUIRE" -q -t epub -o "$tmp/id1" "$notes"
printf '\n### What changed?\n\nThe content, not the identity.\n' >>"$notes"
SOURCE_DATE_EPOCH=1800000000 "$QUIRE" -q -t epub -o "$tmp/id2" "$notes"
id1=$(unzip -p "$tmp/id1/idnotes.epub" EPUB/package.opf 2>/dev/null | grep -o 'urn:uuid:[0-9a-f-]*')
id2=$(unzip -p "$tmp/id2/idnotes.epub" EPUB/package.opf 2>/dev/null | grep -o 'urn:uuid:[0-9a-f-]*')
if [ -n "$id1" ] && [ "$id1" = "$id2" ]; then
	ok "identifier stable across edits ($id1)"
else
	nok "identifier stable across edits" "'$id1' then '$id2'"
fi
if unzip -p "$tmp/id2/idnotes.epub" EPUB/package.opf | grep -q '"dcterms:modified">2027-01-15T08:00:00Z<'; then
	ok "dcterms:modified from SOURCE_DATE_EPOCH"
else
	nok "dcterms:modified from SOURCE_DATE_EPOCH" "$(unzip -p "$tmp/id2/idnotes.epub" EPUB/package.opf | grep modified)"
fi
printf '/* my style */\nbody { color: #123456; }\n' >"$tmp/my.css"
"$QUIRE" -q -t epub --style "$tmp/my.css" -o "$tmp/st" "$notes"
if unzip -p "$tmp/st/idnotes.epub" EPUB/book.css 2>/dev/null | cmp -s - "$tmp/my.css"; then
	ok "--style file becomes the book's stylesheet"
else
	nok "--style" "EPUB/book.css is not the given file"
fi
echo "$tmp/st/idnotes.epub style:my.css" >>"$tmp/books"

# ---- booklet pages, when the PDF back end is there ------------------------
# Each question shows its booklet page; the page-list holds every page of
# the booklet's body up to the last question's, in order, each to its own
# mark, and the last mark before each question is the question's page.
cat >"$tmp/pages.py" <<'EOF_PY'
import html, re, sys, zipfile
epub, tag = sys.argv[1:3]
z = zipfile.ZipFile(epub)
nav = z.read("EPUB/nav.xhtml").decode()
listed = [(f, a, int(n)) for f, a, n in
          re.findall(r'<a href="(ch\d+\.xhtml)#(page-\d+)">(\d+)</a>', nav)]
marks, seq = {}, []
for name in sorted(n for n in z.namelist() if re.match(r"EPUB/ch\d+\.xhtml$", n)):
    d = z.read(name).decode()
    for m in re.finditer(r'id="(page-(\d+))"|class="booklet-page"[^>]*>p.\xa0(\d+)<', d):
        if m.group(1):
            marks[m.group(1)] = name[5:]
            seq.append(("mark", int(m.group(2))))
        else:
            seq.append(("question", int(m.group(3))))
pages = [p for k, p in seq if k == "question"]
cur, wrong = 0, 0
for k, p in seq:
    if k == "mark":
        cur = p
    elif p != cur:
        wrong += 1
good = (pages and [n for _, _, n in listed] == list(range(1, max(pages) + 1))
        and all(marks.get(a) == f for f, a, _ in listed) and wrong == 0)
print("%s - epub: page-list of the booklet %s%s" % ("ok" if good else "not ok", tag,
      "" if good else ": %d questions, %d pages listed, %d questions after another page's mark"
      % (len(pages), len(listed), wrong)))
EOF_PY
pages_in=$notes
[ -f "$CORPUS" ] && pages_in="$notes $CORPUS"
for f in $pages_in; do
	stem=$(basename "$f" .md)
	if "$QUIRE" -q -t pdf,epub -o "$tmp/pages" "$f" 2>/dev/null; then
		if unzip -p "$tmp/pages/$stem.epub" 'EPUB/ch*.xhtml' | grep -q 'class="booklet-page"[^>]*>p\.[^0-9<]*[0-9]'; then
			ok "questions show their booklet page ($stem)"
		else
			nok "booklet pages ($stem)" "no 'p. N' beside the questions"
		fi
		python3 "$tmp/pages.py" "$tmp/pages/$stem.epub" "$stem"
		echo "$tmp/pages/$stem.epub page-list:$stem" >>"$tmp/books"
	else
		echo "# skip booklet pages: the PDF back end is not available"
	fi
done

# ---- failures: errors, no partial book, previous book untouched -----------
good=$tmp/good
"$QUIRE" -q -t epub -o "$good" "$notes"
cp "$good/idnotes.epub" "$tmp/reference.epub"
no_leftovers() { [ "$(ls -A "$1")" = "idnotes.epub" ]; }

"$QUIRE" -q -t epub --style "$tmp/missing.css" -o "$good" "$notes" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "missing.css" "$tmp/err" && cmp -s "$good/idnotes.epub" "$tmp/reference.epub" && no_leftovers "$good"; then
	ok "missing stylesheet: exit 2 (usage), message, previous book untouched"
else
	nok "missing stylesheet" "exit $rc, $(head -c 200 "$tmp/err")"
fi

mkdir -p "$tmp/dirbook/idnotes.epub"
"$QUIRE" -q -t epub -o "$tmp/dirbook" "$notes" 2>"$tmp/err"
rc=$?
if [ $rc -eq 3 ] && [ -s "$tmp/err" ] && [ "$(ls -A "$tmp/dirbook")" = "idnotes.epub" ] && [ -d "$tmp/dirbook/idnotes.epub" ]; then
	ok "book path is a folder: exit 3, nothing written"
else
	nok "book path is a folder" "exit $rc, left: $(ls -A "$tmp/dirbook" | tr '\n' ' ')"
fi

: >"$tmp/notadir"
"$QUIRE" -q -t epub -o "$tmp/notadir" "$notes" 2>"$tmp/err"
rc=$?
if [ $rc -eq 3 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/notadir" ]; then
	ok "output folder is a file: exit 3"
else
	nok "output folder is a file" "exit $rc"
fi

# A read-only output folder holding a good book. Root ignores permissions,
# so as root run quire as nobody (setpriv) when possible.
chmod 755 "$good"
chmod 644 "$good/idnotes.epub"
cp "$notes" "$tmp/ro-notes.md"
chmod 644 "$tmp/ro-notes.md"
run_ro() {
	if [ "$(id -u)" != 0 ]; then
		chmod 555 "$good"
		"$QUIRE" -q -t epub -o "$good" "$tmp/ro-notes.md"
	elif command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$(command -v "$QUIRE" 2>/dev/null || echo "$QUIRE")" \
			-q -t epub -o "$good" "$tmp/ro-notes.md"
	else
		return 99
	fi
}
mv "$good/idnotes.epub" "$good/ro-notes.epub"
run_ro 2>"$tmp/err"
rc=$?
if [ $rc -eq 99 ]; then
	nok "read-only output folder" "cannot drop root privileges (no setpriv)"
elif [ $rc -eq 3 ] && [ -s "$tmp/err" ] && cmp -s "$good/ro-notes.epub" "$tmp/reference.epub" \
	&& [ "$(ls -A "$good")" = "ro-notes.epub" ]; then
	ok "read-only output folder: exit 3, message, previous book untouched, no temp file"
else
	nok "read-only output folder" "exit $rc ($(head -c 200 "$tmp/err")), left: $(ls -A "$good" | tr '\n' ' ')"
fi
chmod 755 "$good"

# ---- an item written the other way than its list keeps its marker ----------
# (an English line in an Arabic list: its marker sits on its own start
# side, where the list keeps no indent; the item must make room for it)
printf '# قائمة\n\n- اللغة العامية\n- English (../README.md)\n' >"$tmp/rtl-list.md"
"$QUIRE" -q -t epub -o "$tmp/rtl" "$tmp/rtl-list.md" 2>"$tmp/err"
if python3 - "$tmp/rtl/rtl-list.epub" <<'EOF2'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
book = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
css = z.read("EPUB/book.css").decode()
rule = re.search(r'li\[dir="ltr"\]\s*\{[^}]*margin-left:\s*[1-9]', css)
sys.exit(0 if '<li dir="ltr">' in book and rule else 1)
EOF2
then
	ok "an LTR item of an RTL list has room for its marker (li[dir] margin)"
else
	nok "an LTR item of an RTL list has room for its marker" "no li dir=ltr or no li[dir=ltr] margin in book.css"
fi

echo "# $(date +%s) epubcheck starts"
epubcheck_all
echo "# $(date +%s) done"
exit 0
