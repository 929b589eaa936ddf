#!/bin/sh
# badinput.sh - bad input gets a clear message and the right exit status,
# never a crash, a hang or a half-written output.
NAME=badinput
. "$(dirname "$0")/lib.sh"
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT   # a folder made read-only

# expect NAME STATUS PATTERN -- quire args...: exit status and a stderr pattern
expect() {
	name=$1 want=$2 pat=$3
	shift 4
	timeout 120 "$QUIRE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		echo "not ok - $name: exit $rc, want $want: $(head -c 200 "$tmp/err")"
	elif [ -n "$pat" ] && ! grep -q -- "$pat" "$tmp/err"; then
		echo "not ok - $name: stderr lacks '$pat': $(head -c 200 "$tmp/err")"
	else
		echo "ok - $name"
	fi
}

python3 - "$tmp" <<'PY'
import sys, os
d = sys.argv[1]
def w(name, data): open(os.path.join(d, name), 'wb').write(data)
w('empty.md', b'')
w('binary.md', bytes(range(256)) * 64)
w('nul.md', b'# Title\n\nsome\x00text\n')
w('line.md', b'word ' * 2_000_000)
w('lists.md', b'- ' * 100_000 + b'deep\n')
w('quotes.md', b'>' * 100_000 + b' deep\n')
w('indent.md', b''.join(b'  ' * i + b'- x\n' for i in range(2000)))
w('emph.md', b'*' * 50_000 + b'x' + b'*' * 50_000 + b'\n')
w('brackets.md', b'[' * 50_000 + b'x' + b']' * 50_000 + b'\n')
w('latin1.md', b'# Caf\xe9\n\n### What is na\xefve?\n\nIt is \x93quoted\x94 text.\n')
w('fence.md', b'```\n' + b'x = 1\n' * 10 + b'\n### Still code?\n')
w('tags.md', b'<div>' * 5000 + b'text' + b'\n')
PY

all=""
for b in pdf epub apkg tree; do
	"$QUIRE" --help 2>/dev/null | grep -q "^ *$b  *(not yet" || all="$all,$b"
done
all=${all#,}

expect "missing file" 1 "No such file" -- -o "$tmp/o" "$tmp/nope.md"
mkdir "$tmp/nonotes"
expect "a folder without notes" 2 "holds no notes" -- -o "$tmp/o" "$tmp/nonotes"
expect "binary file" 1 "not a text file" -- -o "$tmp/o" -t "$all" "$tmp/binary.md"
[ ! -e "$tmp/o/binary.tree" ] && echo "ok - binary file: nothing written" || echo "not ok - binary file: output written"
expect "stray NUL byte" 0 "NUL" -- -o "$tmp/o" -t "$all" "$tmp/nul.md"
expect "empty file" 0 "notes are empty" -- -o "$tmp/o" -t "$all" "$tmp/empty.md"
expect "10 MB single line" 0 "" -- -q -o "$tmp/o" -t "$all" "$tmp/line.md"
expect "100000 nested list markers" 0 "nesting" -- -o "$tmp/o" -t "$all" "$tmp/lists.md"
expect "100000 nested quote markers" 0 "nesting" -- -o "$tmp/o" -t "$all" "$tmp/quotes.md"
expect "2000 indented list levels" 0 "" -- -q -o "$tmp/o" -t "$all" "$tmp/indent.md"
expect "emphasis flood" 0 "" -- -q -o "$tmp/o" -t "$all" "$tmp/emph.md"
expect "bracket flood" 0 "" -- -q -o "$tmp/o" -t "$all" "$tmp/brackets.md"
expect "tag flood" 0 "" -- -q -o "$tmp/o" -t "$all" "$tmp/tags.md"
expect "unclosed fence" 0 "never closed" -- -o "$tmp/o" -t "$all" "$tmp/fence.md"
expect "invalid UTF-8 names the line" 0 "latin1.md:1:.*0xE9" -- -o "$tmp/o" -t "$all" "$tmp/latin1.md"
grep -q 'latin1.md:5:.*0x93' "$tmp/err" && echo "ok - invalid UTF-8: every line named" || echo "not ok - invalid UTF-8: line 5 not named"
expect "invalid UTF-8 repaired" 0 "" -- -q -o "$tmp/o" -t tree "$tmp/latin1.md"
grep -q '"Café"' "$tmp/o/latin1.tree" && grep -q 'naïve' "$tmp/o/latin1.tree" \
	&& echo "ok - invalid UTF-8: read as Windows-1252" || echo "not ok - invalid UTF-8: not repaired"

# usage errors
expect "no arguments" 2 "no notes" --
expect "unknown option" 2 "" -- --frobnicate x.md
expect "unknown output" 2 "unknown output" -- -t docx input/clean-markdown-notes.md
expect "bad paper" 2 "paper" -- --paper b5 input/clean-markdown-notes.md
expect "help" 0 "" -- --help
grep -q "usage: quire" "$tmp/out" && echo "ok - help text on stdout" || echo "not ok - help text missing"
expect "version" 0 "" -- --version

# an output that cannot be written: exit 3, nothing partial, old file kept
mkdir -p "$tmp/ro"
echo "previous good output" >"$tmp/ro/clean-markdown-notes.tree"
chmod a-w "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
	# root ignores permissions: use a path below a file instead
	expect "output folder not writable" 3 "" -- -o "$tmp/ro/clean-markdown-notes.tree/sub" -t tree input/clean-markdown-notes.md
else
	expect "output folder not writable" 3 "cannot" -- -o "$tmp/ro" -t tree input/clean-markdown-notes.md
fi
[ "$(cat "$tmp/ro/clean-markdown-notes.tree")" = "previous good output" ] \
	&& echo "ok - unwritable output: previous file untouched" || echo "not ok - unwritable output: previous file changed"
ls -a "$tmp/ro" | grep -q '^\.clean' && echo "not ok - unwritable output: temporary file left" || echo "ok - unwritable output: no temporary file left"
# the fuzzer's findings (tests/fuzz/regress) made into every output by the
# program itself, as a user would meet them
for f in tests/fuzz/regress/*.md; do
	expect "fuzz finding $(basename "$f" .md): all outputs" 0 "" -- -q -t pdf,epub,apkg,tree -o "$tmp/regress" "$f"
done
exit 0
