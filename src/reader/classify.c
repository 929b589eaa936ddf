/* classify.c - questions, labels, numbers and decorations by text alone
 * (notes-dialect.md sections 2 and 3). */
#include "classify.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "../util/find.h"
#include "../util/utf8.h"

/* Words that open a question, in the languages notes are written in
 * (case-insensitive; a contraction like What's counts); the verbs that
 * set a task whatever follows them are `imperatives` below, and open a
 * question too. */
static const char *const asking_words[] = {
	/* English */
	"What", "How", "Why", "When", "Where", "Which", "Who", "Whom", "Whose",
	"Difference", "Differences", "Can", "Could", "Is", "Are", "Does", "Do", "Did",
	"Should", "Would", "Will", "Has", "Have", "Shall", "Must", "May", "In which",
	"For what", "To what", "Given",
	/* Spanish, Portuguese, Italian */
	"Qué", "Que", "Cuál", "Cuáles", "Cómo", "Cuándo", "Dónde", "Quién", "Quiénes",
	"Por qué", "Para qué", "Describa", "Defina", "Menciona", "Compara", "O que",
	"Qual", "Quais", "Como", "Por que", "Porque", "Quando", "Onde", "Quem",
	"Descreva", "Cosa", "Che cosa", "Perché", "Dove", "Chi", "Quale", "Quali",
	"Spiega", "Descrivi",
	/* French */
	"Qu'est-ce", "Qu’est-ce", "Quel", "Quelle", "Quels", "Quelles", "Comment",
	"Pourquoi", "Quand", "Où", "Qui", "Combien", "Décrivez", "Définissez", "Citez",
	"Comparez", "Est-ce",
	/* German */
	"Was", "Wie", "Warum", "Wann", "Wo", "Wer", "Welche", "Welcher", "Welches",
	"Wozu", "Weshalb", "Wieso", "Erklären", "Erläutere", "Nenne", "Definiere",
	"Vergleiche",
	/* Russian */
	"Что", "Как", "Почему", "Зачем", "Когда", "Где", "Кто", "Какой", "Какая",
	"Какое", "Какие", "Каков", "Каковы", "Чем", "Сколько", "Объясни", "Опиши",
	"Расскажи", "Назовите", "Назови", "Сравните", "Перечислите", "В чём", "В чем",
	"Для чего", "Приведите", "Дайте", "Напиши",
	/* Ukrainian */
	"Що", "Як", "Чому", "Навіщо", "Коли", "Де", "Хто", "Який", "Яка", "Яке", "Які",
	"Чим", "Скільки", "Поясни", "Назвіть", "Наведіть", "Порівняйте",
	/* Polish (not Co, Jak, Ile: English words and names begin so) */
	"Czy", "Czym", "Jaki", "Jaka", "Jakie", "Jakich", "Jakim", "Kiedy", "Dlaczego",
	"Gdzie", "Kto", "Który", "Która", "Które", "Po co", "Porównaj", "Omów",
	"Wymień", "Podaj", "Zdefiniuj", "Zaimplementuj", "Różnica", "Różnice",
	/* Turkish */
	"Neden", "Nasıl", "Niçin", "Hangi", "Ne zaman", "Nerede", "Açıkla",
	"Tanımlayın",
	/* Indonesian, Malay (not Apa: the APA style) */
	"Apakah", "Bagaimana", "Mengapa", "Kenapa", "Kapan", "Di mana", "Dimana",
	"Siapa", "Sebutkan", "Bedanya", "Perbedaan",
	/* Vietnamese */
	"Tại sao", "Vì sao", "Làm sao", "Làm thế nào", "Thế nào", "Khi nào", "So sánh",
	"Mô tả", "Trình bày", "Liệt kê", "Sự khác nhau", "Khác nhau",
	/* Arabic, Persian */
	"ما", "ماذا", "ماهو", "ماهي", "كيف", "لماذا", "متى", "أين", "هل", "أي", "قارن",
	"چرا", "چگونه", "چطور", "آیا", "کدام",
	/* Hindi */
	"क्या", "क्यों", "कैसे", "कब", "कहाँ", "कौन",
	NULL,
};

