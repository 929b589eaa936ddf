#!/bin/sh
# cli.sh - the command line as a user meets it: which files quire reads
# (its own share folder and the named style files, never the current
# folder's), output names that clash, -o with parents and -, standard
# input, stale temporary files, messages (the style file's name, terminal
# escapes, UTF-16), --lint caps and --strict, the progress line on a
# terminal, --watch, make quire while quire runs, the man pages and the
# agreement of README, --help and man page. One "ok"/"not ok" line each.
NAME=cli
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH   # the outputs here are dated by their notes or now
ROOT=$PWD
trap 'kill $watcher 2>/dev/null; rm -rf "$tmp"' EXIT
watcher=

check() {   # check NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name"; fi
}
has() {   # has NAME PATTERN FILE
	if grep -q -- "$2" "$3"; then ok "$1"; else nok "$1" "no '$2' in: $(head -c 300 "$3")"; fi
}

notes=$tmp/n.md
printf '# Notes\n\n### What is X?\n\nIt is x.\n\n### Why Y?\n\nBecause.\n' >"$notes"

# ---- 2: the share folder, never the current folder's styles --------------
mkdir -p "$tmp/hostile/styles" "$tmp/hostile/fonts" "$tmp/secret"
echo "SECRET-7f3a" >"$tmp/secret/key.txt"
for f in epub.css cards.css highlight.css booklet.conf; do
	ln -s "$tmp/secret/key.txt" "$tmp/hostile/styles/$f"
done
ln -s "$tmp/secret/key.txt" "$tmp/hostile/fonts/roles.conf"
cp "$notes" "$tmp/hostile/n.md"
(cd "$tmp/hostile" && "$QUIRE" -q -o out n.md) 2>"$tmp/err"
if [ $? = 0 ] && ! unzip -p "$tmp/hostile/out/n.epub" | grep -q SECRET-7f3a &&
	! unzip -p "$tmp/hostile/out/n.apkg" collection.anki2 | grep -q SECRET-7f3a; then
	ok "the current folder's styles/ are not read"
else
	nok "the current folder's styles/ are not read" "$(head -c 300 "$tmp/err")"
fi
share=$("$QUIRE" --print-share)
[ "$share" = "$ROOT" ] && [ -f "$share/styles/epub.css" ] && ok "--print-share names the program's own folder" \
	|| nok "--print-share names the program's own folder" "$share"
# a share folder whose stylesheet links out of it: refused, named, nothing leaks
export QUIRE_SHARE="$tmp/hostile"
run 3 "a stylesheet linking out of the share folder is refused" -q -t epub -o "$tmp/o1" "$notes"
has "the refusal names the stylesheet" "hostile/styles/[a-z]*\.css: error: cannot read the stylesheet: a symbolic link out of its folder" "$tmp/err"
[ ! -e "$tmp/o1/n.epub" ] && ok "no EPUB from a refused stylesheet" || nok "no EPUB from a refused stylesheet"
export QUIRE_SHARE="$tmp/nowhere"
run 3 "--print-share says when the folder has no styles" --print-share
unset QUIRE_SHARE

# named style files: missing, a link out, a FIFO, too big -> usage errors
mkdir -p "$tmp/mystyles"
ln -s ../secret/key.txt "$tmp/mystyles/link.css"
mkfifo "$tmp/fifo.css"
head -c 5000000 /dev/zero | tr '\0' 'a' >"$tmp/big.css"
run 2 "a missing --style is a usage error" -o "$tmp/o2" --style "$tmp/none.css" "$notes"
has "it names the option and the file" "quire: --style $tmp/none.css: No such file" "$tmp/err"
run 2 "a missing --booklet-style is a usage error" -o "$tmp/o2" --booklet-style "$tmp/none.conf" "$notes"
run 2 "a missing --fonts is a usage error" -o "$tmp/o2" --fonts "$tmp/none.conf" "$notes"
run 2 "a --card-style linking out of its folder is refused" -o "$tmp/o2" --card-style "$tmp/mystyles/link.css" "$notes"
run 2 "a FIFO as --style is refused, not waited on" -o "$tmp/o2" --style "$tmp/fifo.css" "$notes"
run 2 "a 5 MB --style is refused" -o "$tmp/o2" --style "$tmp/big.css" "$notes"
[ ! -e "$tmp/o2" ] && ok "refused style files: nothing written" || nok "refused style files: nothing written"

