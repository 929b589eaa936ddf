/* words.c - the outputs' own words in each language (see words.h): one
 * table per language, its plural rule, and the count line.
 *
 * The translations are short, as a printed book would set them; the
 * plural rules are CLDR's for whole numbers. A language's table may
 * leave a word out: English's is used then.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "words.h"

#define NBSP "\xC2\xA0"

struct qwords {
	const char *tag;
	qplural (*plural)(long n);
	const char *w[QW__COUNT];
	/* by plural category; NULL: the QP_OTHER form */
	const char *noun[QWN__COUNT][QP__COUNT];
	const char *callout[QWC__COUNT];   /* NULL: the kind as written */
};

/* ---- plural rules (CLDR, whole numbers) ---------------------------- */

static qplural plural_none(long n)
{
	(void)n;
	return QP_OTHER;
}

/* English, German, Dutch, Italian, Spanish, Turkish: 1 is singular. */
static qplural plural_one(long n)
{
	return n == 1 ? QP_ONE : QP_OTHER;
}

/* French, Portuguese: 0 and 1 are singular. */
static qplural plural_zero_one(long n)
{
	return n == 0 || n == 1 ? QP_ONE : QP_OTHER;
}

/* Russian, Ukrainian: 1, 21, 31 ... one; 2-4, 22-24 ... few; else many. */
static qplural plural_east_slavic(long n)
{
	long m10 = n % 10, m100 = n % 100;
	if (m10 == 1 && m100 != 11)
		return QP_ONE;
	if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14))
		return QP_FEW;
	return QP_MANY;
}

/* Polish: 1 one; 2-4, 22-24 ... (not 12-14) few; else many. */
static qplural plural_polish(long n)
{
	long m10 = n % 10, m100 = n % 100;
	if (n == 1)
		return QP_ONE;
	if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14))
		return QP_FEW;
	return QP_MANY;
}

/* Arabic: 0 zero, 1 one, 2 two, 3-10 few, 11-99 many (by n % 100),
 * else other. */
static qplural plural_arabic(long n)
{
	long m100 = n % 100;
	if (n == 0)
		return QP_ZERO;
	if (n == 1)
		return QP_ONE;
	if (n == 2)
		return QP_TWO;
	if (m100 >= 3 && m100 <= 10)
		return QP_FEW;
	if (m100 >= 11)
		return QP_MANY;
	return QP_OTHER;
}

/* ---- the tables ----------------------------------------------------- */

/* Shorthands for the noun forms. */
#define ONE_OTHER(one, other) {[QP_ONE] = one, [QP_OTHER] = other}
#define ONE_FEW_MANY(one, few, many) {[QP_ONE] = one, [QP_FEW] = few, [QP_MANY] = many, [QP_OTHER] = many}
#define ONLY(other) {[QP_OTHER] = other}

