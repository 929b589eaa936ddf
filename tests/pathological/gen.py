#!/usr/bin/env python3
"""gen.py NAME BYTES - write one pathological notes input of about BYTES
bytes to stdout: cmark's own pathological cases (test/pathological_tests.py
of cmark) and inputs aimed at each rule of quire's notes dialect. A
reader that is linear in its input reads all of them at about the same
speed per byte.
"""
import sys


def rep(unit, n):
    return unit * max(1, n // len(unit))


def wide_pipe(size, rows, cols=None):
    """A pipe table of about size bytes: many columns and `rows` rows
    (cols None), or many rows of `cols` columns."""
    if cols is None:
        cols = max(2, size // ((rows + 2) * 10))
    else:
        rows = max(2, size // (cols * 9))
    head = "|" + "".join(" h%d |" % c for c in range(cols))
    delim = "|" + "---|" * cols
    body = ["|" + "".join(" r%dc%d |" % (r, c) for c in range(cols)) for r in range(rows)]
    return "\n".join([head, delim] + body) + "\n"


def numbered(n):
    """Exercises numbered on and on (1. to 9999., then again), each
    answered at the margin: one run of numbered-exercise cards."""
    out, size, i = [], 0, 0
    while size < n:
        i = i % 9999 + 1
        s = "%d. Calcula $x_{%d}$\n\nSo:\n\n$$x$$\n\n" % (i, i)
        out.append(s)
        size += len(s)
    return "".join(out)[:n]


CASES = {
    # cmark's pathological tests
    "nested-strong-emph": lambda n: rep("*a **a ", n // 2) + "b" + rep(" a** a*", n // 2),
    "many-emph-closers": lambda n: "a" + rep(" a_", n),
    "many-emph-openers": lambda n: rep("_a ", n) + "b",
    "many-link-closers": lambda n: rep("a]", n),
    "many-link-openers": lambda n: rep("[a", n),
    "mismatched-openers": lambda n: rep("*a_ ", n),
    "openers-for-sections": lambda n: rep("*a_ ", n),
    "nested-brackets": lambda n: rep("[", n // 2) + "a" + rep("]", n // 2),
    "nested-block-quotes": lambda n: rep("> ", n) + "a",
    "deep-lists": lambda n: "".join("  " * i + "- a\n" for i in range(min(5000, n // 4000 + 1))) + rep("- a\n", n // 2),
    "backticks": lambda n: "".join("e" + "`" * i for i in range(1, 2000))[:n] + rep("`a", n // 2),
    "unclosed-links-a": lambda n: rep("[a](<b", n),
    "unclosed-links-b": lambda n: rep("[a](b", n),
    "unclosed-html-tags": lambda n: rep("<a ", n),
    "link-titles": lambda n: rep('[a](b "', n),
    "entity-like": lambda n: rep("&#0000000000000000000000000000", n),
    "unmatched-backticks-3mb-style": lambda n: rep("`", n),
    # quire's own rules
    "star-runs": lambda n: rep("**x ", n),
    "dunder-runs": lambda n: rep("__init__ __name__ ", n),
    "arithmetic": lambda n: rep("2**10*3 ", n),
    "angle-runs": lambda n: rep("List<int", n),
    "pipe-table": lambda n: "| a | b |\n|---|---|\n" + rep("| x | y |\n", n),
    "pipe-one-row": lambda n: "|" + rep(" x |", n) + "\n|" + rep("---|", 200) + "\n",
    "aligned-table": lambda n: "Name    Value    More\n" + rep("aaaa    bbbb     cccc\n", n),
    # tables have no limit of columns or rows (booklet: smaller type, then
    # parts of columns; pathological.sh also sets these in every output)
    "wide-pipe-table": lambda n: wide_pipe(n, 3),
    "long-pipe-table": lambda n: wide_pipe(n, 0, cols=3),
    "wide-aligned-table": lambda n: "\n".join(["  ".join("h%d" % c for c in range(n // 18))]
                                              + ["  ".join("v%d" % c for c in range(n // 18))] * 2) + "\n",
    "aligned-overflow": lambda n: rep("c  ", n // 3) + "\n" + (rep("word ", n // 3) + "end  x\n") * 2,
    "pipe-extra-cells": lambda n: "| a | b |\n|---|---|\n|" + rep(" x |", n) + "\n",
    "spaces": lambda n: "a" + rep(" ", n) + "b",
    "one-line": lambda n: rep("word ", n),
    "one-line-url": lambda n: "https://" + rep("a", n),
    "urls": lambda n: rep("http://x.org/a_b ", n),
    "tex-math": lambda n: rep(" \\(x", n),
    "dollar-prices": lambda n: rep("$5 ", n),
    "dollar-formulas": lambda n: rep("$x^{2}_i$ ", n),
    "dollar-ticks": lambda n: rep("$`a` ", n),
    "display-openers": lambda n: rep("$$ x\n", n),
    "display-formulas": lambda n: rep("$$\n\\frac{a}{b}\n$$\n", n),
    "tex-nesting": lambda n: "$" + rep("{", n // 2) + "x" + rep("}", n // 2) + "$",
    "tex-stacks": lambda n: rep("$\\overset{a}{\\underset{b}{\\stackrel{c}{=}}}$ ", n // 2) + "$" + rep("\\overset{a}{", n // 4) + "x" + rep("}", n // 4) + "$",
    "div-runs": lambda n: rep("::: challenge\n## Why?\nAsk.\n:::: solution\nSo.\n::::\n:::\n\n", n),
    "div-nesting": lambda n: rep("::: note\n", n // 2) + "a\n" + rep(":::\n", n // 2),
    "div-unclosed": lambda n: rep("::: {.theorem title=\"a\"}\n\n", n),
    "myst-directives": lambda n: rep(":::{prf:theorem} T\n:label: x\n---\na\n(t)=\n", n),
    "myst-fenced": lambda n: rep("```{note}\na\n```\n\n````{figure} p.png\n---\nx: y\n---\nc\n````\n", n // 2) + rep("```{note}\n", n // 2),
    "question-lines": lambda n: rep("Q1. What is x?\nA: y.\n\n", n),
    "details-unclosed": lambda n: rep("<details><summary>Why?</summary>\n\n", n),
    "card-separators": lambda n: "#flashcards\n" + rep("front words::back\n", n),
    "multiline-cards": lambda n: "#flashcards\n" + rep("front\n?\nback\n\n", n),
    "card-tags": lambda n: rep("- Why x? #card\n  - y\n", n),
    "quoted-separators": lambda n: "#flashcards\na::b\nc::d\n\n" + rep('"a::b" \'c::d\'\n', n // 2) + rep("it's 'a \"b ", n // 2) + "::\n",
    "margin-headings": lambda n: rep("### H\nid:: 1\n\t- a #card\n\t\t- b\n", n),
    "asking-outline": lambda n: "- a #card\n" + "".join("\t" * i + "- Why?\n" for i in range(min(5000, n // 4000 + 1))) + rep("- How?\n\t- so\n", n // 2),
    "nested-card-lines": lambda n: "#flashcards\n" + "".join("  " * i + "- q%d::a\n" % i for i in range(min(5000, n // 4000 + 1))) + rep("- q::a\n  - r::b\n", n // 2),
    "quoted-questions": lambda n: rep("> Q1. What is x?\n>\n> - y\n\n", n),
    "answer-markers": lambda n: rep("## Topic\n\n%\n\nBack.\n\n", n),
    "outline": lambda n: rep("- term\n  - definition\n", n),
    "code-lines": lambda n: rep("x = f(1)\n", n),
    "code-brackets": lambda n: "data = [\n" + rep("  (1, 2,\n", n),
    "setext-separators": lambda n: rep("A line.\n---\n", n),
    "headings": lambda n: rep("### What is x?\n\ny\n\n", n),
    "topic-headings": lambda n: rep("## Topic\n\n- a\n\n", n),
    "nav-links": lambda n: rep("[Back to top](#top)\n\n", n),
    "link-definitions": lambda n: rep("[a]: /u\n", n // 2) + rep("[a] ", n // 2),
    "qa-fences": lambda n: rep("```\nQ : x?\nA : y\n```\n\n", n),
    "bold-item-list": lambda n: "### What are they?\n\n" + rep("- **What is x?** y\n", n),
    "ruled-questions": lambda n: rep("### Topic\n***\n\nWhat is x?\n<details><summary>Antwort</summary>\n\ty\n</details>\n\n", n),
    "answer-label-paragraphs": lambda n: "### Q?\n\nText.\n\n" + rep("> Why x?\n>\n> Answer:\n>\n> y\n\n", n),
    "repository-sections": lambda n: rep("## Contributing\n\nHow.\n\n### Edit\n\nClick.\n\n", n),
    "numbered-exercises": lambda n: numbered(n),
    "formula-lead-ins": lambda n: rep("Thus:\n\n$$x$$\n\n", n),
    "labelled-boxes": lambda n: "## Topic\n\nText.\n\n" + rep("> **Theorem 1**\n>\n> x\n\n> **Question 2**\n>\n> Why?\n\nBecause.\n\n", n),
    "asking-bullets": lambda n: rep("- 溢出是啥? 相加溢出到负数.\n  - 怎么办? 截断.\n", n),
    "quoted-asking-words": lambda n: "- " + rep('"什么" ', n) + "\n",
    "macro-uses": lambda n: "$$\n\\newcommand{\\opn}[1]{\\operatorname{#1}}\n\n\\newcommand{\\R}{\\mathbb{R}}\n$$\n\n" + rep("$\\opn{rank} \\R$ ", n),
    "macro-bomb": lambda n: "$$\n" + "".join("\\newcommand{\\m%s}{\\m%s\\m%s}\n" % (chr(97 + i), chr(98 + i), chr(98 + i)) for i in range(20)) + "$$\n\n" + rep("$\\ma$ ", n),
    "macro-unclosed-args": lambda n: "$$\n\\newcommand{\\o}[1]{x#1}\n$$\n\n$" + rep("\\o{", n) + "$\n",
    "macro-unclosed-defs": lambda n: "$$\n" + rep("\\newcommand{\\a}{", n) + "\n$$\n",
    "typora-openers": lambda n: rep("$$\n\nx\n\n", n),
    "bold-heads": lambda n: "## Topic\n\nText.\n\n" + rep("**Part**\n\nProse.\n\n**Label**\n\n- item\n\n", n),
    "cloze-openers": lambda n: "#flashcards\n\n" + rep("==a;;b ", n),
    "spanning-openers": lambda n: rep("==a {{c1::b ~~c ", n // 2) + "*d* " + rep("e ", n // 4),
    "spanning-constructs": lambda n: rep("==a *b* c== {{c1::d **e**}} ", n),
    "cloze-hints": lambda n: "#flashcards\n\n==" + rep("a;;", n),
    "logseq-carets": lambda n: "title:: x\n\n" + rep("^^a ", n // 2) + rep("a^^b ", n // 2),
    "template-braces": lambda n: rep("{{ a }} {{c1:", n),
    "inline-displays": lambda n: rep("a $$x$$ ", n),
    "displays-after-text": lambda n: rep("so $$\nx\n$$ then\n", n),
    "display-openers-at-ends": lambda n: rep("so $$ x\n", n),
    "code-items": lambda n: rep("1. ```py\n   x = 1\n   ```\n", n),
}

if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        sys.exit(0)
    name, size = sys.argv[1], int(sys.argv[2])
    sys.stdout.write(CASES[name](size))