# ---- 15: messages -------------------------------------------------------
printf 'paper = a4\nbody.size = huge\n' >"$tmp/booklet.conf"
run 0 "a booklet style with bad lines builds" -t pdf -o "$tmp/o3" --booklet-style "$tmp/booklet.conf" "$notes"
has "style messages name the style file and line" "^$tmp/booklet.conf:1:1: warning: unknown key 'paper'" "$tmp/err"
has "style messages name the style file and line (2)" "^$tmp/booklet.conf:2:1: warning: bad value 'huge'" "$tmp/err"
run 0 "HTML in the notes builds" -t tree -o "$tmp/o3" input/clean-markdown-notes.md
has "the HTML warning says what was removed" "HTML sanitized: removed 1 element (script) and 2 attributes (class, onclick)" "$tmp/err"
printf '### What is \033]0;owned\007 \033[31mred\033[0m?\n\nIt is.\n' >"$tmp/esc.md"
"$QUIRE" --questions "$tmp/esc.md" >"$tmp/q.tsv" 2>&1
if ! grep -q "$(printf '\033')" "$tmp/q.tsv" && grep -q '\^\[\]0;owned\^G' "$tmp/q.tsv"; then
	ok "--questions shows terminal escapes, never sends them"
else
	nok "--questions shows terminal escapes, never sends them" "$(cat -v "$tmp/q.tsv")"
fi
printf '# Title\n\n### What is X?\n\nIt is.\n' | iconv -t UTF-16LE >"$tmp/u16.md"
run 1 "UTF-16 without a byte order mark is refused" -t tree -o "$tmp/o3" "$tmp/u16.md"
has "with a hint how to convert it" "UTF-16LE text without a byte order mark.*iconv -f UTF-16LE" "$tmp/err"

# ---- 7: two notes files, one output name --------------------------------
mkdir -p "$tmp/a" "$tmp/b"
cp "$notes" "$tmp/a/n.md"
cp "$notes" "$tmp/b/n.md"
cp "$notes" "$tmp/n-print.md"
run 2 "two notes files with one stem are refused" -o "$tmp/o4" "$tmp/a/n.md" "$tmp/b/n.md"
has "the refusal names both and the file" "$tmp/a/n.md and $tmp/b/n.md would both write $tmp/o4/n.pdf" "$tmp/err"
[ ! -e "$tmp/o4" ] && ok "clashing names: nothing written" || nok "clashing names: nothing written"
run 2 "n-print.md beside --impose clashes with n-print.pdf" --impose -t pdf -o "$tmp/o4" "$tmp/a/n.md" "$tmp/n-print.md"
run 0 "without --impose they do not clash" -q -t tree -o "$tmp/o4" "$tmp/a/n.md" "$tmp/n-print.md"

# ---- 9: -o with missing parents -----------------------------------------
run 0 "-o a/b/c makes the parents" -q -t tree -o "$tmp/p/a/b/c" "$notes"
[ -f "$tmp/p/a/b/c/n.tree" ] && ok "-o a/b/c: the output is there" || nok "-o a/b/c: the output is there"
: >"$tmp/p/file"
run 3 "-o below a file is an output error" -q -t tree -o "$tmp/p/file/sub" "$notes"