static const qwords tables[] = {
	{"en", plural_one, {
		[QW_CONTENTS] = "Contents",
		[QW_TITLE_PAGE] = "Title page",
		[QW_COVER] = "Cover",
		[QW_COVER_OF] = "Cover: {1}",
		[QW_BY] = ", by {1}",
		[QW_LANDMARKS] = "Landmarks",
		[QW_START] = "Start of the notes",
		[QW_PAGE_LIST] = "Pages of the printed booklet",
		[QW_INTRODUCTION] = "Introduction",
		[QW_EMPTY] = "These notes hold no sections or questions yet.",
		[QW_QUESTION_N] = "Question {1}",
		[QW_SECTION_N] = "Section {1}",
		[QW_CONTINUED] = "{1} (continued)",
		[QW_QUESTION_LINE] = "Question at line {1}",
		[QW_NOTES] = "Notes",
		[QW_FOOTNOTES] = "Notes",
		[QW_ANSWERS] = "Answers",
		[QW_ANSWER] = "Answer",
		[QW_HOWTO] = "Self-test edition: answer each question in your head, "
			     "then tap {1} to check.",
		[QW_PAGE_OF] = "page {1} of the printed booklet",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "booklet p." NBSP "{1}",
		[QW_TYPESET] = "Typeset by quire from {1}",
		[QW_TYPESET_STDIN] = "Typeset by quire from standard input",
		[QW_DATED] = "{1} on {2}",
		[QW_IMAGE_OPEN] = "[image: ",
		[QW_COLUMNS] = "columns",
		[QW_MADE_BY] = "Made by quire from study notes.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} in {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} question", "{1} questions"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} section", "{1} sections"),
	}, {NULL}},   /* callouts: the kind as written */
	{"es", plural_one, {
		[QW_CONTENTS] = "Índice",
		[QW_TITLE_PAGE] = "Portada",
		[QW_COVER] = "Cubierta",
		[QW_COVER_OF] = "Cubierta: {1}",
		[QW_BY] = ", de {1}",
		[QW_LANDMARKS] = "Puntos de referencia",
		[QW_START] = "Inicio de los apuntes",
		[QW_PAGE_LIST] = "Páginas del cuadernillo impreso",
		[QW_INTRODUCTION] = "Introducción",
		[QW_EMPTY] = "Estos apuntes aún no tienen secciones ni preguntas.",
		[QW_QUESTION_N] = "Pregunta {1}",
		[QW_SECTION_N] = "Sección {1}",
		[QW_CONTINUED] = "{1} (continuación)",
		[QW_QUESTION_LINE] = "Pregunta de la línea {1}",
		[QW_NOTES] = "Apuntes",
		[QW_FOOTNOTES] = "Notas",
		[QW_ANSWERS] = "Respuestas",
		[QW_ANSWER] = "Respuesta",
		[QW_HOWTO] = "Edición de autoevaluación: responde mentalmente cada "
			     "pregunta y luego toca {1} para comprobarlo.",
		[QW_PAGE_OF] = "página {1} del cuadernillo impreso",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "cuadernillo, p." NBSP "{1}",
		[QW_TYPESET] = "Compuesto con quire a partir de {1}",
		[QW_TYPESET_STDIN] = "Compuesto con quire a partir de la entrada estándar",
		[QW_DATED] = "{1} el {2}",
		[QW_IMAGE_OPEN] = "[imagen: ",
		[QW_COLUMNS] = "columnas",
		[QW_MADE_BY] = "Creado con quire a partir de apuntes de estudio.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} en {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} pregunta", "{1} preguntas"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} sección", "{1} secciones"),
	}, {
		[QWC_NOTE] = "Nota",
		[QWC_SUMMARY] = "Resumen",
		[QWC_INFO] = "Información",
		[QWC_TODO] = "Pendiente",
		[QWC_TIP] = "Consejo",
		[QWC_HINT] = "Pista",
		[QWC_IMPORTANT] = "Importante",
		[QWC_SUCCESS] = "Logrado",
		[QWC_QUESTION] = "Pregunta",
		[QWC_WARNING] = "Advertencia",
		[QWC_CAUTION] = "Precaución",
		[QWC_FAILURE] = "Fallo",
		[QWC_DANGER] = "Peligro",
		[QWC_ERROR] = "Error",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Ejemplo",
		[QWC_QUOTE] = "Cita",
	}},
	{"fr", plural_zero_one, {
		[QW_CONTENTS] = "Table des matières",
		[QW_TITLE_PAGE] = "Page de titre",
		[QW_COVER] = "Couverture",
		[QW_COVER_OF] = "Couverture" NBSP ": {1}",
		[QW_BY] = ", par {1}",
		[QW_LANDMARKS] = "Repères",
		[QW_START] = "Début des notes",
		[QW_PAGE_LIST] = "Pages du livret imprimé",
		[QW_INTRODUCTION] = "Introduction",
		[QW_EMPTY] = "Ces notes ne contiennent encore ni section ni question.",
		[QW_QUESTION_N] = "Question {1}",
		[QW_SECTION_N] = "Section {1}",
		[QW_CONTINUED] = "{1} (suite)",
		[QW_QUESTION_LINE] = "Question de la ligne {1}",
		[QW_NOTES] = "Notes",
		[QW_FOOTNOTES] = "Notes",
		[QW_ANSWERS] = "Réponses",
		[QW_ANSWER] = "Réponse",
		[QW_HOWTO] = "Édition d’auto-évaluation" NBSP ": répondez de tête à chaque "
			     "question, puis touchez {1} pour vérifier.",
		[QW_PAGE_OF] = "page {1} du livret imprimé",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "livret, p." NBSP "{1}",
		[QW_TYPESET] = "Composé avec quire à partir de {1}",
		[QW_TYPESET_STDIN] = "Composé avec quire à partir de l’entrée standard",
		[QW_DATED] = "{1} le {2}",
		[QW_IMAGE_OPEN] = "[image" NBSP ": ",
		[QW_COLUMNS] = "colonnes",
		[QW_MADE_BY] = "Créé avec quire à partir de notes d’étude.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} en {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} question", "{1} questions"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} section", "{1} sections"),
	}, {
		[QWC_NOTE] = "Note",
		[QWC_SUMMARY] = "Résumé",
		[QWC_INFO] = "Info",
		[QWC_TODO] = "À faire",
		[QWC_TIP] = "Astuce",
		[QWC_HINT] = "Indice",
		[QWC_IMPORTANT] = "Important",
		[QWC_SUCCESS] = "Réussite",
		[QWC_QUESTION] = "Question",
		[QWC_WARNING] = "Attention",
		[QWC_CAUTION] = "Prudence",
		[QWC_FAILURE] = "Échec",
		[QWC_DANGER] = "Danger",
		[QWC_ERROR] = "Erreur",
		[QWC_BUG] = "Bogue",
		[QWC_EXAMPLE] = "Exemple",
		[QWC_QUOTE] = "Citation",
	}},
	{"de", plural_one, {
		[QW_CONTENTS] = "Inhalt",
		[QW_TITLE_PAGE] = "Titelseite",
		[QW_COVER] = "Umschlag",
		[QW_COVER_OF] = "Umschlag: {1}",
		[QW_BY] = ", von {1}",
		[QW_LANDMARKS] = "Orientierungspunkte",
		[QW_START] = "Beginn der Notizen",
		[QW_PAGE_LIST] = "Seiten des gedruckten Hefts",
		[QW_INTRODUCTION] = "Einleitung",
		[QW_EMPTY] = "Diese Notizen enthalten noch keine Abschnitte und keine Fragen.",
		[QW_QUESTION_N] = "Frage {1}",
		[QW_SECTION_N] = "Abschnitt {1}",
		[QW_CONTINUED] = "{1} (Fortsetzung)",
		[QW_QUESTION_LINE] = "Frage in Zeile {1}",
		[QW_NOTES] = "Notizen",
		[QW_FOOTNOTES] = "Anmerkungen",
		[QW_ANSWERS] = "Antworten",
		[QW_ANSWER] = "Antwort",
		[QW_HOWTO] = "Ausgabe zum Selbsttest: Beantworten Sie jede Frage im Kopf "
			     "und tippen Sie dann auf {1}, um nachzusehen.",
		[QW_PAGE_OF] = "Seite {1} des gedruckten Hefts",
		[QW_PAGE_N] = "S." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "Heft, S." NBSP "{1}",
		[QW_TYPESET] = "Gesetzt mit quire aus {1}",
		[QW_TYPESET_STDIN] = "Gesetzt mit quire aus der Standardeingabe",
		[QW_DATED] = "{1} am {2}",
		[QW_IMAGE_OPEN] = "[Bild: ",
		[QW_COLUMNS] = "Spalten",
		[QW_MADE_BY] = "Mit quire aus Lernnotizen erstellt.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} in {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} Frage", "{1} Fragen"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} Abschnitt", "{1} Abschnitten"),
	}, {
		[QWC_NOTE] = "Notiz",
		[QWC_SUMMARY] = "Zusammenfassung",
		[QWC_INFO] = "Info",
		[QWC_TODO] = "Zu erledigen",
		[QWC_TIP] = "Tipp",
		[QWC_HINT] = "Hinweis",
		[QWC_IMPORTANT] = "Wichtig",
		[QWC_SUCCESS] = "Erfolg",
		[QWC_QUESTION] = "Frage",
		[QWC_WARNING] = "Warnung",
		[QWC_CAUTION] = "Vorsicht",
		[QWC_FAILURE] = "Fehlschlag",
		[QWC_DANGER] = "Gefahr",
		[QWC_ERROR] = "Fehler",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Beispiel",
		[QWC_QUOTE] = "Zitat",
	}},
	{"pt", plural_zero_one, {
		[QW_CONTENTS] = "Sumário",
		[QW_TITLE_PAGE] = "Folha de rosto",
		[QW_COVER] = "Capa",
		[QW_COVER_OF] = "Capa: {1}",
		[QW_BY] = ", de {1}",
		[QW_LANDMARKS] = "Pontos de referência",
		[QW_START] = "Início das notas",
		[QW_PAGE_LIST] = "Páginas do livreto impresso",
		[QW_INTRODUCTION] = "Introdução",
		[QW_EMPTY] = "Estas notas ainda não têm seções nem perguntas.",
		[QW_QUESTION_N] = "Pergunta {1}",
		[QW_SECTION_N] = "Seção {1}",
		[QW_CONTINUED] = "{1} (continuação)",
		[QW_QUESTION_LINE] = "Pergunta da linha {1}",
		[QW_NOTES] = "Notas",
		[QW_FOOTNOTES] = "Notas",
		[QW_ANSWERS] = "Respostas",
		[QW_ANSWER] = "Resposta",
		[QW_HOWTO] = "Edição de autoavaliação: responda mentalmente a cada "
			     "pergunta e depois toque em {1} para conferir.",
		[QW_PAGE_OF] = "página {1} do livreto impresso",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "livreto, p." NBSP "{1}",
		[QW_TYPESET] = "Composto com o quire a partir de {1}",
		[QW_TYPESET_STDIN] = "Composto com o quire a partir da entrada padrão",
		[QW_DATED] = "{1} em {2}",
		[QW_IMAGE_OPEN] = "[imagem: ",
		[QW_COLUMNS] = "colunas",
		[QW_MADE_BY] = "Criado com o quire a partir de notas de estudo.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} em {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} pergunta", "{1} perguntas"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} seção", "{1} seções"),
	}, {
		[QWC_NOTE] = "Nota",
		[QWC_SUMMARY] = "Resumo",
		[QWC_INFO] = "Informação",
		[QWC_TODO] = "A fazer",
		[QWC_TIP] = "Dica",
		[QWC_HINT] = "Pista",
		[QWC_IMPORTANT] = "Importante",
		[QWC_SUCCESS] = "Sucesso",
		[QWC_QUESTION] = "Pergunta",
		[QWC_WARNING] = "Aviso",
		[QWC_CAUTION] = "Cuidado",
		[QWC_FAILURE] = "Falha",
		[QWC_DANGER] = "Perigo",
		[QWC_ERROR] = "Erro",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Exemplo",
		[QWC_QUOTE] = "Citação",
	}},
	{"it", plural_one, {
		[QW_CONTENTS] = "Indice",
		[QW_TITLE_PAGE] = "Frontespizio",
		[QW_COVER] = "Copertina",
		[QW_COVER_OF] = "Copertina: {1}",
		[QW_BY] = ", di {1}",
		[QW_LANDMARKS] = "Punti di riferimento",
		[QW_START] = "Inizio degli appunti",
		[QW_PAGE_LIST] = "Pagine del libretto stampato",
		[QW_INTRODUCTION] = "Introduzione",
		[QW_EMPTY] = "Questi appunti non hanno ancora sezioni né domande.",
		[QW_QUESTION_N] = "Domanda {1}",
		[QW_SECTION_N] = "Sezione {1}",
		[QW_CONTINUED] = "{1} (continuazione)",
		[QW_QUESTION_LINE] = "Domanda alla riga {1}",
		[QW_NOTES] = "Appunti",
		[QW_FOOTNOTES] = "Note",
		[QW_ANSWERS] = "Risposte",
		[QW_ANSWER] = "Risposta",
		[QW_HOWTO] = "Edizione di autoverifica: rispondi mentalmente a ogni "
			     "domanda, poi tocca {1} per controllare.",
		[QW_PAGE_OF] = "pagina {1} del libretto stampato",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "libretto, p." NBSP "{1}",
		[QW_TYPESET] = "Composto con quire a partire da {1}",
		[QW_TYPESET_STDIN] = "Composto con quire a partire dall’input standard",
		[QW_DATED] = "{1} il {2}",
		[QW_IMAGE_OPEN] = "[immagine: ",
		[QW_COLUMNS] = "colonne",
		[QW_MADE_BY] = "Creato con quire a partire da appunti di studio.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} in {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} domanda", "{1} domande"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} sezione", "{1} sezioni"),
	}, {
		[QWC_NOTE] = "Nota",
		[QWC_SUMMARY] = "Riepilogo",
		[QWC_INFO] = "Info",
		[QWC_TODO] = "Da fare",
		[QWC_TIP] = "Suggerimento",
		[QWC_HINT] = "Indizio",
		[QWC_IMPORTANT] = "Importante",
		[QWC_SUCCESS] = "Successo",
		[QWC_QUESTION] = "Domanda",
		[QWC_WARNING] = "Avvertenza",
		[QWC_CAUTION] = "Attenzione",
		[QWC_FAILURE] = "Fallimento",
		[QWC_DANGER] = "Pericolo",
		[QWC_ERROR] = "Errore",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Esempio",
		[QWC_QUOTE] = "Citazione",
	}},
	{"nl", plural_one, {
		[QW_CONTENTS] = "Inhoud",
		[QW_TITLE_PAGE] = "Titelpagina",
		[QW_COVER] = "Omslag",
		[QW_COVER_OF] = "Omslag: {1}",
		[QW_BY] = ", door {1}",
		[QW_LANDMARKS] = "Oriëntatiepunten",
		[QW_START] = "Begin van de aantekeningen",
		[QW_PAGE_LIST] = "Pagina’s van het gedrukte boekje",
		[QW_INTRODUCTION] = "Inleiding",
		[QW_EMPTY] = "Deze aantekeningen bevatten nog geen onderdelen of vragen.",
		[QW_QUESTION_N] = "Vraag {1}",
		[QW_SECTION_N] = "Onderdeel {1}",
		[QW_CONTINUED] = "{1} (vervolg)",
		[QW_QUESTION_LINE] = "Vraag op regel {1}",
		[QW_NOTES] = "Aantekeningen",
		[QW_FOOTNOTES] = "Noten",
		[QW_ANSWERS] = "Antwoorden",
		[QW_ANSWER] = "Antwoord",
		[QW_HOWTO] = "Editie voor zelftoetsing: beantwoord elke vraag in "
			     "gedachten en tik dan op {1} om te controleren.",
		[QW_PAGE_OF] = "pagina {1} van het gedrukte boekje",
		[QW_PAGE_N] = "p." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "boekje, p." NBSP "{1}",
		[QW_TYPESET] = "Opgemaakt met quire uit {1}",
		[QW_TYPESET_STDIN] = "Opgemaakt met quire uit standaardinvoer",
		[QW_DATED] = "{1} op {2}",
		[QW_IMAGE_OPEN] = "[afbeelding: ",
		[QW_COLUMNS] = "kolommen",
		[QW_MADE_BY] = "Gemaakt met quire uit studieaantekeningen.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} in {2}",
	}, {
		[QWN_QUESTIONS] = ONE_OTHER("{1} vraag", "{1} vragen"),
		[QWN_SECTIONS_IN] = ONE_OTHER("{1} onderdeel", "{1} onderdelen"),
	}, {
		[QWC_NOTE] = "Notitie",
		[QWC_SUMMARY] = "Samenvatting",
		[QWC_INFO] = "Info",
		[QWC_TODO] = "Te doen",
		[QWC_TIP] = "Tip",
		[QWC_HINT] = "Hint",
		[QWC_IMPORTANT] = "Belangrijk",
		[QWC_SUCCESS] = "Gelukt",
		[QWC_QUESTION] = "Vraag",
		[QWC_WARNING] = "Waarschuwing",
		[QWC_CAUTION] = "Voorzichtig",
		[QWC_FAILURE] = "Mislukt",
		[QWC_DANGER] = "Gevaar",
		[QWC_ERROR] = "Fout",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Voorbeeld",
		[QWC_QUOTE] = "Citaat",
	}},
	{"ru", plural_east_slavic, {
		[QW_CONTENTS] = "Содержание",
		[QW_TITLE_PAGE] = "Титульный лист",
		[QW_COVER] = "Обложка",
		[QW_COVER_OF] = "Обложка: {1}",
		[QW_BY] = ", автор: {1}",
		[QW_LANDMARKS] = "Ориентиры",
		[QW_START] = "Начало конспекта",
		[QW_PAGE_LIST] = "Страницы печатной брошюры",
		[QW_INTRODUCTION] = "Введение",
		[QW_EMPTY] = "В этом конспекте пока нет ни разделов, ни вопросов.",
		[QW_QUESTION_N] = "Вопрос {1}",
		[QW_SECTION_N] = "Раздел {1}",
		[QW_CONTINUED] = "{1} (продолжение)",
		[QW_QUESTION_LINE] = "Вопрос в строке {1}",
		[QW_NOTES] = "Конспект",
		[QW_FOOTNOTES] = "Примечания",
		[QW_ANSWERS] = "Ответы",
		[QW_ANSWER] = "Ответ",
		[QW_HOWTO] = "Издание для самопроверки: ответьте на каждый вопрос "
			     "мысленно, затем нажмите {1}, чтобы проверить себя.",
		[QW_PAGE_OF] = "страница {1} печатной брошюры",
		[QW_PAGE_N] = "с." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "брошюра, с." NBSP "{1}",
		[QW_TYPESET] = "Свёрстано в quire из файла {1}",
		[QW_TYPESET_STDIN] = "Свёрстано в quire из стандартного ввода",
		[QW_DATED] = "{1}, {2}",
		[QW_IMAGE_OPEN] = "[изображение: ",
		[QW_COLUMNS] = "столбцы",
		[QW_MADE_BY] = "Создано в quire из учебного конспекта.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} в {2}",
	}, {
		[QWN_QUESTIONS] = ONE_FEW_MANY("{1} вопрос", "{1} вопроса", "{1} вопросов"),
		[QWN_SECTIONS_IN] = ONE_FEW_MANY("{1} разделе", "{1} разделах", "{1} разделах"),
	}, {
		[QWC_NOTE] = "Заметка",
		[QWC_SUMMARY] = "Кратко",
		[QWC_INFO] = "Информация",
		[QWC_TODO] = "Сделать",
		[QWC_TIP] = "Совет",
		[QWC_HINT] = "Подсказка",
		[QWC_IMPORTANT] = "Важно",
		[QWC_SUCCESS] = "Успех",
		[QWC_QUESTION] = "Вопрос",
		[QWC_WARNING] = "Предупреждение",
		[QWC_CAUTION] = "Осторожно",
		[QWC_FAILURE] = "Неудача",
		[QWC_DANGER] = "Опасно",
		[QWC_ERROR] = "Ошибка",
		[QWC_BUG] = "Баг",
		[QWC_EXAMPLE] = "Пример",
		[QWC_QUOTE] = "Цитата",
	}},
	{"uk", plural_east_slavic, {
		[QW_CONTENTS] = "Зміст",
		[QW_TITLE_PAGE] = "Титульна сторінка",
		[QW_COVER] = "Обкладинка",
		[QW_COVER_OF] = "Обкладинка: {1}",
		[QW_BY] = ", автор: {1}",
		[QW_LANDMARKS] = "Орієнтири",
		[QW_START] = "Початок конспекту",
		[QW_PAGE_LIST] = "Сторінки друкованої брошури",
		[QW_INTRODUCTION] = "Вступ",
		[QW_EMPTY] = "У цьому конспекті ще немає ні розділів, ні питань.",
		[QW_QUESTION_N] = "Питання {1}",
		[QW_SECTION_N] = "Розділ {1}",
		[QW_CONTINUED] = "{1} (продовження)",
		[QW_QUESTION_LINE] = "Питання в рядку {1}",
		[QW_NOTES] = "Конспект",
		[QW_FOOTNOTES] = "Примітки",
		[QW_ANSWERS] = "Відповіді",
		[QW_ANSWER] = "Відповідь",
		[QW_HOWTO] = "Видання для самоперевірки: дайте відповідь на кожне "
			     "питання подумки, а потім натисніть {1}, щоб перевірити себе.",
		[QW_PAGE_OF] = "сторінка {1} друкованої брошури",
		[QW_PAGE_N] = "с." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "брошура, с." NBSP "{1}",
		[QW_TYPESET] = "Зверстано в quire з файлу {1}",
		[QW_TYPESET_STDIN] = "Зверстано в quire зі стандартного введення",
		[QW_DATED] = "{1}, {2}",
		[QW_IMAGE_OPEN] = "[зображення: ",
		[QW_COLUMNS] = "стовпці",
		[QW_MADE_BY] = "Створено в quire з навчального конспекту.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} у {2}",
	}, {
		[QWN_QUESTIONS] = ONE_FEW_MANY("{1} питання", "{1} питання", "{1} питань"),
		[QWN_SECTIONS_IN] = ONE_FEW_MANY("{1} розділі", "{1} розділах", "{1} розділах"),
	}, {
		[QWC_NOTE] = "Нотатка",
		[QWC_SUMMARY] = "Коротко",
		[QWC_INFO] = "Інформація",
		[QWC_TODO] = "Зробити",
		[QWC_TIP] = "Порада",
		[QWC_HINT] = "Підказка",
		[QWC_IMPORTANT] = "Важливо",
		[QWC_SUCCESS] = "Успіх",
		[QWC_QUESTION] = "Питання",
		[QWC_WARNING] = "Попередження",
		[QWC_CAUTION] = "Обережно",
		[QWC_FAILURE] = "Невдача",
		[QWC_DANGER] = "Небезпечно",
		[QWC_ERROR] = "Помилка",
		[QWC_BUG] = "Баг",
		[QWC_EXAMPLE] = "Приклад",
		[QWC_QUOTE] = "Цитата",
	}},
	{"pl", plural_polish, {
		[QW_CONTENTS] = "Spis treści",
		[QW_TITLE_PAGE] = "Strona tytułowa",
		[QW_COVER] = "Okładka",
		[QW_COVER_OF] = "Okładka: {1}",
		[QW_BY] = ", autor: {1}",
		[QW_LANDMARKS] = "Punkty orientacyjne",
		[QW_START] = "Początek notatek",
		[QW_PAGE_LIST] = "Strony drukowanej broszury",
		[QW_INTRODUCTION] = "Wprowadzenie",
		[QW_EMPTY] = "Te notatki nie mają jeszcze działów ani pytań.",
		[QW_QUESTION_N] = "Pytanie {1}",
		[QW_SECTION_N] = "Dział {1}",
		[QW_CONTINUED] = "{1} (ciąg dalszy)",
		[QW_QUESTION_LINE] = "Pytanie w wierszu {1}",
		[QW_NOTES] = "Notatki",
		[QW_FOOTNOTES] = "Przypisy",
		[QW_ANSWERS] = "Odpowiedzi",
		[QW_ANSWER] = "Odpowiedź",
		[QW_HOWTO] = "Wydanie do samosprawdzenia: odpowiedz w myślach na każde "
			     "pytanie, a potem dotknij {1}, aby sprawdzić.",
		[QW_PAGE_OF] = "strona {1} drukowanej broszury",
		[QW_PAGE_N] = "s." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "broszura, s." NBSP "{1}",
		[QW_TYPESET] = "Złożono w quire z pliku {1}",
		[QW_TYPESET_STDIN] = "Złożono w quire ze standardowego wejścia",
		[QW_DATED] = "{1}, {2}",
		[QW_IMAGE_OPEN] = "[obraz: ",
		[QW_COLUMNS] = "kolumny",
		[QW_MADE_BY] = "Utworzono w quire z notatek do nauki.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} w {2}",
	}, {
		[QWN_QUESTIONS] = ONE_FEW_MANY("{1} pytanie", "{1} pytania", "{1} pytań"),
		[QWN_SECTIONS_IN] = ONE_FEW_MANY("{1} dziale", "{1} działach", "{1} działach"),
	}, {
		[QWC_NOTE] = "Notatka",
		[QWC_SUMMARY] = "Podsumowanie",
		[QWC_INFO] = "Informacja",
		[QWC_TODO] = "Do zrobienia",
		[QWC_TIP] = "Wskazówka",
		[QWC_HINT] = "Podpowiedź",
		[QWC_IMPORTANT] = "Ważne",
		[QWC_SUCCESS] = "Sukces",
		[QWC_QUESTION] = "Pytanie",
		[QWC_WARNING] = "Ostrzeżenie",
		[QWC_CAUTION] = "Uwaga",
		[QWC_FAILURE] = "Niepowodzenie",
		[QWC_DANGER] = "Niebezpieczeństwo",
		[QWC_ERROR] = "Błąd",
		[QWC_BUG] = "Usterka",
		[QWC_EXAMPLE] = "Przykład",
		[QWC_QUOTE] = "Cytat",
	}},
	/* Turkish: a noun after a number stays singular */
	{"tr", plural_one, {
		[QW_CONTENTS] = "İçindekiler",
		[QW_TITLE_PAGE] = "Başlık sayfası",
		[QW_COVER] = "Kapak",
		[QW_COVER_OF] = "Kapak: {1}",
		[QW_BY] = ", yazan: {1}",
		[QW_LANDMARKS] = "Yer işaretleri",
		[QW_START] = "Notların başlangıcı",
		[QW_PAGE_LIST] = "Basılı kitapçığın sayfaları",
		[QW_INTRODUCTION] = "Giriş",
		[QW_EMPTY] = "Bu notlarda henüz bölüm ya da soru yok.",
		[QW_QUESTION_N] = "Soru {1}",
		[QW_SECTION_N] = "Bölüm {1}",
		[QW_CONTINUED] = "{1} (devamı)",
		[QW_QUESTION_LINE] = "{1}. satırdaki soru",
		[QW_NOTES] = "Notlar",
		[QW_FOOTNOTES] = "Dipnotlar",
		[QW_ANSWERS] = "Cevaplar",
		[QW_ANSWER] = "Cevap",
		[QW_HOWTO] = "Kendini sınama baskısı: her soruyu önce aklından cevapla, "
			     "sonra kontrol etmek için {1} düğmesine dokun.",
		[QW_PAGE_OF] = "basılı kitapçığın {1}. sayfası",
		[QW_PAGE_N] = "s." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "kitapçık, s." NBSP "{1}",
		[QW_TYPESET] = "quire ile {1} dosyasından dizildi",
		[QW_TYPESET_STDIN] = "quire ile standart girdiden dizildi",
		[QW_DATED] = "{1} ({2})",
		[QW_IMAGE_OPEN] = "[görsel: ",
		[QW_COLUMNS] = "sütunlar",
		[QW_MADE_BY] = "quire ile ders notlarından oluşturuldu.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{2} {1}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1} soru"),
		[QWN_SECTIONS_IN] = ONLY("{1} bölümde"),
	}, {
		[QWC_NOTE] = "Not",
		[QWC_SUMMARY] = "Özet",
		[QWC_INFO] = "Bilgi",
		[QWC_TODO] = "Yapılacak",
		[QWC_TIP] = "Öneri",
		[QWC_HINT] = "İpucu",
		[QWC_IMPORTANT] = "Önemli",
		[QWC_SUCCESS] = "Başarılı",
		[QWC_QUESTION] = "Soru",
		[QWC_WARNING] = "Uyarı",
		[QWC_CAUTION] = "Dikkat",
		[QWC_FAILURE] = "Başarısız",
		[QWC_DANGER] = "Tehlike",
		[QWC_ERROR] = "Hata",
		[QWC_BUG] = "Yazılım hatası",
		[QWC_EXAMPLE] = "Örnek",
		[QWC_QUOTE] = "Alıntı",
	}},
	{"id", plural_none, {
		[QW_CONTENTS] = "Daftar Isi",
		[QW_TITLE_PAGE] = "Halaman judul",
		[QW_COVER] = "Sampul",
		[QW_COVER_OF] = "Sampul: {1}",
		[QW_BY] = ", oleh {1}",
		[QW_LANDMARKS] = "Penanda",
		[QW_START] = "Awal catatan",
		[QW_PAGE_LIST] = "Halaman buklet cetak",
		[QW_INTRODUCTION] = "Pendahuluan",
		[QW_EMPTY] = "Catatan ini belum berisi bagian atau pertanyaan.",
		[QW_QUESTION_N] = "Pertanyaan {1}",
		[QW_SECTION_N] = "Bagian {1}",
		[QW_CONTINUED] = "{1} (lanjutan)",
		[QW_QUESTION_LINE] = "Pertanyaan di baris {1}",
		[QW_NOTES] = "Catatan",
		[QW_FOOTNOTES] = "Catatan kaki",
		[QW_ANSWERS] = "Jawaban",
		[QW_ANSWER] = "Jawaban",
		[QW_HOWTO] = "Edisi uji mandiri: jawab setiap pertanyaan dalam hati, "
			     "lalu ketuk {1} untuk memeriksa.",
		[QW_PAGE_OF] = "halaman {1} buklet cetak",
		[QW_PAGE_N] = "hlm." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "buklet, hlm." NBSP "{1}",
		[QW_TYPESET] = "Disusun dengan quire dari {1}",
		[QW_TYPESET_STDIN] = "Disusun dengan quire dari masukan standar",
		[QW_DATED] = "{1} pada {2}",
		[QW_IMAGE_OPEN] = "[gambar: ",
		[QW_COLUMNS] = "kolom",
		[QW_MADE_BY] = "Dibuat dengan quire dari catatan belajar.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} dalam {2}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1} pertanyaan"),
		[QWN_SECTIONS_IN] = ONLY("{1} bagian"),
	}, {
		[QWC_NOTE] = "Catatan",
		[QWC_SUMMARY] = "Ringkasan",
		[QWC_INFO] = "Info",
		[QWC_TODO] = "Tugas",
		[QWC_TIP] = "Kiat",
		[QWC_HINT] = "Petunjuk",
		[QWC_IMPORTANT] = "Penting",
		[QWC_SUCCESS] = "Berhasil",
		[QWC_QUESTION] = "Pertanyaan",
		[QWC_WARNING] = "Peringatan",
		[QWC_CAUTION] = "Hati-hati",
		[QWC_FAILURE] = "Gagal",
		[QWC_DANGER] = "Bahaya",
		[QWC_ERROR] = "Galat",
		[QWC_BUG] = "Bug",
		[QWC_EXAMPLE] = "Contoh",
		[QWC_QUOTE] = "Kutipan",
	}},
	{"vi", plural_none, {
		[QW_CONTENTS] = "Mục lục",
		[QW_TITLE_PAGE] = "Trang tên sách",
		[QW_COVER] = "Bìa",
		[QW_COVER_OF] = "Bìa: {1}",
		[QW_BY] = ", tác giả: {1}",
		[QW_LANDMARKS] = "Mốc điều hướng",
		[QW_START] = "Đầu phần ghi chép",
		[QW_PAGE_LIST] = "Các trang của bản in",
		[QW_INTRODUCTION] = "Mở đầu",
		[QW_EMPTY] = "Ghi chép này chưa có phần hay câu hỏi nào.",
		[QW_QUESTION_N] = "Câu hỏi {1}",
		[QW_SECTION_N] = "Phần {1}",
		[QW_CONTINUED] = "{1} (tiếp theo)",
		[QW_QUESTION_LINE] = "Câu hỏi ở dòng {1}",
		[QW_NOTES] = "Ghi chép",
		[QW_FOOTNOTES] = "Chú thích",
		[QW_ANSWERS] = "Đáp án",
		[QW_ANSWER] = "Đáp án",
		[QW_HOWTO] = "Ấn bản tự kiểm tra: trả lời từng câu hỏi trong đầu, "
			     "rồi chạm vào {1} để kiểm tra.",
		[QW_PAGE_OF] = "trang {1} của bản in",
		[QW_PAGE_N] = "tr." NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "bản in, tr." NBSP "{1}",
		[QW_TYPESET] = "Dàn trang bằng quire từ {1}",
		[QW_TYPESET_STDIN] = "Dàn trang bằng quire từ đầu vào chuẩn",
		[QW_DATED] = "{1}, ngày {2}",
		[QW_IMAGE_OPEN] = "[hình: ",
		[QW_COLUMNS] = "cột",
		[QW_MADE_BY] = "Tạo bằng quire từ ghi chép học tập.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} trong {2}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1} câu hỏi"),
		[QWN_SECTIONS_IN] = ONLY("{1} phần"),
	}, {
		[QWC_NOTE] = "Ghi chú",
		[QWC_SUMMARY] = "Tóm tắt",
		[QWC_INFO] = "Thông tin",
		[QWC_TODO] = "Việc cần làm",
		[QWC_TIP] = "Mẹo",
		[QWC_HINT] = "Gợi ý",
		[QWC_IMPORTANT] = "Quan trọng",
		[QWC_SUCCESS] = "Thành công",
		[QWC_QUESTION] = "Câu hỏi",
		[QWC_WARNING] = "Cảnh báo",
		[QWC_CAUTION] = "Thận trọng",
		[QWC_FAILURE] = "Thất bại",
		[QWC_DANGER] = "Nguy hiểm",
		[QWC_ERROR] = "Lỗi",
		[QWC_BUG] = "Lỗi phần mềm",
		[QWC_EXAMPLE] = "Ví dụ",
		[QWC_QUOTE] = "Trích dẫn",
	}},
	{"zh", plural_none, {
		[QW_CONTENTS] = "目录",
		[QW_TITLE_PAGE] = "扉页",
		[QW_COVER] = "封面",
		[QW_COVER_OF] = "封面：{1}",
		[QW_BY] = "，{1} 著",
		[QW_LANDMARKS] = "地标",
		[QW_START] = "正文开始",
		[QW_PAGE_LIST] = "印刷版页码",
		[QW_INTRODUCTION] = "引言",
		[QW_EMPTY] = "这些笔记还没有章节或题目。",
		[QW_QUESTION_N] = "第{1}题",
		[QW_SECTION_N] = "第{1}节",
		[QW_CONTINUED] = "{1}（续）",
		[QW_QUESTION_LINE] = "第{1}行的题目",
		[QW_NOTES] = "笔记",
		[QW_FOOTNOTES] = "注释",
		[QW_ANSWERS] = "答案",
		[QW_ANSWER] = "答案",
		[QW_HOWTO] = "自测版：先在心里回答每道题，再点按{1}核对。",
		[QW_PAGE_OF] = "印刷版第{1}页",
		[QW_PAGE_N] = "第{1}页",
		[QW_BOOKLET_PAGE_N] = "印刷版第{1}页",
		[QW_TYPESET] = "由 quire 根据 {1} 排版",
		[QW_TYPESET_STDIN] = "由 quire 根据标准输入排版",
		[QW_DATED] = "{1}（{2}）",
		[QW_IMAGE_OPEN] = "[图片：",
		[QW_COLUMNS] = "列",
		[QW_MADE_BY] = "由 quire 根据学习笔记生成。",
		[QW_COUNT_ALL] = "共{1}",
		[QW_COUNT_IN] = "共{1}，分为{2}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1}道题"),
		[QWN_SECTIONS_IN] = ONLY("{1}节"),
	}, {
		[QWC_NOTE] = "备注",
		[QWC_SUMMARY] = "摘要",
		[QWC_INFO] = "信息",
		[QWC_TODO] = "待办",
		[QWC_TIP] = "技巧",
		[QWC_HINT] = "提示",
		[QWC_IMPORTANT] = "重要",
		[QWC_SUCCESS] = "成功",
		[QWC_QUESTION] = "问题",
		[QWC_WARNING] = "警告",
		[QWC_CAUTION] = "小心",
		[QWC_FAILURE] = "失败",
		[QWC_DANGER] = "危险",
		[QWC_ERROR] = "错误",
		[QWC_BUG] = "缺陷",
		[QWC_EXAMPLE] = "示例",
		[QWC_QUOTE] = "引用",
	}},
	{"zh-Hant", plural_none, {
		[QW_CONTENTS] = "目錄",
		[QW_TITLE_PAGE] = "扉頁",
		[QW_COVER] = "封面",
		[QW_COVER_OF] = "封面：{1}",
		[QW_BY] = "，{1} 著",
		[QW_LANDMARKS] = "地標",
		[QW_START] = "正文開始",
		[QW_PAGE_LIST] = "印刷版頁碼",
		[QW_INTRODUCTION] = "引言",
		[QW_EMPTY] = "這些筆記還沒有章節或題目。",
		[QW_QUESTION_N] = "第{1}題",
		[QW_SECTION_N] = "第{1}節",
		[QW_CONTINUED] = "{1}（續）",
		[QW_QUESTION_LINE] = "第{1}行的題目",
		[QW_NOTES] = "筆記",
		[QW_FOOTNOTES] = "註釋",
		[QW_ANSWERS] = "答案",
		[QW_ANSWER] = "答案",
		[QW_HOWTO] = "自測版：先在心裡回答每道題，再點按{1}核對。",
		[QW_PAGE_OF] = "印刷版第{1}頁",
		[QW_PAGE_N] = "第{1}頁",
		[QW_BOOKLET_PAGE_N] = "印刷版第{1}頁",
		[QW_TYPESET] = "由 quire 根據 {1} 排版",
		[QW_TYPESET_STDIN] = "由 quire 根據標準輸入排版",
		[QW_DATED] = "{1}（{2}）",
		[QW_IMAGE_OPEN] = "[圖片：",
		[QW_COLUMNS] = "欄",
		[QW_MADE_BY] = "由 quire 根據學習筆記產生。",
		[QW_COUNT_ALL] = "共{1}",
		[QW_COUNT_IN] = "共{1}，分為{2}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1}道題"),
		[QWN_SECTIONS_IN] = ONLY("{1}節"),
	}, {
		[QWC_NOTE] = "備註",
		[QWC_SUMMARY] = "摘要",
		[QWC_INFO] = "資訊",
		[QWC_TODO] = "待辦",
		[QWC_TIP] = "技巧",
		[QWC_HINT] = "提示",
		[QWC_IMPORTANT] = "重要",
		[QWC_SUCCESS] = "成功",
		[QWC_QUESTION] = "問題",
		[QWC_WARNING] = "警告",
		[QWC_CAUTION] = "小心",
		[QWC_FAILURE] = "失敗",
		[QWC_DANGER] = "危險",
		[QWC_ERROR] = "錯誤",
		[QWC_BUG] = "缺陷",
		[QWC_EXAMPLE] = "範例",
		[QWC_QUOTE] = "引用",
	}},
	{"ja", plural_none, {
		[QW_CONTENTS] = "目次",
		[QW_TITLE_PAGE] = "扉",
		[QW_COVER] = "表紙",
		[QW_COVER_OF] = "表紙：{1}",
		[QW_BY] = "、{1} 著",
		[QW_LANDMARKS] = "ランドマーク",
		[QW_START] = "本文の始め",
		[QW_PAGE_LIST] = "冊子のページ",
		[QW_INTRODUCTION] = "はじめに",
		[QW_EMPTY] = "このノートにはまだセクションも問題もありません。",
		[QW_QUESTION_N] = "問{1}",
		[QW_SECTION_N] = "セクション{1}",
		[QW_CONTINUED] = "{1}（続き）",
		[QW_QUESTION_LINE] = "{1}行目の問題",
		[QW_NOTES] = "ノート",
		[QW_FOOTNOTES] = "注",
		[QW_ANSWERS] = "解答",
		[QW_ANSWER] = "解答",
		[QW_HOWTO] = "セルフテスト版：各問題に頭の中で答えてから、"
			     "{1}をタップして確認してください。",
		[QW_PAGE_OF] = "冊子の{1}ページ",
		[QW_PAGE_N] = "{1}ページ",
		[QW_BOOKLET_PAGE_N] = "冊子{1}ページ",
		[QW_TYPESET] = "quire により {1} から組版",
		[QW_TYPESET_STDIN] = "quire により標準入力から組版",
		[QW_DATED] = "{1}（{2}）",
		[QW_IMAGE_OPEN] = "[画像：",
		[QW_COLUMNS] = "列",
		[QW_MADE_BY] = "quire で学習ノートから作成。",
		[QW_COUNT_ALL] = "全{1}",
		[QW_COUNT_IN] = "全{1}（{2}）",
	}, {
		[QWN_QUESTIONS] = ONLY("{1}問"),
		[QWN_SECTIONS_IN] = ONLY("{1}セクション"),
	}, {
		[QWC_NOTE] = "メモ",
		[QWC_SUMMARY] = "要約",
		[QWC_INFO] = "情報",
		[QWC_TODO] = "やること",
		[QWC_TIP] = "コツ",
		[QWC_HINT] = "ヒント",
		[QWC_IMPORTANT] = "重要",
		[QWC_SUCCESS] = "成功",
		[QWC_QUESTION] = "質問",
		[QWC_WARNING] = "警告",
		[QWC_CAUTION] = "注意",
		[QWC_FAILURE] = "失敗",
		[QWC_DANGER] = "危険",
		[QWC_ERROR] = "エラー",
		[QWC_BUG] = "バグ",
		[QWC_EXAMPLE] = "例",
		[QWC_QUOTE] = "引用",
	}},
	{"ko", plural_none, {
		[QW_CONTENTS] = "목차",
		[QW_TITLE_PAGE] = "속표지",
		[QW_COVER] = "표지",
		[QW_COVER_OF] = "표지: {1}",
		[QW_BY] = ", {1} 지음",
		[QW_LANDMARKS] = "랜드마크",
		[QW_START] = "본문 시작",
		[QW_PAGE_LIST] = "인쇄본 쪽",
		[QW_INTRODUCTION] = "들어가며",
		[QW_EMPTY] = "이 노트에는 아직 섹션도 문제도 없습니다.",
		[QW_QUESTION_N] = "문제 {1}",
		[QW_SECTION_N] = "섹션 {1}",
		[QW_CONTINUED] = "{1} (계속)",
		[QW_QUESTION_LINE] = "{1}번째 줄의 문제",
		[QW_NOTES] = "노트",
		[QW_FOOTNOTES] = "주석",
		[QW_ANSWERS] = "정답",
		[QW_ANSWER] = "정답",
		[QW_HOWTO] = "자가 테스트판: 각 문제에 머릿속으로 답한 뒤 {1}을 눌러 "
			     "확인하세요.",
		[QW_PAGE_OF] = "인쇄본 {1}쪽",
		[QW_PAGE_N] = "{1}쪽",
		[QW_BOOKLET_PAGE_N] = "인쇄본 {1}쪽",
		[QW_TYPESET] = "quire로 {1}에서 조판",
		[QW_TYPESET_STDIN] = "quire로 표준 입력에서 조판",
		[QW_DATED] = "{1} ({2})",
		[QW_IMAGE_OPEN] = "[그림: ",
		[QW_COLUMNS] = "열",
		[QW_MADE_BY] = "quire로 학습 노트에서 만들었습니다.",
		[QW_COUNT_ALL] = "총 {1}",
		[QW_COUNT_IN] = "{2}, 총 {1}",
	}, {
		[QWN_QUESTIONS] = ONLY("{1}문항"),
		[QWN_SECTIONS_IN] = ONLY("{1}개 섹션"),
	}, {
		[QWC_NOTE] = "노트",
		[QWC_SUMMARY] = "요약",
		[QWC_INFO] = "정보",
		[QWC_TODO] = "할 일",
		[QWC_TIP] = "팁",
		[QWC_HINT] = "힌트",
		[QWC_IMPORTANT] = "중요",
		[QWC_SUCCESS] = "성공",
		[QWC_QUESTION] = "질문",
		[QWC_WARNING] = "경고",
		[QWC_CAUTION] = "주의",
		[QWC_FAILURE] = "실패",
		[QWC_DANGER] = "위험",
		[QWC_ERROR] = "오류",
		[QWC_BUG] = "버그",
		[QWC_EXAMPLE] = "예시",
		[QWC_QUOTE] = "인용",
	}},
	/* Arabic: 1 and 2 are said by the noun (singular, dual); 3-10 take
	 * the plural, 11-99 the singular accusative, 100 ... the genitive */
	{"ar", plural_arabic, {
		[QW_CONTENTS] = "المحتويات",
		[QW_TITLE_PAGE] = "صفحة العنوان",
		[QW_COVER] = "الغلاف",
		[QW_COVER_OF] = "الغلاف: {1}",
		[QW_BY] = "، تأليف {1}",
		[QW_LANDMARKS] = "معالم",
		[QW_START] = "بداية الملاحظات",
		[QW_PAGE_LIST] = "صفحات الكتيّب المطبوع",
		[QW_INTRODUCTION] = "مقدمة",
		[QW_EMPTY] = "لا تحتوي هذه الملاحظات بعدُ على أقسام أو أسئلة.",
		[QW_QUESTION_N] = "السؤال {1}",
		[QW_SECTION_N] = "القسم {1}",
		[QW_CONTINUED] = "{1} (تتمة)",
		[QW_QUESTION_LINE] = "سؤال في السطر {1}",
		[QW_NOTES] = "ملاحظات",
		[QW_FOOTNOTES] = "الحواشي",
		[QW_ANSWERS] = "الأجوبة",
		[QW_ANSWER] = "الجواب",
		[QW_HOWTO] = "نسخة الاختبار الذاتي: أجب عن كل سؤال في ذهنك، ثم انقر "
			     "على {1} للتحقق.",
		[QW_PAGE_OF] = "الصفحة {1} من الكتيّب المطبوع",
		[QW_PAGE_N] = "ص" NBSP "{1}",
		[QW_BOOKLET_PAGE_N] = "الكتيّب، ص" NBSP "{1}",
		[QW_TYPESET] = "صُفّ بواسطة quire من {1}",
		[QW_TYPESET_STDIN] = "صُفّ بواسطة quire من الدخل القياسي",
		[QW_DATED] = "{1} في {2}",
		[QW_IMAGE_OPEN] = "[صورة: ",
		[QW_COLUMNS] = "الأعمدة",
		[QW_MADE_BY] = "أُنشئت بواسطة quire من ملاحظات دراسية.",
		[QW_COUNT_ALL] = "{1}",
		[QW_COUNT_IN] = "{1} في {2}",
	}, {
		[QWN_QUESTIONS] = {[QP_ONE] = "سؤال واحد", [QP_TWO] = "سؤالان",
				   [QP_FEW] = "{1} أسئلة", [QP_MANY] = "{1} سؤالًا",
				   [QP_OTHER] = "{1} سؤال"},
		[QWN_SECTIONS_IN] = {[QP_ONE] = "قسم واحد", [QP_TWO] = "قسمين",
				     [QP_FEW] = "{1} أقسام", [QP_MANY] = "{1} قسمًا",
				     [QP_OTHER] = "{1} قسم"},
	}, {
		[QWC_NOTE] = "ملاحظة",
		[QWC_SUMMARY] = "ملخص",
		[QWC_INFO] = "معلومات",
		[QWC_TODO] = "مهام",
		[QWC_TIP] = "نصيحة",
		[QWC_HINT] = "تلميح",
		[QWC_IMPORTANT] = "مهم",
		[QWC_SUCCESS] = "نجاح",
		[QWC_QUESTION] = "سؤال",
		[QWC_WARNING] = "تحذير",
		[QWC_CAUTION] = "تنبيه",
		[QWC_FAILURE] = "فشل",
		[QWC_DANGER] = "خطر",
		[QWC_ERROR] = "خطأ",
		[QWC_BUG] = "علّة",
		[QWC_EXAMPLE] = "مثال",
		[QWC_QUOTE] = "اقتباس",
	}},
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* ---- choosing a table ------------------------------------------------ */

