/* tsfont.c - font roles, per-character fallback and width caches (see
 * tsfont.h). FreeType reads the files; nothing here touches libharu. */
#include "tsfont.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "../util/arena.h"
#include "../util/pages.h"
#include "../util/utf8.h"

#define EMOJI_ADVANCE 1150   /* 1/1000 em: an emoji image and its side bearings */
#define W_UNKNOWN INT16_MIN
#define MAX_TABLES 12

typedef struct ts_table_cache {
	char tag[4];
	unsigned char *data;
	size_t len;
} ts_table_cache;

typedef struct ts_face {
	char *path;
	FT_Face ft;
	bool opened, failed, color;
	int bmp_cm, ucs4_cm;     /* charmap indexes, -1 when absent */
	int cur_cm;              /* charmap currently selected in ft */
	int16_t *wpage[256];     /* BMP advances by high byte, W_UNKNOWN */
	int16_t *kern_ascii;     /* 96 x 96 printable ASCII pairs, W_UNKNOWN */
	int16_t (*bbpage[256])[4]; /* BMP ink boxes by high byte, [0] W_UNKNOWN */
	bool kerns;              /* has a kern table and is proportional */
	ts_table_cache tables[MAX_TABLES];
	int ntables;
} ts_face;

struct ts_fontset {
	FT_Library lib;
	bool lib_ok;
	ts_face faces[TS_MAX_FACES];
	int nfaces;
	int role_face[TS_ROLE_COUNT];
	bool text_emoji;   /* prefer text symbols to colour images (BMP) */
	/* resolve cache: [role][emoji][page] -> 256 entries, 0 = unknown,
	 * else 0x8000 | kind << 8 | face */
	uint16_t *cache[TS_ROLE_COUNT][2][256];
	/* ts_glyph_for of ASCII text, the most of most notes, by [role][cp] */
	ts_glyph ascii[TS_ROLE_COUNT][128];
	bool ascii_known[TS_ROLE_COUNT][128];
};

static const char *const role_names[TS_ROLE_COUNT] = {
	"body", "bold", "italic", "bolditalic", "mono", "monobold",
	"monoitalic", "sans", "sansbold", "symbols", "cjk", "hangul", "emoji",
	"math", "mathitalic", "mathbold", "mathbb", "mathcal", "mathfrak",
	"mathsize1", "mathsize2", "mathsize3", "mathsize4",
};

const char *ts_role_name(ts_role role)
{
	return (unsigned)role < TS_ROLE_COUNT ? role_names[role] : "?";
}

ts_fontset *ts_fontset_new(void)
{
	ts_fontset *fs = qxmalloc(sizeof *fs);
	memset(fs, 0, sizeof *fs);
	for (int i = 0; i < TS_ROLE_COUNT; i++)
		fs->role_face[i] = -1;
	fs->lib_ok = FT_Init_FreeType(&fs->lib) == 0;
	return fs;
}

static void face_free(ts_face *f)
{
	if (f->ft)
		FT_Done_Face(f->ft);
	for (int i = 0; i < 256; i++) {
		free(f->wpage[i]);
		free(f->bbpage[i]);
	}
	free(f->kern_ascii);
	for (int i = 0; i < f->ntables; i++)
		qpages_give(f->tables[i].data, f->tables[i].len);
	free(f->path);
}

void ts_fontset_free(ts_fontset *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < fs->nfaces; i++)
		face_free(&fs->faces[i]);
	for (int r = 0; r < TS_ROLE_COUNT; r++)
		for (int e = 0; e < 2; e++)
			for (int p = 0; p < 256; p++)
				free(fs->cache[r][e][p]);
	if (fs->lib_ok)
		FT_Done_FreeType(fs->lib);
	free(fs);
}

/* ---- opening faces ---------------------------------------------------- */

static void find_charmaps(ts_face *f)
{
	f->bmp_cm = f->ucs4_cm = -1;
	for (int i = 0; i < f->ft->num_charmaps; i++) {
		FT_CharMap cm = f->ft->charmaps[i];
		if (cm->platform_id == 3 && cm->encoding_id == 1)
			f->bmp_cm = i;
		else if ((cm->platform_id == 3 && cm->encoding_id == 10) ||
			 (cm->platform_id == 0 &&
			  (cm->encoding_id == 4 || cm->encoding_id == 6)))
			f->ucs4_cm = i;
	}
	if (f->bmp_cm < 0)   /* libharu falls back to (0,3); so do we */
		for (int i = 0; i < f->ft->num_charmaps; i++) {
			FT_CharMap cm = f->ft->charmaps[i];
			if (cm->platform_id == 0 && cm->encoding_id == 3)
				f->bmp_cm = i;
		}
	f->cur_cm = -1;
}