/* Words that ask at the end, in languages written with spaces (`Virtual
 * DOM nedir`, `Closure là gì`). */
static const char *const asking_endings[] = {
	" là gì", " như thế nào", " thế nào", " ra sao", " nedir", " nelerdir",
	" ne demek", " ne işe yarar", " چیست", " کیست", " क्या है", " क्या हैं",
	NULL,
};

/* Verbs that ask only when an object follows (`Write a function`, `Name
 * three ...`, not `Design Patterns` or `List comprehensions`). */
static const char *const task_verbs[] = {
	"Write", "Name", "List", "Give", "State", "Show", "Find", "Calculate",
	"Compute", "Design", "Create", "Build", "Tell", "Outline", "Identify",
	"Suggest", "Propose", "Estimate", "Determine", "Solve", "Convert",
	"Reverse", "Sort", "Count", "Check", "Return", "Print", "Merge", "Remove",
	"Detect", "Generate", "Fix", "Refactor", "Optimize", "Mention", "Enumerate",
	"Make", NULL,
};

static const char *const objects[] = {
	"a", "an", "the", "two", "three", "four", "five", "six", "some", "all",
	"any", "each", "every", "your", "our", "its", "their", "this", "that",
	"these", "those", "one", "how", "what", "why", "when", "which", "whether",
	"me", "us", "down", "out", "several", "few", "many", "at", "2", "3", "4",
	"5", "10", "and", "if", "whether", NULL,
};

/* Words inside a question of a language without spaces between words
 * (wherever they stand: `MySQL 索引为什么用 B+ 树` asks too),
 * or endings that ask. */
static const char *const cjk_asking[] = {
	"什么", "為什麼", "为什么", "如何", "怎么", "怎麼", "怎样", "怎樣", "哪些", "哪个",
	"哪個", "是否", "有何", "为何", "為何", "何时", "区别", "區別", "异同", "何谓",
	"何为", "なぜ", "どう", "どの", "どれ", "どこ", "いつ", "何が", "何を", "何で",
	"何の", "違い", "무엇", "왜", "어떻게", "언제", "어디", "누구", "무슨", "어떤",
	"차이", NULL,
};
static const char *const cjk_endings[] = {
	"吗", "嗎", "呢", "么", "とは", "ですか", "ますか", "でしょうか", "란", "이란",
	"인가", "는가", "나요", "까", "니까", "습니까", "은요", "는요", "하시오", "해주세요",
	"하세요", "해보세요", "설명하라", "하라", NULL,
};

/* `X vs Y`, `X versus Y`: a comparison, asked as a question (not a
 * summary under a label: `Key Differences: Mock vs Stub`). */
static bool comparison(const char *s, size_t n)
{
	static const char *const vs[] = {" vs ", " vs. ", " VS ", " Vs ", " versus ", NULL};
	for (int k = 0; vs[k]; k++) {
		const char *p = qmemmem(s, n, vs[k], strlen(vs[k]));
		if (p)
			return !memchr(s, ':', (size_t)(p - s));
	}
	return false;
}

size_t qc_trim(const char **s, size_t n)
{
	const char *p = *s;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*s = p;
	return n;
}

size_t qc_decoration(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, keep = 0;
	while (i < n) {
		size_t l;
		int32_t cp = qutf8_decode(u + i, n - i, &l);
		if (cp == ' ' || cp == '\t' || cp == 0xA0) {
			i += l;
			continue;
		}
		if (cp < 0 || !qutf8_is_symbol(cp))
			break;
		i += l;
		keep = i;
	}
	/* also the spaces after the last symbol */
	while (keep < n && (s[keep] == ' ' || s[keep] == '\t'))
		keep++;
	return keep;
}

