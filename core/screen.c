/* SPDX-License-Identifier: MIT */
#include "screen.h"
#include "fbcon.h"
#include "fmt.h"
#include "qr.h"
#include "str.h"

#define CELLS_MAX	(512 * 192)	/* 4K at scale 1 with an 8x16 font is 480x135 */
#define LINE_MAX	1024
#define CAP_MAX		8192		/* bytes of one captured table */
#define QR_PX_MAX	8		/* pixels a module at most */
#define QR_QUIET	4		/* light modules around the code */

/* What should be on screen, and what is: sync() draws the difference. */
static char want_ch[CELLS_MAX], shown_ch[CELLS_MAX];
static uint8_t want_fg[CELLS_MAX], shown_fg[CELLS_MAX];
static unsigned cols, rows, text_cols, text_rows, cur_row;
static bool on, ended;
static char describe[96] = "none";

/* The line being assembled from console bytes. */
static char line[LINE_MAX];
static size_t line_len;

/* Tables kept for the end page and the QR code, in the stream's format. */
struct capture {
	const char *name;
	char text[CAP_MAX];
	size_t len;
	bool open, done, overflow;
	unsigned rows;
};
static struct capture caps[] = {
	{ .name = "meta" }, { .name = "summary" }, { .name = "cpus" }, { .name = "errors" },
};
#define NCAPS (sizeof(caps) / sizeof(caps[0]))
static struct capture *in_table;	/* NULL: outside; &skip: an uncaptured table */
static struct capture skip;

static struct qr qr;

static struct capture *cap(const char *name)
{
	for (unsigned i = 0; i < NCAPS; i++)
		if (str_eq(caps[i].name, name))
			return &caps[i];
	return NULL;
}

static void sync(void)
{
	for (unsigned r = 0; r < rows; r++)
		for (unsigned c = 0; c < cols; c++) {
			unsigned i = r * cols + c;

			if (want_ch[i] == shown_ch[i] && want_fg[i] == shown_fg[i])
				continue;
			fbcon_put(c, r, want_ch[i], want_fg[i]);
			shown_ch[i] = want_ch[i];
			shown_fg[i] = want_fg[i];
		}
}

static void blank(unsigned first_row, unsigned nrows)
{
	for (unsigned i = first_row * cols; i < (first_row + nrows) * cols; i++) {
		want_ch[i] = ' ';
		want_fg[i] = FB_GREY;
	}
}

/* One line into the text area, wrapped at text_cols, scrolling at the bottom. */
static void show(const char *s, size_t n, enum fb_colour fg)
{
	size_t done = 0;

	do {
		size_t k = n - done < text_cols ? n - done : text_cols;

		if (cur_row == text_rows) {
			mem_copy(want_ch, want_ch + cols, (text_rows - 1) * cols);
			mem_copy(want_fg, want_fg + cols, (text_rows - 1) * cols);
			blank(text_rows - 1, 1);
			cur_row = text_rows - 1;
		}
		for (unsigned c = 0; c < text_cols; c++) {
			unsigned i = cur_row * cols + c;

			want_ch[i] = c < k ? s[done + c] : ' ';
			want_fg[i] = fg;
		}
		cur_row++;
		done += k;
	} while (done < n);
	sync();
}

