/* test_lift.c - each lifting rule of the notes dialect, with lines taken
 * from the corpus (tests/corpus/python-fastapi-notes.md) as examples,
 * checked on the study model the reader builds. */
#include <stdlib.h>

#include "backend/backend.h"
#include "model/walk.h"
#include "reader/reader.h"
#include "reader/vault.h"
#include "testing.h"

extern const qbackend qbackend_tree;

static qbuf dump_;
static qdiags diags_;

/* Read notes and dump the model as the tree back end does. */
static const char *tree(const char *md)
{
	qbuf_free(&dump_);
	qdiags_free(&diags_);
	qdiags_init(&diags_, "t.md");
	qread_opts o = {.path = "t.md"};
	qdoc *doc = qread(md, strlen(md), &o, &diags_);
	if (!doc)
		return "";
	qjob job = {.doc = doc, .diags = &diags_};
	qoutputs outs;
	qoutputs_init(&outs);
	qbackend_tree.write(&job, &outs);
	qbuf_put(&dump_, outs.v[0].data.ptr, outs.v[0].data.len);
	qoutputs_free(&outs);
	qdoc_free(doc);
	return dump_.ptr;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

#define HAS(md, needle) CHECK(strstr(tree(md), needle))
#define HASNT(md, needle) CHECK(!strstr(tree(md), needle))

/* ---- questions ---- */

TEST(heading_question_mark)
{
	HAS("### 16. What is sys.path and how does Python find modules?\n\nsys.path = list.\n",
	    "card 1 #");
}

TEST(heading_asking_word_without_mark)
{
	const char *t = tree("### 9. Explain WSGI, ASGI in Python ecosystem.\n\nWSGI = sync.\n\n"
			     "### 26. Advanced: Implement LRU Caching, or request deduplication\n\nUse OrderedDict.\n");
	CHECK_INT(count(t, "card "), 2);
	CHECK(strstr(t, "number=\"26.\""));
}

TEST(heading_label_wins)
{
	const char *t = tree("### 1. What is X?\n\nx\n\n### What it is:\nA driver.\n\n### 👉 Rule of thumb:\n\nUse it.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK_INT(count(t, "label "), 2);
}

TEST(bare_q_line_with_answer_marker)
{
	const char *t = tree("Q11. Difference between @staticmethod, @classmethod, and instance methods?\nA:\n\n"
			     "Instance method → operates on object (self).\n\n"
			     "Q15. Explain *args and **kwargs.\nA: *args → variable positional arguments.\n");
	CHECK_INT(count(t, "card "), 2);
	CHECK(strstr(t, "number=\"Q11.\""));
	CHECK(strstr(t, "text 7 \"*args → variable positional arguments.\""));
	CHECK(!strstr(t, "\"A:"));
}

TEST(line_followed_by_answer)
{
	const char *t = tree("Explain *args and **kwargs.\nAnswer: *args collects positional args as tuple.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "text 1 \"Explain *args and **kwargs.\""));
	CHECK(strstr(t, "text 2 \"*args collects positional args as tuple.\""));
}

TEST(lone_pointer_marker_removed)
{
	const char *t = tree("### 1. What are some must-know built-in Python modules?\n\n👉\n\nos → file system operations.\n");
	CHECK(!strstr(t, "\"👉\""));
	CHECK(strstr(t, "os → file system operations."));
}

TEST(question_without_answer_is_no_card)
{
	const char *t = tree("### What is A?\n### What is B?\n\nB is b.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "heading 1 level=3"));
	CHECK_INT(qdiags_count(&diags_, "no-answer"), 1);
}

TEST(question_any_script)
{
	HAS("## 什么是全局解释器锁？\n\n一种互斥锁。\n", "card 1");
	HAS("## Что такое GIL?\n\nМьютекс.\n", "card 1");
}

TEST(q_and_a_lines)
{
	const char *t = tree("Q: What is a closure?\nA: A function that remembers its scope.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "number=\"Q:\""));
	CHECK(strstr(t, "\"A function that remembers its scope.\""));
}

TEST(bold_paragraph_question)
{
	const char *t = tree("**What is a decorator?**\n\nA function wrapping a function.\n");
	CHECK_INT(count(t, "card "), 1);
}

TEST(bold_question_then_list)
{
	/* a list right under the bold line ends its paragraph: still a card,
	 * the list its answer */
	const char *t = tree("**List three collections:**\n- `List`\n- `Set`\n- `Map`\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "    answer 1\n      list 2 bullet"));
	/* a bold label over a list asks nothing: no card */
	CHECK_INT(count(tree("**Examples:**\n- `List`\n"), "card "), 0);
}

TEST(details_summary_question)
{
	const char *t = tree("<details>\n<summary>What is a generator?</summary>\n\nA lazy iterator.\n\n</details>\n\nAfter text.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "\"A lazy iterator.\""));
	CHECK(!strstr(t, "details"));
	/* the text after </details> is not part of the answer */
	CHECK(strstr(t, "  paragraph 8\n"));
}

TEST(list_item_questions)
{
	const char *t = tree("- What is a list?\n  A mutable sequence.\n- What is a tuple?\n  - An immutable sequence.\n");
	CHECK_INT(count(t, "card "), 2);
	CHECK(strstr(t, "\"A mutable sequence.\""));
}

/* ---- sections ---- */

TEST(numbered_item_with_folded_answer)
{
	const char *md = "1. What is the output?\n\n```js\nconsole.log(1)\n```\n\n- A: `1`\n- B: `2`\n\n"
			 "<details><summary><b>Answer</b></summary>\n\nA\n\n</details>\n\n---\n\n"
			 "2.All objects have prototypes.\n\n- A: true\n\n<details><summary>Đáp án:</summary>\n\nB\n\n</details>\n\n"
			 "---\n\n3. A numbered point with no fold\n";
	const char *t = tree(md);
	CHECK_INT(count(t, "card "), 2);
	CHECK(strstr(t, "number=\"1.\""));
	CHECK(strstr(t, "\"2.All objects have prototypes.\""));   /* no space: not a list, still a card */
	CHECK(strstr(t, "list 30 ordered"));                         /* item 3 stays a list */
	t = tree("Which are true?\n\n1. Lists are mutable\n2. Tuples are mutable\n\n"
		 "<details><summary>Answer</summary>\n\n1\n\n</details>\n");
	CHECK_INT(count(t, "card "), 1);   /* the items are the options of the paragraph's question */
	CHECK(strstr(t, "card 1 #"));
	CHECK(!strstr(t, "number=\"2.\""));
}

TEST(rtl_wrapper_is_notes)
{
	const char *t = tree("<div dir=\"rtl\">\n1. ما هو الناتج؟\n</div>\n\n"
			     "<details><summary>الإجابة</summary>\n\nB\n\n</details>\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(!strstr(t, "html"));
	HAS("<div>\n*Emphasized* text.\n</div>\n", "html");   /* no dir: HTML, as CommonMark says */
}

TEST(bare_titles)
{
	const char *t = tree("### Q30. What is __call__ method?\nA: Makes instances callable.\n\n"
			     "2. Advanced Python (15 Questions)\n\n### Q31. Difference between multiprocessing and multithreading?\n"
			     "A: Multiprocessing bypasses GIL.\n\n"
			     "Data Structures & Algorithms\n\n### Q6. What’s the time complexity of list?\n\nO(1) append.\n");
	CHECK_INT(count(t, " bare "), 2);
	CHECK_INT(count(t, "card "), 3);
}

TEST(short_answer_line_is_not_a_title)
{
	const char *t = tree("### 16. What is sys.path?\n\nOrder:\n\nStandard library\n\nSite-packages\n\n### 17. What is PyPI?\n\nThe index.\n");
	CHECK_INT(count(t, "section "), 0);
	CHECK(strstr(t, "\"Site-packages\""));
}

TEST(title_after_separator)
{
	const char *t = tree("### Q50. How do you deploy?\n\nDocker.\n------\n25 Advanced Python Interview Questions\n\n"
			     "### Q1. Explain memory leaks.\n\nCycles.\n");
	CHECK(strstr(t, "bare \"25 Advanced Python Interview Questions\""));
	CHECK(strstr(t, "rule 4"));
}

TEST(separator_is_never_setext)
{
	const char *t = tree("### Q100. How to monitor FastAPI?\nA: Use Prometheus + Grafana.\n--------\n\n1. Advanced Python (25)\n\n"
			     "### Q101. What is __new__?\nA: Creates objects.\n");
	CHECK(!strstr(t, "heading 2 level=2"));
	CHECK(strstr(t, "\"Use Prometheus + Grafana.\""));
	CHECK(strstr(t, "rule 3"));
	CHECK_INT(count(t, "card "), 2);
}

TEST(single_top_title_promoted)
{
	const char *t = tree("# Python\n\n-------\n\n## Modules\n\n### 1. What is os?\n\nOS access.\n");
	CHECK(strstr(t, "document title=\"Python\""));
	CHECK(strstr(t, "section 5 level=1 \"Modules\""));
}

TEST(decoration_not_in_name)
{
	const char *t = tree("## A\n\n### 🔹 Python Internals Interview Q&A\n\n### 1. How does it work?\n\nWell.\n");
	CHECK(strstr(t, "#s-python-internals-interview-q-a"));
}

/* ---- code ---- */

TEST(unfenced_python_after_example)
{
	const char *t = tree("### 19. What is monkey patching?\n\n👉 Dynamically modifying a module.\nExample:\n\n"
			     "import math\nmath.sqrt = lambda x: \"hacked!\"\n\n### 20. Next?\n\nx\n");
	CHECK(strstr(t, "code 6 lang=python guessed"));
	CHECK(strstr(t, "| math.sqrt = lambda x: \"hacked!\""));
}

TEST(blank_line_inside_run)
{
	const char *t = tree("Example:\n\nfrom fastapi import Depends\n\ndef get_db():\n    return \"DB\"\n\n"
			     "@app.get(\"/items/\")\ndef read_items(db=Depends(get_db)):\n    return {\"db\": db}\n\n\n"
			     "👉 get_db() runs first, result passed into read_items.\n");
	CHECK_INT(count(t, "code "), 1);
	CHECK(strstr(t, "| @app.get(\"/items/\")"));
	CHECK(strstr(t, "\"👉 get_db() runs first, result passed into read_items.\""));
}

TEST(hash_comments_are_code_not_headings)
{
	const char *t = tree("users = Table(\"users\", metadata,\n    Column(\"id\", Integer)\n)\n\n# SELECT\n"
			     "with engine.connect() as conn:\n    print(1)\n\n# INSERT\nwith engine.connect() as conn:\n    conn.commit()\n");
	CHECK_INT(count(t, "code "), 1);
	CHECK(!strstr(t, "  section "));
	CHECK(strstr(t, "| # SELECT"));
	CHECK(strstr(t, "| # INSERT"));
}

TEST(comment_before_triple_quoted_sql)
{
	const char *t = tree("cur = conn.cursor()\n\n# LEFT JOIN (users with posts)\ncur.execute(\"\"\"\n"
			     "    SELECT u.id\n    FROM users u\n\"\"\")\nprint(cur.fetchall())\n");
	CHECK_INT(count(t, "code "), 1);
	CHECK(!strstr(t, "  section "));
}

TEST(file_caption)
{
	const char *t = tree("### 🔹 1. Basic Unit Test Example\n#### calculator.py\ndef add(a, b):\n    return a + b\n\n"
			     "#### test_calculator.py\nimport unittest\n");
	CHECK(strstr(t, "caption=\"calculator.py\""));
	CHECK(strstr(t, "caption=\"test_calculator.py\""));
	CHECK_INT(count(t, "section "), 1);
}

TEST(program_output_is_text)
{
	const char *t = tree("print(\"All threads completed\")\n\n\nOutput (runs concurrently, order may vary):\n\n"
			     "Thread 0 starting\nThread 1 starting\nAll threads completed\n");
	CHECK(strstr(t, "lang=text guessed"));
	CHECK(strstr(t, "| Thread 0 starting"));
}

TEST(shell_and_sql)
{
	const char *t = tree("Run:\n\npip install -r requirements.txt\n\nQuery:\n\nSELECT id, name FROM users WHERE id = 1;\n");
	CHECK(strstr(t, "lang=shell guessed"));
	CHECK(strstr(t, "lang=sql guessed"));
}

TEST(prose_is_not_code)
{
	const char *t = tree("os → file system operations (paths, environment variables).\n\n"
			     "Stub → passive, provides canned responses (used for setup).\n\n"
			     "A: is → identity (same object in memory), == → equality (same value).\n\n"
			     "Standard Library = Built-in modules shipped with Python (os, sys, json).\n\n"
			     "sys.path = list of directories Python searches for imports.\n\n"
			     "SQL = structured, relations, ACID. NoSQL = flexible schema.\n\n"
			     "SELECT with LIMIT/OFFSET\n");
	CHECK_INT(count(t, "code "), 0);
}

TEST(fenced_code_kept_exactly)
{
	const char *md = "```python\n# not a heading\ndef f():\n\treturn  1  \n```\n\n~~~\n__init__ *args\n~~~\n";
	const char *t = tree(md);
	CHECK(strstr(t, "code 1 lang=python\n"));
	CHECK(strstr(t, "| \treturn  1  \n"));
	CHECK(strstr(t, "| __init__ *args\n"));
	CHECK(!strstr(t, "guessed"));
}

/* ---- tables ---- */

TEST(aligned_table_two_columns)
{
	const char *t = tree("🔹 Quick Summary Interview Table\nCategory            Must-Know Modules/Libs\n"
			     "System              os, sys, subprocess, logging\nData                json, csv, sqlite3, re\n");
	CHECK(strstr(t, "table 2 cols=2 header guessed"));
	CHECK(strstr(t, "caption 1"));
	CHECK(strstr(t, "\"os, sys, subprocess, logging\""));
}

TEST(aligned_table_overflow_split)
{
	const char *t = tree("Feature                 psycopg (Driver)    SQLAlchemy Core         SQLAlchemy ORM\n"
			     "Ease of Use             Low                 Medium                  High\n"
			     "Best For                Scripts, raw queries Query-heavy apps       Large apps, ORMs (FastAPI, Flask)\n");
	CHECK(strstr(t, "cols=4"));
	CHECK(strstr(t, "\"Scripts, raw queries\""));
	CHECK(strstr(t, "\"Query-heavy apps\""));
}

TEST(aligned_table_overflow_after_parenthesis)
{
	const char *t = tree("Feature         Threading 🧵                     Multiprocessing ⚡\n"
			     "Memory          Shared memory (same process)    Separate memory (independent processes)\n"
			     "GIL impact      Affected (only 1 thread runs Python bytecode at a time) Not affected (separate interpreters)\n"
			     "Best for        I/O-bound tasks (network, DB, files)    CPU-bound tasks (math, data crunching)\n");
	CHECK(strstr(t, "cols=3"));
	CHECK(strstr(t, "\"Affected (only 1 thread runs Python bytecode at a time)\""));
	CHECK(strstr(t, "\"Not affected (separate interpreters)\""));
	CHECK(strstr(t, "\"CPU-bound tasks (math, data crunching)\""));
}

TEST(code_with_aligned_comments_is_not_a_table)
{
	const char *t = tree("a = \"hello\"\nb = \"hello\"\nprint(a is b)  # True (interned)\n");
	CHECK_INT(count(t, "table "), 0);
	CHECK_INT(count(t, "code "), 1);
}

TEST(pipe_table)
{
	const char *t = tree("| Name | Kind |\n|:-----|-----:|\n| `list` | mutable |\n| tuple | immutable |\n");
	CHECK(strstr(t, "table 1 cols=2 header\n"));
	CHECK(strstr(t, "code_span 3 \"list\""));
}

/* No limit of columns (was 32) or rows (was 512 lines): a pipe table of
 * 40 columns and 600 rows and an aligned one of 40 columns are whole;
 * cells past the header's count join the last cell. */
TEST(tables_have_no_limit)
{
	qbuf md = QBUF_INIT;
	for (int c = 0; c < 40; c++)
		qbuf_printf(&md, "| h%d ", c);
	qbuf_puts(&md, "|\n");
	for (int c = 0; c < 40; c++)
		qbuf_puts(&md, "|---");
	qbuf_puts(&md, "|\n");
	for (int r = 0; r < 600; r++) {
		for (int c = 0; c < 40; c++)
			qbuf_printf(&md, "| r%dc%d ", r, c);
		qbuf_puts(&md, "|\n");
	}
	qbuf_puts(&md, "| a | b |");
	for (int c = 2; c < 42; c++)
		qbuf_printf(&md, " x%d |", c);
	qbuf_puts(&md, "\n");
	const char *t = tree(md.ptr);
	CHECK_INT(count(t, "table "), 1);
	CHECK(strstr(t, "cols=40 header\n"));
	CHECK_INT(count(t, "    row "), 602);
	CHECK(strstr(t, "\"r599c39\""));
	CHECK(strstr(t, "\"x39 | x40 | x41\""));
	qbuf_reset(&md);
	for (int r = 0; r < 4; r++) {
		for (int c = 0; c < 40; c++)
			qbuf_printf(&md, "%-8s", r ? "v" : "h");
		qbuf_printf(&md, "end%d\n", r);
	}
	t = tree(md.ptr);
	CHECK(strstr(t, "cols=41 header guessed"));
	CHECK(strstr(t, "\"end3\""));
	qbuf_free(&md);
}

/* ---- inline ---- */

TEST(identifiers_are_not_emphasis)
{
	const char *t = tree("### 14. What are __init__.py files used for?\n\n__name__ and __all__ and *args and **kwargs and a_b_c.\n");
	CHECK(strstr(t, "\"What are __init__.py files used for?\""));
	CHECK(strstr(t, "\"__name__ and __all__ and *args and **kwargs and a_b_c.\""));
	CHECK(!strstr(t, "strong"));
	CHECK(!strstr(t, "emph"));
}

TEST(real_emphasis_still_works)
{
	const char *t = tree("This is **bold** and *word* and _under_.\n");
	CHECK(strstr(t, "strong"));
	CHECK_INT(count(t, "emph"), 2);
}

TEST(urls_become_links)
{
	HAS("See https://fastapi.tiangolo.com/tutorial/ for more.\n",
	    "link 1 url=\"https://fastapi.tiangolo.com/tutorial/\"");
}

TEST(angle_brackets_are_text)
{
	HAS("Use List<int> and Dict<str, int>.\n", "\"Use List<int> and Dict<str, int>.\"");
}

TEST(html_is_sanitized)
{
	const char *t = tree("<div onclick=\"x()\">Hi <script>alert(1)</script><b>there</b></div>\n");
	CHECK(strstr(t, "html 1 \"<div>Hi <b>there</b></div>\""));
	CHECK(!strstr(t, "alert"));
	/* the warning names what went */
	CHECK_INT(diags_.n, 1);
	CHECK_STR(diags_.v[0].msg,
		  "HTML sanitized: removed 1 element (script) and 1 attribute (onclick)");
}


/* ---- clean CommonMark passes through whole ---- */

TEST(clean_nested_lists_and_quotes)
{
	const char *t = tree("1. one\n2. two\n   - nested\n     - deeper\n\n     loose para\n\n> quote\n>\n> - in a quote\n");
	CHECK(strstr(t, "list 1 ordered tight start=1"));
	CHECK_INT(count(t, "list "), 4);
	CHECK(strstr(t, "quote 8"));
	CHECK(strstr(t, "\"loose para\""));
}

TEST(clean_setext_and_atx)
{
	const char *t = tree("Title Here\n==========\n\nSub *part*\n---\n\ntext\n\n"
			     "A: Use Prometheus.\n------\nNext set\n");
	/* === and --- under a title are setext headings; --- under a line
	 * that ends like a sentence is a separator, as notes mean it */
	CHECK(strstr(t, "document title=\"Title Here\""));
	CHECK(strstr(t, "section 4 level=1 \"Sub part\""));
	CHECK(strstr(t, "rule 10"));
}

TEST(clean_link_reference_definitions)
{
	const char *t = tree("See [the spec][cm] and [cm].\n\n[cm]: https://spec.commonmark.org/ \"CommonMark\"\n");
	CHECK_INT(count(t, "link 1 url=\"https://spec.commonmark.org/\" title=\"CommonMark\""), 2);
}

TEST(clean_indented_code_and_tilde_fence)
{
	const char *t = tree("Para:\n\n    SELECT 1;\n    SELECT 2;\n\n    x.__init__(*a)\n\n~~~~ python\n```\nnot the end\n```\n~~~~\n");
	CHECK(strstr(t, "| SELECT 1;\n"));
	CHECK(strstr(t, "| x.__init__(*a)\n"));
	CHECK(strstr(t, "lang=python"));
	CHECK(strstr(t, "| ```\n"));
}

TEST(clean_entities_breaks_images)
{
	const char *t = tree("a &amp; b &copy; c&nbsp;d  \nnext\\\nthird ![alt](img.png \"t\") <https://x.org>\n");
	CHECK(strstr(t, "\"a & b © c\xc2\xa0" "d\""));
	CHECK_INT(count(t, "linebreak"), 2);
	CHECK(strstr(t, "image 3 url=\"img.png\" title=\"t\""));
	CHECK(strstr(t, "link 3 url=\"https://x.org\""));
}

TEST(clean_html_block_kept_sanitized)
{
	const char *t = tree("<table><tr><td onclick=\"x\">cell</td></tr></table>\n\ntext\n");
	CHECK(strstr(t, "html 1 \"<table><tr><td>cell</td></tr></table>\""));
}

TEST(clean_tight_and_loose_lists)
{
	const char *t = tree("- a\n- b\n\ntext\n\n- c\n\n- d\n");
	CHECK(strstr(t, "list 1 bullet tight"));
	CHECK(strstr(t, "list 6 bullet\n"));
}

/* ---- topic notes (tests/corpus, SOURCES-lang2) ---- */

TEST(topic_title_lead_answers_the_title)
{
	/* the lead opens with the title's words, or sets them in bold */
	HAS("# Алгоритм Дейкстри\n\nАлгоритм Дейкстри — це алгоритм пошуку шляхів.\n\n"
	    "## Застосування\n\n- GPS\n", "card 1 #");
	HAS("# Bağlantılı Liste\n\nBilgisayar bilimlerinde, **Bağlantılı liste**, bir veri yapısıdır.\n\n"
	    "## Karmaşıklık\n\nO(n)\n", "card 1 #");
	/* a preface that does not name the title is no card */
	HASNT("# Git 命令速记\n\n这是我的笔记。\n\n## 基础\n\ngit init\n", "card 1 #");
}

TEST(topic_reading_list_and_exercises_are_no_cards)
{
	const char *t = tree("# Aula\n\n## Porcentagem\n\n1% de x.\n\n---\n\n## Exercícios\n\n"
			     "01. Quanto é 20% de 50?\n\n## Referências Bibliográficas\n\nBACARJI, A. G. 2012.\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "text 15 \"BACARJI, A. G. 2012.\""));   /* kept, not a card */
}

TEST(topic_labelled_link_lists_are_no_text)
{
	/* labels over lists of links say nothing to ask about */
	const char *t = tree("# Notes\n\n## Entity\n\nHolds the rules.\n\n## Example classes\n\n"
			     "**Entity:**\n- [User.java](https://example.org/User.java)\n\n"
			     "**Controller:**\n- [Signup.java](https://example.org/Signup.java)\n");
	CHECK_INT(count(t, "card "), 1);
	CHECK(strstr(t, "text 9 \"Entity:\""));   /* kept, not a card */
	/* a label over a list that says something is text of its own */
	HAS("# Notes\n\n## Entity\n\nHolds the rules.\n\n## Roles\n\n**Entity:**\n- the rules\n", "card 7 #");
}

TEST(topic_rule_alone_is_no_text)
{
	HASNT("# Aula\n\n## Sumário\n\n---\n\n### Razão\n\nUma divisão.\n", "card 3 #");
}

TEST(question_callouts_and_cjk_labels)
{
	HAS("> [!question] What is a closure?\n> A function and its scope.\n", "card 1 #");
	HAS("> [!faq]- Why?\n> > [!answer]\n> > Because.\n", "text 3 \"Because.\"");
	HASNT("> [!faq]- Why?\n> > [!answer]\n> > Because.\n", "callout");
	HASNT("> [!question]\n> A kind and no title.\n", "card 1 #");   /* a framed note */
	HASNT("- > [!question] In a list?\n  > Stays a callout.\n", "card ");
	HAS("Q：什么是闭包？\nA：函数和它的环境。\n", "number=\"Q：\"");
	HAS("Q : Qu'est-ce qu'un mutex ?\nA : Un verrou.\n", "number=\"Q :\"");
	HAS("- Q : What is RAII?\n- A : Scope-bound resources.\n", "card 1 #");
	HAS("**Q12.** What is DNS?\n**A:** Names.\n", "number=\"Q12.\"");
	HAS("| Q | A |\n|---|---|\n| What is TCP? | A stream. |\n", "card 3 #");
	HASNT("| Q | A |\n|---|---|\n| What is TCP? | |\n", "card 3 #");   /* a row left empty */
	HASNT("| Term | Meaning |\n|---|---|\n| TCP | A stream. |\n", "card 3 #");
	HASNT("**Quick** note: not a label.\n\n**A:** nor this\n", "card 1 #");
	/* a deeper heading naming the answer goes; a section of answers stays */
	HASNT("## What is X?\n\n#### Answer\n\nThe X.\n", "heading");
	HAS("## Quiz\n\n### Why Y?\n\n## Answers\n\nY.\n", "section 5 level=2 \"Answers\"");
	HAS("問：什麼是死鎖？\n答：互相等待。\n", "key=\"什麼是死鎖\"");
}

TEST(obsidian_to_anki_notes)
{
	const char *t = tree("TARGET DECK\nNet\n\n## Handshake vs teardown\n\nSTART\nBasic\n"
			     "Front: What opens a connection?\nBack: SYN.\nTags: tcp\n<!--ID: 1-->\nEND\n\n"
			     "STARTI [Basic] What closes it? Back: FIN ENDI\n");
	CHECK_INT(count(t, "card "), 2);   /* the heading is a section: the notes mark their cards */
	CHECK(strstr(t, "text 8 \"What opens a connection?\""));
	CHECK(strstr(t, "text 9 \"SYN.\""));
	CHECK(strstr(t, "text 14 \"FIN\""));
	CHECK(!strstr(t, "TARGET") && !strstr(t, "Tags:") && !strstr(t, "\"END\"") && !strstr(t, "ENDI"));
	/* the first field's label is optional; a reversed type is reversible */
	HAS("START\nBasic (and reversed card)\nTIME_WAIT\nBack: after the active close\nEND\n",
	    "key=\"time_wait\" reversible");
	/* no card without a back: the block stays text */
	t = tree("START\nBasic\nFront: Who waits?\nBack:\nEND\n");
	CHECK(!strstr(t, "card 3"));
	CHECK(strstr(t, "\"START\""));
	/* a cloze note: its text is a paragraph of clozes */
	t = tree("START\nCloze\nText: TCP is {{c1::reliable}}.\nEND\n");
	CHECK(strstr(t, "cloze 3 c1"));
	CHECK(!strstr(t, "START") && !strstr(t, "Text:"));
	/* a line START in prose without END is text */
	HAS("START\n\nthe race begins.\n", "\"START\"");
}

TEST(language_turkish_indonesian_vietnamese)
{
	HAS("Bu bir veri yapısıdır ve daha çok bellek için kullanılır.\n", "lang=tr");
	HAS("Array adalah kumpulan data yang bertipe sama dan tidak berubah.\n", "lang=id");
	HAS("Il valore di una variabile che non è una costante per la funzione.\n", "lang=it");
	HAS("Closure là một hàm có thể truy cập các biến của hàm cha, và không mất chúng.\n",
	    "lang=vi");
}

TEST(logseq_margin_heading_children)
{
	/* a heading block at the margin: its tab-indented children are a
	 * list (here a #card bullet), not indented code */
	HAS("### Syntax\nid:: 60a7\n\t- What is a page? #card\n\t\t- A note.\n", "card 3 #");
	HASNT("### Syntax\n\t- What is a page? #card\n\t\t- A note.\n", "code ");
	/* in a fence, a `# comment` and the tab of the next line stay */
	HAS("```sh\n# list\n\t- kept\n```\n", "| \t- kept");
}

TEST(quoted_separator_and_code_span_tag)
{
	HASNT("#flashcards\n\nCapital of France::Paris\nCapital of Spain::Madrid\n\n"
	      "- [:code \"template:: name\"]\n", "key=\"[:code");
	HAS("#flashcards\n\nCapital of France::Paris\nCapital of Spain::Madrid\n\n"
	    "- It's \"quoted\" then::a back\n", "key=\"it s quoted then\"");
	HASNT("- Add `#card` to a block.\n- What is a card? #card\n\t- A block.\n", "key=\"add");
}

/* ---- Obsidian Spaced Repetition's settings (vault.c) ---- */

/* Parse settings text; returns what qvault_sr_parse returned, with the
 * number of warnings in *warn. */
static bool vault(const char *json, qvault_sr *v, qarena *a, size_t *warn)
{
	qdiags d;
	qdiags_init(&d, "t.md");
	bool got = qvault_sr_parse(json, strlen(json), "data.json", a, v, &d);
	*warn = d.warnings;
	qdiags_free(&d);
	return got;
}

TEST(vault_settings_separators_and_tags)
{
	qarena a;
	qarena_init(&a);
	qvault_sr v = {0};
	size_t warn;
	CHECK(vault("{\n\t\"settings\": {\"flashcardTags\": [\"#flashcard/active\", \"#cards\"],\n"
		    "\"singleLineCardSeparator\": \":@:\", \"singleLineReversedCardSeparator\": \"::@::\",\n"
		    "\"multilineCardSeparator\": \"?@?\", \"multilineReversedCardSeparator\": \"\",\n"
		    "\"other\": {\"x\": [1, [2]]}}, \"buryList\": [\"a\"]}\n", &v, &a, &warn));
	CHECK_INT((int)warn, 0);
	CHECK_STR(v.seps[0], ":@:");
	CHECK_STR(v.seps[1], "::@::");
	CHECK_STR(v.seps[2], "?@?");
	CHECK(v.seps[3] == NULL);   /* empty: the plug-in's default */
	CHECK_INT(v.ntags, 2);
	CHECK_STR(v.tags[0], "flashcard/active");
	CHECK_STR(v.tags[1], "cards");
	qarena_free(&a);
}

TEST(vault_settings_hostile)
{
	qarena a;
	qarena_init(&a);
	qvault_sr v = {0};
	size_t warn;
	CHECK(!vault("{\"settings\": {\"singleLineCardSeparator\": \";;\",", &v, &a, &warn));
	CHECK_INT((int)warn, 1);   /* broken: nothing used */
	CHECK(!vault("[\"settings\"]", &v, &a, &warn));
	CHECK_INT((int)warn, 1);   /* not an object */
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 99);
	deep[199] = '\0';
	CHECK(!vault(deep, &v, &a, &warn));
	CHECK_INT((int)warn, 1);   /* nested too deep */
	CHECK(vault("{\"singleLineCardSeparator\": \"a b\", \"flashcardTags\": \"x\","
		    " \"multilineCardSeparator\": \"%%\"}", &v, &a, &warn));
	CHECK_INT((int)warn, 1);   /* a blank, a tag not in a list: left out */
	CHECK(v.seps[0] == NULL);
	CHECK_STR(v.seps[2], "%%");
	CHECK_INT(v.ntags, 0);
	qarena_free(&a);
}

