#include "jw.h"
#include "rc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw *w, jc_buf *b)
{
    memset(w, 0, sizeof *w);
    w->b = b;
}

static void put(jw *w, const char *s, size_t n)
{
    jc_buf *b = w->b;
    /* the common case inline: room in the buffer and under its cap */
    if (!w->err && b->len + n < b->alloc && b->len + n <= b->limit) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    if (!w->err) w->err = buf_append(b, s, n);
}

/* A comma before every value but the first of its container (keys place their own). */
static void begin_value(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->need_comma[w->depth]) put(w, ",", 1);
    w->need_comma[w->depth] = true;
}

static void open(jw *w, char ch)
{
    begin_value(w);
    put(w, &ch, 1);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        if (!w->err) w->err = JC_EINTERNAL;
        return;
    }
    w->need_comma[++w->depth] = false;
}

static void close_(jw *w, char ch)
{
    put(w, &ch, 1);
    if (w->depth > 0) w->depth--;
}

void jw_obj(jw *w)
{
    open(w, '{');
}
void jw_obj_end(jw *w)
{
    close_(w, '}');
}
void jw_arr(jw *w)
{
    open(w, '[');
}
void jw_arr_end(jw *w)
{
    close_(w, ']');
}

static void put_string(jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(w, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(w, run, (size_t)(p - run));
        char esc[7] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(w, esc, n);
        run = p + 1;
    }
    put(w, run, strlen(run));
    put(w, "\"", 1);
}

void jw_key(jw *w, const char *key)
{
    if (w->need_comma[w->depth]) put(w, ",", 1);
    w->need_comma[w->depth] = true;
    put_string(w, key);
    put(w, ":", 1);
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    begin_value(w);
    if (s)
        put_string(w, s);
    else
        put(w, "null", 4);
}

/* Decimal digits of v at the end of t[24]; returns where they start (no printf: it is hot). */
static char *fmt_int(int64_t v, char t[24])
{
    char *p = t + 23;
    *p = '\0';
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (v < 0) *--p = '-';
    return p;
}

void jw_int(jw *w, int64_t v)
{
    char t[24];
    char *p = fmt_int(v, t);
    begin_value(w);
    put(w, p, (size_t)(t + 23 - p));
}

/* Coordinates and scores have at most 7 decimals: written from integers, which is several times
 * faster than printf's exact float conversion. Anything else goes to "%.12g". */
static int fast_decimal(double v, char t[40])
{
    if (!(v > -1e9 && v < 1e9)) return -1;
    double scaled = v * 1e7;
    long long q = llround(scaled);
    if (fabs(scaled - (double)q) > 1e-3) return -1;
    unsigned long long a = q < 0 ? (unsigned long long)-q : (unsigned long long)q;
    unsigned long long ip = a / 10000000ull, fp = a % 10000000ull;
    char it[24];
    char *ips = fmt_int((int64_t)ip, it);
    int n = 0;
    if (q < 0) t[n++] = '-';
    size_t il = (size_t)(it + 23 - ips);
    memcpy(t + n, ips, il);
    n += (int)il;
    t[n++] = '.';
    if (fp == 0) {
        t[n++] = '0';
    } else {
        char digits[8];
        for (int i = 6; i >= 0; i--) {
            digits[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        int last = 6;
        while (digits[last] == '0') last--;
        memcpy(t + n, digits, (size_t)last + 1);
        n += last + 1;
    }
    t[n] = '\0';
    return n;
}

void jw_real(jw *w, double v)
{
    char t[40];
    int n = fast_decimal(v, t);
    if (n > 0) {
        begin_value(w);
        put(w, t, (size_t)n);
        return;
    }
    n = snprintf(t, sizeof t, "%.12g", v);
    /* JSON has no inf/nan; a real always shows a dot or exponent, as jansson writes it */
    if (!strpbrk(t, "0123456789"))
        n = snprintf(t, sizeof t, "null");
    else if (!strpbrk(t, ".eE"))
        n = snprintf(t, sizeof t, "%.12g.0", v);
    begin_value(w);
    put(w, t, (size_t)n);
}

void jw_bool(jw *w, bool v)
{
    begin_value(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
    begin_value(w);
    put(w, "null", 4);
}

void jw_raw(jw *w, const char *json)
{
    begin_value(w);
    if (json)
        put(w, json, strlen(json));
    else
        put(w, "null", 4);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    jw *w = data;
    put(w, buffer, size);
    return w->err ? -1 : 0;
}

void jw_json(jw *w, const json_t *v)
{
    begin_value(w);
    if (!v) {
        put(w, "null", 4);
        return;
    }
    if (json_dump_callback(v, dump_cb, w,
                           JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12)) &&
        !w->err)
        w->err = JC_ENOMEM;
}

void jw_kstr(jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}
void jw_kint(jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}
void jw_kreal(jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_real(w, v);
}
void jw_kbool(jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
void jw_knull(jw *w, const char *key)
{
    jw_key(w, key);
    jw_null(w);
}
void jw_kjson(jw *w, const char *key, const json_t *v)
{
    jw_key(w, key);
    jw_json(w, v);
}
