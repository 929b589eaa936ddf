#!/bin/sh
# vault.sh - Obsidian Spaced Repetition's settings from the vault the notes
# are in: the separators and flashcard tags of the nearest vault's
# `.obsidian/plugins/obsidian-spaced-repetition/data.json` are used (a
# --lint note names them), the command line and the front matter win, a
# vault above the nearest one is never read, and a settings file that is
# too big, not JSON, not an object or not a regular file is a warning with
# the defaults kept. Nothing of the file reaches an output. One
# "ok"/"not ok" line each.
NAME=vault
. "$(dirname "$0")/lib.sh"

sr=.obsidian/plugins/obsidian-spaced-repetition
v=$tmp/vault
mkdir -p "$v/$sr" "$v/course/week1"
cat >"$v/$sr/data.json" <<'JSON'
{
	"settings": {
		"flashcardTags": ["#flashcard/active"],
		"singleLineCardSeparator": ":@:",
		"singleLineReversedCardSeparator": "::@::",
		"multilineCardSeparator": "?@?",
		"multilineReversedCardSeparator": "??@??",
		"tagsToReview": ["#review"],
		"SECRET-SETTING": "SECRET-VALUE"
	},
	"buryList": ["SECRET-REVIEW-DATA"]
}
JSON
cat >"$v/course/week1/notes.md" <<'NOTES'
---
tags:
  - flashcard/active/course
---

# Week 1

- asset :@: a resource the business controls
- equity ::@:: assets less liabilities

What does a ledger hold?
?@?
The accounts.

Colour ==red== of the sign.
NOTES
q=$("$QUIRE" --questions "$v/course/week1/notes.md" 2>/dev/null)
if printf '%s\n' "$q" | grep -q "^8	asset$" && printf '%s\n' "$q" | grep -q "^9	equity$" \
   && printf '%s\n' "$q" | grep -q "^11	What does a ledger hold?$"; then
	ok "the vault's separators make the cards"
else
	nok "the vault's separators make the cards" "$q"
fi
"$QUIRE" --lint "$v/course/week1/notes.md" >"$tmp/lint" 2>&1
if grep -q "data.json: note: Obsidian Spaced Repetition's settings used.*'::@::'.*flashcard tags #flashcard/active" "$tmp/lint"; then
	ok "--lint names the settings used"
else
	nok "--lint names the settings used" "$(cat "$tmp/lint")"
fi
"$QUIRE" -q -t tree,epub,apkg -o "$tmp/out" "$v/course/week1/notes.md"
clozes=$(cd "$tmp/out" && python3 -c "
import sqlite3, tempfile, zipfile
d = tempfile.mkdtemp(); zipfile.ZipFile('notes.apkg').extract('collection.anki2', d)
print(sum('{{c1::red}}' in f for (f,) in sqlite3.connect(d + '/collection.anki2').execute('SELECT flds FROM notes')))")
if [ "$clozes" = 1 ]; then
	ok "a flashcard tag of the vault makes highlights clozes"
else
	nok "a flashcard tag of the vault makes highlights clozes" "$clozes cloze notes"
fi
if grep -rqa "SECRET" "$tmp/out" || unzip -p "$tmp/out/notes.epub" 2>/dev/null | grep -qa SECRET; then
	nok "nothing else of the settings reaches an output"
else
	ok "nothing else of the settings reaches an output"
fi

# the command line wins
q=$("$QUIRE" --questions --card-separators ';;' "$v/course/week1/notes.md" 2>/dev/null)
if printf '%s\n' "$q" | grep -q "^8	asset$"; then
	nok "--card-separators wins over the vault" "$q"
else
	ok "--card-separators wins over the vault"
fi

# the nearest vault: a vault inside the vault has no settings, the one
# above it is not read
mkdir -p "$v/inner/.obsidian"
cp "$v/course/week1/notes.md" "$v/inner/notes.md"
q=$("$QUIRE" --questions "$v/inner/notes.md" 2>/dev/null)
if printf '%s\n' "$q" | grep -q "asset"; then
	nok "a vault above the nearest one is not read" "$q"
else
	ok "a vault above the nearest one is not read"
fi

# notes outside any vault: the defaults
mkdir -p "$tmp/plain"
printf '#flashcards\n\nCapital of France::Paris\n' >"$tmp/plain/notes.md"
q=$("$QUIRE" --questions "$tmp/plain/notes.md" 2>/dev/null)
case $q in *"Capital of France"*) ok "notes outside a vault keep the defaults" ;;
	*) nok "notes outside a vault keep the defaults" "$q" ;; esac

# nested values in the settings are skipped, the keys after them read
printf '{"settings": {"deep": [[[[{"a": [1, {"b": 2}]}]]]], "singleLineCardSeparator": ";;"}}' >"$v/$sr/data.json"
printf '#flashcards\n\nCapital of Spain;;Madrid\n' >"$v/course/week1/deep.md"
q=$("$QUIRE" --questions "$v/course/week1/deep.md" 2>/dev/null)
case $q in *"Capital of Spain"*) ok "nested values are skipped, the settings after them used" ;;
	*) nok "nested values are skipped, the settings after them used" "$q" ;; esac

