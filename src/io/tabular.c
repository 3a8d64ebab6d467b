/* tabular.c — opening a table (which reader?), the shared row buffer, errors and dates. */
#include "tabular_impl.h"

#include "../base/rc.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- errors ---- */

int tab_fail(tab_reader *r, int rc, int line, const char *en, const char *zh)
{
    r->err_rc = rc;
    r->err_line = line;
    if (line > 0) {
        snprintf(r->err_en, sizeof r->err_en, "line %d: %s", line, en);
        snprintf(r->err_zh, sizeof r->err_zh, "第%d行：%s", line, zh);
    } else {
        snprintf(r->err_en, sizeof r->err_en, "%s", en);
        snprintf(r->err_zh, sizeof r->err_zh, "%s", zh);
    }
    return rc;
}

void tab_open_msg(char **errmsg, const char *en, const char *zh)
{
    if (!errmsg) return;
    size_t n = strlen(en) + strlen(zh) + 4;
    *errmsg = malloc(n);
    if (*errmsg) snprintf(*errmsg, n, "%s / %s", en, zh);
}

const char *tab_error(const tab_reader *r)
{
    return r->err_en;
}

const char *tab_error_zh(const tab_reader *r)
{
    return r->err_zh;
}

int tab_error_line(const tab_reader *r)
{
    return r->err_line;
}

/* ---- the row buffer ---- */

void tab_rowbuf_reset(tab_rowbuf *b)
{
    b->len = 0;
    b->n = 0;
}

int tab_rowbuf_begin(tab_rowbuf *b, int col)
{
    if (col < 0 || col >= TAB_MAX_COLS) return JC_ETOOBIG;
    if (col >= b->cap) {
        int nc = b->cap ? b->cap : 32;
        while (nc <= col) nc *= 2;
        uint32_t *off = realloc(b->off, (size_t)nc * sizeof *off);
        if (!off) return JC_ENOMEM;
        b->off = off;
        const char **cells = realloc(b->cells, (size_t)nc * sizeof *cells);
        if (!cells) return JC_ENOMEM;
        b->cells = cells;
        b->cap = nc;
    }
    for (int i = b->n; i < col; i++) b->off[i] = TAB_NOCELL;
    b->off[col] = (uint32_t)b->len;
    if (col >= b->n) b->n = col + 1;
    return JC_OK;
}

int tab_rowbuf_add(tab_rowbuf *b, const void *p, size_t n)
{
    /* the terminator of this cell must fit too */
    if (n > TAB_ROW_MAX || b->len + n + 1 > TAB_ROW_MAX) return JC_ETOOBIG;
    if (b->len + n + 1 > b->alloc) {
        size_t na = b->alloc ? b->alloc : 1024;
        while (na < b->len + n + 1) na *= 2;
        char *nt = realloc(b->text, na);
        if (!nt) return JC_ENOMEM;
        b->text = nt;
        b->alloc = na;
    }
    memcpy(b->text + b->len, p, n);
    b->len += n;
    return JC_OK;
}

int tab_rowbuf_end(tab_rowbuf *b)
{
    int rc = tab_rowbuf_add(b, "", 0);
    if (rc) return rc;
    b->text[b->len++] = '\0';
    return JC_OK;
}

bool tab_rowbuf_finish(tab_rowbuf *b, int line, tab_row *row)
{
    while (b->n > 0 && (b->off[b->n - 1] == TAB_NOCELL || b->text[b->off[b->n - 1]] == '\0'))
        b->n--;
    if (b->n == 0) return false;
    for (int i = 0; i < b->n; i++) b->cells[i] = b->off[i] == TAB_NOCELL ? "" : b->text + b->off[i];
    row->line = line;
    row->ncells = b->n;
    row->cells = b->cells;
    return true;
}

void tab_rowbuf_free(tab_rowbuf *b)
{
    free(b->text);
    free(b->off);
    free(b->cells);
    memset(b, 0, sizeof *b);
}

/* ---- opening ---- */

