/* xlsx_read.c — the first worksheet of an .xlsx, streamed with libzip and expat.
 *
 * The sheet is found the way Excel finds it, not by guessing file names: _rels/.rels names the
 * workbook part, the workbook's first visible <sheet> names a relationship, and the workbook's
 * .rels gives that relationship's part (WPS and other writers do not all call it sheet1.xml).
 * The shared-string table is loaded whole (cells refer to it by index); the sheet itself is fed
 * to expat TAB_CHUNK bytes at a time, and the parser is suspended at each </row>, so one row is in
 * memory at a time.
 *
 * Names are matched by their local part (expat's namespace mode, "uri|local"), so files that
 * write <x:row> with a prefix, and Strict OOXML with its other namespace, read the same. Every
 * byte read from the archive counts against TAB_XLSX_MAX_BYTES, which stops zip bombs; a DTD is
 * refused outright, since no spreadsheet has one and entity expansion is the XML bomb. */
#include "tabular_impl.h"

#include "../base/buf.h"
#include "../base/rc.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define PART_NAME_MAX 512
#define RELS_MAX      65536 /* relationships in one .rels part */

struct tab_xlsx {
    zip_t *za;            /* libzip: the archive (over the caller's memory, or the file) */
    int64_t unpacked;     /* bytes read from all parts, at most TAB_XLSX_MAX_BYTES */
    jc_buf sst;           /* malloc (jc_buf): the shared strings, each NUL-terminated */
    uint32_t *sst_off;    /* malloc: where string i starts in sst.data */
    size_t nsst, sst_cap; /* strings used / allocated in sst_off */

    zip_file_t *zf; /* libzip: the worksheet being read */
    XML_Parser xp;  /* expat: its parser */
    bool suspended; /* xp stopped at a </row>; resume before feeding more */
    bool final_fed; /* the last (empty) buffer has been given to xp */
    bool finished;  /* </sheetData> seen, or the input ended */
    tab_row *out;   /* where </row> puts a finished row */
    bool row_ready; /* *out holds a row */
    int row_num;    /* <row r>: the line of the row being read */
    int last_row;   /* line of the previous row */
    int col;        /* column of the cell being read (0-based) */
    int last_col;   /* column of the previous cell of this row */
    char ctype;     /* the cell's t: 's', 'i' (inlineStr), 't' (str), 'b', 'e', 'n' */
    bool in_data;   /* inside <sheetData> */
    bool in_row;    /* inside <row> */
    bool in_cell;   /* inside <c> */
    bool in_v;      /* inside <v> */
    bool in_is;     /* inside <is> */
    bool in_t;      /* inside a <t> that counts (not phonetic) */
    int rph;        /* depth of <rPh> (phonetic guide runs, skipped) */
    jc_buf val;     /* malloc (jc_buf): the text of the cell being read */
};

/* ---- small helpers ---- */

static const char *local_name(const XML_Char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* The value of an attribute by local name; with_ns: only a namespaced one (r:id). */
static const char *attr(const XML_Char **atts, const char *local, bool with_ns)
{
    for (int i = 0; atts[i]; i += 2) {
        const char *bar = strrchr(atts[i], '|');
        if (with_ns && !bar) continue;
        if (strcmp(bar ? bar + 1 : atts[i], local) == 0) return atts[i + 1];
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Turns Excel's _xHHHH_ escapes (control characters, and _x005F_ for a literal underscore)
 * back into characters, in place; returns the new length. */
static size_t unescape_x(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned cp = 0;
        bool esc = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (size_t k = 2; esc && k < 6; k++) {
            char c = s[i + k];
            unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                                : 16;
            if (d == 16) esc = false;
            cp = cp * 16 + d;
        }
        if (!esc || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            s[o++] = s[i++];
            continue;
        }
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | cp >> 6);
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[o++] = (char)(0xE0 | cp >> 12);
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
        i += 7;
    }
    return o;
}

/* Joins a relationship target to the folder of the part that named it ("xl/"), resolving "."
 * and ".." segments; an absolute target ("/xl/worksheets/a.xml") starts at the package root. */
static bool part_join(const char *dir, const char *target, char out[PART_NAME_MAX])
{
    char tmp[PART_NAME_MAX];
    int n = target[0] == '/' ? snprintf(tmp, sizeof tmp, "%s", target + 1)
                             : snprintf(tmp, sizeof tmp, "%s%s", dir, target);
    if (n < 0 || n >= (int)sizeof tmp) return false;
    size_t o = 0;
    for (char *seg = tmp, *next; seg; seg = next) {
        next = strchr(seg, '/');
        if (next) *next++ = '\0';
        if (seg[0] == '\0' || strcmp(seg, ".") == 0) continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/') o--; /* drop the last segment */
            if (o > 0) o--;
            while (o > 0 && out[o - 1] != '/') o--;
            continue;
        }
        size_t k = strlen(seg);
        memcpy(out + o, seg, k); /* fits: out never outgrows tmp */
        o += k;
        if (next) out[o++] = '/';
    }
    out[o] = '\0';
    return o > 0;
}