size_t qc_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == 'Q' || s[i] == 'q'))
		i++;
	size_t d = i;
	while (i < n && i - d < 6 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == d && d == 0)
		return 0;   /* neither Q nor digits */
	if (d == 1 && i + 2 < n && s[i] == ' ' && s[i + 1] == ':' && s[i + 2] == ' ')
		i++;   /* `Q : `, as French typography sets a colon */
	if (d == 1 && i + 3 <= n && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) {   /* Q：, Q1： */
		i += 3;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		return i < n ? i : 0;
	}
	if (i >= n || (s[i] != '.' && s[i] != ':' && s[i] != ')'))
		return 0;
	if (i == d && s[i] == ')')
		return 0;   /* "Q)" is not a number */
	i++;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return 0;   /* "3.14", "Q:x" */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

bool qc_word(const char *s, size_t n, const char *w, const char *after)
{
	if (w[0] && (!n || (s[0] | 0x20) != (w[0] | 0x20)))
		return false;   /* most tries end here, without strlen */
	size_t l = strlen(w);
	if (n < l)
		return false;
	for (size_t i = 0; i < l; i++) {
		char a = s[i], b = w[i];
		if (a >= 'A' && a <= 'Z')
			a += 32;
		if (b >= 'A' && b <= 'Z')
			b += 32;
		if (a != b)
			return false;
	}
	if (n == l || s[l] == ' ' || s[l] == '\t')
		return true;
	return after && s[l] && strchr(after, s[l]) != NULL;
}

/* Does s start with w, compared letter by letter in lower case (UTF-8,
 * the cases qutf8_lower knows)? Sets *len to the bytes of s it took. */
static bool word_at(const char *s, size_t n, const char *w, size_t *len)
{
	size_t i = 0, j = 0, wn = strlen(w);
	while (j < wn) {
		size_t a, b;
		if (i >= n)
			return false;
		int32_t x = qutf8_decode((const unsigned char *)s + i, n - i, &a);
		int32_t y = qutf8_decode((const unsigned char *)w + j, wn - j, &b);
		if (x < 0 || y < 0 || qutf8_lower(x) != qutf8_lower(y))
			return false;
		i += a;
		j += b;
	}
	*len = i;
	return true;
}

/* Can s start with w, by its first byte (either case)? Most of the
 * words tried end here, before any decoding. */
static bool may_start(const char *s, size_t n, const char *w)
{
	unsigned char a = n ? (unsigned char)s[0] : 0, b = (unsigned char)w[0];
	if (a < 0x80 && b < 0x80)
		return (a | 0x20) == (b | 0x20);
	if (a < 0x80 || b < 0x80)
		return false;
	return a == b || ((a == 0xD0 || a == 0xD1) && (b == 0xD0 || b == 0xD1));
}

/* Does s start with word w, then a space, the end, an apostrophe
 * (What's) or punctuation? */
static bool starts_word(const char *s, size_t n, const char *w)
{
	size_t l;
	if (!may_start(s, n, w) || !word_at(s, n, w, &l))
		return false;
	if (l == n)
		return true;
	unsigned char c = (unsigned char)s[l];
	if (c == ' ' || c == '\t' || c == '\'' || c == ',' || c == ':' || c == '?')
		return true;
	return n - l >= 3 && memcmp(s + l, "\xE2\x80\x99", 3) == 0;   /* ’ */
}

/* `Write a function ...`, `Find $x$`: a task verb and an object after
 * it (only a formula with formula_only: `Compute $2^{10}$`). */
static bool task_of(const char *s, size_t n, bool formula_only)
{
	if (!n || (unsigned char)s[0] >= 0x80)
		return false;
	for (int i = 0; task_verbs[i]; i++) {
		if ((task_verbs[i][0] | 0x20) != (s[0] | 0x20))
			continue;
		size_t l = strlen(task_verbs[i]);
		if (!starts_word(s, n, task_verbs[i]) || l >= n)
			continue;
		const char *o = s + l + 1;
		size_t on = n - l - 1;
		if (o[0] == '$' && on > 2)   /* a formula: `Compute $2^{10}$` */
			return true;
		for (int k = 0; !formula_only && objects[k]; k++)
			if (starts_word(o, on, objects[k]))
				return true;
	}
	return false;
}

