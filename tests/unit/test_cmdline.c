/* SPDX-License-Identifier: MIT */
/* Host tests for the kernel command line parser (core/cmdline.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/cmdline.h"
#include "names.h"

static struct config cfg;
static char err[512];

static int parse(const char *line)
{
	memset(err, 'Z', sizeof(err));	/* catch a missing terminator */
	return cmdline_parse(line, &test_names, &cfg, err, sizeof(err));
}

static bool has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		printf("#   \"%s\" lacks \"%s\"\n", hay, needle);
		return false;
	}
	return true;
}

/* Refused, the message starts with "KEY:" and holds every fragment given. */
#define REFUSED(line, key, ...)                                              \
	do {                                                                 \
		const char *frags_[] = { __VA_ARGS__, NULL };                \
		CHECK_EQ(parse(line), -1);                                   \
		CHECK(strlen(err) < sizeof(err));                            \
		CHECK(!strchr(err, '\n'));                                   \
		if (strncmp(err, key ": ", strlen(key) + 2)) {               \
			printf("#   \"%s\" does not start with %s\n", err, key); \
			check_failed_now++;                                  \
		}                                                            \
		for (int i_ = 0; frags_[i_]; i_++)                           \
			CHECK(has(err, frags_[i_]));                         \
	} while (0)

TEST(defaults)
{
	struct config d;

	config_defaults(&d, &test_names);
	CHECK_EQ(d.bench, BENCH_ALL);
	CHECK_EQ(d.iters, 1000);
	CHECK_EQ(d.warmup, 100);
	CHECK_EQ(d.cpus, 0);
	CHECK_EQ(d.apic, APIC_REQ_AUTO);
	CHECK_EQ(d.wait, WAIT_SPIN | WAIT_HLT | WAIT_MWAIT);
	CHECK_EQ(d.quick, false);
	CHECK_EQ(d.serial, SERIAL_AUTO);
	CHECK_EQ(d.serial_port, 0x3f8);
	CHECK_EQ(d.timeout_ms, 1000);
	CHECK_EQ(d.exit, EXIT_AUTO);
	CHECK_EQ(d.raw, false);
	CHECK_EQ(d.pairs_sample, 0);
	CHECK_EQ(d.budget_ms, 600000);
	CHECK_EQ(d.inject, INJECT_NONE);
	CHECK_EQ(d.inject_every, 2);

	/* Empty, blank and NULL lines are the defaults; err is emptied. */
	CHECK_EQ(parse(""), 0);
	CHECK(config_equal(&cfg, &d));
	CHECK_STR(err, "");
	CHECK_EQ(parse(" \t  \t"), 0);
	CHECK(config_equal(&cfg, &d));
	CHECK_EQ(cmdline_parse(NULL, &test_names, &cfg, err, sizeof(err)), 0);
	CHECK(config_equal(&cfg, &d));
}

TEST(parses_every_key)
{
	CHECK_EQ(parse("bench=ipi,tlb iters=5000 warmup=0 cpus=4 apic=x2apic "
		       "wait=hlt quick=1 serial=0x2f8 timeout_ms=250 exit=qemu "
		       "raw=1 pairs=sample:16 budget=60s inject=drop:3:7"),
		 0);
	CHECK_STR(err, "");
	CHECK_EQ(cfg.bench, BENCH_IPI | BENCH_TLB);
	CHECK_EQ(cfg.iters, 5000);
	CHECK_EQ(cfg.warmup, 0);
	CHECK_EQ(cfg.cpus, 4);
	CHECK_EQ(cfg.apic, APIC_REQ_X2APIC);
	CHECK_EQ(cfg.wait, WAIT_HLT);
	CHECK_EQ(cfg.quick, true);
	CHECK_EQ(cfg.serial, SERIAL_PORT);
	CHECK_EQ(cfg.serial_port, 0x2f8);
	CHECK_EQ(cfg.timeout_ms, 250);
	CHECK_EQ(cfg.exit, EXIT_QEMU);
	CHECK_EQ(cfg.raw, true);
	CHECK_EQ(cfg.pairs_sample, 16);
	CHECK_EQ(cfg.budget_ms, 60000);
	CHECK_EQ(cfg.inject, INJECT_DROP);
	CHECK_EQ(cfg.inject_cpu, 3);
	CHECK_EQ(cfg.inject_every, 7);
}

