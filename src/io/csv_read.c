/* csv_read.c — RFC 4180 CSV, streamed: UTF-8 (BOM or not) or GBK, from memory or a file.
 *
 * Bytes arrive in chunks of at most TAB_CHUNK (a window on the caller's memory, a read from the
 * file, or the UTF-8 that iconv made of GBK), and a state machine turns them into one record at a
 * time in the reader's row buffer, so memory does not depend on the size of the file.
 *
 * Where RFC 4180 leaves room we do what Excel does when it opens the same file, since that is
 * what the cadre saw: a quote inside an unquoted field is a character, text after a closing
 * quote is kept, a lone CR ends a line, and line numbers count records (a quoted field that
 * spans lines is still one spreadsheet row). */
#include "tabular_impl.h"

#include "../base/rc.h"
#include "../base/text.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DEC_CAP (2 * TAB_CHUNK) /* GBK → UTF-8 grows at most 3/2; iconv stops when full */

enum csv_state {
    CSV_START,  /* at the start of a field */
    CSV_BARE,   /* in an unquoted field */
    CSV_QUOTED, /* in a quoted field */
    CSV_QUOTE,  /* just after a '"' inside a quoted field: closing, or the first of "" */
};

struct tab_csv {
    const unsigned char *mem;     /* the caller's bytes (tab_open_mem), or NULL */
    size_t memlen, mempos;        /* size of mem, bytes of it handed on */
    FILE *f;                      /* owned: the file of tab_open_file(), or NULL */
    unsigned char *raw;           /* malloc, TAB_CHUNK: bytes read from f */
    size_t rawlen, rawpos;        /* bytes in raw, bytes of them handed on */
    bool src_eof;                 /* f has no more bytes */
    bool gbk;                     /* decode through cd */
    iconv_t cd;                   /* iconv: GB18030 → UTF-8, or (iconv_t)-1 */
    char *dec;                    /* malloc, DEC_CAP: UTF-8 decoded from GBK */
    bool need_more;               /* iconv stopped inside a character at the end of raw */
    bool dec_bad;                 /* iconv met bytes that are not GB18030 */
    const unsigned char *p, *end; /* the unparsed rest of the current chunk (mem, raw or dec) */
    bool skip_lf;                 /* the last record ended with CR: a LF right after is its */
    int line;                     /* record being read (1 = header) */
};

/* Reads more of the file after what is left unconsumed in raw. */
static int file_read(tab_reader *r)
{
    struct tab_csv *c = r->csv;
    if (c->rawpos > 0) {
        memmove(c->raw, c->raw + c->rawpos, c->rawlen - c->rawpos);
        c->rawlen -= c->rawpos;
        c->rawpos = 0;
    }
    size_t n = fread(c->raw + c->rawlen, 1, TAB_CHUNK - c->rawlen, c->f);
    if (n == 0) {
        if (ferror(c->f)) return -tab_fail(r, JC_EIO, 0, "cannot read the file", "无法读取文件");
        c->src_eof = true;
    }
    c->rawlen += n;
    r->done += (int64_t)n;
    return 0;
}

/* The next chunk of UTF-8 into c->p..c->end: 1, or 0 at the end, or -rc. */
static int utf8_fill(tab_reader *r)
{
    struct tab_csv *c = r->csv;
    if (c->mem) {
        if (c->mempos == c->memlen) return 0;
        /* windows rather than all at once, so that tab_progress() moves */
        size_t n = c->memlen - c->mempos < TAB_CHUNK ? c->memlen - c->mempos : TAB_CHUNK;
        c->p = c->mem + c->mempos;
        c->end = c->p + n;
        c->mempos += n;
        r->done = (int64_t)c->mempos;
        return 1;
    }
    while (c->rawpos == c->rawlen) {
        if (c->src_eof) return 0;
        int rc = file_read(r);
        if (rc) return rc;
    }
    c->p = c->raw + c->rawpos;
    c->end = c->raw + c->rawlen;
    c->rawpos = c->rawlen;
    return 1;
}