# ---- 10: the temporary file of a killed run -----------------------------
mkdir -p "$tmp/o5"
echo "half a booklet" >"$tmp/o5/.n.tree.Xy12Z9"
echo "not ours" >"$tmp/o5/.n.tree.keep"
run 0 "a run after a killed one" -q -t tree -o "$tmp/o5" "$notes"
[ ! -e "$tmp/o5/.n.tree.Xy12Z9" ] && ok "the killed run's temporary file is removed" || nok "the killed run's temporary file is removed"
[ -e "$tmp/o5/.n.tree.keep" ] && ok "other hidden files stay" || nok "other hidden files stay"
# a real kill: over its file-size limit (SIGXFSZ), a run dies in the
# middle of writing the booklet; the next booklet's run cleans up
killed=$( (ulimit -f 200; "$QUIRE" -q -t pdf -o "$tmp/o6" tests/corpus/python-fastapi-notes.md; echo $?) 2>/dev/null)
left=$(ls -a "$tmp/o6" 2>/dev/null | grep -c '^\.python-fastapi-notes\.pdf\.')
"$QUIRE" -q -t tree -o "$tmp/o6" tests/corpus/python-fastapi-notes.md   # another output: not its file
kept=$(ls -a "$tmp/o6" | grep -c '^\.python-fastapi-notes\.pdf\.')
"$QUIRE" -q -t pdf -o "$tmp/o6" tests/corpus/python-fastapi-notes.md
after=$(ls -a "$tmp/o6" | grep -c '^\.python-fastapi-notes\.pdf\.')
if [ "$killed" -gt 128 ] && [ "$left" = 1 ] && [ "$kept" = 1 ] && [ "$after" = 0 ]; then
	ok "a killed run's temporary booklet stays until the next booklet, which removes it"
else
	nok "a killed run's temporary booklet stays until the next booklet, which removes it" \
		"exit $killed, left $left, kept $kept, after $after"
fi

# ---- 12: standard input and output --------------------------------------
touch -d '2024-03-01 12:00:00' "$notes"
run 0 "notes from standard input" -q -t epub,tree -o "$tmp/o7" - <"$notes"
[ -f "$tmp/o7/notes.epub" ] && [ -f "$tmp/o7/notes.tree" ] && ok "standard input: outputs named notes.*" \
	|| nok "standard input: outputs named notes.*"
unzip -p "$tmp/o7/notes.epub" EPUB/package.opf >"$tmp/opf" 2>/dev/null
has "standard input redirected from a file: dated by the file" "dcterms:modified\">2024-03-01T" "$tmp/opf"
cat "$notes" | "$QUIRE" -q -t epub -o "$tmp/o8" - 2>"$tmp/err"
unzip -p "$tmp/o8/notes.epub" EPUB/package.opf >"$tmp/opf" 2>/dev/null
year=$(date -u +%Y)
has "standard input from a pipe: dated now, not 1970" "dcterms:modified\">$year-" "$tmp/opf"
"$QUIRE" -q -o - -t epub "$notes" >"$tmp/stdout.epub" 2>"$tmp/err"
if [ $? = 0 ] && unzip -tq "$tmp/stdout.epub" >/dev/null 2>&1 && [ ! -e ./- ] && [ ! -e out/n.epub ]; then
	ok "-o - writes the one output to standard output"
else
	nok "-o - writes the one output to standard output" "$(head -c 200 "$tmp/err")"
fi
run 2 "-o - with three outputs is refused" -o - "$notes"
has "it says why" "writes one file to standard output, and this run would write 3" "$tmp/err"
[ ! -e ./- ] && ok "-o - never makes a folder named -" || nok "-o - never makes a folder named -"

# ---- 16: --lint caps, summary, --strict ---------------------------------
python3 - "$tmp/noans.md" <<'PY'
import sys
open(sys.argv[1], "w").write("# Notes\n\n" + "".join("### What is thing %d?\n\n" % i for i in range(60)))
PY
run 0 "--lint of 60 questions without an answer" --lint "$tmp/noans.md"
n=$(grep -c '\[no-answer\]$' "$tmp/err")
[ "$n" = 21 ] && ok "--lint shows 20 of a kind and a count line" || nok "--lint shows 20 of a kind and a count line" "$n lines"
has "the count says how many more" "noans.md: note: 40 more like the 20 above not shown (-v shows every one) \[no-answer\]" "$tmp/err"
tail -n 1 "$tmp/err" | grep -q "noans.md: lint: 0 errors, 60 warnings" && ok "--lint ends with a summary" \
	|| nok "--lint ends with a summary" "$(tail -n 1 "$tmp/err")"
