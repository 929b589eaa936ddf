#!/bin/sh
# run.sh - golden tests: the study model dump (`quire -t tree`) of every
# test input and sample input must equal tests/golden/expected/<name>.tree;
# on the corpus (tests/corpus) also `--questions` against its .tsv.
# UPDATE=1 tests/golden/run.sh rewrites the expected files.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
exp=tests/golden/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

check_tree() {   # name notes
	name=$1
	notes=$2
	if ! "$QUIRE" -q -t tree -o "$tmp" "$notes" 2>"$tmp/err"; then
		echo "not ok - golden $name: quire failed: $(head -c 300 "$tmp/err")"
		status=1
		return
	fi
	stem=$(basename "$notes" .md)
	if [ -n "$UPDATE" ]; then
		cp "$tmp/$stem.tree" "$exp/$name.tree"
	fi
	if cmp -s "$tmp/$stem.tree" "$exp/$name.tree"; then
		echo "ok - golden $name"
	else
		echo "not ok - golden $name: tree differs from $exp/$name.tree:"
		diff "$exp/$name.tree" "$tmp/$stem.tree" | head -n 20 | sed 's/^/#   /'
		status=1
	fi
}

for f in tests/golden/*.md input/*.md; do
	[ -f "$f" ] && check_tree "$(basename "$f" .md)" "$f"
done

corpus=tests/corpus
if [ -d "$corpus" ]; then
	for f in "$corpus"/*.md; do
		tsv=${f%.md}.questions.tsv
		[ -f "$tsv" ] || continue   # the real notes by others: tests/cards
		name=corpus-$(basename "$f" .md)
		check_tree "$name" "$f"
		"$QUIRE" --questions "$f" >"$tmp/q.tsv" 2>/dev/null
		if tail -n +2 "$tsv" | cmp -s - "$tmp/q.tsv"; then
			echo "ok - questions $name: $(wc -l <"$tmp/q.tsv") lines equal the .tsv"
		else
			echo "not ok - questions $name: --questions differs from $(basename "$tsv")"
			tail -n +2 "$tsv" | diff - "$tmp/q.tsv" | head -n 10 | sed 's/^/#   /'
			status=1
		fi
	done
else
	echo "# SKIP corpus golden tests: $corpus is not here"
fi
exit $status
