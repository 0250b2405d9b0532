/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line (multiboot2 cmdline tag): space-separated
 * key=value words, parsed strictly. A typo must not silently run a different
 * experiment than the one asked for, so every unknown key, malformed value
 * or repeated key is refused with one line naming the key and what it
 * accepts (pure: kernel and host tests).
 */
#ifndef VOLLEY_CORE_CMDLINE_H
#define VOLLEY_CORE_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The names bench= and wait= accept belong to the layers that define them
 * (the benchmark table, the harness's wait modes): the parser takes them as
 * data. config.bench and config.wait have bit i set for names[i].
 */
struct cmdline_names {
	const char *const *bench;
	unsigned nbench;		/* <= 32 */
	const char *const *wait;
	unsigned nwait;			/* <= 32 */
};

enum apic_mode_req { APIC_REQ_AUTO, APIC_REQ_XAPIC, APIC_REQ_X2APIC };
enum exit_mode { EXIT_AUTO, EXIT_QEMU, EXIT_HALT, EXIT_REBOOT };
/*
 * serial=: auto (the SPCR UART, else COM1 if it answers, else none), none,
 * spcr (only the SPCR UART), an I/O port, or an MMIO 16550 (memtest86+ and
 * Linux spell it mmio,ADDR / mmio16,ADDR / mmio32,ADDR; ours also takes
 * mmio,ADDR,8|16|32).
 */
enum serial_mode { SERIAL_AUTO, SERIAL_NONE, SERIAL_SPCR, SERIAL_PORT, SERIAL_MMIO };
enum inject_kind {
	INJECT_NONE,
	INJECT_MUTE,	/* CPU N never answers */
	INJECT_NOAP,	/* CPU N is never started */
	INJECT_DROP,	/* CPU N ignores every K-th IPI */
	INJECT_PANIC,	/* the boot CPU panics on purpose */
	INJECT_APFAULT,	/* CPU N takes an exception */
};

#define CMDLINE_MAX	1024	/* longer lines are refused */
#define CONFIG_CPUS_MAX	8192	/* cpus= and inject CPU numbers stay below */

struct config {
	unsigned bench;		/* bit i: names->bench[i]; default all */
	uint32_t iters;		/* 1..10000000, default 1000 (quick: 200) */
	uint32_t warmup;	/* 0..1000000, default 100 (quick: 20) */
	uint32_t cpus;		/* 0 = all (default), else 1..8192 incl. boot CPU */
	enum apic_mode_req apic;
	unsigned wait;		/* bit i: names->wait[i]; default all */
	bool quick;
	enum serial_mode serial;	/* default auto */
	uint16_t serial_port;	/* SERIAL_PORT: the I/O port */
	uint64_t serial_mmio;	/* SERIAL_MMIO: the base address */
	uint8_t serial_width;	/* SERIAL_MMIO: register width = stride, bytes 1|2|4 */
	uint32_t timeout_ms;	/* 1..600000, default 1000 */
	enum exit_mode exit;
	bool raw;
	uint32_t pairs_sample;	/* 0 = all pairs, else K (1..1000000) */
	uint32_t budget_ms;	/* 0..86400000, 0 = no budget */
	uint32_t stress;	/* csd all-to-all async calls in total, 0 = off */
	uint32_t hold_ms;	/* exit=qemu waits this long first (screen tests) */
	bool iters_given;	/* iters= was on the line: no per-row time budget */
	enum inject_kind inject;
	uint32_t inject_cpu;	/* 0..8191 */
	uint32_t inject_every;	/* drop: every K-th IPI, 1..1000000, default 2 */
};

void config_defaults(struct config *cfg, const struct cmdline_names *names);

/*
 * Parses a whole command line into *cfg (defaults first, then the line, then
 * the quick defaults for keys the line did not give). NULL is an empty line.
 * Returns 0 on success; otherwise -1, *cfg holds the defaults and err holds
 * one line (no newline, truncated to errlen) naming the key and what it
 * accepts. err may be NULL or errlen 0.
 */
int cmdline_parse(const char *line, const struct cmdline_names *names,
		  struct config *cfg, char *err, size_t errlen);

/*
 * Writes the effective configuration as canonical "key=value ..." with every
 * key, for the meta table; cmdline_parse() of the result gives back *cfg.
 * Always terminated (size > 0); truncated to size.
 */
void config_format(const struct config *cfg, const struct cmdline_names *names,
		   char *buf, size_t size);

/* Same effective configuration (iters_given, how it was written, aside). */
bool config_equal(const struct config *a, const struct config *b);

#endif
