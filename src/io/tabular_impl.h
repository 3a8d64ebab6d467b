/* tabular_impl.h — what the CSV and XLSX readers share: the reader object, the row buffer and the
 * error slot. Not for use outside src/io/. */
#ifndef JC_TABULAR_IMPL_H
#define JC_TABULAR_IMPL_H

#include "tabular.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TAB_CHUNK  (64 * 1024) /* bytes read from a file or a zip entry at a time */
#define TAB_NOCELL UINT32_MAX  /* tab_rowbuf.off[] of a gap: the cell is "" */

/* One row being assembled: cell texts back to back, each NUL-terminated, reused for every row so
 * that memory stays flat however many rows are read. */
typedef struct tab_rowbuf {
    char *text;         /* malloc: cell bytes and terminators, at most TAB_ROW_MAX */
    size_t len, alloc;  /* bytes used / allocated in text */
    uint32_t *off;      /* malloc: where cell i starts in text, or TAB_NOCELL */
    const char **cells; /* malloc: handed out in tab_row, rebuilt by tab_rowbuf_finish() */
    int n, cap;         /* cells used / allocated in off and cells */
} tab_rowbuf;

struct tab_csv;
struct tab_xlsx;

struct tab_reader {
    tab_format fmt;
    tab_rowbuf row;
    struct tab_csv *csv;   /* malloc: CSV state, or NULL */
    struct tab_xlsx *xlsx; /* malloc: XLSX state, or NULL */
    int64_t done, total;   /* tab_progress() */
    int err_rc;            /* a jc_rc once tab_next() failed; sticky */
    int err_line;          /* line of that error, 0 if none */
    char err_en[256];      /* "line 7: …" */
    char err_zh[256];      /* "第7行：…" */
};

/* Records an error (line 0 = not about a line) and returns rc. */
int tab_fail(tab_reader *r, int rc, int line, const char *en, const char *zh);
/* The malloc'd "en / zh" message that tab_open_*() hands back; NULL-safe. */
void tab_open_msg(char **errmsg, const char *en, const char *zh);

void tab_rowbuf_reset(tab_rowbuf *b);
/* Starts cell `col` (0-based; earlier cells not given become ""). A later cell at the same
 * column replaces it. JC_ETOOBIG past TAB_MAX_COLS, JC_ENOMEM. */
int tab_rowbuf_begin(tab_rowbuf *b, int col);
/* Appends to the cell begun last. JC_ETOOBIG past TAB_ROW_MAX. */
int tab_rowbuf_add(tab_rowbuf *b, const void *p, size_t n);
/* Terminates the cell begun last. */
int tab_rowbuf_end(tab_rowbuf *b);
/* Fills *row (trailing "" cells dropped); false when every cell is "". */
bool tab_rowbuf_finish(tab_rowbuf *b, int line, tab_row *row);
void tab_rowbuf_free(tab_rowbuf *b);

/* Readers behind tab_open_*(): each sets up r->csv or r->xlsx, or fails with a message. The
 * data of the _mem variants stays owned by the caller. */
/* From memory (mem, len), or from an open file f whose first bytes were already read into head
 * (malloc'd, TAB_CHUNK bytes, headlen used); tab_csv_open() takes f and head even when it fails. */
int tab_csv_open(tab_reader *r, const unsigned char *mem, size_t len, FILE *f, unsigned char *head,
                 size_t headlen, char **errmsg);
int tab_csv_next(tab_reader *r, tab_row *row);
void tab_csv_close(tab_reader *r);

int tab_sheet_open(tab_reader *r, const void *mem, size_t len, const char *path, char **errmsg);
int tab_sheet_next(tab_reader *r, tab_row *row);
void tab_sheet_close(tab_reader *r);

#endif
