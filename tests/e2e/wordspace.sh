#!/bin/sh
# wordspace.sh - no justified line of a booklet has a word space over
# twice the normal one (issue 15), measured from pdftotext -bbox-layout by
# tests/wordspace.py, on the corpus (where present), input/, the test
# corpus and notes written here to provoke loose lines: long identifiers,
# file names and URLs in narrow measures, CJK with Latin words.
NAME="word spaces"
. "$(dirname "$0")/lib.sh"

python3 - "$tmp" <<'PY'
import os, sys
d = sys.argv[1]
lines = [
    "requirements.txt → simple list of dependencies (pip freeze > requirements.txt) and pyproject.toml for builds.",
    "Streaming responses using StreamingResponse from starlette.responses, or FileResponse for files on disk.",
    "Override a dependency with app.dependency_overrides[get_db] = override_get_db in tests of the application.",
    "Use copy.deepcopy() for nested objects, copy.copy() for shallow ones, and dict(original) otherwise.",
    "The path /usr/share/hyphen/hyph_en_US.dic holds the patterns; os.path.join(base_dir, 'config.yaml') builds one.",
    "光被散射了，所以天空是蓝色的。我们使用 Java 和 Python 语言编写程序，JVM 负责运行字节码并管理内存。",
]
text = "# Loose lines\n\n## Identifiers\n\n"
for i in range(12):
    text += "### %d. Question number %d about identifiers?\n\n" % (i + 1, i + 1)
    text += " ".join(lines[(i + k) % len(lines)] for k in range(3)) + "\n\n"
open(os.path.join(d, "loose.md"), "w").write(text)
PY

check() {
	name=$1 notes=$2
	out="$tmp/out-$name"
	if ! "$QUIRE" -q -t pdf -o "$out" "$notes" 2>/dev/null; then
		nok "$name" "quire failed"
		return
	fi
	for pdf in "$out"/*.pdf; do
		if r=$(python3 tests/wordspace.py "$pdf"); then
			echo "ok - word spaces at most twice normal: $name"
		else
			echo "not ok - word spaces at most twice normal: $name: $(echo "$r" | head -3)"
		fi
	done
}

check loose "$tmp/loose.md"
for f in input/*.md tests/corpus/*.md tests/golden/edge-cases.md; do
	[ -f "$f" ] && check "$(basename "$f" .md)" "$f"
done
exit 0
