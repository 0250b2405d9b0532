/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include "errors.h"
#include "console.h"
#include "csv.h"
#include "str.h"

#define ERRORS_MAX	256

struct error_row {
	char where[24];
	int cpu;
	uint64_t waited_us;
	char what[96];
};

static struct error_row rows[ERRORS_MAX];
static unsigned nrows, ndropped;
static volatile int lock;

void error_add(const char *where, int cpu, uint64_t waited_us,
	       const char *fmt, ...)
{
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	fmt_vbuf(what, sizeof(what), fmt, ap);
	va_end(ap);
	klog("error: %s cpu %d: %s (waited %lu us)", where, cpu, what, waited_us);

	/* Any CPU may report; a short lock around the append. */
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		;
	if (nrows < ERRORS_MAX) {
		struct error_row *r = &rows[nrows++];

		str_copy(r->where, where, sizeof(r->where));
		r->cpu = cpu;
		r->waited_us = waited_us;
		csv_field(r->what, sizeof(r->what), what);
	} else {
		ndropped++;
	}
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

unsigned error_count(void)
{
	return nrows + ndropped;
}

void errors_print(void)
{
	struct csv t;

	csv_begin(&t, console_out, 0, "errors", "where,cpu,what,waited_us");
	for (unsigned i = 0; i < nrows; i++) {
		if (rows[i].cpu < 0)
			csv_row(&t, "%s,NA,%s,%lu", rows[i].where, rows[i].what,
				rows[i].waited_us);
		else
			csv_row(&t, "%s,%d,%s,%lu", rows[i].where, rows[i].cpu,
				rows[i].what, rows[i].waited_us);
	}
	if (ndropped)
		csv_row(&t, "errors,NA,%u more errors not kept,0", ndropped);
	csv_end(&t);
}