TEST(lists)
{
	CHECK_EQ(parse("bench=floor"), 0);
	CHECK_EQ(cfg.bench, BENCH_FLOOR);
	CHECK_EQ(parse("bench=ipi,bcast,csd,tlb,floor"), 0);
	CHECK_EQ(cfg.bench, BENCH_ALL);
	CHECK_EQ(parse("bench=all"), 0);
	CHECK_EQ(cfg.bench, BENCH_ALL);
	CHECK_EQ(parse("bench=csd,csd"), 0);
	CHECK_EQ(cfg.bench, BENCH_CSD);
	CHECK_EQ(parse("bench=none"), 0);
	CHECK_EQ(cfg.bench, 0);
	REFUSED("bench=none,ipi", "bench", "\"none\"");
	CHECK_EQ(parse("wait=spin,mwait"), 0);
	CHECK_EQ(cfg.wait, WAIT_SPIN | WAIT_MWAIT);
	CHECK_EQ(parse("wait=mwait"), 0);
	CHECK_EQ(cfg.wait, WAIT_MWAIT);

	REFUSED("bench=ipi,foo", "bench", "\"foo\" is not a valid item",
		"floor,ipi,bcast,csd,tlb");
	CHECK(!strstr(err, "ipi,foo"));	/* names the item, not the list */
	REFUSED("bench=ipi,,tlb", "bench", "\"ipi,,tlb\" has an empty item",
		"floor,ipi,bcast,csd,tlb");
	REFUSED("bench=,ipi", "bench", "empty item");
	REFUSED("bench=ipi,", "bench", "empty item");
	REFUSED("bench=,", "bench", "empty item");
	REFUSED("bench=IPI", "bench", "\"IPI\"");
	REFUSED("bench=ip", "bench", "\"ip\"");
	REFUSED("bench=ipix", "bench", "\"ipix\"");
	REFUSED("wait=spin,all", "wait", "\"all\"", "spin,hlt,mwait");
	REFUSED("wait=hlt,,spin", "wait", "empty item");
	REFUSED("wait=sleep", "wait", "\"sleep\"", "spin,hlt,mwait");
}