enum sniffed { SNIFF_CSV, SNIFF_ZIP, SNIFF_XLS };

static enum sniffed sniff(const unsigned char *p, size_t n)
{
    /* local file header, or the end record of an empty archive */
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
        return SNIFF_ZIP;
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= 8 && memcmp(p, ole2, 8) == 0) return SNIFF_XLS;
    return SNIFF_CSV;
}

static int refuse_xls(char **errmsg)
{
    /* Excel also wraps password-protected .xlsx files in this container */
    tab_open_msg(errmsg,
                 "an .xls file (Excel 97-2003) or a password-protected workbook: "
                 "save it as .xlsx without a password, or as CSV",
                 "这是旧版.xls文件（Excel 97-2003）或加密的工作簿，"
                 "请另存为不加密的.xlsx或CSV后再导入");
    return JC_EMEDIA;
}

int tab_open_mem(const void *data, size_t len, tab_reader **out, char **errmsg)
{
    *out = NULL;
    if (errmsg) *errmsg = NULL;
    tab_reader *r = calloc(1, sizeof *r);
    if (!r) return JC_ENOMEM;
    if (!data) len = 0;
    const unsigned char *p = data ? data : (const unsigned char *)"";
    int rc;
    switch (sniff(p, len)) {
    case SNIFF_XLS:
        free(r);
        return refuse_xls(errmsg);
    case SNIFF_ZIP:
        rc = tab_sheet_open(r, p, len, NULL, errmsg);
        break;
    default:
        rc = tab_csv_open(r, p, len, NULL, NULL, 0, errmsg);
        break;
    }
    if (rc) {
        tab_close(r);
        return rc;
    }
    *out = r;
    return JC_OK;
}

int tab_open_file(const char *path, tab_reader **out, char **errmsg)
{
    *out = NULL;
    if (errmsg) *errmsg = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        tab_open_msg(errmsg, "cannot open the file", "无法打开文件");
        return JC_EIO;
    }
    /* The first chunk decides the format; CSV keeps it, so pipes work too (no rewinding). */
    unsigned char *head = malloc(TAB_CHUNK);
    tab_reader *r = calloc(1, sizeof *r);
    if (!head || !r) {
        free(head);
        free(r);
        fclose(f);
        return JC_ENOMEM;
    }
    size_t n = fread(head, 1, TAB_CHUNK, f);
    if (n < TAB_CHUNK && ferror(f)) {
        free(head);
        free(r);
        fclose(f);
        tab_open_msg(errmsg, "cannot read the file", "无法读取文件");
        return JC_EIO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) r->total = st.st_size;
    int rc;
    switch (sniff(head, n)) {
    case SNIFF_XLS:
        free(head);
        free(r);
        fclose(f);
        return refuse_xls(errmsg);
    case SNIFF_ZIP:
        free(head);
        fclose(f);
        rc = tab_sheet_open(r, NULL, 0, path, errmsg);
        break;
    default:
        rc = tab_csv_open(r, NULL, 0, f, head, n, errmsg);
        break;
    }
    if (rc) {
        tab_close(r);
        return rc;
    }
    *out = r;
    return JC_OK;
}

tab_format tab_format_of(const tab_reader *r)
{
    return r->fmt;
}

int tab_next(tab_reader *r, tab_row *row)
{
    if (r->err_rc) return -r->err_rc;
    tab_rowbuf_reset(&r->row);
    int rc = r->fmt == TAB_XLSX ? tab_sheet_next(r, row) : tab_csv_next(r, row);
    if (rc < 0 && !r->err_rc) tab_fail(r, -rc, 0, "read failed", "读取失败");
    return rc;
}

void tab_progress(const tab_reader *r, int64_t *done, int64_t *total)
{
    if (done) *done = r->done;
    if (total) *total = r->total;
}

void tab_close(tab_reader *r)
{
    if (!r) return;
    if (r->csv) tab_csv_close(r);
    if (r->xlsx) tab_sheet_close(r);
    tab_rowbuf_free(&r->row);
    free(r);
}

