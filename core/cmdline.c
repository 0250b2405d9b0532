/* SPDX-License-Identifier: MIT */
/*
 * Kernel command line parser. Words are never copied: every value is a
 * (pointer, length) slice of the line, bounded by whitespace or the NUL, so
 * nothing reads past the terminator and nothing needs a buffer per word.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cmdline.h"
#include "plan.h"
#include "fmt.h"
#include "str.h"

/* Long words are cut in messages so the accepted values stay visible. */
#define SHOW_MAX	48

enum key_id {
	K_BENCH, K_ITERS, K_WARMUP, K_CPUS, K_APIC, K_WAIT, K_QUICK, K_SERIAL,
	K_TIMEOUT, K_EXIT, K_RAW, K_PAIRS, K_BUDGET, K_INJECT, K_STRESS, K_HOLD,
	K_COUNT
};

struct key_def {
	const char *name;
	const char *accepts;
	uint64_t min, max;	/* plain numeric keys only */
};

static const struct key_def keys[K_COUNT] = {
	[K_BENCH] = { "bench", NULL,	/* from the names: see fail() */
		0, 0 },
	[K_ITERS] = { "iters", "an integer 1..10000000",
		1, 10000000 },
	[K_WARMUP] = { "warmup", "an integer 0..1000000",
		0, 1000000 },
	[K_CPUS] = { "cpus", "an integer 1..8192, or 0 or all for every CPU",
		0, CONFIG_CPUS_MAX },
	[K_APIC] = { "apic", "auto, xapic, x2apic",
		0, 0 },
	[K_WAIT] = { "wait", NULL,
		0, 0 },
	[K_QUICK] = { "quick", "quick, quick=0, quick=1",
		0, 0 },
	[K_SERIAL] = { "serial", "auto, none, spcr, com1..com4, a port 1..0xffff, "
		"mmio,ADDR[,8|16|32], mmio16,ADDR or mmio32,ADDR",
		1, 0xffff },
	[K_TIMEOUT] = { "timeout_ms", "an integer 1..600000",
		1, 600000 },
	[K_EXIT] = { "exit", "auto, qemu, halt, reboot",
		0, 0 },
	[K_RAW] = { "raw", "0, 1",
		0, 1 },
	[K_PAIRS] = { "pairs", "all, sample:K with K 1..1000000",
		1, 1000000 },
	[K_BUDGET] = { "budget", "a duration N[ms|s|m|h] up to 24h, bare N in seconds "
		"(the whole run; 0: no budget, every pair)",
		0, 86400000 },
	[K_INJECT] = { "inject", "none, mute:N, noap:N, drop:N[:K], panic, apfault:N with N 0..8191, K 1..1000000",
		0, 0 },
	[K_STRESS] = { "stress", "an integer 0..100000000 (csd all-to-all calls; 0: off)",
		0, 100000000 },
	[K_HOLD] = { "hold_ms", "an integer 0..600000 (ms the last screen stays up before exit=qemu)",
		0, 600000 },
};

#define INJECT_CPU_MAX		(CONFIG_CPUS_MAX - 1)
#define INJECT_EVERY_MAX	1000000

/* A name for each enum value, in enum order (bench= and wait=: names). */
static const char *const apic_names[] = { "auto", "xapic", "x2apic" };
static const char *const exit_names[] = { "auto", "qemu", "halt", "reboot" };
static const char *const inject_names[] = {
	"none", "mute", "noap", "drop", "panic", "apfault"
};
static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct parser {
	const struct cmdline_names *names;
	struct config cfg;
	unsigned seen;			/* 1 << key_id */
	struct fmt_sbuf err;
};

static unsigned all_of(unsigned count)
{
	return count >= 32 ? ~0u : (1u << count) - 1;
}