/* Does the subtag (or kind name) s[0..n) equal w, ignoring case? */
static bool subtag_is(const char *s, size_t n, const char *w)
{
	if (strlen(w) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != w[i])
			return false;
	return true;
}

/* Chinese in traditional characters: a Hant script, or a region that
 * writes them (Taiwan, Hong Kong, Macao), among the subtags after "zh". */
static bool traditional_chinese(const char *rest)
{
	while (*rest == '-' || *rest == '_') {
		rest++;
		size_t n = strcspn(rest, "-_");
		if (subtag_is(rest, n, "hant") || subtag_is(rest, n, "tw")
		    || subtag_is(rest, n, "hk") || subtag_is(rest, n, "mo"))
			return true;
		if (subtag_is(rest, n, "hans"))
			return false;
		rest += n;
	}
	return false;
}

static const qwords *table_named(const char *tag)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].tag, tag) == 0)
			return &tables[i];
	return &tables[0];
}

const qwords *qw_for(const char *lang)
{
	if (!lang)
		return &tables[0];
	size_t n = strcspn(lang, "-_");
	if (subtag_is(lang, n, "zh"))
		return table_named(traditional_chinese(lang + n) ? "zh-Hant" : "zh");
	for (size_t i = 0; i < NTABLES; i++)
		if (!strchr(tables[i].tag, '-') && subtag_is(lang, n, tables[i].tag))
			return &tables[i];
	return &tables[0];
}