static bool has_table(FT_Face ft, FT_ULong tag)
{
	FT_ULong len = 0;
	return FT_Load_Sfnt_Table(ft, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Why a file cannot serve as a text face, or NULL when it can. */
static const char *face_problem(ts_face *f)
{
	if (f->color)
		return NULL;
	if (!FT_IS_SFNT(f->ft) || !has_table(f->ft, TTAG_glyf) ||
	    !has_table(f->ft, TTAG_loca))
		return "not a TrueType (glyf) font; libharu cannot embed CFF/OpenType fonts";
	if (f->bmp_cm < 0)
		return "has no Unicode (3,1) cmap";
	if (FT_Get_FSType_Flags(f->ft) & 0x0302)
		return "its licence forbids embedding";
	return NULL;
}

/* Open the FreeType face on first use. Returns false if unusable. */
static bool face_open(ts_fontset *fs, ts_face *f)
{
	if (f->opened)
		return !f->failed;
	f->opened = true;
	if (!fs->lib_ok || FT_New_Face(fs->lib, f->path, 0, &f->ft) != 0) {
		f->ft = NULL;
		f->failed = true;
		return false;
	}
	find_charmaps(f);
	f->color = FT_HAS_COLOR(f->ft) && f->ft->num_fixed_sizes > 0 &&
		   !has_table(f->ft, TTAG_glyf);
	if (f->color)
		FT_Select_Size(f->ft, 0);
	f->kerns = !f->color && FT_HAS_KERNING(f->ft) && !FT_IS_FIXED_WIDTH(f->ft);
	if (face_problem(f))
		f->failed = true;
	return !f->failed;
}

static bool select_cm(ts_face *f, int cm)
{
	if (cm < 0)
		return false;
	if (f->cur_cm != cm) {
		if (FT_Set_Charmap(f->ft, f->ft->charmaps[cm]) != 0)
			return false;
		f->cur_cm = cm;
	}
	return true;
}

/* Glyph index of cp in face (0 when absent). */
static FT_UInt face_gid(ts_fontset *fs, ts_face *f, uint32_t cp)
{
	if (!face_open(fs, f))
		return 0;
	int cm = cp > 0xFFFF ? f->ucs4_cm : f->bmp_cm;
	if (f->color && cm < 0)
		cm = f->ucs4_cm >= 0 ? f->ucs4_cm : f->bmp_cm;
	if (!select_cm(f, cm))
		return 0;
	return FT_Get_Char_Index(f->ft, cp);
}

/* ---- roles ------------------------------------------------------------- */

static int face_add(ts_fontset *fs, const char *path)
{
	for (int i = 0; i < fs->nfaces; i++)
		if (strcmp(fs->faces[i].path, path) == 0)
			return i;
	if (fs->nfaces == TS_MAX_FACES)
		return -1;
	ts_face *f = &fs->faces[fs->nfaces];
	memset(f, 0, sizeof *f);
	size_t n = strlen(path);
	f->path = qxmalloc(n + 1);
	memcpy(f->path, path, n + 1);
	return fs->nfaces++;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Try one path for a role: the face index, or -1 with *why set. */
static int try_path(ts_fontset *fs, ts_role role, const char *path,
		    const char **why)
{
	if (!file_exists(path)) {
		*why = "not found";
		return -1;
	}
	int fi = face_add(fs, path);
	if (fi < 0) {
		*why = "too many fonts";
		return -1;
	}
	ts_face *f = &fs->faces[fi];
	if (!face_open(fs, f)) {
		*why = f->ft ? face_problem(f) : "FreeType cannot read it";
		return -1;
	}
	if (role == TS_EMOJI ? !f->color : f->color) {
		*why = role == TS_EMOJI ? "not a colour bitmap font"
					: "a colour bitmap font serves only the emoji role";
		return -1;
	}
	return fi;
}

bool ts_fontset_set_role(ts_fontset *fs, ts_role role, const char *const *paths,
			 int npaths, qdiags *d)
{
	const char *first_why = NULL;
	for (int i = 0; i < npaths; i++) {
		const char *why = NULL;
		int fi = try_path(fs, role, paths[i], &why);
		if (fi >= 0) {
			fs->role_face[role] = fi;
			if (i > 0 && d)
				qdiag_add(d, QD_WARNING, 0, 0, "font",
					  "font role '%s': %s: %s; using %s instead",
					  ts_role_name(role), paths[0], first_why,
					  paths[i]);
			return true;
		}
		if (!first_why)
			first_why = why;
	}
	if (npaths > 0 && d)
		qdiag_add(d, QD_WARNING, 0, 0, "font",
			  "font role '%s': %s: %s, and no alternative is usable",
			  ts_role_name(role), paths[0], first_why ? first_why : "?");
	return false;
}

static int role_by_name(const char *s, size_t n)
{
	for (int r = 0; r < TS_ROLE_COUNT; r++)
		if (strlen(role_names[r]) == n && memcmp(role_names[r], s, n) == 0)
			return r;
	return -1;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

/* Split value into paths (';'-separated), resolved against base_dir. */
static int split_paths(const char *v, const char *ve, const char *base_dir,
		       char paths[][1024], int max)
{
	int n = 0;
	while (v < ve && n < max) {
		const char *semi = memchr(v, ';', (size_t)(ve - v));
		const char *e = semi ? semi : ve;
		const char *s = v;
		trim(&s, &e);
		if (e > s) {
			int len = (int)(e - s);
			if (*s == '/' || !base_dir)
				snprintf(paths[n], 1024, "%.*s", len, s);
			else
				snprintf(paths[n], 1024, "%s/%.*s", base_dir, len, s);
			n++;
		}
		v = semi ? semi + 1 : ve;
	}
	return n;
}

static void load_conf_line(ts_fontset *fs, const char *s, const char *e,
			   const char *base_dir, int lineno, qdiags *d)
{
	const char *eq = memchr(s, '=', (size_t)(e - s));
	if (!eq) {
		qdiag_add(d, QD_WARNING, lineno, 0, "font-conf",
			  "expected 'role = font file', ignored");
		return;
	}
	const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
	trim(&ks, &ke);
	trim(&vs, &ve);
	int role = role_by_name(ks, (size_t)(ke - ks));
	if (role < 0) {
		qdiag_add(d, QD_WARNING, lineno, 0, "font-conf",
			  "unknown font role '%.*s' (known: body, bold, italic, "
			  "bolditalic, mono, monobold, monoitalic, sans, sansbold, "
			  "symbols, cjk, hangul, emoji, math, mathitalic, mathbold, mathbb, "
			  "mathcal, mathfrak, mathsize1 to mathsize4)",
			  (int)(ke - ks), ks);
		return;
	}
	char paths[8][1024];
	int np = split_paths(vs, ve, base_dir, paths, 8);
	const char *ptrs[8];
	for (int i = 0; i < np; i++)
		ptrs[i] = paths[i];
	ts_fontset_set_role(fs, (ts_role)role, ptrs, np, d);
}

bool ts_fontset_load_conf(ts_fontset *fs, const char *text, size_t n,
			  const char *base_dir, const char *conf_name,
			  qdiags *d)
{
	qdiags local;
	qdiags_init(&local, conf_name);
	const char *p = text, *end = text + n;
	int lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		lineno++;
		const char *hash = memchr(p, '#', (size_t)(e - p));
		const char *ce = hash ? hash : e, *cs = p;
		trim(&cs, &ce);
		if (ce > cs)
			load_conf_line(fs, cs, ce, base_dir, lineno, &local);
		p = nl ? nl + 1 : end;
	}
	bool ok = ts_fontset_finish(fs, &local);
	for (size_t i = 0; i < local.n; i++)
		qdiag_at(d, conf_name, local.v[i].sev, local.v[i].line, local.v[i].kind, "%s",
			 local.v[i].msg);
	qdiags_free(&local);
	return ok;
}

/* Roles to borrow from when a role has no face, in order. */
static const int8_t borrow[TS_ROLE_COUNT][4] = {
	[TS_BODY] = {TS_SANS, TS_MONO, -1, -1},
	[TS_BOLD] = {TS_SANSBOLD, TS_BODY, -1, -1},
	[TS_ITALIC] = {TS_BODY, -1, -1, -1},
	[TS_BOLDITALIC] = {TS_BOLD, TS_ITALIC, TS_BODY, -1},
	[TS_MONO] = {TS_BODY, -1, -1, -1},
	[TS_MONOBOLD] = {TS_MONO, TS_BOLD, TS_BODY, -1},
	[TS_MONOITALIC] = {TS_MONO, TS_ITALIC, TS_BODY, -1},
	[TS_SANS] = {TS_BODY, -1, -1, -1},
	[TS_SANSBOLD] = {TS_BOLD, TS_SANS, TS_BODY, -1},
	[TS_SYMBOLS] = {TS_BODY, -1, -1, -1},
	[TS_CJK] = {-1, -1, -1, -1},
	[TS_HANGUL] = {-1, -1, -1, -1},
	[TS_EMOJI] = {-1, -1, -1, -1},
	[TS_MATH] = {TS_BODY, -1, -1, -1},
	[TS_MATHITALIC] = {TS_ITALIC, TS_MATH, -1, -1},
	[TS_MATHBOLD] = {TS_BOLD, TS_MATH, -1, -1},
	[TS_MATHBB] = {TS_MATHBOLD, TS_MATH, -1, -1},
	[TS_MATHCAL] = {TS_MATHITALIC, TS_MATH, -1, -1},
	[TS_MATHFRAK] = {TS_MATH, -1, -1, -1},
	[TS_MATHSIZE1] = {TS_MATH, -1, -1, -1},
	[TS_MATHSIZE2] = {TS_MATHSIZE1, TS_MATH, -1, -1},
	[TS_MATHSIZE3] = {TS_MATHSIZE2, TS_MATH, -1, -1},
	[TS_MATHSIZE4] = {TS_MATHSIZE3, TS_MATH, -1, -1},
};

bool ts_fontset_finish(ts_fontset *fs, qdiags *d)
{
	for (int pass = 0; pass < 3; pass++)
		for (int r = 0; r < TS_ROLE_COUNT; r++) {
			if (fs->role_face[r] >= 0)
				continue;
			for (int k = 0; k < 4 && borrow[r][k] >= 0; k++) {
				int fi = fs->role_face[borrow[r][k]];
				if (fi < 0)
					continue;
				fs->role_face[r] = fi;
				if (d && pass == 2)
					qdiag_add(d, QD_WARNING, 0, 0, "font",
						  "font role '%s' has no usable font; using the '%s' font %s",
						  role_names[r], role_names[borrow[r][k]],
						  fs->faces[fi].path);
				break;
			}
		}
	if (fs->role_face[TS_BODY] < 0) {
		if (d)
			qdiag_add(d, QD_ERROR, 0, 0, "font",
				  "no usable body font: check fonts/roles.conf and install fonts-dejavu-core");
		return false;
	}
	return true;
}

/* ---- resolving characters -------------------------------------------- */

bool ts_is_emoji_presentation(uint32_t cp)
{
	if (cp < 0x231A || (cp > 0x2B55 && cp < 0x1F004))
		return false;   /* most text: no need to look */
	static const uint32_t r[][2] = {
		{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
		{0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615},
		{0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693},
		{0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE},
		{0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
		{0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
		{0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705},
		{0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C},
		{0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757},
		{0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
		{0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
		{0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
		{0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F},
		{0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1FAFF},
	};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return true;
	return false;
}

/* The fallback chain of a role: face indexes, deduplicated. */
static int role_chain(const ts_fontset *fs, ts_role role, int *out)
{
	static const int8_t chains[TS_ROLE_COUNT][6] = {
		[TS_BODY] = {TS_BODY, TS_SANS, -1},
		[TS_BOLD] = {TS_BOLD, TS_BODY, TS_SANSBOLD, -1},
		[TS_ITALIC] = {TS_ITALIC, TS_BODY, -1},
		[TS_BOLDITALIC] = {TS_BOLDITALIC, TS_BOLD, TS_ITALIC, TS_BODY, -1},
		[TS_MONO] = {TS_MONO, TS_BODY, TS_SANS, -1},
		[TS_MONOBOLD] = {TS_MONOBOLD, TS_MONO, TS_BOLD, TS_BODY, -1},
		[TS_MONOITALIC] = {TS_MONOITALIC, TS_MONO, TS_ITALIC, TS_BODY, -1},
		[TS_SANS] = {TS_SANS, TS_BODY, -1},
		[TS_SANSBOLD] = {TS_SANSBOLD, TS_SANS, TS_BOLD, TS_BODY, -1},
		[TS_SYMBOLS] = {TS_SYMBOLS, -1},
		[TS_CJK] = {TS_CJK, -1},
		[TS_HANGUL] = {TS_HANGUL, -1},
		[TS_EMOJI] = {-1},
		[TS_MATH] = {TS_MATH, TS_MATHBB, TS_BODY, -1},   /* AMS symbols */
		[TS_MATHITALIC] = {TS_MATHITALIC, TS_MATH, TS_ITALIC, TS_BODY, -1},
		[TS_MATHBOLD] = {TS_MATHBOLD, TS_BOLD, TS_MATH, TS_BODY, -1},
		[TS_MATHBB] = {TS_MATHBB, TS_MATH, TS_BODY, -1},
		[TS_MATHCAL] = {TS_MATHCAL, TS_MATHITALIC, TS_MATH, TS_BODY, -1},
		[TS_MATHFRAK] = {TS_MATHFRAK, TS_MATH, TS_BODY, -1},
		[TS_MATHSIZE1] = {TS_MATHSIZE1, TS_MATH, TS_BODY, -1},
		[TS_MATHSIZE2] = {TS_MATHSIZE2, TS_MATHSIZE1, TS_MATH, TS_BODY, -1},
		[TS_MATHSIZE3] = {TS_MATHSIZE3, TS_MATHSIZE2, TS_MATH, TS_BODY, -1},
		[TS_MATHSIZE4] = {TS_MATHSIZE4, TS_MATHSIZE3, TS_MATH, TS_BODY, -1},
	};
	int n = 0;
	int8_t all[12];
	int na = 0;
	for (int k = 0; k < 6 && chains[role][k] >= 0; k++)
		all[na++] = chains[role][k];
	all[na++] = TS_SANS;
	all[na++] = TS_SYMBOLS;
	all[na++] = TS_CJK;
	all[na++] = TS_HANGUL;
	for (int k = 0; k < na; k++) {
		int fi = fs->role_face[all[k]];
		if (fi < 0)
			continue;
		bool dup = false;
		for (int j = 0; j < n; j++)
			dup |= out[j] == fi;
		if (!dup)
			out[n++] = fi;
	}
	return n;
}

static int resolve_uncached(ts_fontset *fs, ts_role role, uint32_t cp,
			    bool emoji, ts_glyphkind *kind)
{
	int ef = fs->role_face[TS_EMOJI];
	bool in_emoji = ef >= 0 && face_gid(fs, &fs->faces[ef], cp) != 0;
	if (in_emoji && ((emoji && !fs->text_emoji) || cp > 0xFFFF)) {
		*kind = TS_GLYPH_IMAGE;
		return ef;
	}
	int chain[16];
	int n = role_chain(fs, role, chain);
	int cjk = fs->role_face[TS_CJK];
	if (cjk >= 0 && qutf8_is_cjk((int32_t)cp) && !fs->faces[cjk].failed &&
	    face_gid(fs, &fs->faces[cjk], cp) != 0) {
		*kind = TS_GLYPH_TEXT;
		return cjk;
	}
	for (int i = 0; i < n; i++) {
		ts_face *f = &fs->faces[chain[i]];
		if (f->failed || face_gid(fs, f, cp) == 0)
			continue;
		*kind = cp > 0xFFFF ? TS_GLYPH_OUTLINE : TS_GLYPH_TEXT;
		return chain[i];
	}
	if (in_emoji) {
		*kind = TS_GLYPH_IMAGE;
		return ef;
	}
	*kind = TS_GLYPH_MISSING;
	return fs->role_face[TS_BODY];
}

int ts_font_resolve(ts_fontset *fs, ts_role role, uint32_t cp, bool emoji,
		    ts_glyphkind *kind)
{
	if ((unsigned)role >= TS_ROLE_COUNT)
		role = TS_BODY;
	if (cp > 0xFFFF)
		return resolve_uncached(fs, role, cp, emoji, kind);
	uint16_t **page = &fs->cache[role][emoji ? 1 : 0][cp >> 8];
	if (!*page) {
		*page = qxmalloc(256 * sizeof **page);
		memset(*page, 0, 256 * sizeof **page);
	}
	uint16_t v = (*page)[cp & 0xFF];
	if (v) {
		*kind = (ts_glyphkind)((v >> 8) & 0x7F);
		return v & 0xFF;
	}
	int fi = resolve_uncached(fs, role, cp, emoji, kind);
	(*page)[cp & 0xFF] = (uint16_t)(0x8000 | (unsigned)*kind << 8 | (unsigned)fi);
	return fi;
}

bool ts_is_invisible(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xFEFF;
}

static ts_glyph glyph_for(ts_fontset *fs, ts_role role, uint32_t cp, bool emoji)
{
	ts_glyph g;
	g.face = ts_font_resolve(fs, role, cp, emoji, &g.kind);
	g.adv = ts_font_advance(fs, g.face, cp);
	bool bold = role == TS_BOLD || role == TS_BOLDITALIC || role == TS_MONOBOLD ||
		    role == TS_SANSBOLD;
	bool one_weight = g.face == fs->role_face[TS_CJK] || g.face == fs->role_face[TS_HANGUL];
	g.fake_bold = bold && g.kind == TS_GLYPH_TEXT && one_weight && g.face != fs->role_face[role];
	return g;
}

ts_glyph ts_glyph_for(ts_fontset *fs, ts_role role, uint32_t cp, bool emoji)
{
	if (cp >= 128 || emoji || (unsigned)role >= TS_ROLE_COUNT)
		return glyph_for(fs, role, cp, emoji);
	if (!fs->ascii_known[role][cp]) {
		fs->ascii[role][cp] = glyph_for(fs, role, cp, false);
		fs->ascii_known[role][cp] = true;
	}
	return fs->ascii[role][cp];
}

bool ts_font_covers(ts_fontset *fs, uint32_t cp)
{
	ts_glyphkind k;
	ts_font_resolve(fs, TS_BODY, cp, false, &k);
	return k != TS_GLYPH_MISSING;
}

int ts_font_advance(ts_fontset *fs, int face, uint32_t cp)
{
	if (face < 0 || face >= fs->nfaces)
		return 0;
	ts_face *f = &fs->faces[face];
	if (f->color)
		return EMOJI_ADVANCE;
	int16_t **page = NULL;
	if (cp <= 0xFFFF) {
		page = &f->wpage[cp >> 8];
		if (*page && (*page)[cp & 0xFF] != W_UNKNOWN)
			return (*page)[cp & 0xFF];
	}
	FT_UInt gid = face_gid(fs, f, cp);
	FT_Fixed adv = 0;
	if (f->ft && FT_Get_Advance(f->ft, gid, FT_LOAD_NO_SCALE, &adv) != 0)
		adv = 0;
	int w = f->ft ? (int)((unsigned)adv * 1000u / f->ft->units_per_EM) : 0;
	if (page) {
		if (!*page) {
			*page = qxmalloc(256 * sizeof **page);
			for (int i = 0; i < 256; i++)
				(*page)[i] = W_UNKNOWN;
		}
		(*page)[cp & 0xFF] = (int16_t)w;
	}
	return w;
}

unsigned ts_font_gid(ts_fontset *fs, int face, uint32_t cp)
{
	if (face < 0 || face >= fs->nfaces)
		return 0;
	return face_gid(fs, &fs->faces[face], cp);
}

static void bbox_uncached(ts_face *f, FT_UInt gid, int16_t box[4])
{
	box[0] = box[1] = box[2] = box[3] = 0;
	if (!f->ft || !gid || FT_Load_Glyph(f->ft, gid, FT_LOAD_NO_SCALE) != 0
	    || f->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
		return;
	FT_BBox cb;
	FT_Outline_Get_CBox(&f->ft->glyph->outline, &cb);
	long upem = f->ft->units_per_EM ? f->ft->units_per_EM : 1000;
	long v[4] = {cb.xMin, cb.yMin, cb.xMax, cb.yMax};
	for (int k = 0; k < 4; k++) {
		long x = v[k] * 1000 / upem;
		box[k] = (int16_t)(x < -32000 ? -32000 : x > 32000 ? 32000 : x);
	}
}

void ts_font_bbox(ts_fontset *fs, int face, uint32_t cp, int16_t box[4])
{
	box[0] = box[1] = box[2] = box[3] = 0;
	if (face < 0 || face >= fs->nfaces || fs->faces[face].color)
		return;
	ts_face *f = &fs->faces[face];
	int16_t (**page)[4] = cp <= 0xFFFF ? &f->bbpage[cp >> 8] : NULL;
	if (page && *page && (*page)[cp & 0xFF][0] != W_UNKNOWN) {
		memcpy(box, (*page)[cp & 0xFF], sizeof(int16_t) * 4);
		return;
	}
	bbox_uncached(f, face_gid(fs, f, cp), box);
	if (!page)
		return;
	if (!*page) {
		*page = qxmalloc(256 * sizeof **page);
		for (int i = 0; i < 256; i++)
			(*page)[i][0] = W_UNKNOWN;
	}
	memcpy((*page)[cp & 0xFF], box, sizeof(int16_t) * 4);
}

void ts_fontset_text_emoji(ts_fontset *fs, bool on)
{
	if (fs->text_emoji == on)
		return;
	fs->text_emoji = on;
	memset(fs->ascii_known, 0, sizeof fs->ascii_known);
	for (int r = 0; r < TS_ROLE_COUNT; r++)   /* answers change: forget */
		for (int e = 0; e < 2; e++)
			for (int p = 0; p < 256; p++) {
				free(fs->cache[r][e][p]);
				fs->cache[r][e][p] = NULL;
			}
}

static int kern_uncached(ts_fontset *fs, ts_face *f, uint32_t a, uint32_t b)
{
	FT_UInt ga = face_gid(fs, f, a), gb = face_gid(fs, f, b);
	FT_Vector v;
	if (!ga || !gb || FT_Get_Kerning(f->ft, ga, gb, FT_KERNING_UNSCALED, &v) != 0)
		return 0;
	double k = (double)v.x * 1000.0 / f->ft->units_per_EM;
	return (int)(k < 0 ? k - 0.5 : k + 0.5);
}

int ts_font_kern(ts_fontset *fs, int face, uint32_t a, uint32_t b)
{
	if (face < 0 || face >= fs->nfaces || a > 0xFFFF || b > 0xFFFF)
		return 0;
	ts_face *f = &fs->faces[face];
	if (!face_open(fs, f) || !f->kerns)
		return 0;
	if (a < 32 || a > 126 || b < 32 || b > 126)
		return a >= 0x80 || b >= 0x80 ? kern_uncached(fs, f, a, b) : 0;
	if (!f->kern_ascii) {
		f->kern_ascii = qxmalloc(96 * 96 * sizeof *f->kern_ascii);
		for (int i = 0; i < 96 * 96; i++)
			f->kern_ascii[i] = W_UNKNOWN;
	}
	int16_t *slot = &f->kern_ascii[(a - 32) * 96 + (b - 32)];
	if (*slot == W_UNKNOWN)
		*slot = (int16_t)kern_uncached(fs, f, a, b);
	return *slot;
}

int ts_font_role_face(const ts_fontset *fs, ts_role role)
{
	return (unsigned)role < TS_ROLE_COUNT ? fs->role_face[role] : -1;
}

const char *ts_font_path(const ts_fontset *fs, int face)
{
	return face >= 0 && face < fs->nfaces ? fs->faces[face].path : NULL;
}

bool ts_font_is_color(const ts_fontset *fs, int face)
{
	return face >= 0 && face < fs->nfaces && fs->faces[face].color;
}

int ts_font_upem(ts_fontset *fs, int face)
{
	if (face < 0 || face >= fs->nfaces || !face_open(fs, &fs->faces[face]))
		return 1000;
	return fs->faces[face].ft->units_per_EM;
}

const unsigned char *ts_font_table(ts_fontset *fs, int face, const char tag[4],
				   size_t *len)
{
	*len = 0;
	if (face < 0 || face >= fs->nfaces || !face_open(fs, &fs->faces[face]))
		return NULL;
	ts_face *f = &fs->faces[face];
	for (int i = 0; i < f->ntables; i++)
		if (memcmp(f->tables[i].tag, tag, 4) == 0) {
			*len = f->tables[i].len;
			return f->tables[i].data;
		}
	if (f->ntables == MAX_TABLES)
		return NULL;
	FT_ULong t = FT_MAKE_TAG(tag[0], tag[1], tag[2], tag[3]), n = 0;
	if (FT_Load_Sfnt_Table(f->ft, t, 0, NULL, &n) != 0 || n == 0)
		return NULL;
	/* a large table (glyf) is copied whole: into huge pages */
	size_t size = n;
	unsigned char *buf = qpages_take(size);
	if (FT_Load_Sfnt_Table(f->ft, t, 0, buf, &n) != 0 || n != size) {
		qpages_give(buf, size);
		return NULL;
	}
	ts_table_cache *c = &f->tables[f->ntables++];
	memcpy(c->tag, tag, 4);
	c->data = buf;
	c->len = n;
	*len = n;
	return buf;
}

/* ---- emoji images ------------------------------------------------------ */

static void put_be32(qbuf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	qbuf_put(b, x, 4);
}

static void png_chunk(qbuf *png, const char *type, const unsigned char *data,
		      size_t n)
{
	put_be32(png, (uint32_t)n);
	size_t at = png->len;
	qbuf_put(png, type, 4);
	if (n)
		qbuf_put(png, data, n);
	uLong crc = crc32(0, (const Bytef *)png->ptr + at, (uInt)(n + 4));
	put_be32(png, (uint32_t)crc);
}

/* Premultiplied BGRA, box-filtered down by f, to PNG scanlines
 * (filter 0, straight RGBA). *w, *h: the size of the result. */
static unsigned char *bgra_to_rgba_rows(const FT_Bitmap *bm, unsigned f,
					unsigned *w, unsigned *h, size_t *n)
{
	*w = bm->width / f;
	*h = bm->rows / f;
	size_t row = 1 + (size_t)*w * 4;
	*n = (size_t)*h * row;
	unsigned char *raw = qxmalloc(*n);
	for (unsigned y = 0; y < *h; y++) {
		unsigned char *out = raw + (size_t)y * row;
		out[0] = 0;
		for (unsigned x = 0; x < *w; x++) {
			unsigned s[4] = {0, 0, 0, 0};
			for (unsigned dy = 0; dy < f; dy++) {
				const unsigned char *src = bm->buffer +
							   (long)(y * f + dy) * bm->pitch +
							   (size_t)x * f * 4;
				for (unsigned dx = 0; dx < f; dx++)
					for (int k = 0; k < 4; k++)
						s[k] += src[dx * 4 + k];
			}
			unsigned a = s[3] / (f * f);
			unsigned char *o = out + 1 + x * 4;
			for (int k = 0; k < 3; k++) {
				unsigned v = s[2 - k] / (f * f);   /* BGR -> RGB */
				o[k] = a ? (unsigned char)((v * 255u + a / 2) / a > 255 ? 255
							 : (v * 255u + a / 2) / a)
					 : 0;
			}
			o[3] = (unsigned char)a;
		}
	}
	return raw;
}

bool ts_font_emoji_png(ts_fontset *fs, int face, uint32_t cp, qbuf *png)
{
	if (!ts_font_is_color(fs, face))
		return false;
	ts_face *f = &fs->faces[face];
	FT_UInt gid = face_gid(fs, f, cp);
	if (!gid || FT_Load_Glyph(f->ft, gid, FT_LOAD_COLOR) != 0)
		return false;
	FT_Bitmap *bm = &f->ft->glyph->bitmap;
	if (bm->pixel_mode != FT_PIXEL_MODE_BGRA || bm->width < 2 || bm->rows < 2)
		return false;
	size_t rawn;
	unsigned w, h, k = (bm->rows + 71) / 72;   /* about 72 px high is plenty */
	unsigned char *raw = bgra_to_rgba_rows(bm, k, &w, &h, &rawn);
	uLongf zn = compressBound((uLong)rawn);
	unsigned char *z = qxmalloc(zn);
	/* level 1: libharu unpacks the PNG and deflates the pixels itself */
	bool ok = compress2(z, &zn, raw, (uLong)rawn, 1) == Z_OK;
	if (ok) {
		qbuf ihdr = QBUF_INIT;
		put_be32(&ihdr, w);
		put_be32(&ihdr, h);
		qbuf_put(&ihdr, "\x08\x06\x00\x00\x00", 5);   /* 8 bits RGBA, no interlace */
		qbuf_put(png, "\x89PNG\r\n\x1a\n", 8);
		png_chunk(png, "IHDR", (const unsigned char *)ihdr.ptr, 13);
		qbuf_free(&ihdr);
		png_chunk(png, "IDAT", z, zn);
		png_chunk(png, "IEND", NULL, 0);
	}
	free(raw);
	free(z);
	return ok;
}

/* ---- outlines ------------------------------------------------------------ */

typedef struct outline_ctx {
	const ts_outline_cb *cb;
	float lx, ly;
} outline_ctx;

static int ol_move(const FT_Vector *to, void *u)
{
	outline_ctx *c = u;
	c->cb->move(c->cb->ctx, (float)to->x, (float)to->y);
	c->lx = (float)to->x;
	c->ly = (float)to->y;
	return 0;
}

static int ol_line(const FT_Vector *to, void *u)
{
	outline_ctx *c = u;
	c->cb->line(c->cb->ctx, (float)to->x, (float)to->y);
	c->lx = (float)to->x;
	c->ly = (float)to->y;
	return 0;
}

static int ol_conic(const FT_Vector *ctl, const FT_Vector *to, void *u)
{
	outline_ctx *c = u;
	float qx = (float)ctl->x, qy = (float)ctl->y;
	float x = (float)to->x, y = (float)to->y;
	c->cb->cubic(c->cb->ctx, c->lx + 2.0f / 3 * (qx - c->lx),
		     c->ly + 2.0f / 3 * (qy - c->ly), x + 2.0f / 3 * (qx - x),
		     y + 2.0f / 3 * (qy - y), x, y);
	c->lx = x;
	c->ly = y;
	return 0;
}

static int ol_cubic(const FT_Vector *c1, const FT_Vector *c2,
		    const FT_Vector *to, void *u)
{
	outline_ctx *c = u;
	c->cb->cubic(c->cb->ctx, (float)c1->x, (float)c1->y, (float)c2->x,
		     (float)c2->y, (float)to->x, (float)to->y);
	c->lx = (float)to->x;
	c->ly = (float)to->y;
	return 0;
}

bool ts_font_outline(ts_fontset *fs, int face, uint32_t cp,
		     const ts_outline_cb *cb, int *units_per_em)
{
	if (face < 0 || face >= fs->nfaces)
		return false;
	ts_face *f = &fs->faces[face];
	FT_UInt gid = face_gid(fs, f, cp);
	if (!gid || f->color ||
	    FT_Load_Glyph(f->ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_BITMAP) != 0 ||
	    f->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
		return false;
	*units_per_em = f->ft->units_per_EM;
	FT_Outline_Funcs funcs = {ol_move, ol_line, ol_conic, ol_cubic, 0, 0};
	outline_ctx c = {cb, 0, 0};
	return FT_Outline_Decompose(&f->ft->glyph->outline, &funcs, &c) == 0;
}
