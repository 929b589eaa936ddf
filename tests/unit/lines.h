/* lines.h - where a laid-out line's content starts and ends, relative to
 * the text block, for the layout checks of the typesetter's and the PDF
 * back end's tests. */
#ifndef QUIRE_TEST_LINES_H
#define QUIRE_TEST_LINES_H

#include <math.h>

#include "typeset/tslayout.h"

static inline float line_left(const ts_layout *L, const ts_vitem *it)
{
	float l = it->x;
	for (uint32_t k = 0; k < it->nruns; k++)
		l = fminf(l, it->x + L->runs[it->run0 + k].x);
	return l;
}

static inline float line_right(const ts_layout *L, const ts_vitem *it)
{
	float r = it->x;
	for (uint32_t k = 0; k < it->nruns; k++) {
		const ts_run *run = &L->runs[it->run0 + k];
		r = fmaxf(r, it->x + run->x + run->w);
	}
	return r;
}

#endif