void config_defaults(struct config *cfg, const struct cmdline_names *names)
{
	mem_set(cfg, 0, sizeof(*cfg));
	cfg->bench = all_of(names->nbench);
	cfg->iters = 1000;
	cfg->warmup = 100;
	cfg->cpus = 0;
	cfg->apic = APIC_REQ_AUTO;
	cfg->wait = all_of(names->nwait);
	cfg->quick = false;
	cfg->serial = SERIAL_AUTO;
	cfg->serial_port = 0x3f8;
	cfg->serial_mmio = 0;
	cfg->serial_width = 1;
	cfg->timeout_ms = 1000;
	cfg->exit = EXIT_AUTO;
	cfg->raw = false;
	cfg->pairs_sample = 0;
	cfg->budget_ms = PLAN_DEFAULT_BUDGET_MS;	/* the full matrix up to 64 CPUs */
	cfg->stress = 0;
	cfg->inject = INJECT_NONE;
	cfg->inject_cpu = 0;
	cfg->inject_every = 2;
}

static bool is_space(char c)
{
	/* GRUB separates with spaces; tabs and line ends come from hand edits. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool slice_eq(const char *s, size_t n, const char *word)
{
	return str_ncmp(s, word, n) == 0 && word[n] == 0;
}

/* Appends s[0..n) with control bytes shown as '?': the error stays one line. */
static void show(struct fmt_sbuf *sb, const char *s, size_t n)
{
	size_t shown = n > SHOW_MAX ? SHOW_MAX : n;

	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];
		char o = (c < 0x20 || c == 0x7f) ? '?' : (char)c;

		fmt_sbuf_out(sb, &o, 1);
	}
	if (shown < n)
		fmt_sbuf_out(sb, "...", 3);
}

/*
 * One error line: "KEY: ["VALUE" ]WHAT (accepts ACCEPTS)", e.g.
 * iters: "12x" is not a number (accepts an integer 1..10000000).
 */
static int fail(struct parser *p, enum key_id k, const char *v, size_t n,
		const char *what)
{
	fmt_to(fmt_sbuf_out, &p->err, "%s: ", keys[k].name);
	if (v) {
		fmt_sbuf_out(&p->err, "\"", 1);
		show(&p->err, v, n);
		fmt_sbuf_out(&p->err, "\" ", 2);
	}
	fmt_to(fmt_sbuf_out, &p->err, "%s (accepts ", what);
	if (k == K_BENCH || k == K_WAIT) {
		const char *const *names = k == K_BENCH ? p->names->bench : p->names->wait;
		unsigned count = k == K_BENCH ? p->names->nbench : p->names->nwait;

		fmt_to(fmt_sbuf_out, &p->err, "a comma list of ");
		for (unsigned i = 0; i < count; i++)
			fmt_to(fmt_sbuf_out, &p->err, "%s%s", i ? "," : "", names[i]);
		if (k == K_BENCH)
			fmt_to(fmt_sbuf_out, &p->err, ", or all, or none");
	} else {
		fmt_to(fmt_sbuf_out, &p->err, "%s", keys[k].accepts);
	}
	fmt_sbuf_out(&p->err, ")", 1);
	return -1;
}

enum num_status { NUM_OK, NUM_BAD, NUM_BIG };

/*
 * Decimal, or hex after 0x/0X. No sign, no spaces, at least one digit.
 * Anything beyond UINT64_MAX is NUM_BIG rather than wrapping; a stray
 * character anywhere wins over size, so "99999999999999999999x" is NUM_BAD.
 */
static enum num_status parse_num(const char *s, size_t n, uint64_t *out)
{
	unsigned base = 10;
	bool big = false;
	uint64_t v = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n == 0)
		return NUM_BAD;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return NUM_BAD;
		if (v > (UINT64_MAX - d) / base)
			big = true;
		else
			v = v * base + d;
	}
	*out = v;
	return big ? NUM_BIG : NUM_OK;
}

/*
 * A number in [min, max] for key k. whole/wn is the full value, quoted in
 * errors, and s/n the part holding the number (sample:K, drop:N:K).
 */
