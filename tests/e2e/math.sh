#!/bin/sh
# math.sh - formulas in all three outputs (issue 14), end to end: the
# notes of tests/math/formulas.txt (every formula of the subset, inline in
# a sentence or displayed) with prices and shell variables in the prose.
#   EPUB: epubcheck 0 fatals / 0 errors / 0 warnings; every formula is a
#         MathML <math> with its TeX in alttext; each chapter holding one
#         is declared `mathml` in the package; the golden MathML file is
#         well-formed XML (xmllint).
#   Anki: the cards (question and cloze notes) hold \(...\) / \[...\]
#         in tex2jax_process spans.
#   PDF:  a booklet is written; a formula copies as its TeX in $ or $$
#         (ActualText) on the line of its sentence, and the prices stay
#         as written.
#   A formula outside the subset is a warning naming its line and command.
NAME=math
. "$(dirname "$0")/lib.sh"
JAR=/usr/share/java/epubcheck.jar

awk 'BEGIN { print "# Formulas\n\nA coffee costs $5 and a cake $10; echo $HOME/$USER.\n" }
/^[id] / { n++; tex = substr($0, 3)
	if ($1 == "d") printf "Display %d:\n\n$$\n%s\n$$\n\n", n, tex
	else printf "Formula %d is $%s$ here.\n\n", n, tex }' tests/math/formulas.txt > "$tmp/formulas.md"
nf=$(grep -c '^[id] ' tests/math/formulas.txt)

if ! "$QUIRE" -q -t pdf,epub,apkg -o "$tmp" "$tmp/formulas.md" 2>"$tmp/err"; then
	nok "build" "$(head -3 "$tmp/err")"
	exit 1
fi
if [ -s "$tmp/err" ]; then nok "no warnings" "$(head -3 "$tmp/err")"; else ok "$nf formulas build without a warning"; fi

# ---- EPUB ------------------------------------------------------------------
if [ -r "$JAR" ] && command -v java >/dev/null; then
	java -jar "$JAR" "$tmp/formulas.epub" >"$tmp/check.txt" 2>&1
	if grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$tmp/check.txt"; then
		ok "epubcheck 0/0 on the formulas"
	else
		nok "epubcheck" "$(grep -E 'ERROR|WARNING|Messages' "$tmp/check.txt" | head -5)"
	fi
else
	ok "epubcheck # SKIP epubcheck or java missing"
fi
python3 - "$tmp/formulas.epub" "$nf" >"$tmp/py.txt" 2>&1 <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf = z.read("EPUB/package.opf").decode()
maths = 0
for name in z.namelist():
    if not re.match(r"EPUB/ch\d+\.xhtml$", name):
        continue
    x = z.read(name).decode()
    n = len(re.findall(r'<math xmlns="http://www.w3.org/1998/Math/MathML"[^>]* alttext="', x))
    maths += n
    item = re.search(r'<item [^>]*href="%s"[^>]*/>' % re.escape(name[5:]), opf).group(0)
    if (n > 0) != ('properties="mathml"' in item):
        print("not ok - math: %s has %d formulas, its item says %s" % (name, n, item))
    if 'class="math">$' in x or "tex2jax" in x:
        print("not ok - math: %s shows a formula as TeX" % name)
if maths != int(sys.argv[2]):
    print("not ok - math: %d MathML formulas in the book, %s in the notes" % (maths, sys.argv[2]))
else:
    print("ok - math: every formula is MathML with alttext, its chapters declared mathml")
EOF
cat "$tmp/py.txt"
bad=0
while IFS= read -r l; do
	printf '<r xmlns="http://www.w3.org/1999/xhtml">%s</r>' "$l" | xmllint --noout - 2>/dev/null || bad=$((bad + 1))
done < tests/math/formulas.mathml
if [ "$bad" = 0 ]; then ok "golden MathML is well-formed XML"; else nok "golden MathML" "$bad lines are not well-formed"; fi