/* ---- dates ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads 1..maxd digits into *v; returns the count. */
static int digits(const char *s, int maxd, int *v)
{
    int n = 0, x = 0;
    while (n < maxd && is_digit(s[n])) x = x * 10 + (s[n++] - '0');
    if (n < maxd && is_digit(s[n])) return 0; /* too many digits */
    *v = x;
    return n;
}

static bool civil_ok(int y, int m, int d)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= dm[m - 1] + (m == 2 && leap);
}

static bool put_date(int y, int m, int d, char out[11])
{
    if (!civil_ok(y, m, d)) return false;
    jc_date_format(jc_days_from_civil(y, m, d), out);
    return true;
}

/* What may follow a date: nothing, or a time of day after a blank or 'T' ("08:30", "0:00:00"). */
static bool time_tail(const char *s, const char *end)
{
    if (s == end) return true;
    if (*s != ' ' && *s != 'T') return false;
    for (s++; s < end && *s == ' '; s++) continue;
    if (s == end || !is_digit(*s)) return false;
    for (; s < end; s++)
        if (!is_digit(*s) && *s != ':' && *s != '.') return false;
    return true;
}

#define ZH_NIAN "\xE5\xB9\xB4" /* 年 */
#define ZH_YUE  "\xE6\x9C\x88" /* 月 */
#define ZH_RI   "\xE6\x97\xA5" /* 日 */

bool tab_date(const char *cell, char out[11])
{
    if (!cell) return false;
    const char *s = cell;
    while (*s == ' ' || *s == '\t') s++;
    const char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    size_t n = (size_t)(end - s);
    if (n == 0) return false;

    size_t nd = 0;
    while (nd < n && is_digit(s[nd])) nd++;
    if (nd == 8 && n == 8) { /* 20251201 */
        int v[8];
        for (int i = 0; i < 8; i++) v[i] = s[i] - '0';
        return put_date(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5],
                        v[6] * 10 + v[7], out);
    }
    bool serial_like = nd > 0 && nd <= 7 && nd == n;
    if (nd > 0 && nd <= 7 && nd + 1 < n && s[nd] == '.') { /* a serial with a time: 45992.5 */
        serial_like = true;
        for (size_t i = nd + 1; i < n; i++)
            if (!is_digit(s[i])) serial_like = false; /* perhaps 2025.12.1 */
    }
    if (serial_like) {
        long serial = strtol(s, NULL, 10);
        /* 1 = 1900-01-01; Excel counts a 1900-02-29 that never was (60), so from 61 on the
         * serial is one more than the days since 1899-12-31; 2958465 = 9999-12-31. */
        if (serial < 1 || serial == 60 || serial > 2958465) return false;
        int64_t days = jc_days_from_civil(1899, 12, 31) + serial - (serial > 60);
        int y, m, d;
        jc_civil_from_days(days, &y, &m, &d);
        return put_date(y, m, d, out);
    }
    if (nd != 4) return false;
    int y = 0, m = 0, d = 0;
    digits(s, 4, &y);
    const char *p = s + 4;
    bool zh = false;
    char sep = *p;
    if (end - p >= 3 && memcmp(p, ZH_NIAN, 3) == 0) {
        zh = true;
        p += 3;
    } else if (sep == '-' || sep == '/' || sep == '.') {
        p++;
    } else {
        return false;
    }
    int k = digits(p, 2, &m);
    if (!k) return false;
    p += k;
    if (zh) {
        if (end - p < 3 || memcmp(p, ZH_YUE, 3) != 0) return false;
        p += 3;
    } else if (*p != sep) {
        return false;
    } else {
        p++;
    }
    k = digits(p, 2, &d);
    if (!k) return false;
    p += k;
    if (zh) {
        if (end - p < 3 || memcmp(p, ZH_RI, 3) != 0) return false;
        p += 3;
    }
    if (!time_tail(p, end)) return false;
    return put_date(y, m, d, out);
}