static int gbk_fill(tab_reader *r)
{
    struct tab_csv *c = r->csv;
    for (;;) {
        if (c->dec_bad)
            return -tab_fail(r, JC_EINVAL, c->line,
                             "bytes that are neither UTF-8 nor GBK: save the file as \"CSV UTF-8\"",
                             "含有既非UTF-8也非GBK的字符，请将文件另存为“CSV UTF-8”格式");
        const unsigned char *in;
        size_t inlen;
        bool at_eof;
        if (c->mem) {
            inlen = c->memlen - c->mempos < TAB_CHUNK ? c->memlen - c->mempos : TAB_CHUNK;
            in = c->mem + c->mempos;
            at_eof = c->mempos + inlen == c->memlen;
        } else {
            if ((c->rawpos == c->rawlen || c->need_more) && !c->src_eof) {
                int rc = file_read(r);
                if (rc) return rc;
                c->need_more = false;
            }
            in = c->raw + c->rawpos;
            inlen = c->rawlen - c->rawpos;
            at_eof = c->src_eof;
        }
        if (inlen == 0 && at_eof) return 0;

        char *ip = (char *)in, *op = c->dec; /* iconv does not write its input */
        size_t il = inlen, ol = DEC_CAP;
        int err = iconv(c->cd, &ip, &il, &op, &ol) == (size_t)-1 ? errno : 0;
        size_t used = inlen - il;
        if (c->mem) {
            c->mempos += used;
            r->done = (int64_t)c->mempos;
        } else {
            c->rawpos += used;
        }
        if (err == EILSEQ) {
            c->dec_bad = true;
        } else if (err == EINVAL) { /* a character cut at the end of the input */
            if (at_eof)
                c->dec_bad = true;
            else
                c->need_more = true;
        } /* E2BIG: the rest comes next time */
        size_t produced = (size_t)(op - c->dec);
        if (produced) {
            c->p = (const unsigned char *)c->dec;
            c->end = c->p + produced;
            return 1;
        }
    }
}

static int csv_fill(tab_reader *r)
{
    return r->csv->gbk ? gbk_fill(r) : utf8_fill(r);
}

/* A tab_rowbuf_*() failure, said for the person who made the file. */
static int row_fail(tab_reader *r, int rc)
{
    int line = r->csv->line;
    if (rc == JC_ETOOBIG && r->row.n >= TAB_MAX_COLS)
        return -tab_fail(r, rc, line, "more than 16384 columns", "超过16384列");
    if (rc == JC_ETOOBIG)
        return -tab_fail(r, rc, line, "row longer than 1 MiB (is a quote not closed?)",
                         "该行超过1 MiB（是否有引号未闭合？）");
    return -tab_fail(r, rc, line, "out of memory", "内存不足");
}

/* Reads one record into r->row: 1, 0 at the end of the input, or -rc. */
static int csv_record(tab_reader *r)
{
    struct tab_csv *c = r->csv;
    tab_rowbuf *b = &r->row;
    enum csv_state state = CSV_START;
    bool started = false;
    int rc;
    for (;;) {
        if (c->p == c->end) {
            rc = csv_fill(r);
            if (rc < 0) return rc;
            if (rc == 0) {
                if (state == CSV_QUOTED)
                    return -tab_fail(r, JC_EINVAL, c->line,
                                     "a quoted field is not closed (a \" is missing)",
                                     "引号未闭合（缺少一个\"）");
                if (!started) return 0;
                if (state != CSV_START && (rc = tab_rowbuf_end(b))) return row_fail(r, rc);
                return 1;
            }
        }
        if (c->skip_lf) {
            c->skip_lf = false;
            if (*c->p == '\n') {
                c->p++;
                continue;
            }
        }
        started = true;
        switch (state) {
        case CSV_START:
            if ((rc = tab_rowbuf_begin(b, b->n))) return row_fail(r, rc);
            if (*c->p == '"') {
                c->p++;
                state = CSV_QUOTED;
                continue;
            }
            state = CSV_BARE;
            /* fall through */
        case CSV_BARE: {
            const unsigned char *q = c->p;
            while (q < c->end && *q != ',' && *q != '\n' && *q != '\r') q++;
            if ((rc = tab_rowbuf_add(b, c->p, (size_t)(q - c->p)))) return row_fail(r, rc);
            c->p = q;
            if (q == c->end) continue;
            break; /* at a delimiter */
        }
        case CSV_QUOTED: {
            const unsigned char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
            if (!q) q = c->end;
            if ((rc = tab_rowbuf_add(b, c->p, (size_t)(q - c->p)))) return row_fail(r, rc);
            c->p = q;
            if (q < c->end) {
                c->p++;
                state = CSV_QUOTE;
            }
            continue;
        }
        case CSV_QUOTE:
            if (*c->p == '"') {
                if ((rc = tab_rowbuf_add(b, "\"", 1))) return row_fail(r, rc);
                c->p++;
                state = CSV_QUOTED;
                continue;
            }
            if (*c->p != ',' && *c->p != '\n' && *c->p != '\r') {
                state = CSV_BARE; /* "ab"c: Excel keeps the c */
                continue;
            }
            break; /* at a delimiter */
        }
        /* *c->p is a comma, CR or LF outside quotes */
        unsigned char ch = *c->p++;
        if ((rc = tab_rowbuf_end(b))) return row_fail(r, rc);
        if (ch == ',') {
            state = CSV_START;
            continue;
        }
        c->skip_lf = ch == '\r';
        return 1;
    }
}

