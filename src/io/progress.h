/* progress.h — a one-line progress bar for long imports and exports run from the command line.
 *
 *     import persons [############                  ] 42%  123,456 rows
 *
 * The bar redraws itself in place with \r, so it is drawn only when the stream is a terminal;
 * redirected to a file or a log it prints nothing, and the command reports its totals itself.
 * Drawing costs a write, so call it every few thousand rows (or when the percentage changes),
 * not on every row. */
#ifndef JC_PROGRESS_H
#define JC_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

/* done/total in any unit (bytes from tab_progress()); total <= 0 means unknown: no bar, only the
 * row count. */
void progress_draw(FILE *tty, const char *label, int64_t done, int64_t total, int64_t rows);
/* Ends the bar's line so that what follows starts on a line of its own. */
void progress_end(FILE *tty);

#endif