static void showf(enum fb_colour fg, const char *fmt, ...)
{
	char buf[LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vbuf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	show(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, fg);
}

static bool has(const char *s, size_t n, const char *word)
{
	size_t w = str_len(word);

	for (size_t i = 0; i + w <= n; i++)
		if (!str_ncmp(s + i, word, w))
			return true;
	return false;
}

static enum fb_colour colour_of(const char *s, size_t n)
{
	if (has(s, n, "error") || has(s, n, "PANIC") || has(s, n, "fail") ||
	    has(s, n, "bad command line") || has(s, n, "did not") || has(s, n, "lost"))
		return FB_RED;
	if (has(s, n, "WARNING") || has(s, n, "warning"))
		return FB_YELLOW;
	return FB_GREY;
}

bool screen_on(void)
{
	return on;
}

const char *screen_describe(void)
{
	return describe;
}

bool screen_attach(const struct boot_fb *fb)
{
	if (!fbcon_init(fb))
		return false;
	cols = fbcon.cols;
	rows = fbcon.rows;
	if ((uint64_t)cols * rows > CELLS_MAX)
		rows = CELLS_MAX / cols;
	text_cols = cols;
	text_rows = rows - 1;	/* the bottom row is the progress line */
	blank(0, rows);
	mem_copy(shown_ch, want_ch, (size_t)cols * rows);
	mem_copy(shown_fg, want_fg, (size_t)cols * rows);
	if (fbcon.text)
		fmt_buf(describe, sizeof(describe), "ega text %ux%u", cols, rows);
	else
		fmt_buf(describe, sizeof(describe), "framebuffer %ux%ux%u font %ux%u scale %u",
			fbcon.width, fbcon.height, fb->bpp, fbcon.cell_w / fbcon.scale,
			fbcon.cell_h / fbcon.scale, fbcon.scale);
	on = true;
	return true;
}

void screen_status(const char *s)
{
	size_t n;

	if (!on || ended)
		return;
	n = str_len(s);
	for (unsigned c = 0; c < cols; c++) {
		unsigned i = (rows - 1) * cols + c;

		want_ch[i] = c < n ? s[c] : ' ';
		want_fg[i] = FB_YELLOW;
	}
	sync();
}

static const char *status_meaning(int st)
{
	switch (st) {
	case 0: return "all done, no errors";
	case 1: return "done, with rows in errors";
	case 2: return "bad command line";
	case 3: return "panic";
	case 4: return "SMP bring-up failed";
	default: return "unknown";
	}
}

/* The value of `key,` in the captured meta table ("" when absent). */
static void meta_value(const char *key, char *out, size_t size)
{
	const struct capture *m = cap("meta");
	size_t k = str_len(key);

	out[0] = 0;
	for (size_t i = 0; i < m->len; ) {
		size_t e = i;

		while (e < m->len && m->text[e] != '\n')
			e++;
		if (e - i > k && !str_ncmp(m->text + i, key, k) && m->text[i + k] == ',') {
			size_t n = e - i - k - 1 < size - 1 ? e - i - k - 1 : size - 1;

			mem_copy(out, m->text + i + k + 1, n);
			out[n] = 0;
			return;
		}
		i = e + 1;
	}
}

/* Appends a capture to the QR payload; false when it does not fit. */
static bool add(char *buf, size_t *len, size_t cap_bytes, const struct capture *c)
{
	if (!c->done || c->overflow || *len + c->len > cap_bytes)
		return false;
	mem_copy(buf + *len, c->text, c->len);
	*len += c->len;
	return true;
}

/* Draws the QR code at the right; returns the columns left for text. */
static unsigned draw_qr(const char **what)
{
	static char payload[QR_CODEWORDS_MAX];
	unsigned avail_h, avail_w, side, maxv, px, x0, y0, full;
	size_t len = 0, capb;

	*what = "no QR code (EGA text mode)";
	if (fbcon.text)
		return cols;
	avail_h = fbcon.height - 2 * fbcon.cell_h;
	/* at most 55% of the width, and 60 columns stay for the text */
	avail_w = fbcon.width * 11 / 20;
	if (fbcon.width > 60 * fbcon.cell_w && avail_w > fbcon.width - 60 * fbcon.cell_w)
		avail_w = fbcon.width - 60 * fbcon.cell_w;
	side = avail_h < avail_w ? avail_h : avail_w;
	/* at least 2 pixels a module */
	if (side / 2 < (unsigned)qr_size(1) + 2 * QR_QUIET) {
		*what = "no QR code (screen too small)";
		return cols;
	}
	maxv = (side / 2 - 2 * QR_QUIET - 17) / 4;
	if (maxv > QR_VERSION_MAX)
		maxv = QR_VERSION_MAX;
	capb = qr_capacity((int)maxv);
	if (!add(payload, &len, capb, cap("meta")) || !add(payload, &len, capb, cap("summary"))) {
		*what = "no QR code (meta and summary do not fit)";
		return cols;
	}
	/* errors, then cpus, while they fit */
	if (add(payload, &len, capb, cap("errors")))
		*what = add(payload, &len, capb, cap("cpus")) ? "meta, summary, errors, cpus"
							       : "meta, summary, errors";
	else
		*what = add(payload, &len, capb, cap("cpus")) ? "meta, summary, cpus"
							       : "meta, summary";
	if (qr_encode((const uint8_t *)payload, len, (int)maxv, &qr)) {
		*what = "no QR code (encoder refused)";
		return cols;
	}
	full = (unsigned)qr.size + 2 * QR_QUIET;
	px = side / full;
	if (px > QR_PX_MAX)
		px = QR_PX_MAX;
	x0 = fbcon.width - full * px - fbcon.cell_w;
	y0 = fbcon.cell_h;
	fbcon_fill(x0, y0, full * px, full * px, FB_WHITE);
	for (int y = 0; y < qr.size; y++)
		for (int x = 0; x < qr.size; x++)
			if (qr_module(&qr, x, y))
				fbcon_fill(x0 + (QR_QUIET + (unsigned)x) * px,
					   y0 + (QR_QUIET + (unsigned)y) * px, px, px, FB_BLACK);
	return x0 / fbcon.cell_w - 1;
}

/* Rows of a captured table, without its @table, header and @end lines. */
static void show_rows(const struct capture *c, unsigned max, const char *indent)
{
	unsigned n = 0;
	size_t i = 0;

	for (int skip_lines = 2; i < c->len && skip_lines; i++)	/* @table, header */
		if (c->text[i] == '\n')
			skip_lines--;
	while (i < c->len && n < max) {
		size_t e = i;
		char buf[LINE_MAX];

		while (e < c->len && c->text[e] != '\n')
			e++;
		if (c->text[i] == '@')
			break;
		fmt_buf(buf, sizeof(buf), "%s%.*s", indent, (int)(e - i), c->text + i);
		/* metric,value,unit,note -> metric  value unit  note */
		for (char *p = buf; *p; p++)
			if (*p == ',')
				*p = ' ';
		show(buf, str_len(buf), FB_WHITE);
		n++;
		i = e + 1;
	}
}

static void end_page(int st)
{
	const char *what;
	char version[64];
	const struct capture *e = cap("errors");

	ended = true;
	fbcon_clear();
	blank(0, rows);
	mem_copy(shown_ch, want_ch, (size_t)cols * rows);
	mem_copy(shown_fg, want_fg, (size_t)cols * rows);
	cur_row = 0;
	text_cols = draw_qr(&what);
	meta_value("version", version, sizeof(version));
	showf(st == 0 ? FB_GREEN : FB_RED, "volley %s: done status=%d (%s)", version, st,
	      status_meaning(st));
	show("", 0, FB_GREY);
	showf(FB_GREY, "headline figures (median, ns):");
	show_rows(cap("summary"), text_rows > 12 ? text_rows - 12 : 1, "  ");
	show("", 0, FB_GREY);
	if (!e->done || e->rows == 0) {
		showf(FB_GREEN, "errors: none");
	} else {
		showf(FB_RED, "errors: %u rows; the first:", e->rows);
		show_rows(e, 3, "  ");
	}
	show("", 0, FB_GREY);
	showf(FB_GREY, "QR code: %s.", what);
	showf(FB_GREY, "Photograph it, then: make results QR=photo.png");
}

static bool starts(const char *s, size_t n, const char *p)
{
	size_t k = str_len(p);

	return n >= k && !str_ncmp(s, p, k);
}

static void capture_line(struct capture *c, const char *s, size_t n)
{
	if (c->len + n + 1 > CAP_MAX) {
		c->overflow = true;
		return;
	}
	mem_copy(c->text + c->len, s, n);
	c->text[c->len + n] = '\n';
	c->len += n + 1;
}

static void take_line(const char *s, size_t n)
{
	if (n && s[n - 1] == '\r')
		n--;
	if (in_table) {
		if (in_table != &skip) {
			capture_line(in_table, s, n);
			if (!starts(s, n, "@end "))
				in_table->rows++;
		}
		if (starts(s, n, "@end ")) {
			if (in_table != &skip) {
				in_table->done = true;
				in_table->rows -= 1;	/* the header line */
			}
			in_table = NULL;
		}
		return;
	}
	if (starts(s, n, "@table ")) {
		char name[32];
		size_t k = n - 7 < sizeof(name) - 1 ? n - 7 : sizeof(name) - 1;
		struct capture *c;

		mem_copy(name, s + 7, k);
		name[k] = 0;
		c = cap(name);
		if (c) {
			c->len = 0;
			c->rows = 0;
			c->done = c->overflow = false;
			capture_line(c, s, n);
			in_table = c;
		} else {
			in_table = &skip;
		}
		return;
	}
	if (ended)
		return;
	if (starts(s, n, "# volley: done status=")) {
		int st = s[22] - '0';

		if (cap("summary")->done && !cap("summary")->overflow) {
			end_page(st);
			return;
		}
		screen_status("");
		show(s + 2, n - 2, st == 0 ? FB_GREEN : FB_RED);
		return;
	}
	if (starts(s, n, "# "))
		s += 2, n -= 2;
	show(s, n, colour_of(s, n));
}

void screen_write(const char *s, size_t n)
{
	if (!on)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			take_line(line, line_len);
			line_len = 0;
		} else if (line_len < sizeof(line)) {
			line[line_len++] = s[i];
		}
	}
}