static int fail_zip(tab_reader *r, zip_t *za)
{
    if (zip_error_code_zip(zip_get_error(za)) == ZIP_ER_NOPASSWD)
        return tab_fail(r, JC_EMEDIA, 0, "the xlsx is encrypted: save it without a password",
                        "xlsx文件已加密，请取消密码后再导入");
    return tab_fail(r, JC_EINVAL, 0, "the xlsx file is damaged (bad zip data)",
                    "xlsx文件已损坏（压缩数据错误）");
}

static int count_unpacked(tab_reader *r, zip_int64_t n)
{
    r->xlsx->unpacked += n;
    if (r->xlsx->unpacked > TAB_XLSX_MAX_BYTES)
        return tab_fail(r, JC_ETOOBIG, 0, "the xlsx unpacks to more than 1 GiB",
                        "xlsx文件解压后超过1 GiB");
    return JC_OK;
}

/* ---- parsing a whole part (relationships, workbook, shared strings) ---- */

typedef struct part_ctx {
    tab_reader *r;
    XML_Parser xp;
    int rc; /* set by a handler that stopped the parser */
} part_ctx;

static void part_stop(part_ctx *pc, int rc)
{
    if (!pc->rc) pc->rc = rc;
    XML_StopParser(pc->xp, XML_FALSE);
}

static void XMLCALL refuse_dtd(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    JC_UNUSED(name);
    JC_UNUSED(sysid);
    JC_UNUSED(pubid);
    JC_UNUSED(has_internal_subset);
    part_ctx *pc = ud;
    part_stop(pc, tab_fail(pc->r, JC_EINVAL, 0, "the xlsx holds a DTD, which no spreadsheet has",
                           "xlsx文件含有DTD，不是正常的电子表格"));
}

