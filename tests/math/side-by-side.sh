#!/bin/sh
# side-by-side.sh - the formulas of tests/math/formulas.txt through quire's
# booklet and through LaTeX (pdflatex, amsmath; Debian's texlive-latex-base
# and texlive-latex-recommended), as PNG pages to look at side by side:
#   tests/math/side-by-side.sh [OUT]      (default OUT: build/math)
# writes OUT/formulas.md, OUT/formulas.pdf (quire), OUT/latex.pdf and
# OUT/quire-N.png, OUT/latex-N.png at 100 dpi. A helper, not a test: it
# skips when pdflatex is not installed.
cd "$(dirname "$0")/../.." || exit 1
out=${1:-build/math}
quire=${QUIRE:-./quire}
mkdir -p "$out"
if ! command -v pdflatex >/dev/null; then
	echo "side-by-side: pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended); skipped"
	exit 0
fi
# The notes: inline formulas in a sentence, displays on lines of their own.
awk 'BEGIN { print "# Formulas\n" }
/^[id] / { n++; tex = substr($0, 3)
	if ($1 == "d") printf "(%d)\n\n$$\n%s\n$$\n\n", n, tex
	else printf "(%d) The formula $%s$ in a sentence.\n\n", n, tex }' \
	tests/math/formulas.txt > "$out/formulas.md"
# The same in LaTeX, on A5 paper with the booklet's measure.
awk 'BEGIN { print "\\documentclass[10pt,a5paper]{article}\n\\usepackage[margin=18mm]{geometry}\n\\usepackage{amsmath,amssymb}\n\\setlength{\\parindent}{0pt}\n\\setlength{\\parskip}{4pt}\n\\pagestyle{empty}\n\\begin{document}" }
/^[id] / { n++; tex = substr($0, 3)
	if ($1 == "d") { if (tex ~ /\\\\/ && tex !~ /begin/) tex = "\\begin{gathered}" tex "\\end{gathered}"
		printf "(%d)\n\\begin{equation*}\n%s\n\\end{equation*}\n\n", n, tex }
	else printf "(%d) The formula $%s$ in a sentence.\n\n", n, tex }
END { print "\\end{document}" }' tests/math/formulas.txt > "$out/latex.tex"
"$quire" -q -t pdf -o "$out" "$out/formulas.md" || exit 1
(cd "$out" && pdflatex -interaction=nonstopmode latex.tex >/dev/null 2>&1)
[ -s "$out/latex.pdf" ] || { echo "side-by-side: pdflatex failed, see $out/latex.log"; exit 1; }
rm -f "$out"/quire-*.png "$out"/latex-*.png
pdftoppm -r 100 -png "$out/formulas.pdf" "$out/quire"
pdftoppm -r 100 -png "$out/latex.pdf" "$out/latex"
echo "side-by-side: $(ls "$out"/quire-*.png | wc -l) quire pages, $(ls "$out"/latex-*.png | wc -l) LaTeX pages in $out"
