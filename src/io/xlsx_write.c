/* xlsx_write.c — exports as .xlsx with libxlsxwriter.
 *
 * libxlsxwriter 1.1.5 writes only to a named file, so the workbook goes to a mkstemp() file in
 * $TMPDIR (or /tmp) that tab_xlsx_finish() reads back and unlinks. Constant-memory mode flushes
 * each row to disk as the next one starts (strings are written inline), so an export of a million
 * rows holds one row in memory; rows must therefore come in order, header first.
 *
 * Column widths are not known until the end: the writer remembers the widest text of each column
 * (a CJK character is two units wide, as Excel draws it) and sets widths just before closing. */
#include "tabular.h"

#include "../base/rc.h"
#include "../base/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define WIDTH_MIN 6
#define WIDTH_MAX 60

struct tab_writer {
    lxw_workbook *wb;    /* libxlsxwriter; NULL once finished (workbook_close() frees it) */
    lxw_worksheet *ws;   /* owned by wb */
    lxw_format *bold;    /* owned by wb */
    char path[PATH_MAX]; /* the temporary .xlsx; "" once removed */
    char tmpdir[PATH_MAX];
    int row;         /* next row to write, 0-based */
    int header_cols; /* columns of the header row, 0 if none */
    int ncols;       /* columns seen so far */
    uint16_t *width; /* malloc: widest text of each column, in character units */
    int width_cap;   /* entries allocated in width */
};

static int lxw_rc(lxw_error e)
{
    switch (e) {
    case LXW_NO_ERROR:
        return JC_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return JC_ENOMEM;
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
        return JC_ETOOBIG;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return JC_EIO;
    default:
        return JC_EINTERNAL;
    }
}

/* Excel refuses sheet names over 31 characters, with []:*?/\ or with an apostrophe at either end;
 * a name that breaks a rule is mended rather than failing an export. */
static void clean_sheet_name(const char *name, char out[128])
{
    size_t o = 0, chars = 0;
    if (name && jc_utf8_valid(name, strlen(name))) {
        for (const char *p = name; *p && chars < 31; chars++) {
            size_t k = 1;
            while ((p[k] & 0xC0) == 0x80) k++; /* the rest of this character */
            if (o + k >= 128) break;
            if (k == 1 && strchr("[]:*?/\\", *p)) {
                out[o++] = '_';
            } else {
                memcpy(out + o, p, k);
                o += k;
            }
            p += k;
        }
    }
    out[o] = '\0';
    if (o && out[0] == '\'') out[0] = '_';
    if (o && out[o - 1] == '\'') out[o - 1] = '_';
    if (!o) snprintf(out, 128, "Sheet1");
}

int tab_xlsx_new(const char *sheet_name, tab_writer **out)
{
    *out = NULL;
    tab_writer *w = calloc(1, sizeof *w);
    if (!w) return JC_ENOMEM;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    int n = snprintf(w->path, sizeof w->path, "%s/jiceng-export-XXXXXX", dir);
    snprintf(w->tmpdir, sizeof w->tmpdir, "%s", dir);
    int fd = n > 0 && (size_t)n < sizeof w->path ? mkstemp(w->path) : -1;
    if (fd < 0) {
        free(w);
        return JC_EIO;
    }
    close(fd); /* reserves the name; libxlsxwriter reopens and truncates it */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = w->tmpdir};
    w->wb = workbook_new_opt(w->path, &opt);
    char name[128];
    clean_sheet_name(sheet_name, name);
    if (w->wb) {
        w->ws = workbook_add_worksheet(w->wb, name);
        if (!w->ws) w->ws = workbook_add_worksheet(w->wb, "Sheet1");
        w->bold = workbook_add_format(w->wb);
    }
    if (!w->ws || !w->bold) {
        tab_xlsx_free(w);
        return JC_ENOMEM;
    }
    format_set_bold(w->bold);
    *out = w;
    return JC_OK;
}

/* How wide text looks in Excel's character units: East Asian wide characters count two; of a
 * multi-line cell, the longest line. */
static unsigned text_width(const char *s)
{
    unsigned best = 0, cur = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp = *p;
        size_t k = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (k > 1) {
            cp &= 0xFF >> (k + 1);
            for (size_t i = 1; i < k; i++) cp = cp << 6 | (p[i] & 0x3F);
        }
        p += k;
        if (cp == '\n') {
            if (cur > best) best = cur;
            cur = 0;
            continue;
        }
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
        cur += wide ? 2 : 1;
    }
    return cur > best ? cur : best;
}