static int get_num_as(struct parser *p, enum key_id k, const char *whole,
		      size_t wn, const char *s, size_t n, uint64_t min,
		      uint64_t max, const char *bad, uint32_t *out)
{
	uint64_t v = 0;

	switch (parse_num(s, n, &v)) {
	case NUM_BAD:
		return fail(p, k, whole, wn, bad);
	case NUM_BIG:
		return fail(p, k, whole, wn, "is out of range");
	case NUM_OK:
		break;
	}
	if (v < min || v > max)
		return fail(p, k, whole, wn, "is out of range");
	*out = (uint32_t)v;
	return 0;
}

static int get_num(struct parser *p, enum key_id k, const char *whole,
		   size_t wn, const char *s, size_t n, uint64_t min,
		   uint64_t max, uint32_t *out)
{
	return get_num_as(p, k, whole, wn, s, n, min, max, "is not a number", out);
}

/*
 * A duration into milliseconds: N, Nms, Ns, Nm or Nh (bare N: seconds),
 * in [min, max] ms.
 */
static int get_duration(struct parser *p, enum key_id k, const char *whole,
			size_t wn, const char *s, size_t n, uint64_t min,
			uint64_t max, uint32_t *out)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	uint64_t scale = 1000;
	uint32_t v;
	size_t d = 0;

	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d < n) {
		size_t i;

		for (i = 0; i < ARRAY_LEN(units); i++)
			if (slice_eq(s + d, n - d, units[i].unit))
				break;
		if (i == ARRAY_LEN(units))
			return fail(p, k, whole, wn, "is not a duration");
		scale = units[i].ms;
	}
	/* the count in units: [ceil(min / scale), max / scale] */
	if (get_num_as(p, k, whole, wn, s, d, (min + scale - 1) / scale, max / scale,
		       "is not a duration", &v))
		return -1;
	*out = v * (uint32_t)scale;
	return 0;
}

/* Index of v[0..n) in names, or -1. */
static int find_name(const char *v, size_t n, const char *const *names,
		     size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (slice_eq(v, n, names[i]))
			return (int)i;
	return -1;
}

static int get_enum(struct parser *p, enum key_id k, const char *v, size_t n,
		    const char *const *names, size_t count, unsigned *out)
{
	int i = find_name(v, n, names, count);

	if (i < 0)
		return fail(p, k, v, n, "is not a valid value");
	*out = (unsigned)i;
	return 0;
}

/* Comma list of names -> mask (bit i for names[i]); "all" where allowed. */
static int get_list(struct parser *p, enum key_id k, const char *v, size_t n,
		    const char *const *names, size_t count, bool allow_all,
		    unsigned *out)
{
	unsigned mask = 0;
	size_t i = 0;

	for (;;) {
		size_t j = i;
		int it;

		while (j < n && v[j] != ',')
			j++;
		if (j == i)
			return fail(p, k, v, n, "has an empty item");
		it = find_name(v + i, j - i, names, count);
		if (it >= 0)
			mask |= 1u << it;
		else if (allow_all && slice_eq(v + i, j - i, "all"))
			mask |= all_of((unsigned)count);
		else
			return fail(p, k, v + i, j - i,
				    "is not a valid item");
		if (j == n)
			break;
		i = j + 1;
	}
	*out = mask;
	return 0;
}

static int get_bool(struct parser *p, enum key_id k, const char *v, size_t n,
		    bool *out)
{
	if (slice_eq(v, n, "0") || slice_eq(v, n, "1")) {
		*out = v[0] == '1';
		return 0;
	}
	return fail(p, k, v, n, "is not a valid value");
}

/* MMIO addresses stay below the 52-bit physical limit and off page 0. */
#define SERIAL_MMIO_MAX	((1ULL << 52) - 1)