/* Text in UTF-8 files is checked cell by cell (so chunk boundaries do not matter), and so is
 * decoded GBK, which must still hold no NUL bytes. */
static int check_cells(tab_reader *r)
{
    tab_rowbuf *b = &r->row;
    for (int i = 0; i < b->n; i++) {
        size_t start = b->off[i];
        size_t stop = (i + 1 < b->n ? b->off[i + 1] : b->len) - 1; /* before the terminator */
        if (jc_utf8_valid(b->text + start, stop - start)) continue;
        char en[160], zh[160];
        snprintf(en, sizeof en, "column %d: not valid UTF-8 text (save the file as \"CSV UTF-8\")",
                 i + 1);
        snprintf(zh, sizeof zh, "第%d列不是有效的UTF-8文本（请将文件另存为“CSV UTF-8”格式）",
                 i + 1);
        return -tab_fail(r, JC_EINVAL, r->csv->line, en, zh);
    }
    return 0;
}

int tab_csv_next(tab_reader *r, tab_row *row)
{
    struct tab_csv *c = r->csv;
    for (;;) {
        if (c->line == INT_MAX) return -tab_fail(r, JC_ETOOBIG, 0, "too many lines", "行数过多");
        c->line++;
        tab_rowbuf_reset(&r->row);
        int rc = csv_record(r);
        if (rc <= 0) return rc;
        if ((rc = check_cells(r))) return rc;
        if (tab_rowbuf_finish(&r->row, c->line, row)) return 1;
    }
}

/* Valid UTF-8 up to where the sample was cut: a character split at its end does not count. */
static bool utf8_sample_valid(const unsigned char *p, size_t n, bool cut)
{
    if (cut) {
        for (size_t k = 1; k <= 3 && k <= n; k++) {
            unsigned char b = p[n - k];
            if ((b & 0xC0) == 0x80) continue; /* a continuation byte: look further back */
            size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (need > k) n -= k;
            break;
        }
    }
    return jc_utf8_valid((const char *)p, n);
}

int tab_csv_open(tab_reader *r, const unsigned char *mem, size_t len, FILE *f, unsigned char *head,
                 size_t headlen, char **errmsg)
{
    struct tab_csv *c = calloc(1, sizeof *c);
    if (!c) {
        if (f) fclose(f);
        free(head);
        return JC_ENOMEM;
    }
    r->csv = c; /* from here on tab_csv_close() releases f and head */
    c->cd = (iconv_t)-1;
    c->f = f;
    c->raw = head;
    const unsigned char *s;
    size_t n;
    bool cut;
    if (mem) {
        c->mem = mem;
        c->memlen = len;
        r->total = (int64_t)len;
        s = mem;
        n = len < TAB_CHUNK ? len : TAB_CHUNK;
        cut = len > TAB_CHUNK;
    } else {
        c->rawlen = headlen;
        c->src_eof = headlen < TAB_CHUNK;
        r->done = (int64_t)headlen;
        s = head;
        n = headlen;
        cut = !c->src_eof;
    }

    size_t skip = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        skip = 3; /* the BOM Excel writes for "CSV UTF-8" */
        r->fmt = TAB_CSV_UTF8;
    } else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        tab_open_msg(errmsg, "UTF-16 text (\"Unicode text\"): save the file as \"CSV UTF-8\"",
                     "这是UTF-16（Unicode文本）格式，请另存为“CSV UTF-8”格式");
        return JC_EMEDIA;
    } else if (memchr(s, '\0', n)) {
        tab_open_msg(errmsg, "not a CSV or xlsx file (it holds binary data)",
                     "不是CSV或xlsx文件（含有二进制数据）");
        return JC_EMEDIA;
    } else {
        r->fmt = utf8_sample_valid(s, n, cut) ? TAB_CSV_UTF8 : TAB_CSV_GBK;
    }
    if (mem)
        c->mempos = skip;
    else
        c->rawpos = skip;

    if (r->fmt == TAB_CSV_GBK) {
        c->gbk = true;
        c->cd = iconv_open("UTF-8", "GB18030");
        c->dec = malloc(DEC_CAP);
        if (c->cd == (iconv_t)-1 || !c->dec) {
            tab_open_msg(errmsg, "cannot decode GBK on this system", "本系统无法解码GBK");
            return c->dec ? JC_EINTERNAL : JC_ENOMEM;
        }
    }
    if (!mem && !c->raw) return JC_EINTERNAL;
    return JC_OK;
}

void tab_csv_close(tab_reader *r)
{
    struct tab_csv *c = r->csv;
    if (c->f) fclose(c->f);
    if (c->cd != (iconv_t)-1) iconv_close(c->cd);
    free(c->raw);
    free(c->dec);
    free(c);
    r->csv = NULL;
}