const char *qw_lang(const qwords *w)
{
	return w->tag;
}

const char *qw_word(const qwords *w, qword k)
{
	if ((unsigned)k >= QW__COUNT)
		return "";
	return w->w[k] ? w->w[k] : tables[0].w[k];
}

/* The kinds by their names (qcallout order), then Obsidian's aliases. */
static const char *const callout_names[QWC__COUNT] = {
	"note", "summary", "info", "todo", "tip", "hint", "important", "success", "question",
	"warning", "caution", "failure", "danger", "error", "bug", "example", "quote",
};
static const struct { const char *alias; qcallout kind; } callout_aliases[] = {
	{"abstract", QWC_SUMMARY}, {"tldr", QWC_SUMMARY}, {"check", QWC_SUCCESS},
	{"done", QWC_SUCCESS}, {"help", QWC_QUESTION}, {"faq", QWC_QUESTION},
	{"attention", QWC_WARNING}, {"fail", QWC_FAILURE}, {"missing", QWC_FAILURE},
	{"cite", QWC_QUOTE},
};

const char *qw_callout(const qwords *w, const char *kind)
{
	if (!kind)
		return NULL;
	size_t n = strlen(kind);
	for (int i = 0; i < QWC__COUNT; i++)
		if (subtag_is(kind, n, callout_names[i]))
			return w->callout[i];
	for (size_t i = 0; i < sizeof callout_aliases / sizeof callout_aliases[0]; i++)
		if (subtag_is(kind, n, callout_aliases[i].alias))
			return w->callout[callout_aliases[i].kind];
	return NULL;
}

