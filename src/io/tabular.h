/* tabular.h — tables in and out: reading CSV and XLSX uploads row by row, writing XLSX exports.
 *
 * Cadres fill import templates in Excel or WPS and upload them as .xlsx or as CSV, which Excel
 * saves as UTF-8 (with a BOM) or, in older versions and WPS, as GBK. Readers stream: a CSV of a
 * million rows is read with a fixed amount of memory (a 64 KiB chunk plus one row of at most
 * TAB_ROW_MAX bytes). An XLSX keeps its shared-string table in memory (bounded by
 * TAB_XLSX_MAX_BYTES and TAB_XLSX_MAX_STRINGS) and streams the worksheet itself.
 *
 * Untrusted input is bounded everywhere: one row holds at most TAB_ROW_MAX bytes and TAB_MAX_COLS
 * cells, an XLSX is read for at most TAB_XLSX_MAX_BYTES uncompressed bytes (zip bombs), and every
 * malformed file is an error with a message, never a crash. */
#ifndef JC_TABULAR_H
#define JC_TABULAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAB_ROW_MAX          (1 << 20)          /* bytes of all cells of one row */
#define TAB_MAX_COLS         16384              /* Excel's last column, XFD */
#define TAB_MAX_ROWS         1048576            /* Excel's last row (XLSX only; CSV is unbounded) */
#define TAB_XLSX_MAX_BYTES   ((int64_t)1 << 30) /* uncompressed bytes read from one XLSX */
#define TAB_XLSX_MAX_STRINGS (16 << 20)         /* entries of the shared-string table */
#define TAB_CELL_MAX_CHARS   32767              /* characters in one Excel cell (writer) */

typedef enum tab_format { TAB_CSV_UTF8, TAB_CSV_GBK, TAB_XLSX } tab_format;

typedef struct tab_reader tab_reader;

typedef struct tab_row {
    int line;           /* the row number a spreadsheet user sees (1-based, header = 1) */
    int ncells;         /* up to the last non-empty cell: cells past it are empty */
    const char **cells; /* reader: UTF-8, valid until the next tab_next(); "" for empty cells */
} tab_row;

/* Opens a table from memory (an upload; the bytes must stay valid until tab_close()) or from a
 * file path. An XLSX is recognised by the zip signature; anything else is CSV, read as UTF-8
 * (with or without a BOM) or, when its first 64 KiB are not valid UTF-8, as GBK (decoded as
 * GB18030, a superset). Old .xls files and UTF-16 text are refused with a message that says how
 * to save the file instead.
 *
 * Returns JC_OK, JC_EMEDIA (not a table we read), JC_EINVAL (a broken xlsx), JC_ETOOBIG,
 * JC_ENOMEM or JC_EIO. On failure *errmsg (when errmsg is not NULL) receives a malloc'd message
 * in English and Chinese ("… / …") for the person who uploaded the file. */
int tab_open_mem(const void *data, size_t len, tab_reader **out, char **errmsg);
int tab_open_file(const char *path, tab_reader **out, char **errmsg);
tab_format tab_format_of(const tab_reader *r);

/* The next row: 1 = a row in *row, 0 = end of the table, negative = -jc_rc (JC_EINVAL for
 * malformed input, JC_ETOOBIG for a row over the limits, JC_ENOMEM, JC_EIO); tab_error() then
 * says which line and why, and every later call returns the same error. Rows whose cells are all
 * "" are skipped, but still counted in line numbers. */
int tab_next(tab_reader *r, tab_row *row);
/* The last error, "line 7: quoted field is not closed" (English) or "第7行：…" (Chinese); ""
 * when there was none. tab_error_line() is that line, or 0 when the error is not about a line. */
const char *tab_error(const tab_reader *r);
const char *tab_error_zh(const tab_reader *r);
int tab_error_line(const tab_reader *r);
/* Bytes consumed so far and in total (for a command-line progress bar); total is 0 if unknown
 * (a pipe). For an XLSX these are uncompressed bytes of the worksheet. */
void tab_progress(const tab_reader *r, int64_t *done, int64_t *total);
/* NULL is a no-op. */
void tab_close(tab_reader *r);

/* A date cell as YYYY-MM-DD: an Excel serial date ("45992", "45992.5"; the 1900 date system with
 * Excel's phantom 1900-02-29, serial 60, which is refused), or a date written YYYY-MM-DD,
 * YYYY/M/D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD, optionally followed by a time (" 08:30:00"),
 * surrounding blanks allowed. False for anything else and for dates that do not exist. */
bool tab_date(const char *cell, char out[11]);

/* ---- XLSX export ----
 * Rows are written in order with libxlsxwriter in constant-memory mode (one row in memory), to
 * a temporary file in $TMPDIR or /tmp that tab_xlsx_finish() reads back and removes. */
typedef struct tab_writer tab_writer;

/* sheet_name is cleaned to what Excel accepts (at most 31 characters, none of []:*?/\). */
int tab_xlsx_new(const char *sheet_name, tab_writer **out);
/* The first row: bold, frozen when scrolling, with a filter button on each column. Must come
 * before any tab_xlsx_row(). */
int tab_xlsx_header(tab_writer *w, const char *const *cols, int n);
/* One row of UTF-8 strings (NULL or "" = empty cell). A cell is written as a number when
 * numeric[i] says so (numeric may be NULL = all text) and it is a plain decimal number that a
 * double holds exactly (at most 15 significant digits, no leading zero); anything else stays
 * text, so long digit strings such as citizen IDs never turn into 1.10101E+17.
 * JC_EINVAL for invalid UTF-8, JC_ETOOBIG past TAB_MAX_ROWS rows, TAB_MAX_COLS cells or
 * TAB_CELL_MAX_CHARS characters in a cell. */
int tab_xlsx_row(tab_writer *w, const char *const *cells, const bool *numeric, int n);
/* Sets the column widths, writes the file and hands back its bytes (malloc'd, caller frees).
 * The writer accepts nothing more afterwards, but must still be freed. */
int tab_xlsx_finish(tab_writer *w, void **data, size_t *len);
/* Removes the temporary file if the writer was not finished. NULL is a no-op. */
void tab_xlsx_free(tab_writer *w);

#endif
