#!/bin/sh
# ace.sh - accessibility of the EPUB, judged by DAISY Ace (axe-core in
# Chromium, plus Ace's own EPUB checks): 0 violations of any impact on
# every book checked.
#
# Books: the stress notes of epub.sh, right-to-left notes (in a book in
# English, and in Arabic), the corpus (with its booklet, so the
# page-list is there), each in both answer modes; two of the real notes
# of tests/corpus (pop-up answers); and the unit tests' books of links,
# callouts, footnotes, images and covers (build/tests/test_epub
# --sample). Ace runs in one node process for all books.
#
# Ace is not a Debian package: where it is not installed the test says
# so and skips (no "ok", no "not ok"). To install it:
#   PUPPETEER_SKIP_DOWNLOAD=1 npm install -g --ignore-scripts @daisy/ace
#   apt-get install chromium
# ACE_MODULES may name the node_modules folder that holds @daisy/ace-core;
# PUPPETEER_EXECUTABLE_PATH the browser (default /usr/bin/chromium).
NAME=ace
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
CORPUS=tests/corpus/python-fastapi-notes.md
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}

if [ -z "$ACE_MODULES" ] && command -v npm >/dev/null 2>&1; then
	ACE_MODULES=$(npm root -g 2>/dev/null)/@daisy/ace/node_modules
fi
if [ ! -d "$ACE_MODULES/@daisy/ace-core" ] || ! command -v node >/dev/null 2>&1; then
	echo "# skip ace: DAISY Ace is not installed (PUPPETEER_SKIP_DOWNLOAD=1 npm install -g --ignore-scripts @daisy/ace)"
	exit 0
fi
if [ ! -x "$PUPPETEER_EXECUTABLE_PATH" ]; then
	echo "# skip ace: no browser at $PUPPETEER_EXECUTABLE_PATH (apt-get install chromium)"
	exit 0
fi

# the stress notes of epub.sh, and notes in Arabic and Hebrew
sed -n "/^cat >\"\$tmp\/stress.md\" <<'NOTES'/,/^NOTES/p" tests/e2e/epub.sh | sed '1d;$d' >"$tmp/stress.md"
cat >"$tmp/rtl.md" <<'NOTES'
# ملاحظات بايثون

## الأساسيات

### ما هي القائمة؟

القائمة مجموعة مرتبة وقابلة للتغيير، مثل `[1, 2, 3]`.

### מה זה מילון?

מילון הוא אוסף של זוגות מפתח וערך: `{"a": 1}`.

### What is mixed text?

English first, then عربي and עברית in one line.
NOTES

: >"$tmp/books"
build() {   # notes, mode, formats, more options
	stem=$(basename "$1" .md)
	out=$tmp/$stem-$2
	if "$QUIRE" -q -t "$3" --epub-answers="$2" $4 -o "$out" "$1" 2>"$tmp/err"; then
		echo "$out/$stem.epub $2:$stem" >>"$tmp/books"
	else
		nok "build $2:$stem" "$(head -c 200 "$tmp/err")"
	fi
}
for mode in inline popup; do
	build "$tmp/stress.md" $mode pdf,epub
	build "$tmp/rtl.md" $mode epub "$([ $mode = popup ] && echo --lang=ar)"
	[ -f "$CORPUS" ] && build "$CORPUS" $mode pdf,epub
done
# real notes of other people, where Ace found skipped heading levels and
# empty header cells
for f in tests/corpus/zh-java-basics.md tests/corpus/es-react-interview.md; do
	[ -f "$f" ] && build "$f" popup pdf,epub
done
if [ -x "$BUILD/tests/test_epub" ]; then
	"$BUILD/tests/test_epub" --sample "$tmp/sample" >"$tmp/sample.log" 2>&1
	for b in "$tmp"/sample/*.epub; do
		[ -f "$b" ] && echo "$b unit:$(basename "$b" .epub)" >>"$tmp/books"
	done
fi

cat >"$tmp/ace-run.js" <<'EOF_JS'
const ace = require('@daisy/ace-core');
const axeRunner = require('@daisy/ace-axe-runner-puppeteer');
const logger = require('@daisy/ace-logger');
const fs = require('fs'), path = require('path');
(async () => {
  const tmp = process.argv[2];
  logger.initLogger({ verbose: false, silent: true });
  for (const line of fs.readFileSync(path.join(tmp, 'books'), 'utf8').split('\n')) {
    if (!line) continue;
    const [file, tag] = line.split(' ');
    const work = fs.mkdtempSync(path.join(tmp, 'ace-'));
    try {
      const job = await ace(file, { cwd: tmp, tmpdir: work, silent: true, jobId: '' }, axeRunner);
      const found = {};
      let n = 0;
      for (const doc of job[1].assertions || [])
        for (const a of doc.assertions || []) {
          const k = `${a['earl:test']['dct:title']} (${a['earl:test']['earl:impact']}) in ${doc['earl:testSubject'].url}`;
          found[k] = (found[k] || 0) + 1;
          n++;
        }
      const what = Object.entries(found).slice(0, 4).map(([k, c]) => `${c}x ${k}`).join('; ');
      console.log(n ? `ACE not ok - ace: ${tag}: ${n} violations: ${what}`
                    : `ACE ok - ace: ${tag}: 0 violations`);
    } catch (e) {
      console.log(`ACE not ok - ace: ${tag}: Ace failed: ${(e.message || String(e)).split('\n')[0]}`);
    }
  }
  process.exit(0);
})();
EOF_JS
NODE_PATH=$ACE_MODULES node "$tmp/ace-run.js" "$tmp" 2>"$tmp/node.err" | sed -n 's/^ACE //p' >"$tmp/verdicts"
cat "$tmp/verdicts"
want=$(wc -l <"$tmp/books")
got=$(wc -l <"$tmp/verdicts")
if [ "$got" -ne "$want" ]; then
	nok "$got verdicts for $want books" "$(tail -n 3 "$tmp/node.err" | tr '\n' ' ')"
fi
exit 0