void qw_callout_title(qbuf *out, const qwords *w, const char *kind)
{
	if (!kind || !*kind)
		kind = "note";
	const char *word = qw_callout(w, kind);
	if (word) {
		qbuf_puts(out, word);
		return;
	}
	qbuf_putc(out, *kind >= 'a' && *kind <= 'z' ? *kind - 32 : *kind);
	qbuf_puts(out, kind + 1);
}

qplural qw_plural(const qwords *w, long n)
{
	return w->plural(n < 0 ? -n : n);
}

/* ---- filling slots --------------------------------------------------- */

void qw_format(qbuf *out, const char *pattern, const char *a1, const char *a2)
{
	const char *p = pattern;
	for (;;) {
		const char *s = strchr(p, '{');
		if (!s) {
			qbuf_puts(out, p);
			return;
		}
		qbuf_put(out, p, (size_t)(s - p));
		if ((s[1] == '1' || s[1] == '2') && s[2] == '}') {
			const char *a = s[1] == '1' ? a1 : a2;
			if (a)
				qbuf_puts(out, a);
			p = s + 3;
		} else {
			qbuf_putc(out, '{');
			p = s + 1;
		}
	}
}

void qw_put(qbuf *out, const qwords *w, qword k, const char *a1, const char *a2)
{
	qw_format(out, qw_word(w, k), a1, a2);
}