TEST(numbers)
{
	CHECK_EQ(parse("iters=1"), 0);
	CHECK_EQ(cfg.iters, 1);
	CHECK_EQ(parse("iters=10000000"), 0);
	CHECK_EQ(cfg.iters, 10000000);
	CHECK_EQ(parse("iters=0x10"), 0);
	CHECK_EQ(cfg.iters, 16);
	CHECK_EQ(parse("iters=0XfF"), 0);
	CHECK_EQ(cfg.iters, 255);
	CHECK_EQ(parse("iters=007"), 0);	/* decimal, not octal */
	CHECK_EQ(cfg.iters, 7);
	CHECK_EQ(parse("warmup=0 warmup_x=1"), -1);
	CHECK_EQ(parse("warmup=1000000"), 0);
	CHECK_EQ(cfg.warmup, 1000000);
	CHECK_EQ(parse("timeout_ms=600000"), 0);
	CHECK_EQ(cfg.timeout_ms, 600000);
	CHECK_EQ(parse("timeout_ms=1"), 0);
	CHECK_EQ(cfg.timeout_ms, 1);
	CHECK_EQ(parse("budget=24h"), 0);
	CHECK_EQ(cfg.budget_ms, 86400000);
	CHECK_EQ(parse("budget=0"), 0);
	CHECK_EQ(cfg.budget_ms, 0);
	CHECK_EQ(parse("budget=90"), 0);
	CHECK_EQ(cfg.budget_ms, 90000);
	CHECK_EQ(parse("budget=1500ms"), 0);
	CHECK_EQ(cfg.budget_ms, 1500);
	CHECK_EQ(parse("budget=10m"), 0);
	CHECK_EQ(cfg.budget_ms, 600000);
	CHECK_EQ(parse("stress=1000000"), 0);
	CHECK_EQ(cfg.stress, 1000000);
	REFUSED("stress=100000001", "stress", "out of range", "0..100000000");
	CHECK_EQ(parse("hold_ms=1500"), 0);
	CHECK_EQ(cfg.hold_ms, 1500);
	REFUSED("hold_ms=600001", "hold_ms", "out of range", "0..600000");
	CHECK_EQ(parse("cpus=8192"), 0);
	CHECK_EQ(cfg.cpus, 8192);
	CHECK_EQ(parse("cpus=1"), 0);
	CHECK_EQ(cfg.cpus, 1);
	CHECK_EQ(parse("cpus=0"), 0);
	CHECK_EQ(cfg.cpus, 0);
	CHECK_EQ(parse("cpus=all"), 0);
	CHECK_EQ(cfg.cpus, 0);

	const char *accepts = "(accepts an integer 1..10000000)";

	REFUSED("iters=12x", "iters", "\"12x\" is not a number", accepts);
	CHECK_STR(err, "iters: \"12x\" is not a number (accepts an integer 1..10000000)");
	REFUSED("iters=x12", "iters", "not a number", accepts);
	REFUSED("iters=0x", "iters", "\"0x\"", "not a number");
	REFUSED("iters=0X", "iters", "not a number");
	REFUSED("iters=0xg", "iters", "not a number");
	REFUSED("iters=0x1g", "iters", "not a number");
	REFUSED("iters=1f", "iters", "not a number");	/* hex digit, no 0x */
	REFUSED("iters=-1", "iters", "not a number");
	REFUSED("iters=+1", "iters", "not a number");
	REFUSED("iters=1.5", "iters", "not a number");
	REFUSED("iters=1e3", "iters", "not a number");
	REFUSED("iters=0", "iters", "\"0\" is out of range", accepts);
	REFUSED("iters=10000001", "iters", "out of range", accepts);
	REFUSED("iters=0x989681", "iters", "out of range");
	/* 2^32 + 5 would wrap to 5 in 32 bits; 2^64 + 5 in 64 bits. */
	REFUSED("iters=4294967301", "iters", "out of range");
	REFUSED("iters=18446744073709551621", "iters", "out of range");
	REFUSED("iters=18446744073709551615", "iters", "out of range");
	REFUSED("iters=0x10000000000000005", "iters", "out of range");
	REFUSED("iters=99999999999999999999999999999999999999", "iters",
		"out of range");
	REFUSED("iters=99999999999999999999999x", "iters", "not a number");
	REFUSED("warmup=1000001", "warmup", "out of range",
		"an integer 0..1000000");
	REFUSED("cpus=8193", "cpus", "out of range", "1..8192");
	REFUSED("cpus=some", "cpus", "not a number", "all");
	REFUSED("timeout_ms=0", "timeout_ms", "out of range",
		"an integer 1..600000");
	REFUSED("timeout_ms=600001", "timeout_ms", "out of range");
	REFUSED("budget=86401", "budget", "out of range",
		"N[ms|s|m|h] up to 24h");
	REFUSED("budget=10min", "budget", "not a duration", "bare N in seconds");
	REFUSED("budget=s", "budget", "not a duration");
}

TEST(enums_and_bools)
{
	CHECK_EQ(parse("apic=auto"), 0);
	CHECK_EQ(cfg.apic, APIC_REQ_AUTO);
	CHECK_EQ(parse("apic=xapic"), 0);
	CHECK_EQ(cfg.apic, APIC_REQ_XAPIC);
	CHECK_EQ(parse("apic=x2apic"), 0);
	CHECK_EQ(cfg.apic, APIC_REQ_X2APIC);
	CHECK_EQ(parse("exit=halt"), 0);
	CHECK_EQ(cfg.exit, EXIT_HALT);
	CHECK_EQ(parse("exit=reboot"), 0);
	CHECK_EQ(cfg.exit, EXIT_REBOOT);
	CHECK_EQ(parse("exit=auto"), 0);
	CHECK_EQ(cfg.exit, EXIT_AUTO);
	CHECK_EQ(parse("raw=0"), 0);
	CHECK_EQ(cfg.raw, false);
	CHECK_EQ(parse("raw=1"), 0);
	CHECK_EQ(cfg.raw, true);

	REFUSED("apic=x3apic", "apic", "\"x3apic\"", "auto, xapic, x2apic");
	REFUSED("apic=x2apicx", "apic", "\"x2apicx\"");
	REFUSED("apic=x2", "apic", "\"x2\"");
	REFUSED("exit=poweroff", "exit", "\"poweroff\"",
		"auto, qemu, halt, reboot");
	REFUSED("raw=2", "raw", "\"2\"", "0, 1");
	REFUSED("raw=yes", "raw", "\"yes\"", "0, 1");
	REFUSED("raw=01", "raw", "\"01\"");
	REFUSED("raw", "raw", "needs a value", "0, 1");
	REFUSED("quick=2", "quick", "\"2\"", "quick=0, quick=1");
	REFUSED("quick=", "quick", "empty value");
}