/* JC_ENOTFOUND when the archive has no such part. */
static int parse_part(tab_reader *r, const char *name, part_ctx *pc, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
    struct tab_xlsx *x = r->xlsx;
    zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0) return JC_ENOTFOUND;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf) return fail_zip(r, x->za);
    XML_Parser xp = XML_ParserCreateNS(NULL, '|');
    if (!xp) {
        zip_fclose(zf);
        return JC_ENOMEM;
    }
    pc->r = r;
    pc->xp = xp;
    pc->rc = JC_OK;
    XML_SetUserData(xp, pc);
    XML_SetElementHandler(xp, start, end);
    XML_SetCharacterDataHandler(xp, chars);
    XML_SetStartDoctypeDeclHandler(xp, refuse_dtd);
    int rc = JC_OK;
    for (;;) {
        void *buf = XML_GetBuffer(xp, TAB_CHUNK);
        if (!buf) {
            rc = JC_ENOMEM;
            break;
        }
        zip_int64_t n = zip_fread(zf, buf, TAB_CHUNK);
        if (n < 0) {
            rc = fail_zip(r, x->za);
            break;
        }
        if ((rc = count_unpacked(r, n))) break;
        if (XML_ParseBuffer(xp, (int)n, n == 0) != XML_STATUS_OK) {
            rc = pc->rc;
            if (!rc) {
                char en[200], zh[200];
                snprintf(en, sizeof en, "the xlsx file is damaged (%s: %s)", name,
                         XML_ErrorString(XML_GetErrorCode(xp)));
                snprintf(zh, sizeof zh, "xlsx文件已损坏（%s：%s）", name,
                         XML_ErrorString(XML_GetErrorCode(xp)));
                rc = tab_fail(r, JC_EINVAL, 0, en, zh);
            }
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(xp);
    zip_fclose(zf);
    return rc;
}

static void XMLCALL ignore_chars(void *ud, const XML_Char *s, int len)
{
    JC_UNUSED(ud);
    JC_UNUSED(s);
    JC_UNUSED(len);
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
    JC_UNUSED(ud);
    JC_UNUSED(name);
}

/* ---- relationships ---- */

enum rel_kind { REL_OTHER, REL_OFFICE_DOC, REL_WORKSHEET, REL_SHARED_STRINGS };

struct rel {
    char *id;     /* malloc */
    char *target; /* malloc: as written, relative to the part's folder */
    enum rel_kind kind;
};

typedef struct rels_ctx {
    part_ctx pc;
    struct rel *v; /* malloc */
    size_t n, cap;
} rels_ctx;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_ctx *rc = ud;
    if (strcmp(local_name(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id", false), *type = attr(atts, "Type", false),
               *target = attr(atts, "Target", false), *mode = attr(atts, "TargetMode", false);
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0)) return;
    if (rc->n == RELS_MAX) {
        part_stop(&rc->pc, tab_fail(rc->pc.r, JC_ETOOBIG, 0, "too many relationships in the xlsx",
                                    "xlsx文件中的关系条目过多"));
        return;
    }
    if (rc->n == rc->cap) {
        size_t nc = rc->cap ? rc->cap * 2 : 16;
        struct rel *v = realloc(rc->v, nc * sizeof *v);
        if (!v) {
            part_stop(&rc->pc, JC_ENOMEM);
            return;
        }
        rc->v = v;
        rc->cap = nc;
    }
    struct rel *e = &rc->v[rc->n];
    /* The type URI differs between Transitional and Strict OOXML; its last segment does not. */
    e->kind = ends_with(type, "/officeDocument")  ? REL_OFFICE_DOC
              : ends_with(type, "/worksheet")     ? REL_WORKSHEET
              : ends_with(type, "/sharedStrings") ? REL_SHARED_STRINGS
                                                  : REL_OTHER;
    e->id = strdup(id);
    e->target = strdup(target);
    if (!e->id || !e->target) {
        free(e->id);
        free(e->target);
        part_stop(&rc->pc, JC_ENOMEM);
        return;
    }
    rc->n++;
}

static void rels_free(rels_ctx *rc)
{
    for (size_t i = 0; i < rc->n; i++) {
        free(rc->v[i].id);
        free(rc->v[i].target);
    }
    free(rc->v);
    memset(rc, 0, sizeof *rc);
}

static const struct rel *rel_find(const rels_ctx *rc, const char *id, enum rel_kind kind)
{
    for (size_t i = 0; i < rc->n; i++)
        if ((!id || strcmp(rc->v[i].id, id) == 0) && rc->v[i].kind == kind) return &rc->v[i];
    return NULL;
}

/* ---- the workbook: which sheet is first ---- */

typedef struct book_ctx {
    part_ctx pc;
    const rels_ctx *rels;
    const struct rel *first;         /* the first worksheet */
    const struct rel *first_visible; /* the first one not hidden: what the cadre sees first */
} book_ctx;

static void XMLCALL book_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    book_ctx *bc = ud;
    if (strcmp(local_name(name), "sheet") != 0) return;
    const char *id = attr(atts, "id", true), *state = attr(atts, "state", false);
    const struct rel *rel = id ? rel_find(bc->rels, id, REL_WORKSHEET) : NULL;
    if (!rel) return; /* a chart sheet, or a dangling id */
    if (!bc->first) bc->first = rel;
    if (!bc->first_visible && (!state || strcmp(state, "visible") == 0)) bc->first_visible = rel;
}

/* ---- shared strings ---- */

