#!/bin/sh
# reader.sh - what the reader must show on the real corpus and on big
# notes: no mojibake left, the three aligned tables, comments not made
# headings, the lint counts, parts read in parallel equal one part.
NAME=reader
. "$(dirname "$0")/lib.sh"
corpus=tests/corpus/python-fastapi-notes.md

if [ -f "$corpus" ]; then
	"$QUIRE" -q -t tree -o "$tmp" "$corpus"
	tree=$tmp/python-fastapi-notes.tree
	python3 - "$tree" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
moji = re.compile('(\uf8ff|\u201a\u00c4|\u201a\u00fa|\u201a\u00f9|\u201a\u00dc|\u00fc\u00eb|\u00c3[\u00a0-\u00bf]|\u00e2\u20ac)')
n = len(moji.findall(t))
print(("ok" if n == 0 else "not ok") + " - corpus: no mojibake left in the tree (%d found)" % n)
tables = re.findall(r"table (\d+) cols=(\d+) header guessed", t)
want = [("139", "2"), ("901", "4"), ("1109", "3")]
print(("ok" if tables == want else "not ok") + " - corpus: the three aligned tables %s" % tables)
rows = []
lines = t.split("\n")
for i, l in enumerate(lines):
    m = re.match(r"( *)table \d+ cols=\d+ header guessed", l)
    if m:
        ind = len(m.group(1)) + 2
        k = i + 1
        count = 0
        while k < len(lines) and len(lines[k]) - len(lines[k].lstrip(" ")) >= ind:
            count += lines[k].startswith(" " * ind + "row ")
            k += 1
        rows.append(count)
print(("ok" if rows[:3] == [9, 6, 7] else "not ok") + " - corpus: table rows (header included) %s" % rows[:3])
heads = re.findall(r'section \d+ level=\d+(?: bare)? "([^"]*)"', t)
bad = [h for h in heads if re.match(r"(SELECT|INSERT|LEFT JOIN)", h)]
print(("ok" if not bad else "not ok") + " - corpus: no heading from a # SELECT comment %s" % bad)
codes = re.findall(r"code \d+ lang=(\w+) guessed", t)
print(("ok" if codes.count("python") >= 45 else "not ok")
      + " - corpus: unfenced code found (%d blocks: %s)" % (len(codes), sorted(set(codes))))
PY
	"$QUIRE" --lint "$corpus" 2>"$tmp/lint"
	r=$(grep -c '\[repeat\]' "$tmp/lint")
	[ "$r" = 13 ] && echo "ok - corpus: --lint reports 13 exact repeats" || echo "not ok - corpus: $r repeats reported, want 13"
	grep -q '476 questions, 476 cards, 463 distinct' "$tmp/lint" && echo "ok - corpus: 476 questions, 463 distinct" \
		|| echo "not ok - corpus: counts $(grep summary "$tmp/lint")"
	# --lifted is plain CommonMark (tables as pipe tables) that reads back
	# into the same cards and tables
	"$QUIRE" --lifted "$corpus" >"$tmp/lifted.md" 2>/dev/null
	grep -q 'quire:table' "$tmp/lifted.md" && echo "not ok - --lifted leaves table placeholders" \
		|| echo "ok - --lifted prints tables, no placeholders"
	"$QUIRE" -q -t tree -o "$tmp" "$tmp/lifted.md"
	keys() { grep -o 'key="[^"]*"' "$1"; }
	tabs() { grep -o 'table [0-9]* cols=[0-9]*' "$1" | cut -d' ' -f3; }
	keys "$tree" >"$tmp/k1"
	if keys "$tmp/lifted.tree" | cmp -s - "$tmp/k1"; then
		echo "ok - --lifted reads back into the same $(wc -l <"$tmp/k1") card keys"
	else
		echo "not ok - --lifted reads back into other cards"
	fi
	[ "$(tabs "$tree")" = "$(tabs "$tmp/lifted.tree")" ] && echo "ok - --lifted reads back into the same tables" \
		|| echo "not ok - --lifted tables differ: $(tabs "$tmp/lifted.tree" | tr '\n' ' ')"
	# CRLF line ends: the same model
	sed 's/$/\r/' "$corpus" >"$tmp/crlf.md"
	"$QUIRE" -q -t tree -o "$tmp" "$tmp/crlf.md"
	sed 1d "$tmp/crlf.tree" | cmp -s - "$(sed 1d "$tree" >"$tmp/t1"; echo "$tmp/t1")" \
		&& echo "ok - corpus with CRLF line ends reads the same" || echo "not ok - corpus with CRLF differs"
	# big notes read in parts equal one part
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do cat "$corpus"; done >"$tmp/big.md"
	"$QUIRE" -q -t tree -o "$tmp/a" "$tmp/big.md"
	QUIRE_ONE_PART=1 "$QUIRE" -q -t tree -o "$tmp/b" "$tmp/big.md"
	cmp -s "$tmp/a/big.tree" "$tmp/b/big.tree" && echo "ok - 2.5 MB notes read in parallel parts equal one part" \
		|| echo "not ok - parallel parts differ from one part"
	"$QUIRE" -q -t tree -o "$tmp/c" "$tmp/big.md"
	cmp -s "$tmp/a/big.tree" "$tmp/c/big.tree" && echo "ok - parallel reading is deterministic" \
		|| echo "not ok - parallel reading differs between runs"