TEST(serial)
{
	CHECK_EQ(parse("serial=spcr"), 0);
	CHECK_EQ(cfg.serial, SERIAL_SPCR);
	CHECK_EQ(parse("serial=auto"), 0);
	CHECK_EQ(cfg.serial, SERIAL_AUTO);
	CHECK_EQ(parse("serial=none"), 0);
	CHECK_EQ(cfg.serial, SERIAL_NONE);
	CHECK_EQ(parse("serial=com1"), 0);
	CHECK_EQ(cfg.serial_port, 0x3f8);
	CHECK_EQ(cfg.serial, SERIAL_PORT);
	CHECK_EQ(parse("serial=com2"), 0);
	CHECK_EQ(cfg.serial_port, 0x2f8);
	CHECK_EQ(parse("serial=com3"), 0);
	CHECK_EQ(cfg.serial_port, 0x3e8);
	CHECK_EQ(parse("serial=com4"), 0);
	CHECK_EQ(cfg.serial_port, 0x2e8);
	CHECK_EQ(parse("serial=0x2E8"), 0);
	CHECK_EQ(cfg.serial_port, 0x2e8);
	CHECK_EQ(parse("serial=1016"), 0);
	CHECK_EQ(cfg.serial_port, 0x3f8);
	CHECK_EQ(parse("serial=0xffff"), 0);
	CHECK_EQ(cfg.serial_port, 0xffff);
	CHECK_EQ(parse("serial=1"), 0);
	CHECK_EQ(cfg.serial_port, 1);

	/* MMIO, as memtest86+ and Linux spell it, and with an explicit width. */
	CHECK_EQ(parse("serial=mmio,0xfe030000"), 0);
	CHECK_EQ(cfg.serial, SERIAL_MMIO);
	CHECK_EQ(cfg.serial_mmio, 0xfe030000);
	CHECK_EQ(cfg.serial_width, 1);
	CHECK_EQ(parse("serial=mmio32,0xfe030000"), 0);
	CHECK_EQ(cfg.serial_width, 4);
	CHECK_EQ(parse("serial=mmio16,0x80000000"), 0);
	CHECK_EQ(cfg.serial_width, 2);
	CHECK_EQ(cfg.serial_mmio, 0x80000000);
	CHECK_EQ(parse("serial=mmio,0x3fe030000,32"), 0);
	CHECK_EQ(cfg.serial_mmio, 0x3fe030000);
	CHECK_EQ(cfg.serial_width, 4);
	CHECK_EQ(parse("serial=mmio,4096,16"), 0);
	CHECK_EQ(cfg.serial_width, 2);
	CHECK_EQ(parse("serial=mmio,0x1000,8"), 0);
	CHECK_EQ(cfg.serial_width, 1);
	REFUSED("serial=mmio", "serial", "not a valid value");
	REFUSED("serial=mmio,", "serial", "no valid MMIO address");
	REFUSED("serial=mmio,0", "serial", "no valid MMIO address");
	REFUSED("serial=mmio,0xfff", "serial", "no valid MMIO address");
	REFUSED("serial=mmio,0x10000000000000", "serial", "no valid MMIO address");
	REFUSED("serial=mmio,0x1000x", "serial", "no valid MMIO address");
	REFUSED("serial=mmio,0x1000,64", "serial", "other than 8, 16, 32");
	REFUSED("serial=mmio,0x1000,", "serial", "other than 8, 16, 32");
	REFUSED("serial=mmio32,0x1000,32", "serial", "width twice");
	REFUSED("serial=mmio64,0x1000", "serial", "not a valid value");

	const char *acc = "auto, none, spcr, com1..com4, a port 1..0xffff, "
			  "mmio,ADDR[,8|16|32], mmio16,ADDR or mmio32,ADDR";

	REFUSED("serial=0", "serial", "out of range", acc);
	REFUSED("serial=0x10000", "serial", "out of range", acc);
	REFUSED("serial=65536", "serial", "out of range");
	REFUSED("serial=com5", "serial", "\"com5\" is not a valid value", acc);
	REFUSED("serial=com0", "serial", "\"com0\"");
	REFUSED("serial=com", "serial", "\"com\"");
	REFUSED("serial=com11", "serial", "\"com11\"");
	REFUSED("serial=SPCR", "serial", "\"SPCR\"");
	REFUSED("serial=0x", "serial", "\"0x\" is not a valid value");
}