typedef struct sst_ctx {
    part_ctx pc;
    bool in_si, in_t;
    int rph;
    jc_buf cur; /* malloc (jc_buf): the <si> being read */
} sst_ctx;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    JC_UNUSED(atts);
    sst_ctx *sc = ud;
    const char *n = local_name(name);
    if (strcmp(n, "si") == 0) {
        sc->in_si = true;
        buf_reset(&sc->cur);
    } else if (sc->in_si && strcmp(n, "rPh") == 0) {
        sc->rph++;
    } else if (sc->in_si && !sc->rph && strcmp(n, "t") == 0) {
        sc->in_t = true;
    }
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int len)
{
    sst_ctx *sc = ud;
    if (!sc->in_t) return;
    int rc = buf_append(&sc->cur, s, (size_t)len);
    if (rc == JC_ETOOBIG)
        rc = tab_fail(sc->pc.r, rc, 0, "a shared string of the xlsx is longer than 1 MiB",
                      "xlsx文件中有超过1 MiB的字符串");
    if (rc) part_stop(&sc->pc, rc);
}

static int sst_push(tab_reader *r, char *s, size_t n)
{
    struct tab_xlsx *x = r->xlsx;
    if (x->nsst == TAB_XLSX_MAX_STRINGS)
        return tab_fail(r, JC_ETOOBIG, 0, "the xlsx has too many distinct strings",
                        "xlsx文件中的字符串过多");
    if (x->nsst == x->sst_cap) {
        size_t nc = x->sst_cap ? x->sst_cap * 2 : 1024;
        uint32_t *off = realloc(x->sst_off, nc * sizeof *off);
        if (!off) return JC_ENOMEM;
        x->sst_off = off;
        x->sst_cap = nc;
    }
    n = unescape_x(s, n);
    size_t at = x->sst.len;
    int rc = buf_append(&x->sst, s, n);
    if (!rc) rc = buf_append(&x->sst, "", 1); /* the terminator, kept in len */
    if (rc) return rc;
    x->sst_off[x->nsst++] = (uint32_t)at;
    return JC_OK;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *sc = ud;
    const char *n = local_name(name);
    if (strcmp(n, "t") == 0) {
        sc->in_t = false;
    } else if (strcmp(n, "rPh") == 0 && sc->rph > 0) {
        sc->rph--;
    } else if (strcmp(n, "si") == 0 && sc->in_si) {
        sc->in_si = false;
        int rc = sst_push(sc->pc.r, sc->cur.data ? sc->cur.data : (char[1]){0}, sc->cur.len);
        if (rc) part_stop(&sc->pc, rc);
    }
}

/* ---- the worksheet ---- */

/* Aborts the sheet after a handler recorded an error with tab_fail(). */
static void sheet_stop(tab_reader *r)
{
    XML_StopParser(r->xlsx->xp, XML_FALSE);
}

/* "BC12" → 54 (0-based column), or -1. */
static int ref_col(const char *ref)
{
    int col = 0, k = 0;
    for (; (*ref >= 'A' && *ref <= 'Z') || (*ref >= 'a' && *ref <= 'z'); ref++, k++) {
        if (k == 3) return -1;
        col = col * 26 + ((*ref | 0x20) - 'a' + 1);
    }
    return k ? col - 1 : -1;
}

static int parse_uint(const char *s, int max)
{
    long v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
        if (v > max) return -1;
    }
    return (int)v;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    tab_reader *r = ud;
    struct tab_xlsx *x = r->xlsx;
    const char *n = local_name(name);
    if (strcmp(n, "sheetData") == 0) {
        x->in_data = true;
    } else if (x->in_data && strcmp(n, "row") == 0) {
        const char *rr = attr(atts, "r", false);
        int num = rr ? parse_uint(rr, TAB_MAX_ROWS) : x->last_row + 1;
        if (num < 1 || num > TAB_MAX_ROWS) {
            tab_fail(r, JC_EINVAL, x->last_row + 1, "a row of the xlsx has a bad number",
                     "xlsx文件中的行号错误");
            sheet_stop(r);
            return;
        }
        x->row_num = num;
        x->in_row = true;
        x->last_col = -1;
        tab_rowbuf_reset(&r->row);
    } else if (x->in_row && strcmp(n, "c") == 0) {
        const char *ref = attr(atts, "r", false), *t = attr(atts, "t", false);
        x->col = ref ? ref_col(ref) : x->last_col + 1;
        if (x->col < 0 || x->col >= TAB_MAX_COLS) {
            tab_fail(r, JC_EINVAL, x->row_num, "a cell of the xlsx has a bad reference",
                     "xlsx文件中的单元格位置错误");
            sheet_stop(r);
            return;
        }
        x->ctype = !t                            ? 'n'
                   : strcmp(t, "inlineStr") == 0 ? 'i'
                   : strcmp(t, "str") == 0       ? 't'
                                                 : t[0];
        x->in_cell = true;
        buf_reset(&x->val);
    } else if (x->in_cell && strcmp(n, "v") == 0) {
        x->in_v = true;
    } else if (x->in_cell && strcmp(n, "is") == 0) {
        x->in_is = true;
    } else if (x->in_is && strcmp(n, "rPh") == 0) {
        x->rph++;
    } else if (x->in_is && !x->rph && strcmp(n, "t") == 0) {
        x->in_t = true;
    }
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *s, int len)
{
    tab_reader *r = ud;
    struct tab_xlsx *x = r->xlsx;
    /* an inline string's text is in <is><t>, any other value in <v> */
    if (x->ctype == 'i' ? !x->in_t : !(x->in_v && !x->in_is)) return;
    int rc = buf_append(&x->val, s, (size_t)len);
    if (!rc) return;
    if (rc == JC_ETOOBIG)
        tab_fail(r, rc, x->row_num, "a cell is longer than 1 MiB", "单元格内容超过1 MiB");
    else
        tab_fail(r, rc, x->row_num, "out of memory", "内存不足");
    sheet_stop(r);
}

