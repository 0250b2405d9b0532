/* SPDX-License-Identifier: MIT */
#include "progress.h"
#include "console.h"
#include "fmt.h"
#include "screen.h"
#include "tsc.h"
#include "x86.h"

static const char *name;
static uint64_t start, last;

void progress_begin(const char *what)
{
	char buf[96];

	name = what;
	start = rdtsc();
	last = 0;
	fmt_buf(buf, sizeof(buf), "running %s ...", what);
	console_status(buf);
}

void progress(unsigned long done, unsigned long total)
{
	uint64_t now, hz = tsc_hz ? tsc_hz : 1000000000ULL, el_ms, left_s;
	char buf[128];

	if (!name || !screen_on() || !total)
		return;
	now = rdtsc();
	if (done < total && last && now - last < hz / 10)
		return;
	last = now;
	if (done > total)
		done = total;
	el_ms = (now - start) / (hz / 1000);
	if (done == 0) {
		fmt_buf(buf, sizeof(buf), "running %s: 0/%lu, %lu s so far", name, total,
			el_ms / 1000);
	} else {
		left_s = el_ms * (total - done) / done / 1000;
		fmt_buf(buf, sizeof(buf), "running %s: %lu/%lu (%lu%%), %lu s so far, about %lu s left",
			name, done, total, done * 100 / total, el_ms / 1000, left_s);
	}
	console_status(buf);
}

void progress_end(void)
{
	name = NULL;
	console_status("");
}