/* mmio,ADDR[,8|16|32] | mmio16,ADDR | mmio32,ADDR (v[0..n) starts "mmio"). */
static int parse_serial_mmio(struct parser *p, const char *v, size_t n)
{
	size_t i = 4, a, e;
	uint8_t width = 1;
	uint64_t addr;

	if (n > 6 && !str_ncmp(v + 4, "16,", 3))
		width = 2, i = 6;
	else if (n > 6 && !str_ncmp(v + 4, "32,", 3))
		width = 4, i = 6;
	if (i >= n || v[i] != ',')
		return fail(p, K_SERIAL, v, n, "is not a valid value");
	a = ++i;
	for (e = a; e < n && v[e] != ','; e++)
		;
	if (parse_num(v + a, e - a, &addr) != NUM_OK || addr < 0x1000 ||
	    addr > SERIAL_MMIO_MAX)
		return fail(p, K_SERIAL, v, n, "has no valid MMIO address");
	if (e < n) {
		/* mmio,ADDR,BITS; mmio16/32 already said their width */
		if (width != 1)
			return fail(p, K_SERIAL, v, n, "gives the width twice");
		if (slice_eq(v + e + 1, n - e - 1, "8"))
			width = 1;
		else if (slice_eq(v + e + 1, n - e - 1, "16"))
			width = 2;
		else if (slice_eq(v + e + 1, n - e - 1, "32"))
			width = 4;
		else
			return fail(p, K_SERIAL, v, n, "has a width other than 8, 16, 32");
	}
	p->cfg.serial = SERIAL_MMIO;
	p->cfg.serial_mmio = addr;
	p->cfg.serial_width = width;
	return 0;
}

static int parse_serial(struct parser *p, const char *v, size_t n)
{
	uint32_t port;
	uint64_t unused;

	if (slice_eq(v, n, "auto") || slice_eq(v, n, "none") || slice_eq(v, n, "spcr")) {
		p->cfg.serial = v[0] == 'a' ? SERIAL_AUTO : v[0] == 'n' ? SERIAL_NONE
									 : SERIAL_SPCR;
		return 0;
	}
	if (n >= 4 && !str_ncmp(v, "mmio", 4))
		return parse_serial_mmio(p, v, n);
	if (n == 4 && str_ncmp(v, "com", 3) == 0 && v[3] >= '1' &&
	    v[3] <= '4') {
		p->cfg.serial = SERIAL_PORT;
		p->cfg.serial_port = com_ports[v[3] - '1'];
		return 0;
	}
	if (parse_num(v, n, &unused) == NUM_BAD)
		return fail(p, K_SERIAL, v, n, "is not a valid value");
	if (get_num(p, K_SERIAL, v, n, v, n, keys[K_SERIAL].min,
		    keys[K_SERIAL].max, &port))
		return -1;
	p->cfg.serial = SERIAL_PORT;
	p->cfg.serial_port = (uint16_t)port;
	return 0;
}

static int parse_pairs(struct parser *p, const char *v, size_t n)
{
	if (slice_eq(v, n, "all")) {
		p->cfg.pairs_sample = 0;
		return 0;
	}
	if (n >= 7 && str_ncmp(v, "sample:", 7) == 0)
		return get_num(p, K_PAIRS, v, n, v + 7, n - 7,
			       keys[K_PAIRS].min, keys[K_PAIRS].max,
			       &p->cfg.pairs_sample);
	return fail(p, K_PAIRS, v, n, "is not a valid value");
}

