#!/bin/sh
# words.sh - the outputs' own words are in the notes' language
# (render/words.h): a Spanish note's EPUB says "Índice" in its navigation,
# its title page and its booklet say "3 preguntas en 2 secciones", its
# footnotes are "Notas", its self-test edition links "Respuesta", an
# untitled `> [!warning]` is titled "Advertencia"; a
# Chinese note's say 目录 and 共2道题，分为1节; a Spanish note without
# `lang:` gets Spanish words too (the reader detects the language); an
# English note keeps English. epubcheck stays clean for the Spanish and
# the Chinese books in both answer modes. One "ok"/"not ok" line each.
NAME=words
. "$(dirname "$0")/lib.sh"
JAR=/usr/share/java/epubcheck.jar

# has NAME TEXT FILE: FILE holds TEXT (a fixed string)
has() {
	if grep -Fq -- "$2" "$3"; then ok "$1"; else nok "$1" "no '$2' in: $(head -c 300 "$3")"; fi
}

cat >"$tmp/es.md" <<'NOTES'
---
title: Apuntes de redes
lang: es
---

# Conceptos básicos

## ¿Qué es una dirección IP?

Un número que identifica a un equipo en una red.[^1]

## ¿Qué es un puerto?

Un número que identifica un servicio dentro de un equipo.

# Protocolos

## ¿Qué hace TCP?

Ofrece una conexión fiable y ordenada.

> [!warning]
> No garantiza la entrega a tiempo.

[^1]: IPv4 o IPv6.
NOTES
sed '/^lang:/d; s/^title: .*/title: Apuntes sin lang/' "$tmp/es.md" >"$tmp/detected.md"
cat >"$tmp/zh.md" <<'NOTES'
---
title: 网络笔记
lang: zh-CN
---

# 基础

## 什么是 IP 地址？

在网络中标识一台主机的数字。

## 什么是端口？

标识主机上某个服务的数字。
NOTES
cat >"$tmp/en.md" <<'NOTES'
---
title: Networks
---

# Basics

## What is an IP address?

A number that names a host on a network.
NOTES

mkdir -p "$tmp/in" "$tmp/pop"
run 0 "builds the four notes" -q -o "$tmp/in" "$tmp/es.md" "$tmp/zh.md" "$tmp/detected.md" "$tmp/en.md"
run 0 "builds the self-test editions" -q -t epub --epub-answers=popup -o "$tmp/pop" "$tmp/es.md" "$tmp/zh.md"

# the parts of a book as text: part EPUB FILE OUT
part() { unzip -p "$1" "EPUB/$2" >"$3" 2>/dev/null; }

part "$tmp/in/es.epub" nav.xhtml "$tmp/es-nav"
has "es: the navigation's heading" "<h1>Índice</h1>" "$tmp/es-nav"
has "es: the landmarks" ">Cubierta</a>" "$tmp/es-nav"
has "es: the title page in the navigation" ">Portada</a>" "$tmp/es-nav"
part "$tmp/in/es.epub" title.xhtml "$tmp/es-title"
has "es: the EPUB's count line" "3 preguntas en 2 secciones" "$tmp/es-title"
has "es: the chapters' counts" "<span class=\"count\">1 pregunta</span>" "$tmp/es-title"
part "$tmp/in/es.epub" ch0001.xhtml "$tmp/es-ch"
has "es: the footnotes' heading" ">Notas</h2>" "$tmp/es-ch"
has "es: the booklet page beside a question" "title=\"página 1 del cuadernillo impreso\">p." "$tmp/es-ch"
part "$tmp/in/es.epub" ch0002.xhtml "$tmp/es-ch2"
has "es: a callout's title" "<p class=\"callout-title\">Advertencia</p>" "$tmp/es-ch2"
part "$tmp/pop/es.epub" ch0001.xhtml "$tmp/es-pop"
has "es: the pop-up answers' heading" ">Respuestas</h2>" "$tmp/es-pop"
has "es: the link to an answer" ">Respuesta</a>" "$tmp/es-pop"
part "$tmp/pop/es.epub" title.xhtml "$tmp/es-poptitle"
has "es: the self-test line" "Edición de autoevaluación" "$tmp/es-poptitle"
part "$tmp/in/detected.epub" nav.xhtml "$tmp/det-nav"
has "es without lang: the detected language's words" "<h1>Índice</h1>" "$tmp/det-nav"
part "$tmp/in/zh.epub" nav.xhtml "$tmp/zh-nav"
has "zh: the navigation's heading" "<h1>目录</h1>" "$tmp/zh-nav"
part "$tmp/in/zh.epub" title.xhtml "$tmp/zh-title"
has "zh: the EPUB's count line" "共2道题，分为1节" "$tmp/zh-title"
part "$tmp/in/en.epub" nav.xhtml "$tmp/en-nav"
has "en: the navigation's heading" "<h1>Contents</h1>" "$tmp/en-nav"

if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$tmp/in/es.pdf" "$tmp/es.txt"
	has "es: the booklet's count line" "3 preguntas en 2 secciones" "$tmp/es.txt"
	has "es: the booklet's contents" "Índice" "$tmp/es.txt"
	has "es: the booklet's title page foot" "Compuesto con quire a partir de es.md el 2023-11-14" "$tmp/es.txt"
	pdftotext "$tmp/in/zh.pdf" "$tmp/zh.txt"
	has "zh: the booklet's count line" "共2道题，分为1节" "$tmp/zh.txt"
	pdftotext "$tmp/in/en.pdf" "$tmp/en.txt"
	has "en: the booklet's count line" "1 question in 1 section" "$tmp/en.txt"
else
	echo "# skip the booklets: no pdftotext (make deps-test)"
fi

# the deck's description, in the collection
python3 - "$tmp/in/es.apkg" <<'EOF_PY'
import json, sqlite3, sys, tempfile, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
name = "collection.anki21" if "collection.anki21" in z.namelist() else "collection.anki2"
d = tempfile.mkdtemp()
p = os.path.join(d, "c.db")
open(p, "wb").write(z.read(name))
decks = json.loads(sqlite3.connect(p).execute("SELECT decks FROM col").fetchone()[0])
desc = " ".join(v.get("desc", "") for v in decks.values())
print("ok - words: es: the deck's description" if "Creado con quire" in desc
      else "not ok - words: es: the deck's description: %r" % desc)
EOF_PY

if [ -f "$JAR" ] && command -v java >/dev/null 2>&1; then
	for b in "$tmp/in/es.epub" "$tmp/in/zh.epub" "$tmp/pop/es.epub" "$tmp/pop/zh.epub"; do
		t=$(basename "$(dirname "$b")")/$(basename "$b")
		if java -jar "$JAR" "$b" >"$tmp/ec" 2>&1 \
		   && grep -q "No errors or warnings detected" "$tmp/ec"; then
			ok "epubcheck $t"
		else
			nok "epubcheck $t" "$(grep -E 'ERROR|WARNING|FATAL' "$tmp/ec" | head -n 5)"
		fi
	done
else
	echo "# skip epubcheck: $JAR or java missing (make deps-test)"
fi