static int note_width(tab_writer *w, int col, unsigned chars)
{
    if (col >= w->width_cap) {
        int nc = w->width_cap ? w->width_cap : 16;
        while (nc <= col) nc *= 2;
        uint16_t *v = realloc(w->width, (size_t)nc * sizeof *v);
        if (!v) return JC_ENOMEM;
        memset(v + w->width_cap, 0, (size_t)(nc - w->width_cap) * sizeof *v);
        w->width = v;
        w->width_cap = nc;
    }
    if (chars > WIDTH_MAX) chars = WIDTH_MAX;
    if (chars > w->width[col]) w->width[col] = (uint16_t)chars;
    if (col >= w->ncols) w->ncols = col + 1;
    return JC_OK;
}

/* A number that survives the trip through a double and back as the same text: -?digits[.digits],
 * no leading zero, at most 15 significant digits. Citizen IDs (18), bank cards and "007" fail. */
static bool plain_number(const char *s, double *v)
{
    const char *p = s;
    if (*p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) return false;
    if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') return false;
    int digits = 0, lead = 1; /* leading zeros are not significant ("0.05") */
    bool dot = false;
    for (; *p; p++) {
        if (*p == '.' && !dot && p[1] >= '0' && p[1] <= '9') {
            dot = true;
            continue;
        }
        if (!(*p >= '0' && *p <= '9')) return false;
        if (lead && *p == '0') continue;
        lead = 0;
        digits++;
    }
    if (digits > 15) return false;
    *v = strtod(s, NULL);
    return true;
}

static int write_cells(tab_writer *w, const char *const *cells, const bool *numeric, int n,
                       lxw_format *fmt)
{
    if (!w->wb) return JC_EINTERNAL;
    if (n < 0) return JC_EINVAL;
    if (n > TAB_MAX_COLS || w->row >= TAB_MAX_ROWS) return JC_ETOOBIG;
    for (int i = 0; i < n; i++) {
        const char *s = cells[i];
        if (!s || !*s) continue; /* an empty cell is no cell */
        size_t len = strlen(s);
        if (!jc_utf8_valid(s, len)) return JC_EINVAL;
        if (jc_utf8_len(s) > TAB_CELL_MAX_CHARS) return JC_ETOOBIG;
        double v;
        lxw_error e;
        if (numeric && numeric[i] && plain_number(s, &v))
            e = worksheet_write_number(w->ws, (lxw_row_t)w->row, (lxw_col_t)i, v, fmt);
        else
            e = worksheet_write_string(w->ws, (lxw_row_t)w->row, (lxw_col_t)i, s, fmt);
        int rc = lxw_rc(e);
        if (!rc) rc = note_width(w, i, text_width(s) + (fmt ? 1 : 0)); /* bold is wider */
        if (rc) return rc;
    }
    w->row++;
    return JC_OK;
}

int tab_xlsx_header(tab_writer *w, const char *const *cols, int n)
{
    if (w->row != 0) return JC_EINTERNAL; /* constant-memory mode writes rows in order */
    int rc = write_cells(w, cols, NULL, n, w->bold);
    if (rc) return rc;
    w->header_cols = n;
    worksheet_freeze_panes(w->ws, 1, 0);
    return JC_OK;
}

int tab_xlsx_row(tab_writer *w, const char *const *cells, const bool *numeric, int n)
{
    return write_cells(w, cells, numeric, n, NULL);
}

static int slurp(const char *path, void **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return JC_EIO;
    int rc = JC_EIO;
    long size;
    char *p = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)size);
        if (!p)
            rc = JC_ENOMEM;
        else if (fread(p, 1, (size_t)size, f) == (size_t)size)
            rc = JC_OK;
    }
    fclose(f);
    if (rc) {
        free(p);
        return rc;
    }
    *data = p;
    *len = (size_t)size;
    return JC_OK;
}

int tab_xlsx_finish(tab_writer *w, void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!w->wb) return JC_EINTERNAL;
    for (int c = 0; c < w->ncols; c++) {
        unsigned chars = w->width[c] + 2; /* a little air on each side */
        if (chars < WIDTH_MIN) chars = WIDTH_MIN;
        if (chars > WIDTH_MAX) chars = WIDTH_MAX;
        worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, chars, NULL);
    }
    if (w->header_cols > 0)
        worksheet_autofilter(w->ws, 0, 0, (lxw_row_t)(w->row - 1), (lxw_col_t)(w->header_cols - 1));
    lxw_error e = workbook_close(w->wb); /* frees wb whatever happens */
    w->wb = NULL;
    int rc = lxw_rc(e);
    if (!rc) rc = slurp(w->path, data, len);
    unlink(w->path);
    w->path[0] = '\0';
    return rc;
}

void tab_xlsx_free(tab_writer *w)
{
    if (!w) return;
    if (w->wb) lxw_workbook_free(w->wb); /* discards without writing */
    if (w->path[0]) unlink(w->path);
    free(w->width);
    free(w);
}