/* The finished cell into the row buffer. */
static int cell_put(tab_reader *r)
{
    struct tab_xlsx *x = r->xlsx;
    char *s = x->val.data;
    size_t n = x->val.len;
    if (n == 0) return JC_OK; /* empty: a gap is "" anyway */
    switch (x->ctype) {
    case 's': {
        int i = parse_uint(s, INT32_MAX);
        if (i < 0 || (size_t)i >= x->nsst)
            return tab_fail(r, JC_EINVAL, x->row_num, "a cell refers to a missing shared string",
                            "单元格引用了不存在的共享字符串");
        s = x->sst.data + x->sst_off[i];
        n = strlen(s);
        break;
    }
    case 'i':
    case 't':
        n = unescape_x(s, n);
        break;
    case 'b':
        if (strcmp(s, "1") == 0 || strcmp(s, "0") == 0) { /* as Excel shows it */
            s = s[0] == '1' ? "TRUE" : "FALSE";
            n = strlen(s);
        }
        break;
    default: /* numbers as stored ("13800138000", "45992", "1.5"), errors ("#N/A") */
        break;
    }
    int rc = tab_rowbuf_begin(&r->row, x->col);
    if (!rc) rc = tab_rowbuf_add(&r->row, s, n);
    if (!rc) rc = tab_rowbuf_end(&r->row);
    if (rc == JC_ETOOBIG)
        return tab_fail(r, rc, x->row_num, "row longer than 1 MiB", "该行超过1 MiB");
    if (rc) return tab_fail(r, rc, x->row_num, "out of memory", "内存不足");
    return JC_OK;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    tab_reader *r = ud;
    struct tab_xlsx *x = r->xlsx;
    const char *n = local_name(name);
    if (strcmp(n, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(n, "rPh") == 0 && x->rph > 0) {
        x->rph--;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(n, "c") == 0 && x->in_cell) {
        x->in_cell = false;
        x->last_col = x->col;
        int rc = cell_put(r);
        if (rc) sheet_stop(r);
    } else if (strcmp(n, "row") == 0 && x->in_row) {
        x->in_row = false;
        x->last_row = x->row_num;
        if (tab_rowbuf_finish(&r->row, x->row_num, x->out)) {
            x->row_ready = true;
            XML_StopParser(x->xp, XML_TRUE); /* resumed by the next tab_next() */
        }
    } else if (strcmp(n, "sheetData") == 0) {
        /* nothing after it is data (merged cells, page setup): stop reading */
        x->in_data = false;
        x->finished = true;
        XML_StopParser(x->xp, XML_FALSE);
    }
}

static void XMLCALL sheet_refuse_dtd(void *ud, const XML_Char *name, const XML_Char *sysid,
                                     const XML_Char *pubid, int has_internal_subset)
{
    JC_UNUSED(name);
    JC_UNUSED(sysid);
    JC_UNUSED(pubid);
    JC_UNUSED(has_internal_subset);
    tab_reader *r = ud;
    tab_fail(r, JC_EINVAL, 0, "the xlsx holds a DTD, which no spreadsheet has",
             "xlsx文件含有DTD，不是正常的电子表格");
    sheet_stop(r);
}

int tab_sheet_next(tab_reader *r, tab_row *row)
{
    struct tab_xlsx *x = r->xlsx;
    x->out = row;
    x->row_ready = false;
    for (;;) {
        if (x->finished) return 0;
        enum XML_Status st;
        if (x->suspended) {
            x->suspended = false;
            st = XML_ResumeParser(x->xp);
        } else {
            if (x->final_fed) {
                x->finished = true;
                return 0;
            }
            void *buf = XML_GetBuffer(x->xp, TAB_CHUNK);
            if (!buf) return -tab_fail(r, JC_ENOMEM, 0, "out of memory", "内存不足");
            zip_int64_t n = zip_fread(x->zf, buf, TAB_CHUNK);
            if (n < 0) return -fail_zip(r, x->za);
            int rc = count_unpacked(r, n);
            if (rc) return -rc;
            r->done += n;
            x->final_fed = n == 0;
            st = XML_ParseBuffer(x->xp, (int)n, x->final_fed);
        }
        if (st == XML_STATUS_SUSPENDED) {
            x->suspended = true;
        } else if (st == XML_STATUS_ERROR) {
            if (r->err_rc) return -r->err_rc;
            if (x->finished) return x->row_ready ? 1 : 0; /* stopped at </sheetData> */
            char en[200], zh[200];
            snprintf(en, sizeof en, "the worksheet is damaged after row %d (%s)", x->last_row,
                     XML_ErrorString(XML_GetErrorCode(x->xp)));
            snprintf(zh, sizeof zh, "工作表在第%d行之后已损坏（%s）", x->last_row,
                     XML_ErrorString(XML_GetErrorCode(x->xp)));
            return -tab_fail(r, JC_EINVAL, 0, en, zh);
        }
        if (x->row_ready) return 1;
    }
}

/* ---- opening ---- */

/* "xl/workbook.xml" → dir "xl/", rels "xl/_rels/workbook.xml.rels" */
static bool part_rels(const char *part, char dir[PART_NAME_MAX], char rels[PART_NAME_MAX])
{
    const char *slash = strrchr(part, '/');
    size_t d = slash ? (size_t)(slash - part) + 1 : 0;
    if (d >= PART_NAME_MAX) return false;
    memcpy(dir, part, d);
    dir[d] = '\0';
    int n = snprintf(rels, PART_NAME_MAX, "%s_rels/%s.rels", dir, part + d);
    return n > 0 && n < PART_NAME_MAX;
}

static int not_xlsx(tab_reader *r)
{
    return tab_fail(r, JC_EMEDIA, 0, "a zip file but not an xlsx workbook",
                    "是zip压缩文件，但不是xlsx工作簿");
}

static int load_shared_strings(tab_reader *r, const char *name)
{
    sst_ctx sc = {0};
    buf_init(&sc.cur, TAB_ROW_MAX);
    int rc = parse_part(r, name, &sc.pc, sst_start, sst_end, sst_chars);
    buf_free(&sc.cur);
    return rc == JC_ENOTFOUND ? JC_OK : rc; /* a sheet of numbers only has none */
}

static int xlsx_setup(tab_reader *r, const void *mem, size_t len, const char *path)
{
    struct tab_xlsx *x = r->xlsx;
    zip_error_t zerr;
    zip_error_init(&zerr);
    if (mem) {
        zip_source_t *src = zip_source_buffer_create(mem, len, 0, &zerr);
        if (src && !(x->za = zip_open_from_source(src, ZIP_RDONLY, &zerr))) zip_source_free(src);
    } else {
        int code = 0;
        x->za = zip_open(path, ZIP_RDONLY, &code);
        zip_error_init_with_code(&zerr, code);
    }
    int zcode = zip_error_code_zip(&zerr);
    zip_error_fini(&zerr);
    if (!x->za) {
        if (zcode == ZIP_ER_MEMORY) return JC_ENOMEM;
        if (zcode == ZIP_ER_OPEN || zcode == ZIP_ER_READ)
            return tab_fail(r, JC_EIO, 0, "cannot read the file", "无法读取文件");
        return tab_fail(r, JC_EINVAL, 0, "the xlsx file is damaged (not a readable zip archive)",
                        "xlsx文件已损坏（无法解压）");
    }

    /* the package's relationships name the workbook part */
    char book[PART_NAME_MAX] = "xl/workbook.xml", dir[PART_NAME_MAX], rels_name[PART_NAME_MAX];
    rels_ctx pkg = {0};
    int rc = parse_part(r, "_rels/.rels", &pkg.pc, rels_start, ignore_end, ignore_chars);
    const struct rel *doc = rc ? NULL : rel_find(&pkg, NULL, REL_OFFICE_DOC);
    if (doc && !part_join("", doc->target, book)) rc = not_xlsx(r);
    rels_free(&pkg);
    if (rc && rc != JC_ENOTFOUND) return rc;
    if (!part_rels(book, dir, rels_name)) return not_xlsx(r);

    rels_ctx rels = {0};
    rc = parse_part(r, rels_name, &rels.pc, rels_start, ignore_end, ignore_chars);
    if (rc) {
        rels_free(&rels);
        return rc == JC_ENOTFOUND ? not_xlsx(r) : rc;
    }
    book_ctx bc = {.rels = &rels};
    rc = parse_part(r, book, &bc.pc, book_start, ignore_end, ignore_chars);
    const struct rel *sheet = bc.first_visible ? bc.first_visible : bc.first;
    const struct rel *sst = rel_find(&rels, NULL, REL_SHARED_STRINGS);
    char sheet_name[PART_NAME_MAX], sst_name[PART_NAME_MAX];
    if (!rc && !sheet)
        rc = tab_fail(r, JC_EUNPROC, 0, "the workbook has no worksheet", "工作簿中没有工作表");
    if (!rc && !part_join(dir, sheet->target, sheet_name)) rc = not_xlsx(r);
    if (!rc && !part_join(dir, sst ? sst->target : "sharedStrings.xml", sst_name)) rc = not_xlsx(r);
    rels_free(&rels);
    if (rc) return rc == JC_ENOTFOUND ? not_xlsx(r) : rc;

    if ((rc = load_shared_strings(r, sst_name))) return rc;

    zip_int64_t idx = zip_name_locate(x->za, sheet_name, ZIP_FL_NOCASE);
    if (idx < 0)
        return tab_fail(r, JC_EINVAL, 0, "the xlsx file is damaged (its worksheet is missing)",
                        "xlsx文件已损坏（缺少工作表）");
    zip_stat_t st;
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
        r->total = (int64_t)st.size;
    x->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!x->zf) return fail_zip(r, x->za);
    x->xp = XML_ParserCreateNS(NULL, '|');
    if (!x->xp) return JC_ENOMEM;
    XML_SetUserData(x->xp, r);
    XML_SetElementHandler(x->xp, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(x->xp, sheet_chars);
    XML_SetStartDoctypeDeclHandler(x->xp, sheet_refuse_dtd);
    return JC_OK;
}

int tab_sheet_open(tab_reader *r, const void *mem, size_t len, const char *path, char **errmsg)
{
    r->fmt = TAB_XLSX;
    r->total = 0;
    r->xlsx = calloc(1, sizeof *r->xlsx);
    if (!r->xlsx) return JC_ENOMEM;
    buf_init(&r->xlsx->sst, (size_t)TAB_XLSX_MAX_BYTES);
    buf_init(&r->xlsx->val, TAB_ROW_MAX);
    int rc = xlsx_setup(r, mem, len, path);
    if (rc) {
        if (!r->err_en[0]) tab_fail(r, rc, 0, "cannot read the xlsx file", "无法读取xlsx文件");
        tab_open_msg(errmsg, r->err_en, r->err_zh);
    }
    return rc;
}

void tab_sheet_close(tab_reader *r)
{
    struct tab_xlsx *x = r->xlsx;
    if (x->xp) XML_ParserFree(x->xp);
    if (x->zf) zip_fclose(x->zf);
    if (x->za) zip_discard(x->za);
    buf_free(&x->sst);
    buf_free(&x->val);
    free(x->sst_off);
    free(x);
    r->xlsx = NULL;
}