static bool task(const char *s, size_t n)
{
	return task_of(s, n, false);
}

/* The task verbs of exercises (of finding or working something out),
 * not of making things, which a tutorial's steps use as well. */
static const char *const exercise_verbs[] = {
	"Find", "Calculate", "Compute", "Determine", "Solve", "Estimate", "Name",
	"State", "Identify", "Enumerate", NULL,
};

static bool exercise_verb(const char *s, size_t n)
{
	for (int i = 0; exercise_verbs[i]; i++)
		if (starts_word(s, n, exercise_verbs[i]))
			return true;
	return false;
}

/* Is any byte of s outside ASCII? */
static bool has_non_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* Does word stand in s outside quotation marks (a word in quotes is
 * named, not asked: `处理器 "有什么"`)? Inside: after an odd number of
 * `"`, or after a `“` or `「` not closed before it. One pass. */
static bool asked_outside_quotes(const char *s, size_t n, const char *word)
{
	size_t l = strlen(word);
	bool ascii = false, curly = false;
	for (size_t i = 0; i + l <= n; i++) {
		if (s[i] == '"')
			ascii = !ascii;
		else if (i + 3 <= n && (!memcmp(s + i, "\xE2\x80\x9C", 3) || !memcmp(s + i, "\xE3\x80\x8C", 3)))
			curly = true;   /* “ 「 */
		else if (i + 3 <= n && (!memcmp(s + i, "\xE2\x80\x9D", 3) || !memcmp(s + i, "\xE3\x80\x8D", 3)))
			curly = false;   /* ” 」 */
		else if (!ascii && !curly && !memcmp(s + i, word, l))
			return true;
	}
	return false;
}

static bool cjk_question(const char *s, size_t n)
{
	if (n && s[0] >= '0' && s[0] <= '9')   /* `**2、访问是否受限**`: a point of an answer */
		return false;
	if (!has_non_ascii(s, n))   /* every word tried below is CJK */
		return false;
	for (int i = 0; cjk_asking[i]; i++)
		if (asked_outside_quotes(s, n, cjk_asking[i]))
			return true;
	for (int i = 0; cjk_endings[i]; i++) {
		size_t l = strlen(cjk_endings[i]);
		if (n >= l && memcmp(s + n - l, cjk_endings[i], l) == 0)
			return true;
	}
	return false;
}

/* Bytes of trailing decoration: emoji, symbols, `*` marks, spaces. */
static size_t trailing_decoration(const char *s, size_t n)
{
	size_t end = n;
	while (end) {
		size_t i = end - 1;
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		size_t l;
		int32_t cp = qutf8_decode((const unsigned char *)s + i, end - i, &l);
		if (cp == ' ' || cp == '\t' || cp == '*' || cp == 0xA0 || (cp > 0 && qutf8_is_symbol(cp)))
			end = i;
		else
			break;
	}
	return n - end;
}

static bool qcode_starts_bytes(const char *s, size_t n, const char *p)
{
	size_t l = strlen(p);
	return n >= l && memcmp(s, p, l) == 0;
}

/* Strip markdown emphasis that wraps the whole text: **x**, *x*, __x__. */
static size_t strip_wrapping_emphasis(const char **s, size_t n)
{
	const char *p = *s;
	for (int k = 0; k < 2; k++) {
		size_t m = 0;
		while (m < n / 2 && (p[m] == '*' || p[m] == '_') && p[n - 1 - m] == p[m])
			m++;
		if (!m)
			break;
		p += m;
		n -= 2 * m;
		n = qc_trim(&p, n);
	}
	*s = p;
	return n;
}