TEST(pairs_and_inject)
{
	CHECK_EQ(parse("pairs=all"), 0);
	CHECK_EQ(cfg.pairs_sample, 0);
	CHECK_EQ(parse("pairs=sample:1"), 0);
	CHECK_EQ(cfg.pairs_sample, 1);
	CHECK_EQ(parse("pairs=sample:1000000"), 0);
	CHECK_EQ(cfg.pairs_sample, 1000000);
	CHECK_EQ(parse("pairs=sample:0x20"), 0);
	CHECK_EQ(cfg.pairs_sample, 32);
	REFUSED("pairs=sample:0", "pairs", "out of range",
		"all, sample:K with K 1..1000000");
	REFUSED("pairs=sample:1000001", "pairs", "out of range");
	REFUSED("pairs=sample:", "pairs", "\"sample:\"", "not a number");
	REFUSED("pairs=sample", "pairs", "\"sample\"");
	REFUSED("pairs=sample:4:4", "pairs", "not a number");
	REFUSED("pairs=some", "pairs", "\"some\"");

	CHECK_EQ(parse("inject=none"), 0);
	CHECK_EQ(cfg.inject, INJECT_NONE);
	CHECK_EQ(parse("inject=panic"), 0);
	CHECK_EQ(cfg.inject, INJECT_PANIC);
	CHECK_EQ(parse("inject=mute:2"), 0);
	CHECK_EQ(cfg.inject, INJECT_MUTE);
	CHECK_EQ(cfg.inject_cpu, 2);
	CHECK_EQ(parse("inject=noap:8191"), 0);
	CHECK_EQ(cfg.inject, INJECT_NOAP);
	CHECK_EQ(cfg.inject_cpu, 8191);
	CHECK_EQ(parse("inject=apfault:0"), 0);
	CHECK_EQ(cfg.inject, INJECT_APFAULT);
	CHECK_EQ(cfg.inject_cpu, 0);
	CHECK_EQ(parse("inject=drop:1"), 0);
	CHECK_EQ(cfg.inject, INJECT_DROP);
	CHECK_EQ(cfg.inject_cpu, 1);
	CHECK_EQ(cfg.inject_every, 2);
	CHECK_EQ(parse("inject=drop:1:1"), 0);
	CHECK_EQ(cfg.inject_every, 1);
	CHECK_EQ(parse("inject=drop:5:1000000"), 0);
	CHECK_EQ(cfg.inject_every, 1000000);

	const char *acc = "none, mute:N, noap:N, drop:N[:K], panic, apfault:N";

	REFUSED("inject=mute", "inject", "\"mute\"", "needs a CPU", acc);
	REFUSED("inject=mute:", "inject", "not a number");
	REFUSED("inject=mute:x", "inject", "\"mute:x\"", "not a number");
	REFUSED("inject=mute:8192", "inject", "\"mute:8192\"", "out of range",
		"0..8191");
	REFUSED("inject=mute:1:2", "inject", "only a CPU");
	REFUSED("inject=apfault:1:2", "inject", "only a CPU");
	REFUSED("inject=panic:1", "inject", "\"panic:1\"", "no CPU");
	REFUSED("inject=none:0", "inject", "no CPU");
	REFUSED("inject=drop", "inject", "needs a CPU");
	REFUSED("inject=drop:1:", "inject", "not a number");
	REFUSED("inject=drop::2", "inject", "not a number");
	REFUSED("inject=drop:1:0", "inject", "out of range", "1..1000000");
	REFUSED("inject=drop:1:1000001", "inject", "out of range");
	REFUSED("inject=drop:1:2:3", "inject", "not a number");
	REFUSED("inject=crash:1", "inject", "\"crash:1\"", acc);
	REFUSED("inject=:1", "inject", "\":1\"");
}