/* inject=KIND[:N[:K]]: which fields a kind takes is fixed per kind. */
static int parse_inject(struct parser *p, const char *v, size_t n)
{
	size_t c1 = 0, c2;
	int kind;
	uint32_t cpu = 0, every = 2;

	while (c1 < n && v[c1] != ':')
		c1++;
	kind = find_name(v, c1, inject_names, ARRAY_LEN(inject_names));
	if (kind < 0)
		return fail(p, K_INJECT, v, n, "is not a valid value");
	if (kind == INJECT_NONE || kind == INJECT_PANIC) {
		if (c1 != n)
			return fail(p, K_INJECT, v, n,
				    "takes no CPU number");
		goto done;
	}
	if (c1 == n)
		return fail(p, K_INJECT, v, n, "needs a CPU number");
	c2 = c1 + 1;
	while (c2 < n && v[c2] != ':')
		c2++;
	if (get_num(p, K_INJECT, v, n, v + c1 + 1, c2 - c1 - 1, 0,
		    INJECT_CPU_MAX, &cpu))
		return -1;
	if (c2 != n) {
		if (kind != INJECT_DROP)
			return fail(p, K_INJECT, v, n,
				    "takes only a CPU number");
		if (get_num(p, K_INJECT, v, n, v + c2 + 1, n - c2 - 1, 1,
			    INJECT_EVERY_MAX, &every))
			return -1;
	}
done:
	p->cfg.inject = (enum inject_kind)kind;
	p->cfg.inject_cpu = cpu;
	p->cfg.inject_every = every;
	return 0;
}

static int parse_value(struct parser *p, enum key_id k, const char *v,
		       size_t n)
{
	struct config *c = &p->cfg;
	const struct key_def *d = &keys[k];
	unsigned u = 0;

	switch (k) {
	case K_BENCH:
		/* bench=none: bring the CPUs up, print meta and cpus, measure nothing. */
		if (slice_eq(v, n, "none")) {
			c->bench = 0;
			return 0;
		}
		if (get_list(p, k, v, n, p->names->bench, p->names->nbench,
			     true, &u))
			return -1;
		c->bench = u;
		return 0;
	case K_WAIT:
		if (get_list(p, k, v, n, p->names->wait, p->names->nwait,
			     false, &u))
			return -1;
		c->wait = u;
		return 0;
	case K_ITERS:
		return get_num(p, k, v, n, v, n, d->min, d->max, &c->iters);
	case K_WARMUP:
		return get_num(p, k, v, n, v, n, d->min, d->max, &c->warmup);
	case K_CPUS:
		if (slice_eq(v, n, "all")) {
			c->cpus = 0;
			return 0;
		}
		return get_num(p, k, v, n, v, n, d->min, d->max, &c->cpus);
	case K_TIMEOUT:
		return get_num(p, k, v, n, v, n, d->min, d->max,
			       &c->timeout_ms);
	case K_BUDGET:
		return get_duration(p, k, v, n, v, n, d->min, d->max,
				    &c->budget_ms);
	case K_STRESS:
		return get_num(p, k, v, n, v, n, d->min, d->max, &c->stress);
	case K_HOLD:
		return get_num(p, k, v, n, v, n, d->min, d->max, &c->hold_ms);
	case K_APIC:
		if (get_enum(p, k, v, n, apic_names, ARRAY_LEN(apic_names), &u))
			return -1;
		c->apic = (enum apic_mode_req)u;
		return 0;
	case K_EXIT:
		if (get_enum(p, k, v, n, exit_names, ARRAY_LEN(exit_names), &u))
			return -1;
		c->exit = (enum exit_mode)u;
		return 0;
	case K_QUICK:
		return get_bool(p, k, v, n, &c->quick);
	case K_RAW:
		return get_bool(p, k, v, n, &c->raw);
	case K_SERIAL:
		return parse_serial(p, v, n);
	case K_PAIRS:
		return parse_pairs(p, v, n);
	case K_INJECT:
		return parse_inject(p, v, n);
	case K_COUNT:
		break;
	}
	return -1;
}

static int unknown_key(struct parser *p, const char *w, size_t n, size_t kn)
{
	if (kn == 0) {
		fmt_sbuf_out(&p->err, "\"", 1);
		show(&p->err, w, n);
		fmt_to(fmt_sbuf_out, &p->err, "\": missing key before '='");
	} else {
		show(&p->err, w, kn);
		fmt_to(fmt_sbuf_out, &p->err, ": unknown key");
	}
	fmt_to(fmt_sbuf_out, &p->err, " (accepted keys:");
	for (size_t i = 0; i < K_COUNT; i++)
		fmt_to(fmt_sbuf_out, &p->err, " %s", keys[i].name);
	fmt_sbuf_out(&p->err, ")", 1);
	return -1;
}

