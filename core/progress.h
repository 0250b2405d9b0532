/* SPDX-License-Identifier: MIT */
/*
 * A progress line on the screen (never on serial): what runs, how far it
 * got, and about how long is left, updated in place at most ten times a
 * second. The suite loop brackets each benchmark; a benchmark reports from
 * its outer loop with one call, progress(done, total).
 */
#ifndef VOLLEY_CORE_PROGRESS_H
#define VOLLEY_CORE_PROGRESS_H

void progress_begin(const char *what);
void progress(unsigned long done, unsigned long total);
void progress_end(void);

#endif
