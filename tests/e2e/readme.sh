#!/bin/sh
# readme.sh - every command of the README, run in a fresh clone, does
# what its comment says. The commands are read from the README itself
# (the indented `./quire` and `make install`/`make uninstall` lines); a
# command this script does not know how to check is a failure, so README
# and test stay together. `make` and `make test` are not run here (they
# are what runs this). The clone gets the program already built (copied
# from $BUILD, newer than the sources), as `make` would leave it.
NAME=README
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}
ROOT=$PWD
trap 'kill $watcher 2>/dev/null; rm -rf "$tmp"' EXIT
watcher=

if ! git clone -q "$ROOT" "$tmp/clone" 2>"$tmp/err"; then
	echo "# SKIP readme: cannot clone the repository: $(head -c 200 "$tmp/err")"
	exit 0
fi
C=$tmp/clone
mkdir -p "$C/$BUILD"
cp -a "$BUILD/." "$C/$BUILD/"
# one time for all (touch alone stamps each file as it comes to it: a
# clock tick between an object and build/.flags made that object older
# than the flags, and make rebuilt it)
touch "$tmp/now"
find "$C/$BUILD" -exec touch -r "$tmp/now" {} +
cp "$BUILD/quire" "$C/quire"
[ "$BUILD" = build ] || { mkdir -p "$C/build"; cp -a "$BUILD/lib" "$C/build/"; }

# the commands: indented lines of the README's usage sections
awk '/^## (Two commands|Installing|Compiling your own notes)/ { on = 1; next }
     /^## / { on = 0 }
     on && /^    [^ ]/ { sub(/^    /, ""); print }' "$C/README.md" >"$tmp/commands"
grep -q . "$tmp/commands" || nok "found its commands"

export HOME="$tmp/home"
mkdir -p "$HOME"
n=0
while IFS= read -r line; do
	cmd=${line%%#*}
	cmd=$(echo "$cmd" | sed 's/ *$//')
	n=$((n + 1))
	cd "$C" || exit 1
	case $cmd in
	make|"make test")
		echo "# readme: not run here: $cmd (it is what runs this test)"
		continue ;;
	"./quire --watch "*)
		sh -c "exec $cmd" 2>"$tmp/watch.log" &
		watcher=$!
		;;
	*)
		sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		;;
	esac
	bad=""
	case $cmd in
	"./quire input/data-engineering-notes.md")
		for e in pdf epub apkg; do [ -s out/data-engineering-notes.$e ] || bad="$bad no .$e"; done ;;
	"./quire -o books/python -t epub,apkg input/*.md")
		for f in clean-markdown-notes data-engineering-notes; do
			for e in epub apkg; do [ -s books/python/$f.$e ] || bad="$bad no $f.$e"; done
		done
		[ -e books/python/clean-markdown-notes.pdf ] && bad="$bad a pdf" ;;
	"./quire -o books -t epub,apkg --book course input/")
		for e in epub apkg; do [ -s books/course.$e ] || bad="$bad no course.$e"; done
		[ "$(unzip -p books/course.epub EPUB/nav.xhtml | grep -c 'class="part"\|<li')" -gt 2 ] \
			|| bad="$bad; no contents"
		python3 -c "
import sqlite3, sys, zipfile, tempfile, json
z = zipfile.ZipFile('books/course.apkg')
f = tempfile.NamedTemporaryFile(suffix='.db', delete=False); f.write(z.read('collection.anki2')); f.close()
names = [d['name'] for d in json.loads(sqlite3.connect(f.name).execute('SELECT decks FROM col').fetchone()[0]).values()]
sys.exit(0 if sum(n.count('::') == 1 for n in names) >= 2 else 1)" || bad="$bad; no subdeck per file" ;;
	"./quire --paper a4 --impose input/clean-markdown-notes.md")
		[ -s out/clean-markdown-notes-print.pdf ] || bad="no -print.pdf" ;;
	"./quire -t epub --epub-answers=popup input/clean-markdown-notes.md")
		unzip -p out/clean-markdown-notes.epub 'EPUB/ch*.xhtml' | grep -q 'epub:type="noteref"' \
			|| bad="no pop-up answers" ;;
	"./quire --lint -v input/data-engineering-notes.md")
		[ $rc = 0 ] || bad="exit $rc"
		grep -q 'note: .*\[guess-\|repaired' "$tmp/err" || bad="$bad no guesses or repairs"
		tail -n 1 "$tmp/err" | grep -q ': lint: [0-9]* errors, ' || bad="$bad no summary" ;;
	"./quire --lint --strict input/clean-markdown-notes.md")
		[ $rc = 1 ] || bad="exit $rc, not 1" ;;
	"./quire --questions input/clean-markdown-notes.md")
		[ "$(grep -c "$(printf '^[0-9][0-9]*\t')" "$tmp/out")" = 11 ] || bad="not 11 LINE<TAB>QUESTION lines" ;;
	"./quire -o books - < input/clean-markdown-notes.md")
		for e in pdf epub apkg; do [ -s books/notes.$e ] || bad="$bad no notes.$e"; done ;;
	"./quire -o - -t epub input/clean-markdown-notes.md > book.epub")
		unzip -tq book.epub >/dev/null 2>&1 || bad="book.epub is not a good zip" ;;
	"./quire --watch -t epub input/clean-markdown-notes.md")
		i=0
		until grep -q watching "$tmp/watch.log" || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
		printf '\n### What is one more question?\n\nThis one.\n' >>input/clean-markdown-notes.md
		i=0
		until grep -q 'rebuilt in' "$tmp/watch.log" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
		grep -q 'rebuilt in' "$tmp/watch.log" || bad="no rebuild after a save"
		unzip -p out/clean-markdown-notes.epub 'EPUB/ch*.xhtml' | grep -q 'one more question' \
			|| bad="$bad; the new question is not in the EPUB"
		kill -INT $watcher
		wait $watcher || bad="$bad; Ctrl-C: exit $?"
		watcher= ;;
	'make install PREFIX=$HOME/.local')
		[ $rc = 0 ] && [ -x "$HOME/.local/bin/quire" ] || bad="exit $rc: $(tail -n 3 "$tmp/err")"
		grep -qE '^ *(CC|LINK|MODULE) ' "$tmp/out" && bad="$bad; it rebuilt: $(grep -E '^ *(CC|LINK|MODULE) ' "$tmp/out" | head -n 2)"
		[ "$("$HOME/.local/bin/quire" --print-share)" = "$HOME/.local/share/quire" ] \
			|| bad="$bad; --print-share is not PREFIX/share/quire"
		(cd "$tmp" && printf '# T\n\n### Why?\n\nSo.\n' >t.md && "$HOME/.local/bin/quire" -q -o o t.md) \
			|| bad="$bad; the installed quire does not build" ;;
	*)
		bad="this test does not know the command; add a check" ;;
	esac
	[ -z "$bad" ] && ok "$cmd" || nok "$cmd" "$bad"
done <"$tmp/commands"
# the README's prose names uninstall with the same PREFIX
cd "$C" && grep -q 'make uninstall PREFIX=$HOME/.local' README.md && {
	make --no-print-directory uninstall BUILD="$BUILD" PREFIX="$HOME/.local" >/dev/null 2>&1
	left=$(find "$HOME/.local" -type f 2>/dev/null)
	[ -z "$left" ] && ok "make uninstall PREFIX=\$HOME/.local" \
		|| nok "make uninstall PREFIX=\$HOME/.local" "left: $left"
}
[ $n -ge 10 ] && ok "$n commands found" || nok "$n commands found"
exit 0