else
	echo "# SKIP corpus reader checks: $corpus is not here"
fi

# numbering gaps: text lost between Q72 and Q200 is reported
printf '### Q71. What is A?\nA: a\n\n### Q72. What is B?\nA: b\n\n### Q200. What is C?\nA: c\n\n### Q1. Restart?\nA: new set\n' >"$tmp/gap.md"
"$QUIRE" --lint "$tmp/gap.md" 2>"$tmp/gaplint"
if grep -q 'gap.md:7:1: warning: numbering jumps from Q72 (line 4) to Q200: 127 questions missing' "$tmp/gaplint" \
	&& [ "$(grep -c numbering-gap "$tmp/gaplint")" = 1 ]; then
	echo "ok - --lint reports the Q72 -> Q200 gap, not the restart at Q1"
else
	echo "not ok - numbering gap not reported as expected: $(grep numbering "$tmp/gaplint")"
fi

# a link reference defined far from its use: big notes are then read whole
{
	printf '# Links\n\n## Where are the docs?\n\nSee [the docs][ref] first.\n\n'
	i=0
	while [ $i -lt 800 ]; do
		printf '## Part %d\n\n### What is %d?\n\nSome answer text that fills the notes up.\n\n' $i $i
		i=$((i + 1))
	done
	printf '   [ref]: https://example.org/docs\n'
} >"$tmp/refs.md"
"$QUIRE" -q -t tree -o "$tmp/r" "$tmp/refs.md"
if [ "$(wc -c <"$tmp/refs.md")" -gt 40000 ] && grep -q 'url="https://example.org/docs"' "$tmp/r/refs.tree"; then
	echo "ok - a link reference defined 40 KB after its use resolves"
else
	echo "not ok - the link reference did not resolve across parts"
fi

# Cards made after the lifting (question callouts, question tables) are
# listed with the questions.
printf '> [!question] What is ARP?\n> Address resolution.\n\n| Q | A |\n|---|---|\n| What is TTL? | Time to live. |\n' >"$tmp/late.md"
q=$("$QUIRE" --questions -v "$tmp/late.md")
if printf '%s\n' "$q" | grep -q "^1	What is ARP?	callout$" && printf '%s\n' "$q" | grep -q "^6	What is TTL?	qa-table$"; then
	echo "ok - --questions lists the cards of question callouts and tables"
else
	echo "not ok - --questions lists the cards of question callouts and tables: $q"
fi

for f in input/*.md; do
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat "$f"; done >"$tmp/many.md"
	while [ "$(wc -c <"$tmp/many.md")" -lt 1500000 ]; do cat "$tmp/many.md" "$tmp/many.md" >"$tmp/m2" && mv "$tmp/m2" "$tmp/many.md"; done
	"$QUIRE" -q -t tree -o "$tmp/a" "$tmp/many.md"
	QUIRE_ONE_PART=1 "$QUIRE" -q -t tree -o "$tmp/b" "$tmp/many.md"
	cmp -s "$tmp/a/many.tree" "$tmp/b/many.tree" && echo "ok - $(basename "$f") x many: parts equal one part" \
		|| echo "not ok - $(basename "$f") x many: parts differ"
done
exit 0