/* One word w[0..n): "key=value", or the bare word "quick". */
static int parse_word(struct parser *p, const char *w, size_t n)
{
	size_t kn = 0;
	size_t k;

	while (kn < n && w[kn] != '=')
		kn++;
	for (k = 0; k < K_COUNT; k++)
		if (slice_eq(w, kn, keys[k].name))
			break;
	if (k == K_COUNT)
		return unknown_key(p, w, n, kn);
	if (p->seen & (1u << k))
		return fail(p, k, NULL, 0,
			    "given twice");
	p->seen |= 1u << k;
	if (kn == n) {
		if (k == K_QUICK) {
			p->cfg.quick = true;
			return 0;
		}
		return fail(p, k, NULL, 0, "needs a value after '='");
	}
	if (kn + 1 == n)
		return fail(p, k, NULL, 0, "empty value");
	return parse_value(p, (enum key_id)k, w + kn + 1, n - kn - 1);
}

int cmdline_parse(const char *line, const struct cmdline_names *names,
		  struct config *cfg, char *err, size_t errlen)
{
	struct parser p = {
		.names = names,
		.err = { .buf = err, .size = err ? errlen : 0, .len = 0 },
	};
	bool first = true;
	const char *s = line ? line : "";

	config_defaults(&p.cfg, names);
	config_defaults(cfg, names);
	if (err && errlen)
		err[0] = 0;

	if (str_nlen(s, CMDLINE_MAX + 1) > CMDLINE_MAX) {
		fmt_to(fmt_sbuf_out, &p.err,
		       "cmdline: longer than %u bytes (accepts at most %u bytes)",
		       CMDLINE_MAX, CMDLINE_MAX);
		return -1;
	}
	for (;;) {
		const char *w;

		while (is_space(*s))
			s++;
		if (!*s)
			break;
		w = s;
		while (*s && !is_space(*s))
			s++;
		/* GRUB passes the kernel's own path as the first word. */
		if (first && *w == '/') {
			first = false;
			continue;
		}
		first = false;
		if (parse_word(&p, w, (size_t)(s - w)))
			return -1;
	}
	p.cfg.iters_given = p.seen & (1u << K_ITERS);
	/* After the whole line, so "iters=50 quick" keeps 50. */
	if (p.cfg.quick) {
		if (!(p.seen & (1u << K_ITERS)))
			p.cfg.iters = 200;
		if (!(p.seen & (1u << K_WARMUP)))
			p.cfg.warmup = 20;
	}
	*cfg = p.cfg;
	return 0;
}

bool config_equal(const struct config *a, const struct config *b)
{
	return a->bench == b->bench && a->iters == b->iters &&
	       a->warmup == b->warmup && a->cpus == b->cpus &&
	       a->apic == b->apic && a->wait == b->wait &&
	       a->quick == b->quick && a->serial == b->serial &&
	       a->serial_port == b->serial_port && a->serial_mmio == b->serial_mmio &&
	       a->serial_width == b->serial_width &&
	       a->timeout_ms == b->timeout_ms && a->exit == b->exit &&
	       a->raw == b->raw && a->pairs_sample == b->pairs_sample &&
	       a->budget_ms == b->budget_ms && a->inject == b->inject &&
	       a->stress == b->stress && a->hold_ms == b->hold_ms &&
	       a->inject_cpu == b->inject_cpu &&
	       a->inject_every == b->inject_every;
}

static void format_list(struct fmt_sbuf *sb, unsigned mask,
			const char *const *names, size_t count)
{
	bool any = false;

	for (size_t i = 0; i < count; i++) {
		if (!(mask & (1u << i)))
			continue;
		fmt_to(fmt_sbuf_out, sb, "%s%s", any ? "," : "", names[i]);
		any = true;
	}
}

