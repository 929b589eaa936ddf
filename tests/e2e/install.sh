#!/bin/sh
# install.sh - make install and make uninstall, and the installed quire
# at work: install copies and rebuilds nothing (nor does the next make),
# the installed program uses its own PREFIX/share/quire and modules from
# any folder, never the styles/ or fonts/ of the folder it runs in, and
# uninstall removes every file install put. The same make variables as
# the run that called the tests (make passes them in MAKEFLAGS).
NAME=install
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-build}

if [ ! -x "$BUILD/quire" ]; then
	nok "$BUILD/quire is not built"
	exit 0
fi
prefix=$tmp/usr
make --no-print-directory install BUILD="$BUILD" PREFIX="$prefix" >"$tmp/log" 2>&1
rc=$?
[ $rc = 0 ] && ok "make install PREFIX=..." || nok "make install PREFIX=..." "$(tail -n 5 "$tmp/log")"
if grep -qE '^ *(CC|LINK|MODULE) ' "$tmp/log"; then
	nok "make install rebuilds nothing" "$(grep -E '^ *(CC|LINK|MODULE) ' "$tmp/log" | head -n 3)"
else
	ok "make install rebuilds nothing"
fi
make -q --no-print-directory BUILD="$BUILD" "$BUILD/quire" && ok "the next make has nothing to rebuild" \
	|| nok "the next make has nothing to rebuild"
for f in bin/quire lib/quire/quire-pdf.so lib/quire/quire-epub.so lib/quire/quire-apkg.so \
	share/quire/styles/epub.css share/quire/styles/cards.css share/quire/styles/highlight.css \
	share/quire/styles/booklet.conf share/quire/fonts/roles.conf share/man/man1/quire.1 \
	share/man/man5/quire-notes.5 share/bash-completion/completions/quire \
	share/zsh/site-functions/_quire; do
	[ -f "$prefix/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "install puts the program, modules, styles, man pages and completions" \
	|| nok "install puts the program, modules, styles, man pages and completions" "missing$missing"

# the installed quire in someone else's notes folder, with planted styles
q=$prefix/bin/quire
mkdir -p "$tmp/theirs/styles" "$tmp/theirs/fonts" "$tmp/secret"
echo "SECRET-91c2" >"$tmp/secret/token"
for f in epub.css cards.css highlight.css booklet.conf; do
	ln -s "$tmp/secret/token" "$tmp/theirs/styles/$f"
done
ln -s "$tmp/secret/token" "$tmp/theirs/fonts/roles.conf"
printf '# Their notes\n\n### What is X?\n\nIt is x.\n' >"$tmp/theirs/notes.md"
[ "$(cd "$tmp/theirs" && "$q" --print-share)" = "$prefix/share/quire" ] \
	&& ok "installed: --print-share is PREFIX/share/quire" \
	|| nok "installed: --print-share is PREFIX/share/quire" "$(cd "$tmp/theirs" && "$q" --print-share 2>&1)"
(cd "$tmp/theirs" && "$q" -o out notes.md) >"$tmp/run.log" 2>&1
rc=$?
if [ $rc = 0 ] && [ -f "$tmp/theirs/out/notes.pdf" ] && [ -f "$tmp/theirs/out/notes.epub" ] &&
	[ -f "$tmp/theirs/out/notes.apkg" ]; then
	ok "installed: builds all three outputs from any folder"
else
	nok "installed: builds all three outputs from any folder" "exit $rc: $(head -c 300 "$tmp/run.log")"
fi
if grep -rqa SECRET-91c2 "$tmp/theirs/out" ||
	unzip -p "$tmp/theirs/out/notes.epub" 2>/dev/null | grep -qa SECRET-91c2 ||
	unzip -p "$tmp/theirs/out/notes.apkg" collection.anki2 2>/dev/null | grep -qa SECRET-91c2; then
	nok "installed: the folder's own styles/ and fonts/ are not read"
else
	ok "installed: the folder's own styles/ and fonts/ are not read"
fi
grep -q "theirs/styles\|theirs/fonts" "$tmp/run.log" && nok "installed: no message about the folder's styles" \
	|| ok "installed: no message about the folder's styles"
# moved with its PREFIX tree, it still finds its own
mv "$prefix" "$tmp/moved"
(cd "$tmp/theirs" && "$tmp/moved/bin/quire" -q -t epub -o out2 notes.md) && [ -f "$tmp/theirs/out2/notes.epub" ] \
	&& ok "installed: still works when its PREFIX tree is moved" \
	|| nok "installed: still works when its PREFIX tree is moved"
mv "$tmp/moved" "$prefix"

make --no-print-directory uninstall BUILD="$BUILD" PREFIX="$prefix" >"$tmp/log" 2>&1
left=$(find "$prefix" -type f | sed "s|$prefix/||")
[ -z "$left" ] && ok "make uninstall removes every file install put" \
	|| nok "make uninstall removes every file install put" "$left"
exit 0