TEST(quick)
{
	CHECK_EQ(parse("quick"), 0);
	CHECK_EQ(cfg.quick, true);
	CHECK_EQ(cfg.iters, 200);
	CHECK_EQ(cfg.warmup, 20);
	CHECK_EQ(parse("quick=1"), 0);
	CHECK_EQ(cfg.iters, 200);
	CHECK_EQ(cfg.warmup, 20);
	CHECK_EQ(parse("quick=0"), 0);
	CHECK_EQ(cfg.quick, false);
	CHECK_EQ(cfg.iters, 1000);
	CHECK_EQ(cfg.warmup, 100);
	/* Explicit keys win whatever the order. */
	CHECK_EQ(parse("iters=50 quick"), 0);
	CHECK_EQ(cfg.iters, 50);
	CHECK_EQ(cfg.warmup, 20);
	CHECK_EQ(parse("quick warmup=7"), 0);
	CHECK_EQ(cfg.iters, 200);
	CHECK_EQ(cfg.warmup, 7);
	/* Even when the explicit value equals the normal default. */
	CHECK_EQ(parse("quick iters=1000 warmup=100"), 0);
	CHECK_EQ(cfg.iters, 1000);
	CHECK_EQ(cfg.warmup, 100);

	REFUSED("quick quick", "quick", "given twice");
	REFUSED("quick quick=1", "quick", "given twice");
	REFUSED("quicker", "quicker", "unknown key");
}

TEST(structure)
{
	/* Runs of spaces and tabs, leading and trailing. */
	CHECK_EQ(parse("\t  iters=3 \t\t warmup=4   "), 0);
	CHECK_EQ(cfg.iters, 3);
	CHECK_EQ(cfg.warmup, 4);
	CHECK_EQ(parse("iters=3\nwarmup=4\r\n"), 0);
	CHECK_EQ(cfg.warmup, 4);

	/* The kernel path GRUB puts first is skipped... */
	CHECK_EQ(parse("/boot/volley.elf iters=9"), 0);
	CHECK_EQ(cfg.iters, 9);
	CHECK_EQ(parse("  /volley.elf"), 0);
	CHECK_EQ(cfg.iters, 1000);
	CHECK_EQ(parse("/"), 0);
	/* ...but only when first. */
	REFUSED("iters=9 /boot/volley.elf", "/boot/volley.elf", "unknown key");
	REFUSED("/boot/a /boot/b", "/boot/b", "unknown key");

	const char *keys = "(accepted keys: bench iters warmup cpus apic wait "
			   "quick serial timeout_ms exit raw pairs budget "
			   "inject stress hold_ms)";

	REFUSED("nosuchkey=1", "nosuchkey", "unknown key", keys);
	CHECK_STR(err, "nosuchkey: unknown key (accepted keys: bench iters "
		  "warmup cpus apic wait quick serial timeout_ms exit raw "
		  "pairs budget inject stress hold_ms)");
	REFUSED("iters=5 nosuchkey", "nosuchkey", "unknown key");
	REFUSED("Iters=5", "Iters", "unknown key");
	REFUSED("iter=5", "iter", "unknown key");
	REFUSED("iterss=5", "iterss", "unknown key");
	REFUSED("iters5", "iters5", "unknown key");
	/* A word that is only "=value" has no key to name: show the word. */
	CHECK_EQ(parse("=5"), -1);
	CHECK(has(err, "\"=5\""));
	CHECK(has(err, "accepted keys"));
	CHECK_EQ(parse("="), -1);

	REFUSED("iters=", "iters", "empty value", "1..10000000");
	REFUSED("bench=", "bench", "empty value", "floor,ipi,bcast,csd,tlb");
	REFUSED("iters", "iters", "needs a value", "1..10000000");
	REFUSED("inject", "inject", "needs a value");
	REFUSED("iters==5", "iters", "\"=5\"", "not a number");
	REFUSED("iters=1 iters=2", "iters", "given twice");
	CHECK_STR(err, "iters: given twice (accepts an integer 1..10000000)");
	REFUSED("iters=1 warmup=1 iters=1", "iters", "given twice");
	REFUSED("bench=ipi bench=tlb", "bench", "given twice");
	/* The first error wins: the bad value, not the later duplicate. */
	REFUSED("iters=x iters=2", "iters", "not a number");

	/* A refused line leaves the defaults, not a half-parsed config. */
	struct config d;

	config_defaults(&d, &test_names);
	CHECK_EQ(parse("iters=77 warmup=3 bogus=1"), -1);
	CHECK(config_equal(&cfg, &d));
}