/* `Câu 9: `, `Question 12. `, `Soru 3) `: a word that numbers the
 * question, in any language, and the number. Bytes to skip, 0 if none. */
static size_t numbering_word(const char *s, size_t n)
{
	size_t i = 0, l;
	while (i < n) {
		int32_t cp = qutf8_decode((const unsigned char *)s + i, n - i, &l);
		if (cp < 0 || (cp >= '0' && cp <= '9') || cp == '_' || !qutf8_is_wordchar(cp))
			break;
		i += l;
	}
	if (!i || i > 24 || i + 1 >= n || s[i] != ' ')
		return 0;
	size_t num = qc_number(s + i + 1, n - i - 1);
	return num && s[i + 1] != 'Q' && s[i + 1] != 'q' ? i + 1 + num : 0;
}

/* Does the text end with a word that asks (asking_endings)? */
static bool ends_asking(const char *s, size_t n)
{
	if (!has_non_ascii(s, n) && !(n > 6 && s[n - 1] == 'r'))
		return false;   /* every ending but Turkish -dir/-dır is non-ASCII */
	for (int i = 0; asking_endings[i]; i++) {
		size_t l = strlen(asking_endings[i]);
		if (n > l && memcmp(s + n - l, asking_endings[i], l) == 0)
			return true;
	}
	return false;
}

/* The words of a heading or line: past wrapping emphasis, decoration
 * and a question number, before trailing decoration ("Q3. **What is a
 * median?** 👶"). Moves *s; returns the length left. */
static size_t bare_words(const char **s, size_t n)
{
	n = strip_wrapping_emphasis(s, n);
	size_t skip = qc_decoration(*s, n);
	*s += skip;
	n -= skip;
	skip = qc_number(*s, n);
	if (!skip)
		skip = numbering_word(*s, n);
	*s += skip;
	n -= skip;
	n -= trailing_decoration(*s, n);   /* "What is a median? 👶", "… ⭐️" */
	return strip_wrapping_emphasis(s, n);
}

/* Is the code point before byte n Greek? (Greek asks with ';') */
static bool greek_before(const char *s, size_t n)
{
	if (!n)
		return false;
	size_t i = n - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	size_t l;
	int32_t cp = qutf8_decode((const unsigned char *)s + i, n - i, &l);
	return cp >= 0x370 && cp <= 0x3FF;
}