# ---- Anki ------------------------------------------------------------------
mkdir "$tmp/deck" && (cd "$tmp/deck" && unzip -q ../formulas.apkg)
# fields_of NAME: the note fields of the deck built from $tmp/NAME.md
fields_of() {
	"$QUIRE" -q -t apkg -o "$tmp" "$tmp/$1.md"
	mkdir "$tmp/$1" && (cd "$tmp/$1" && unzip -q "../$1.apkg")
	sqlite3 "$(ls "$tmp/$1"/collection.anki2* 2>/dev/null | head -1)" "select flds from notes" 2>/dev/null
}
printf '# Deck\n\n## What is the area of a circle?\n\n$A = \\pi r^2$, or\n\n$$\n\\int_0^r 2\\pi t\\,dt\n$$\n' > "$tmp/card.md"
flds=$(fields_of card)
case "$flds" in
*'<span class="math tex2jax_process">\(A = \pi r^2\)</span>'*'<div class="math tex2jax_process">\['*'\int_0^r 2\pi t\,dt'*'\]</div>'*)
	ok "cards hold \\(...\\) and \\[...\\] for MathJax" ;;
*) nok "cards" "$(printf '%s' "$flds" | head -c 300)" ;;
esac
printf '# Deck\n\nThe circle {{c1::of radius r}} has the area $\\pi r^2$.\n' > "$tmp/cloze.md"
flds=$(fields_of cloze)
case "$flds" in
*'{{c1::of radius r}} has the area <span class="math tex2jax_process">\(\pi r^2\)</span>'*)
	ok "cloze notes hold \\(...\\) for MathJax too" ;;
*) nok "cloze notes" "$(printf '%s' "$flds" | head -c 300)" ;;
esac

# a display written in a line of text is one in all three outputs: the
# reader splits its paragraph (KaTeX, Obsidian and GitHub show it so)
printf '# Energy\n\n## What is the energy of a body at rest?\n\nAt rest it is $$ E = mc^2 $$ where $m$ is the mass.\n' > "$tmp/inpar.md"
flds=$(fields_of inpar)
"$QUIRE" -q -t pdf,epub -o "$tmp" "$tmp/inpar.md"
xh=$(unzip -p "$tmp/inpar.epub" 'EPUB/ch*.xhtml')
pdftotext "$tmp/inpar.pdf" "$tmp/inpar.txt"
case "$flds" in
*'<p>At rest it is</p>'*'<div class="math tex2jax_process">\[ E = mc^2 \]</div>'*'<p>where '*)
	if printf '%s' "$xh" | grep -q '<math [^>]*display="block" alttext=" E = mc^2 "' \
	   && grep -qx 'At rest it is' "$tmp/inpar.txt" && grep -q '^where \$m\$ is the mass' "$tmp/inpar.txt"; then
		ok "a display inside a paragraph is displayed in the booklet, the EPUB and the cards"
	else
		nok "display inside a paragraph" "$(grep -m3 'rest\|where' "$tmp/inpar.txt")"
	fi ;;
*) nok "display inside a paragraph, cards" "$(printf '%s' "$flds" | head -c 300)" ;;
esac

# ---- PDF -------------------------------------------------------------------
pdftotext "$tmp/formulas.pdf" "$tmp/pdf.txt"
if grep -q 'costs \$5 and a cake \$10; echo \$HOME/\$USER' "$tmp/pdf.txt"; then
	ok "prices and shell variables stay text in the booklet"
else
	nok "prices" "$(grep -m1 coffee "$tmp/pdf.txt")"
fi
if grep -qF 'Formula 10 is $e^{i\pi} + 1 = 0$ here.' "$tmp/pdf.txt" \
   && grep -qF 'Formula 4 is $2x + 3y = 7$ here' "$tmp/pdf.txt" \
   && grep -qxF '\sum_{i=1}^{n} i = \frac{n(n+1)}{2}' "$tmp/pdf.txt"; then
	ok "a formula copies as its TeX, on the line of its sentence"
else
	nok "copy and paste" "$(grep -m2 'Formula 4 \|Formula 10 ' "$tmp/pdf.txt")"
fi

# ---- outside the subset ----------------------------------------------------
printf 'Known $x$ and\n\nunknown $\\foo{x}$ and $\\frac{a}$.\n' > "$tmp/bad.md"
"$QUIRE" -t pdf -o "$tmp" "$tmp/bad.md" 2>"$tmp/bad.err"
if grep -q 'bad.md:3:.*warning: formula not typeset (\\foo is not known); shown as its TeX \[math\]' "$tmp/bad.err" \
   && grep -q 'bad.md:3:.*(an argument is missing at the end)' "$tmp/bad.err" \
   && pdftotext "$tmp/bad.pdf" - | grep -q '\\foo{x}'; then
	ok "a formula outside the subset is its TeX, with a warning naming line and command"
else
	nok "outside the subset" "$(cat "$tmp/bad.err")"
fi