int main(void)
{
	RUN(heading_question_mark);
	RUN(heading_asking_word_without_mark);
	RUN(heading_label_wins);
	RUN(bare_q_line_with_answer_marker);
	RUN(line_followed_by_answer);
	RUN(lone_pointer_marker_removed);
	RUN(question_without_answer_is_no_card);
	RUN(question_any_script);
	RUN(q_and_a_lines);
	RUN(bold_paragraph_question);
	RUN(bold_question_then_list);
	RUN(details_summary_question);
	RUN(list_item_questions);
	RUN(numbered_item_with_folded_answer);
	RUN(rtl_wrapper_is_notes);
	RUN(bare_titles);
	RUN(short_answer_line_is_not_a_title);
	RUN(title_after_separator);
	RUN(separator_is_never_setext);
	RUN(single_top_title_promoted);
	RUN(decoration_not_in_name);
	RUN(unfenced_python_after_example);
	RUN(blank_line_inside_run);
	RUN(hash_comments_are_code_not_headings);
	RUN(comment_before_triple_quoted_sql);
	RUN(file_caption);
	RUN(program_output_is_text);
	RUN(shell_and_sql);
	RUN(prose_is_not_code);
	RUN(fenced_code_kept_exactly);
	RUN(aligned_table_two_columns);
	RUN(aligned_table_overflow_split);
	RUN(aligned_table_overflow_after_parenthesis);
	RUN(code_with_aligned_comments_is_not_a_table);
	RUN(pipe_table);
	RUN(tables_have_no_limit);
	RUN(identifiers_are_not_emphasis);
	RUN(real_emphasis_still_works);
	RUN(urls_become_links);
	RUN(angle_brackets_are_text);
	RUN(html_is_sanitized);
	RUN(clean_nested_lists_and_quotes);
	RUN(clean_setext_and_atx);
	RUN(clean_link_reference_definitions);
	RUN(clean_indented_code_and_tilde_fence);
	RUN(clean_entities_breaks_images);
	RUN(clean_html_block_kept_sanitized);
	RUN(clean_tight_and_loose_lists);
	RUN(topic_title_lead_answers_the_title);
	RUN(topic_reading_list_and_exercises_are_no_cards);
	RUN(topic_labelled_link_lists_are_no_text);
	RUN(topic_rule_alone_is_no_text);
	RUN(language_turkish_indonesian_vietnamese);
	RUN(question_callouts_and_cjk_labels);
	RUN(obsidian_to_anki_notes);
	RUN(logseq_margin_heading_children);
	RUN(quoted_separator_and_code_span_tag);
	RUN(vault_settings_separators_and_tags);
	RUN(vault_settings_hostile);
	qbuf_free(&dump_);
	qdiags_free(&diags_);
	return testing_done();
}