TEST(control_chars_in_messages)
{
	/* Error lines stay one line and printable. */
	REFUSED("iters=1\x01\x1b[2J", "iters", "\"1??[2J\"");
	CHECK_EQ(parse("k\x7f=1"), -1);
	CHECK(has(err, "k?: unknown key"));
	CHECK(!strchr(err, 0x7f));
}

TEST(long_lines)
{
	char line[CMDLINE_MAX + 2];
	char val[CMDLINE_MAX + 2];

	/* Exactly CMDLINE_MAX bytes is accepted. */
	memset(line, ' ', CMDLINE_MAX);
	memcpy(line, "iters=5", 7);
	line[CMDLINE_MAX] = 0;
	CHECK_EQ(parse(line), 0);
	CHECK_EQ(cfg.iters, 5);
	/* One more is refused, naming cmdline. */
	line[CMDLINE_MAX] = ' ';
	line[CMDLINE_MAX + 1] = 0;
	REFUSED(line, "cmdline", "1024");

	/* A long value is shortened in the message; the accepted list stays. */
	memcpy(val, "iters=", 6);
	memset(val + 6, '9', 900);
	val[906] = 0;
	REFUSED(val, "iters", "...\" is out of range", "1..10000000");
	memset(val + 6, 'a', 900);
	REFUSED(val, "iters", "...\" is not a number");
	memset(val, 'k', 900);
	val[900] = '=';
	val[901] = '1';
	val[902] = 0;
	CHECK_EQ(parse(val), -1);
	CHECK(has(err, "...: unknown key (accepted keys: bench"));
}

TEST(err_buffer_bounds)
{
	char small[16];
	struct config c;

	/* Truncates, terminates, and never writes past errlen. */
	memset(small, 'Z', sizeof(small));
	CHECK_EQ(cmdline_parse("nosuchkey=1", &test_names, &c, small, 10), -1);
	CHECK_STR(small, "nosuchkey");
	for (size_t i = 10; i < sizeof(small); i++)
		CHECK_EQ(small[i], 'Z');
	memset(small, 'Z', sizeof(small));
	CHECK_EQ(cmdline_parse("iters=x", &test_names, &c, small, 1), -1);
	CHECK_EQ(small[0], 0);
	CHECK_EQ(small[1], 'Z');
	memset(small, 'Z', sizeof(small));
	CHECK_EQ(cmdline_parse("iters=x", &test_names, &c, small, 0), -1);
	CHECK_EQ(small[0], 'Z');
	CHECK_EQ(cmdline_parse("iters=x", &test_names, &c, NULL, 0), -1);
	CHECK_EQ(cmdline_parse("iters=x", &test_names, &c, NULL, 100), -1);
	CHECK_EQ(cmdline_parse("iters=2", &test_names, &c, NULL, 0), 0);
	CHECK_EQ(c.iters, 2);
}

TEST(no_read_past_nul)
{
	/* The line ends exactly at the end of a heap block: ASan checks. */
	const char *lines[] = { "iters=12", "quick", "inject=drop:1:2",
				"bench=ipi,", "iters=0x", "serial=com",
				"/boot/x", "pairs=sample:", "iters" };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		size_t n = strlen(lines[i]) + 1;
		char *p = malloc(n);

		memcpy(p, lines[i], n);
		(void)parse(p);
		free(p);
	}
}