run 0 "-v shows all" --lint -v "$tmp/noans.md"
[ "$(grep -c '\[no-answer\]$' "$tmp/err")" = 60 ] && ok "--lint -v: all 60" || nok "--lint -v: all 60"
run 1 "--lint --strict fails on warnings" --lint --strict "$tmp/noans.md"
run 0 "--lint --strict passes clean notes" --lint --strict "$notes"
run 2 "--strict without --lint is a usage error" --strict "$notes"

# ---- 16: the progress line, only on a terminal --------------------------
# onpty.py NOTES TTY COMMAND...: run COMMAND with the notes on a slow
# standard input (half now, half 1.5 s later: a run longer than a second
# on any machine) and stderr on a pseudo-terminal (TTY=1) or a pipe
cat >"$tmp/onpty.py" <<'PY'
import os, pty, select, subprocess, sys, threading, time
notes, tty, cmd = open(sys.argv[1], "rb").read(), sys.argv[2] == "1", sys.argv[3:]
m, s = pty.openpty() if tty else os.pipe()
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=s)
os.close(s)
def feed():
    half = len(notes) // 2
    p.stdin.write(notes[:half]); p.stdin.flush()
    time.sleep(1.5)
    p.stdin.write(notes[half:]); p.stdin.close()
threading.Thread(target=feed).start()
out = b""
while True:
    r, _, _ = select.select([m], [], [], 0.5)
    if r:
        try:
            d = os.read(m, 4096)
        except OSError:
            break
        if not d:
            break
        out += d
    elif p.poll() is not None:
        break
p.wait()
while True:   # what it wrote between the last look and its exit
    r, _, _ = select.select([m], [], [], 0.1)
    try:
        d = os.read(m, 4096) if r else b""
    except OSError:
        d = b""
    if not d:
        break
    out += d
sys.stdout.write(out.decode(errors="replace"))
sys.exit(p.returncode)
PY
python3 "$tmp/onpty.py" "$notes" 1 "$QUIRE" -t tree -o "$tmp/o9" - >"$tmp/tty" 2>&1
if grep -q "quire: -: reading the notes (1\.[0-9] s)" "$tmp/tty" && grep -q "wrote $tmp/o9/notes.tree" "$tmp/tty"; then
	ok "a long run shows its progress on a terminal"
else
	nok "a long run shows its progress on a terminal" "$(head -c 300 "$tmp/tty" | cat -v)"
fi
python3 "$tmp/onpty.py" "$notes" 0 "$QUIRE" -t tree -o "$tmp/o9" - >"$tmp/err" 2>&1
if grep -q "wrote" "$tmp/err" && ! grep -q "reading\|$(printf '\r')" "$tmp/err"; then
	ok "no progress line when stderr is not a terminal"
else
	nok "no progress line when stderr is not a terminal" "$(head -c 300 "$tmp/err" | cat -v)"
fi
python3 "$tmp/onpty.py" "$notes" 1 "$QUIRE" -q -t tree -o "$tmp/o9" - >"$tmp/tty" 2>&1
[ ! -s "$tmp/tty" ] && ok "-q: no progress line" || nok "-q: no progress line" "$(head -c 100 "$tmp/tty" | cat -v)"