bool qc_ends_question_mark(const char *s, size_t n)
{
	if (!n)
		return false;
	if (s[n - 1] == '?')
		return true;
	if (s[n - 1] == ';')
		return n >= 2 && greek_before(s, n - 1);
	return (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9F", 3) == 0)   /* ？ */
	    || (n >= 2 && memcmp(s + n - 2, "\xD8\x9F", 2) == 0)       /* ؟ */
	    || (n >= 2 && memcmp(s + n - 2, "\xCD\xBE", 2) == 0);      /* ; */
}

/* The length of s before a closing group in parentheses and the spaces
 * before it (`Jak organizujesz kod? (moduły, klasy?)`), or n. */
static size_t before_final_group(const char *s, size_t n)
{
	if (!n || s[n - 1] != ')')
		return n;
	int depth = 0;
	for (size_t i = n; i-- > 0;) {
		depth += s[i] == ')' ? 1 : s[i] == '(' ? -1 : 0;
		if (depth == 0) {
			while (i > 0 && s[i - 1] == ' ')
				i--;
			return i;
		}
	}
	return n;
}

/* Does s end with a question mark, or with one and then a remark in
 * parentheses? */
static bool ends_question(const char *s, size_t n)
{
	return qc_ends_question_mark(s, n) || qc_ends_question_mark(s, before_final_group(s, n));
}

/* Verbs that set a task whatever follows them. */
static const char *const imperatives[] = {
	"Explain", "Describe", "Define", "Compare", "Implement", "Discuss",
	"Distinguish", "Differentiate", "Summarize", "Summarise", "Illustrate",
	"Evaluate", "Analyze", "Analyse", "Prove", "Derive", "Contrast",
	"Explica", "Explique", "Expliquez", "Erkläre", "Beschreibe",
	"Объясните", "Опишите", "Расскажите", "Напишите", "Реализуйте", "Сделайте",
	"Поясніть", "Опишіть", "Wyjaśnij", "Wytłumacz", "Opisz", "Napisz", "Utwórz",
	"Spraw", "Açıklayın", "Jelaskan", "Giải thích", "Phân biệt", "اشرح",
	/* the verbs of exercises and exam questions (`Calcula $\phi(495)$`,
	 * `Resuelve la ecuación ...`, `Докажите, что ...`): each sets the
	 * task of computing, solving, proving or finding */
	"Calcula", "Calcule", "Resuelve", "Resuelva", "Demuestra", "Demuestre",
	"Encuentra", "Encuentre", "Halla", "Halle", "Justifica", "Comprueba",
	"Simplifica", "Obtén", "Obtenga", "Desarrolla", "Resolva", "Demonstre",
	"Encontre", "Calcola", "Dimostra", "Risolvi", "Trova", "Calculez",
	"Calculer", "Montrez", "Démontrez", "Démontrer", "Résolvez", "Résoudre",
	"Déterminez", "Trouvez", "Berechne", "Beweise", "Bestimme", "Löse",
	"Вычислите", "Докажите", "Найдите", "Решите", "Определите", "Обчисліть",
	"Доведіть", "Знайдіть", "Розв'яжіть", NULL,
};

/* The asking words and the imperatives by their first byte (lower-cased
 * when ASCII), made once: a heading is compared with the few words that
 * can start it. */
#define NASK (sizeof asking_words / sizeof asking_words[0])
#define NIMP (sizeof imperatives / sizeof imperatives[0])
static unsigned char first_ask[NASK], first_imp[NIMP];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static unsigned char bucket(unsigned char c)
{
	return c < 0x80 ? (unsigned char)(c | 0x20) : (c == 0xD1 ? 0xD0 : c);
}

static void make_buckets(void)
{
	for (size_t k = 0; asking_words[k]; k++)
		first_ask[k] = bucket((unsigned char)asking_words[k][0]);
	for (size_t k = 0; imperatives[k]; k++)
		first_imp[k] = bucket((unsigned char)imperatives[k][0]);
}

/* Does s start with one of words (first: their first bytes)? */
static bool starts_one_of(const char *const *words, const unsigned char *first,
			  const char *s, size_t n)
{
	pthread_once(&buckets_once, make_buckets);
	unsigned char b = bucket((unsigned char)s[0]);
	for (size_t k = 0; words[k]; k++)
		if (first[k] == b && starts_word(s, n, words[k]))
			return true;
	return false;
}

static bool starts_imperative(const char *s, size_t n)
{
	return starts_one_of(imperatives, first_imp, s, n);
}

static bool starts_asking_word(const char *s, size_t n)
{
	return starts_one_of(asking_words, first_ask, s, n) || starts_imperative(s, n);
}

qclass qc_classify(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	while (n && s[n - 1] == '#')   /* closing ATX marks */
		n--;
	n = qc_trim(&s, n);
	n = bare_words(&s, n);
	if (!n)
		return QC_OTHER;
	if (qc_ends_colon(s, n))
		return task(s, n) || starts_imperative(s, n) ? QC_QUESTION : QC_LABEL;
	if (ends_question(s, n) || qcode_starts_bytes(s, n, "\xC2\xBF"))   /* ¿ */
		return QC_QUESTION;
	if (qc_word(s, n, "Advanced", ":"))
		return (n > 9 && s[8] == ':') ? QC_QUESTION : QC_OTHER;
	if (starts_asking_word(s, n))
		return QC_QUESTION;
	if (task(s, n) || comparison(s, n) || cjk_question(s, n) || ends_asking(s, n))
		return QC_QUESTION;
	return QC_OTHER;
}

bool qc_ends_colon(const char *s, size_t n)
{
	return n && (s[n - 1] == ':' || (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0));
}

bool qc_holds_colon(const char *s, size_t n)
{
	return memchr(s, ':', n) || qmemmem(s, n, "\xEF\xBC\x9A", 3);
}

bool qc_asks(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	n = bare_words(&s, n);
	if (!n)
		return false;
	if (ends_question(s, n) || qcode_starts_bytes(s, n, "\xC2\xBF") || task(s, n))
		return true;
	return starts_imperative(s, n) || cjk_question(s, n);
}

/* Does the text set an exercise: ask, or set a task with a verb of
 * exercises (`Explain`, `Prove`, `Calcula`, `Find`, `Compute $x$`), also in a
 * later clause or sentence (`Dado el sistema ..., obtén una solución`,
 * `... la clave pública $e=7$. Busca ...`)? The verbs of making things
 * (`Create a project`, `Build the app`) are a tutorial's steps here, not
 * exercises. */
bool qc_sets_task(const char *s, size_t n)
{
	n = qc_trim(&s, n);
	n = bare_words(&s, n);
	if (ends_question(s, n) || qcode_starts_bytes(s, n, "\xC2\xBF") || cjk_question(s, n))
		return true;
	for (size_t i = 0; i + 2 < n; i++) {
		if (i && ((s[i] != ',' && s[i] != ';' && s[i] != '.') || s[i + 1] != ' '))
			continue;
		const char *r = i ? s + i + 2 : s;
		size_t rn = i ? n - i - 2 : n;
		if (starts_imperative(r, rn) || exercise_verb(r, rn) || task_of(r, rn, true))
			return true;
	}
	return false;
}

/* ---- label words ------------------------------------------------------- */

const char *const qc_answer_words[] = {
	"answer", "answers", "solution", "respuesta", "solución", "réponse", "antwort",
	"lösung", "resposta", "risposta", "ответ", "Ответ", "решение", "Решение", "答案", "答",
	"解答", "答え", "回答", "正解", "정답", "답", "풀이",
	/* Arabic, Persian, Vietnamese, Turkish, Polish, Ukrainian,
	 * Indonesian (also `Jawabannya`, "the answer"), Hindi */
	"الإجابة", "الأجابة", "الاجابة", "إجابة", "اجابة", "الجواب", "جواب", "الحل", "پاسخ",
	"đáp án", "Đáp án", "lời giải", "trả lời", "cevap", "yanıt", "çözüm", "Çözüm",
	"odpowiedź", "rozwiązanie", "відповідь", "Відповідь", "jawaban", "jawabannya", "उत्तर",
	/* Spanish and Portuguese "resolution", Italian, Dutch, Scandinavian,
	 * Czech, Finnish, Greek, Hebrew */
	"resolución", "resolução", "solução", "soluzione", "antwoord", "oplossing", "svar",
	"odpověď", "řešení", "Řešení", "vastaus", "ratkaisu", "απάντηση", "Απάντηση", "λύση",
	"Λύση", "תשובה", "פתרון", NULL};

const char *const qc_question_words[] = {
	"question", "frage", "pregunta", "domanda", "pergunta", "soru", "pytanie",
	"pertanyaan", "câu hỏi", "вопрос", "Вопрос", "问题", "问", "問題", "問", "質問",
	"질문", NULL};

bool qc_one_of(const char *const *words, const char *s, size_t n)
{
	for (int k = 0; words[k]; k++)
		if (strlen(words[k]) == n && strncasecmp(s, words[k], n) == 0)
			return true;
	return false;
}

bool qc_names_answer(const char *s, size_t n)
{
	if (n >= 3 && !memcmp(s + n - 3, "\xEF\xBC\x9A", 3))   /* ： */
		n -= 3;
	while (n && (s[n - 1] == ':' || s[n - 1] == ' '))
		n--;
	return n && qc_one_of(qc_answer_words, s, n);
}
