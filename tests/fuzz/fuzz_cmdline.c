/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the command line parser. Besides memory safety
 * (ASan/UBSan) it checks the parser's promises: the error is one terminated
 * line inside errlen, a refused line leaves the defaults, and an accepted
 * line survives config_format() -> cmdline_parse() unchanged.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_cmdline.c \
 *       core/cmdline.c core/fmt.c core/str.c -o fz && ./fz tests/fuzz/corpus/cmdline
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/cmdline.h"
#include "../unit/names.h"

static void expect(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	/* Exactly n + 1 bytes on the heap: a read past the NUL trips ASan. */
	char *line = malloc(n + 1);
	/* An odd, small errlen exercises truncation; the tail must stay. */
	char err[101];
	struct config cfg, again, defaults;
	char buf[CMDLINE_MAX];
	size_t errlen = n % 2 ? 97 : 7;

	if (!line)
		return 0;
	memcpy(line, d, n);
	line[n] = 0;
	memset(err, 'Z', sizeof(err));
	config_defaults(&defaults, &test_names);

	if (cmdline_parse(line, &test_names, &cfg, err, errlen)) {
		expect(memchr(err, 0, errlen) != NULL);
		for (size_t i = errlen; i < sizeof(err); i++)
			expect(err[i] == 'Z');
		expect(!strchr(err, '\n') && !strchr(err, '\r'));
		expect(config_equal(&cfg, &defaults));
	} else {
		expect(err[0] == 0);
		expect(cfg.iters >= 1 && cfg.iters <= 10000000);
		expect(cfg.warmup <= 1000000);
		expect(cfg.cpus <= 8192);
		expect(!(cfg.bench & ~BENCH_ALL));
		expect(cfg.wait && !(cfg.wait & ~WAIT_ALL));
		expect(cfg.serial_port != 0);
		expect(cfg.timeout_ms >= 1 && cfg.timeout_ms <= 600000);
		expect(cfg.pairs_sample <= 1000000);
		expect(cfg.budget_ms <= 86400000);
		expect(cfg.inject_cpu <= 8191);
		expect(cfg.inject_every >= 1 && cfg.inject_every <= 1000000);
		config_format(&cfg, &test_names, buf, sizeof(buf));
		expect(strlen(buf) < sizeof(buf) - 1);	/* not truncated */
		expect(cmdline_parse(buf, &test_names, &again, err, sizeof(err)) == 0);
		expect(config_equal(&cfg, &again));
	}
	free(line);
	return 0;
}