static void round_trip(const char *line)
{
	struct config a, b;
	char buf[CMDLINE_MAX];

	if (cmdline_parse(line, &test_names, &a, err, sizeof(err))) {
		printf("#   \"%s\": %s\n", line, err);
		check_failed_now++;
		return;
	}
	config_format(&a, &test_names, buf, sizeof(buf));
	if (cmdline_parse(buf, &test_names, &b, err, sizeof(err))) {
		printf("#   \"%s\": %s\n", buf, err);
		check_failed_now++;
		return;
	}
	if (!config_equal(&a, &b)) {
		printf("#   round trip of \"%s\" via \"%s\" differs\n", line, buf);
		check_failed_now++;
	}
}

TEST(format)
{
	char buf[CMDLINE_MAX];
	struct config d;

	config_defaults(&d, &test_names);
	config_format(&d, &test_names, buf, sizeof(buf));
	CHECK_STR(buf, "bench=all iters=1000 warmup=100 cpus=all apic=auto "
		  "wait=spin,hlt,mwait quick=0 serial=auto timeout_ms=1000 "
		  "exit=auto raw=0 pairs=all budget=600s inject=none stress=0");
	CHECK_EQ(parse("bench=tlb,ipi cpus=3 serial=spcr inject=drop:4:9 "
		       "pairs=sample:8 wait=mwait,spin quick"), 0);
	config_format(&cfg, &test_names, buf, sizeof(buf));
	CHECK_STR(buf, "bench=ipi,tlb iters=200 warmup=20 cpus=3 apic=auto "
		  "wait=spin,mwait quick=1 serial=spcr timeout_ms=1000 "
		  "exit=auto raw=0 pairs=sample:8 budget=600s "
		  "inject=drop:4:9 stress=0");

	/* Truncation keeps the terminator inside the buffer. */
	memset(buf, 'Z', sizeof(buf));
	config_format(&d, &test_names, buf, 8);
	CHECK_STR(buf, "bench=a");
	CHECK_EQ(buf[8], 'Z');

	round_trip("");
	round_trip("quick");
	round_trip("quick iters=1000");
	round_trip("bench=csd iters=10000000 warmup=0 cpus=8192 apic=xapic");
	round_trip("wait=hlt serial=com4 timeout_ms=1 exit=reboot raw=1");
	round_trip("pairs=sample:1000000 budget=86400s inject=panic");
	round_trip("serial=spcr inject=mute:8191");
	round_trip("inject=noap:1 apic=x2apic exit=qemu");
	round_trip("inject=apfault:3 bench=bcast,floor");
	round_trip("inject=drop:0 serial=0xffff");
	round_trip("serial=none");
	round_trip("serial=mmio32,0xfe030000");
	round_trip("serial=mmio,0x3fe030000,16 hold_ms=7");
	round_trip("inject=drop:7:1000000 cpus=1 wait=spin,hlt,mwait");
}

/* The parser knows no benchmark: the lists it is given are the whole truth. */
TEST(names_are_data)
{
	static const char *const b[] = { "alpha", "beta" };
	static const char *const w[] = { "idle" };
	const struct cmdline_names other = { b, 2, w, 1 };
	struct config c;
	char buf[CMDLINE_MAX];

	config_defaults(&c, &other);
	CHECK_EQ(c.bench, 3);
	CHECK_EQ(c.wait, 1);
	CHECK_EQ(cmdline_parse("bench=beta wait=idle", &other, &c, err, sizeof(err)), 0);
	CHECK_EQ(c.bench, 2);
	config_format(&c, &other, buf, sizeof(buf));
	CHECK(has(buf, "bench=beta "));
	CHECK(has(buf, "wait=idle "));
	CHECK_EQ(cmdline_parse("bench=ipi", &other, &c, err, sizeof(err)), -1);
	CHECK(has(err, "(accepts a comma list of alpha,beta, or all, or none)"));
	CHECK_EQ(cmdline_parse("wait=hlt", &other, &c, err, sizeof(err)), -1);
	CHECK(has(err, "(accepts a comma list of idle)"));
}

int main(void)
{
	RUN(defaults);
	RUN(parses_every_key);
	RUN(lists);
	RUN(numbers);
	RUN(enums_and_bools);
	RUN(serial);
	RUN(pairs_and_inject);
	RUN(quick);
	RUN(structure);
	RUN(control_chars_in_messages);
	RUN(long_lines);
	RUN(err_buffer_bounds);
	RUN(no_read_past_nul);
	RUN(format);
	RUN(names_are_data);
	return check_done();
}