static const char *name_of(const char *const *names, size_t count,
			   unsigned v)
{
	return v < count ? names[v] : "?";
}

void config_format(const struct config *cfg, const struct cmdline_names *names,
		   char *buf, size_t size)
{
	unsigned all = all_of(names->nbench);

	struct fmt_sbuf sb = { .buf = buf, .size = size, .len = 0 };

	if (size)
		buf[0] = 0;
	fmt_to(fmt_sbuf_out, &sb, "bench=");
	if ((cfg->bench & all) == all)
		fmt_to(fmt_sbuf_out, &sb, "all");
	else if (!cfg->bench)
		fmt_to(fmt_sbuf_out, &sb, "none");
	else
		format_list(&sb, cfg->bench, names->bench, names->nbench);
	fmt_to(fmt_sbuf_out, &sb, " iters=%u warmup=%u", cfg->iters,
	       cfg->warmup);
	if (cfg->cpus)
		fmt_to(fmt_sbuf_out, &sb, " cpus=%u", cfg->cpus);
	else
		fmt_to(fmt_sbuf_out, &sb, " cpus=all");
	fmt_to(fmt_sbuf_out, &sb, " apic=%s wait=",
	       name_of(apic_names, ARRAY_LEN(apic_names), cfg->apic));
	format_list(&sb, cfg->wait, names->wait, names->nwait);
	fmt_to(fmt_sbuf_out, &sb, " quick=%d", cfg->quick ? 1 : 0);
	switch (cfg->serial) {
	case SERIAL_AUTO:
		fmt_to(fmt_sbuf_out, &sb, " serial=auto");
		break;
	case SERIAL_NONE:
		fmt_to(fmt_sbuf_out, &sb, " serial=none");
		break;
	case SERIAL_SPCR:
		fmt_to(fmt_sbuf_out, &sb, " serial=spcr");
		break;
	case SERIAL_PORT:
		fmt_to(fmt_sbuf_out, &sb, " serial=0x%x", cfg->serial_port);
		break;
	case SERIAL_MMIO:
		fmt_to(fmt_sbuf_out, &sb, " serial=mmio,0x%lx,%u",
		       (unsigned long)cfg->serial_mmio, cfg->serial_width * 8u);
		break;
	}
	fmt_to(fmt_sbuf_out, &sb, " timeout_ms=%u exit=%s raw=%d",
	       cfg->timeout_ms,
	       name_of(exit_names, ARRAY_LEN(exit_names), cfg->exit),
	       cfg->raw ? 1 : 0);
	if (cfg->pairs_sample)
		fmt_to(fmt_sbuf_out, &sb, " pairs=sample:%u",
		       cfg->pairs_sample);
	else
		fmt_to(fmt_sbuf_out, &sb, " pairs=all");
	if (cfg->budget_ms % 1000)
		fmt_to(fmt_sbuf_out, &sb, " budget=%ums", cfg->budget_ms);
	else
		fmt_to(fmt_sbuf_out, &sb, " budget=%us", cfg->budget_ms / 1000);
	fmt_to(fmt_sbuf_out, &sb, " inject=%s",
	       name_of(inject_names, ARRAY_LEN(inject_names), cfg->inject));
	switch (cfg->inject) {
	case INJECT_MUTE:
	case INJECT_NOAP:
	case INJECT_APFAULT:
		fmt_to(fmt_sbuf_out, &sb, ":%u", cfg->inject_cpu);
		break;
	case INJECT_DROP:
		fmt_to(fmt_sbuf_out, &sb, ":%u:%u", cfg->inject_cpu,
		       cfg->inject_every);
		break;
	case INJECT_NONE:
	case INJECT_PANIC:
		break;
	}
	fmt_to(fmt_sbuf_out, &sb, " stress=%u", cfg->stress);
	if (cfg->hold_ms)
		fmt_to(fmt_sbuf_out, &sb, " hold_ms=%u", cfg->hold_ms);
}