# the cloze settings: the patterns (bold read from cmark's bold, a pattern
# of the user's own), or the older switches when there are none; only in
# tagged notes; a template's {{ name }} stays text
cloze_text() {
	"$QUIRE" -q -t apkg -o "$tmp/cz" "$1" && (cd "$tmp/cz" && python3 -c "
import sqlite3, sys, tempfile, zipfile
d = tempfile.mkdtemp(); zipfile.ZipFile(sys.argv[1]).extract('collection.anki2', d)
for (f,) in sqlite3.connect(d + '/collection.anki2').execute('SELECT flds FROM notes'): print(f.split(chr(31))[0])" "$2")
}
printf '{"settings": {"clozePatterns": ["**[123;;]answer[;;hint]**", "{@{answer}@}", "{{[123::]answer[::hint]}}"]}}' >"$v/$sr/data.json"
printf '#flashcards\n\n**Paris** is in {@{France}@} on {{2::the Seine::a river}}; ==Lyon== is a highlight, {{ name }} text.\n' >"$v/course/week1/cloze.md"
t=$(cloze_text "$v/course/week1/cloze.md" cloze.apkg)
case $t in *"{{c3::Paris}} is in {{c4::France}} on {{c2::the Seine::a river}}; <mark>Lyon</mark> is a highlight, {&#123; name }} text."*)
	ok "the vault's cloze patterns make the clozes" ;;
	*) nok "the vault's cloze patterns make the clozes" "$t" ;; esac
"$QUIRE" --lint "$v/course/week1/cloze.md" >"$tmp/lint" 2>&1
if grep -q "settings used.*cloze patterns \*\*\[123;;\]answer\[;;hint\]\*\*, {@{answer}@}" "$tmp/lint"; then
	ok "--lint names the cloze patterns"
else
	nok "--lint names the cloze patterns" "$(cat "$tmp/lint")"
fi
sed 's/^#flashcards$/#biology/' "$v/course/week1/cloze.md" >"$v/course/week1/untagged.md"
t=$(cloze_text "$v/course/week1/untagged.md" untagged.apkg)
case $t in "") ok "untagged notes: no clozes of the patterns" ;;
	*) nok "untagged notes: no clozes of the patterns" "$t" ;; esac
printf '{"settings": {"convertHighlightsToClozes": false, "convertBoldTextToClozes": false, "convertCurlyBracketsToClozes": true}}' >"$v/$sr/data.json"
printf '#flashcards\n\n{{Rome}} is on the ==Tiber==.\n' >"$v/course/week1/old.md"
t=$(cloze_text "$v/course/week1/old.md" old.apkg)
case $t in *"{{c1::Rome}} is on the <mark>Tiber</mark>."*) ok "the older switches: curly brackets on, highlights off" ;;
	*) nok "the older switches: curly brackets on, highlights off" "$t" ;; esac

# hostile settings files: each a warning, the defaults kept, exit 0
bad() {
	what=$1
	cp "$tmp/plain/notes.md" "$v/course/week1/plain.md"
	"$QUIRE" --questions "$v/course/week1/plain.md" >"$tmp/q" 2>/dev/null
	"$QUIRE" --lint "$v/course/week1/plain.md" >"$tmp/err" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && grep -q "Capital of France" "$tmp/q" && grep -q "data.json.*warning.*\[vault\]" "$tmp/err"; then
		ok "$what: a warning, the defaults kept"
	else
		nok "$what: a warning, the defaults kept" "exit $rc: $(head -c 300 "$tmp/err") $(cat "$tmp/q")"
	fi
}
printf '{"settings": {"singleLineCardSeparator": ":@:",' >"$v/$sr/data.json"
bad "broken JSON"
printf '["not", "an", "object"]' >"$v/$sr/data.json"
bad "a JSON list"
python3 -c "import sys; sys.stdout.write('[' * 200000 + ']' * 200000)" >"$v/$sr/data.json"
bad "deep nesting"
python3 -c "import sys; sys.stdout.write('{\"settings\": {\"x\": ' + '[' * 200000 + ']' * 200000 + '}}')" >"$v/$sr/data.json"
bad "nesting 200,000 deep"
python3 -c "import sys; sys.stdout.write('{\"settings\": {\"x\": \"' + 'a' * (2 << 20) + '\"}}')" >"$v/$sr/data.json"
bad "a file over 1 MB"
printf '{"settings": {"singleLineCardSeparator": "a very long separator", "flashcardTags": "x"}}' >"$v/$sr/data.json"
bad "separators and tags quire cannot use"
rm -f "$v/$sr/data.json"
mkfifo "$v/$sr/data.json" 2>/dev/null && {
	bad "a FIFO"
	rm -f "$v/$sr/data.json"
}
mkdir "$v/$sr/data.json"
bad "a folder"
exit 0