void qw_put_n(qbuf *out, const qwords *w, qword k, long n)
{
	qbuf num = QBUF_INIT;
	qbuf_put_int(&num, n);
	qw_put(out, w, k, num.ptr, NULL);
	qbuf_free(&num);
}

void qw_count(qbuf *out, const qwords *w, qnoun what, long n)
{
	if ((unsigned)what >= QWN__COUNT)
		return;
	const char *const *forms = w->noun[what];
	const char *f = forms[qw_plural(w, n)];
	if (!f)
		f = forms[QP_OTHER];
	qbuf num = QBUF_INIT;
	qbuf_put_int(&num, n);
	qw_format(out, f, num.ptr, NULL);
	qbuf_free(&num);
}

void qw_counts(qbuf *out, const qwords *w, int nquestions, int nsections)
{
	qbuf q = QBUF_INIT, s = QBUF_INIT;
	qw_count(&q, w, QWN_QUESTIONS, nquestions);
	if (nsections > 0) {
		qw_count(&s, w, QWN_SECTIONS_IN, nsections);
		qw_put(out, w, QW_COUNT_IN, q.ptr, s.ptr);
	} else {
		qw_put(out, w, QW_COUNT_ALL, q.ptr, NULL);
	}
	qbuf_free(&q);
	qbuf_free(&s);
}