# ---- 18: --watch --------------------------------------------------------
mkdir -p "$tmp/w"
cp tests/corpus/python-fastapi-notes.md "$tmp/w/n.md"
cp styles/epub.css "$tmp/w/book.css"
printf '\n![A figure](fig.png)\n' >>"$tmp/w/n.md"
python3 tests/fixtures/mkimage.py png 16 16 "$tmp/w/fig.png"
"$QUIRE" --watch -t epub,tree --style "$tmp/w/book.css" -o "$tmp/w/out" "$tmp/w/n.md" 2>"$tmp/w/log" &
watcher=$!
python3 - "$tmp/w" <<'PY' >"$tmp/w/result"
import os, sys, time
d = sys.argv[1]
out = os.path.join(d, "out", "n.epub")
t0 = time.time()
while not (os.path.exists(out) and "watching" in open(os.path.join(d, "log")).read()):
    if time.time() - t0 > 60:
        print("no first build"); sys.exit()
    time.sleep(0.01)
def rebuilt_after(path, edit):
    m0 = os.stat(out).st_mtime_ns
    t = time.time()
    edit()
    while os.stat(out).st_mtime_ns == m0:
        if time.time() - t > 10:
            return None
        time.sleep(0.001)
    return (time.time() - t) * 1000
notes = os.path.join(d, "n.md")
text = open(notes).read()
lat = []
for i in range(5):
    def save(i=i):
        with open(notes, "w") as f:
            f.write(text + "\n### What is new %d?\n\nThis.\n" % i)
    lat.append(rebuilt_after(notes, save))
    time.sleep(0.2)
def by_rename():   # how many editors save
    tmp = notes + ".swp~"
    with open(tmp, "w") as f:
        f.write(text + "\n### What is renamed?\n\nThis.\n")
    os.rename(tmp, notes)
lat_rename = rebuilt_after(notes, by_rename)
time.sleep(0.2)
css = os.path.join(d, "book.css")
lat_css = rebuilt_after(css, lambda: open(css, "a").write("\n/* changed */\n"))
time.sleep(0.2)
fig = os.path.join(d, "fig.png")
picture = open(fig, "rb").read()
lat_fig = rebuilt_after(fig, lambda: open(fig, "wb").write(picture + b"\0"))
print("latencies", " ".join("%.0f" % x if x is not None else "none" for x in lat + [lat_rename, lat_css, lat_fig]))
PY
sleep 0.3
kill -INT $watcher
wait $watcher
wrc=$?
watcher=
read -r what lat <"$tmp/w/result"
set -- $lat
if [ "$what" = latencies ] && [ $# = 8 ] && ! echo "$lat" | grep -q none; then
	ok "--watch rebuilds on a save, on a save by rename, on a style change and on an image change ($lat ms)"
else
	nok "--watch rebuilds on a save, on a save by rename, on a style change and on an image change" "$what $lat; $(tail -n 3 "$tmp/w/log")"
fi
best=$(echo "$lat" | tr ' ' '\n' | head -n 5 | sort -n | head -n 1)
[ -n "$best" ] && [ "$best" -lt 100 ] 2>/dev/null && ok "--watch: the corpus EPUB replaced within 100 ms of a save (best of 5: $best ms)" \
	|| nok "--watch: the corpus EPUB replaced within 100 ms of a save" "best $best ms"
[ "$(grep -c 'n.md: rebuilt in [0-9]* ms' "$tmp/w/log")" -ge 8 ] && ok "--watch: one report line per rebuild" \
	|| nok "--watch: one report line per rebuild" "$(tail -n 5 "$tmp/w/log")"
grep -q "quire: wrote" "$tmp/w/log" && [ "$(grep -c 'quire: wrote' "$tmp/w/log")" = 2 ] && ok "--watch: rebuilds do not list each file" \
	|| nok "--watch: rebuilds do not list each file"
[ "$wrc" = 0 ] && ok "--watch: Ctrl-C ends it with status 0" || nok "--watch: Ctrl-C ends it with status 0" "exit $wrc"
ls -a "$tmp/w/out" | grep -q '^\.n\.' && nok "--watch: no temporary file left" || ok "--watch: no temporary file left"
run 2 "--watch with -o - is refused" --watch -o - -t tree "$notes"

# ---- 11: make quire while quire runs ------------------------------------
mkdir -p "$tmp/m/build/lib"
cp Makefile "$tmp/m/"
cp "$QUIRE" "$tmp/m/quire"
touch -d '2020-01-01' "$tmp/m/quire"
for m in pdf epub apkg; do : >"$tmp/m/build/lib/quire-$m.so"; done
cp "$QUIRE" "$tmp/m/build/quire"
printf 'new build' >>"$tmp/m/build/quire"
(cd "$tmp/m" && QUIRE_MODULES=$(dirname "$QUIRE")/lib exec ./quire --watch -q -t tree -o out "$notes" 2>/dev/null) &
watcher=$!
sleep 0.5
if (cd "$tmp/m" && make -s quire BUILD=build >"$tmp/make.log" 2>&1) && cmp -s "$tmp/m/quire" "$tmp/m/build/quire"; then
	ok "make quire while ./quire runs (replaced by a rename)"
else
	nok "make quire while ./quire runs (replaced by a rename)" "$(head -c 300 "$tmp/make.log")"
fi
kill -INT $watcher 2>/dev/null
wait $watcher 2>/dev/null
watcher=

# ---- 14: the man pages and the documents agree --------------------------
for page in quire.1 quire-notes.5; do
	w=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$w" ] && ok "$page renders without warnings" || nok "$page renders without warnings" "$w"
done
groff -man -Tutf8 -P-cbu quire-notes.5 2>/dev/null >"$tmp/notes5"
has "quire-notes(5): a line starting with ... is text" '\$ *\.\.\.),' "$tmp/notes5"
has "quire-notes(5): **What is X?** as written" '(\*\*What is X?\*\*)' "$tmp/notes5"
groff -man -Tutf8 -P-cbu quire.1 2>/dev/null >"$tmp/man1"
"$QUIRE" --help >"$tmp/help"
for doc in README.md "$tmp/help" "$tmp/man1"; do
	name=$(basename "$doc")
	grep -q "4 out of memory\|^ *4 *$\|4 *Out of memory" "$doc" && grep -q "QUIRE_SHARE" "$doc" \
		&& grep -q "\-\-strict" "$doc" && ok "$name: exit status 4, QUIRE_SHARE and --strict" \
		|| nok "$name: exit status 4, QUIRE_SHARE and --strict"
done
grep -A3 'BR \\-v ", " \\-\\-verbose' quire.1 | grep -q "every message" && grep -q "every message (no limit per kind)" "$tmp/help" \
	&& ok "man page and --help say the same of -v" || nok "man page and --help say the same of -v"
if grep -n '\.\./\|/work/' README.md; then nok "README points only inside the repository"; else ok "README points only inside the repository"; fi
# the outputs take the user's umask (read once, before any thread)
for um in 022 027 077; do
	rm -rf "$tmp/um"
	(umask $um && "$QUIRE" -q -t tree,epub -o "$tmp/um" "$notes") 2>/dev/null
	want=$(printf '%o' $((0666 & ~0$um)))
	got="$(stat -c %a "$tmp/um/n.tree" 2>/dev/null) $(stat -c %a "$tmp/um/n.epub" 2>/dev/null)"
	[ "$got" = "$want $want" ] && ok "outputs under umask $um are mode $want" \
		|| nok "outputs under umask $um are mode $want" "got $got"
done
# every long option of --help is in the man page and in the completions
missing=""
for o in $(grep -o '\-\-[a-z-]*' "$tmp/help" | sort -u); do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" quire.1 || missing="$missing man:$o"
	grep -q -- "$o" completion/quire.bash || missing="$missing bash:$o"
	grep -q -- "$o" completion/_quire || missing="$missing zsh:$o"
done
[ -z "$missing" ] && ok "every option of --help is in the man page and the completions" \
	|| nok "every option of --help is in the man page and the completions" "$missing"
comp=$(bash -c '. completion/quire.bash; COMP_WORDS=(quire -t pdf,e); COMP_CWORD=2; _quire; echo "${COMPREPLY[@]}"')
[ "$comp" = "pdf,epub" ] && ok "bash completion of -t" || nok "bash completion of -t" "$comp"
exit 0
