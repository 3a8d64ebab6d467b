/* cases_util.c — geometry, XML escaping, form bodies and photo sniffing (see cases_util.h). */
#include "cases_util.h"
#include "../base/rc.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define EARTH_R   6371008.8 /* mean earth radius, metres */
#define DEG       (M_PI / 180.0)
#define M_PER_DEG (EARTH_R * DEG)

double geo_distance_m(double lat1, double lng1, double lat2, double lng2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG;
    double dp = (lat2 - lat1) * DEG, dl = (lng2 - lng1) * DEG;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (a > 1) a = 1;
    return 2 * EARTH_R * atan2(sqrt(a), sqrt(1 - a));
}

double geo_segment_distance_m(double lat, double lng, double alat, double alng, double blat,
                              double blng)
{
    /* metres east/north of the point */
    double k = cos(lat * DEG) * M_PER_DEG;
    double ax = (alng - lng) * k, ay = (alat - lat) * M_PER_DEG;
    double bx = (blng - lng) * k, by = (blat - lat) * M_PER_DEG;
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    double px = ax + t * dx, py = ay + t * dy;
    return sqrt(px * px + py * py);
}

double geo_polyline_distance_m(double lat, double lng, const double *pts, int n)
{
    if (n <= 0) return INFINITY;
    if (n == 1) return geo_distance_m(lat, lng, pts[0], pts[1]);
    double best = INFINITY;
    for (int i = 0; i + 1 < n; i++) {
        double d = geo_segment_distance_m(lat, lng, pts[2 * i], pts[2 * i + 1], pts[2 * i + 2],
                                          pts[2 * i + 3]);
        if (d < best) best = d;
    }
    return best;
}

double geo_polyline_length_m(const double *pts, int n)
{
    double sum = 0;
    for (int i = 0; i + 1 < n; i++)
        sum += geo_distance_m(pts[2 * i], pts[2 * i + 1], pts[2 * i + 2], pts[2 * i + 3]);
    return sum;
}

void geo_box_around(double lat, double lng, double r_m, double *lat_lo, double *lat_hi,
                    double *lng_lo, double *lng_hi)
{
    /* 1 % wider than the circle, so that rounding never drops a point at the edge */
    double dlat = r_m * 1.01 / M_PER_DEG;
    double c = cos(lat * DEG);
    double dlng = c > 1e-6 ? r_m * 1.01 / (M_PER_DEG * c) : 180;
    *lat_lo = lat - dlat;
    *lat_hi = lat + dlat;
    *lng_lo = lng - dlng;
    *lng_hi = lng + dlng;
}

/* ---- XML ---- */

/* Length of the valid UTF-8 sequence at s (0 when malformed), its code point in *cp. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        *cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        *cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        *cp = (*cp << 6) | (s[k] & 0x3F);
    }
    if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) || *cp > 0x10FFFF ||
        (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

int xml_escape(jc_buf *b, const char *s)
{
    static const char REPLACEMENT[] = "\xEF\xBF\xBD";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *run = p; /* start of bytes to copy as they are */
    int rc = JC_OK;
    while (*p && !rc) {
        const char *rep = NULL;
        size_t adv = 1;
        uint32_t cp;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            adv = utf8_seq(p, &cp);
            if (adv == 0) {
                rep = REPLACEMENT; /* malformed byte: skip just it */
                adv = 1;
            } else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
                       cp == 0xFFFF) {
                rep = REPLACEMENT;
            }
        }
        if (rep) {
            if (p > run) rc = buf_append(b, run, (size_t)(p - run));
            if (!rc) rc = buf_puts(b, rep);
            p += adv;
            run = p;
        } else {
            p += adv;
        }
    }
    if (!rc && p > run) rc = buf_append(b, run, (size_t)(p - run));
    return rc;
}

/* ---- images ---- */

const char *image_sniff(const void *data, size_t n)
{
    const unsigned char *p = data;
    if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBPVP8", 7) == 0)
        return "image/webp";
    return NULL;
}

const char *image_ext(const char *type)
{
    if (!type) return "bin";
    if (strcmp(type, "image/jpeg") == 0) return "jpg";
    if (strcmp(type, "image/png") == 0) return "png";
    if (strcmp(type, "image/webp") == 0) return "webp";
    return "bin";
}

/* ---- forms ---- */

const form_part *form_get(const form_data *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->parts[i].name, name) == 0) return &f->parts[i];
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX and '+' of [s, s+n) into a new arena string; false on a bad escape. */
static bool url_decode(arena *a, const char *s, size_t n, char **out, size_t *outlen)
{
    char *d = arena_alloc(a, n + 1);
    if (!d) return false;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            d[o++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) return false;
            d[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[o++] = s[i];
        }
    }
    d[o] = '\0';
    *out = d;
    *outlen = o;
    return true;
}

static int add_part(arena *a, form_data *out, int *cap, const char **why)
{
    if (out->n >= FORM_MAX_PARTS) {
        *why = "too many fields";
        return JC_EINVAL;
    }
    if (out->n == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        if (ncap > FORM_MAX_PARTS) ncap = FORM_MAX_PARTS;
        form_part *np = arena_calloc(a, sizeof *np * (size_t)ncap);
        if (!np) return JC_ENOMEM;
        if (out->n) memcpy(np, out->parts, sizeof *np * (size_t)out->n);
        out->parts = np;
        *cap = ncap;
    }
    memset(&out->parts[out->n], 0, sizeof out->parts[0]);
    out->n++;
    return JC_OK;
}

int form_parse_urlencoded(arena *a, const char *body, size_t len, form_data *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    int cap = 0;
    size_t i = 0;
    while (i < len) {
        const char *seg = body + i;
        const char *amp = memchr(seg, '&', len - i);
        size_t n = amp ? (size_t)(amp - seg) : len - i;
        i += n + 1;
        if (n == 0) continue;
        const char *eq = memchr(seg, '=', n);
        size_t kn = eq ? (size_t)(eq - seg) : n;
        int rc = add_part(a, out, &cap, why);
        if (rc) return rc;
        form_part *p = &out->parts[out->n - 1];
        char *k, *v;
        size_t klen;
        if (!url_decode(a, seg, kn, &k, &klen) ||
            !url_decode(a, eq ? eq + 1 : "", eq ? n - kn - 1 : 0, &v, &p->len)) {
            *why = "malformed percent-encoding";
            return JC_EINVAL;
        }
        if (klen == 0 || klen > FORM_MAX_NAME_LEN || strlen(k) != klen) {
            *why = "a field name is empty, too long or contains NUL";
            return JC_EINVAL;
        }
        p->name = k;
        p->data = v;
    }
    return JC_OK;
}

/* The value of parameter `key` in a header like `form-data; name="x"; filename="y"`
 * (quoted or token), as a new arena string; NULL when absent. */
static const char *header_param(arena *a, const char *h, size_t hn, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < hn; i++) {
        if ((i == 0 || h[i - 1] == ';' || h[i - 1] == ' ' || h[i - 1] == '\t') &&
            strncasecmp(h + i, key, kl) == 0 && h[i + kl] == '=') {
            const char *v = h + i + kl + 1;
            size_t rest = hn - (i + kl + 1);
            if (rest && *v == '"') {
                const char *q = memchr(v + 1, '"', rest - 1);
                if (!q) return NULL;
                return arena_strndup(a, v + 1, (size_t)(q - v - 1));
            }
            size_t n = 0;
            while (n < rest && v[n] != ';' && v[n] != ' ' && v[n] != '\t') n++;
            return arena_strndup(a, v, n);
        }
    }
    return NULL;
}

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    return nn <= hn ? memmem(hay, hn, needle, nn) : NULL;
}

int form_parse_multipart(arena *a, const char *content_type, const char *body, size_t len,
                         form_data *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    const char *ct = content_type ? content_type : "";
    const char *b = header_param(a, ct, strlen(ct), "boundary");
    size_t bl = b ? strlen(b) : 0;
    if (bl == 0 || bl > 70) {
        *why = "multipart/form-data needs a boundary of 1–70 characters";
        return JC_EINVAL;
    }
    /* delimiter = CRLF "--" boundary; the first one may stand at the very start */
    char *delim = arena_alloc(a, bl + 5);
    if (!delim) return JC_ENOMEM;
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, b, bl + 1);
    size_t dl = bl + 4;
    const char *end = body + len;
    const char *p;
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
        p = body + dl - 2;
    else if ((p = find(body, len, delim, dl)))
        p += dl;
    else {
        *why = "the multipart body has no boundary line";
        return JC_EINVAL;
    }
    int cap = 0;
    for (;;) {
        /* after a delimiter: "--" ends the body, otherwise CRLF and a part */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return JC_OK;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            *why = "malformed multipart boundary line";
            return JC_EINVAL;
        }
        p += 2;
        const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        const char *blank = (end - p >= 2 && p[0] == '\r' && p[1] == '\n') ? p : NULL;
        const char *hdr_end = blank ? p : hend;
        if (!hdr_end) {
            *why = "a multipart part has no header end";
            return JC_EINVAL;
        }
        const char *data = blank ? p + 2 : hend + 4;
        const char *next = find(data, (size_t)(end - data), delim, dl);
        if (!next) {
            *why = "the multipart body is not terminated";
            return JC_EINVAL;
        }
        int rc = add_part(a, out, &cap, why);
        if (rc) return rc;
        form_part *part = &out->parts[out->n - 1];
        /* headers: one per line */
        for (const char *h = p; h < hdr_end;) {
            const char *eol = find(h, (size_t)(hdr_end - h), "\r\n", 2);
            size_t hn = eol ? (size_t)(eol - h) : (size_t)(hdr_end - h);
            if (hn > 19 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
                part->name = header_param(a, h + 20, hn - 20, "name");
                part->filename = header_param(a, h + 20, hn - 20, "filename");
            } else if (hn > 12 && strncasecmp(h, "Content-Type:", 13) == 0) {
                const char *v = h + 13;
                size_t vn = hn - 13;
                while (vn && (*v == ' ' || *v == '\t')) v++, vn--;
                part->content_type = arena_strndup(a, v, vn);
            }
            h += hn + 2;
        }
        if (!part->name || !*part->name || strlen(part->name) > FORM_MAX_NAME_LEN) {
            *why = "a multipart part has no field name (Content-Disposition name)";
            return JC_EINVAL;
        }
        part->len = (size_t)(next - data);
        char *copy = arena_alloc(a, part->len + 1);
        if (!copy) return JC_ENOMEM;
        memcpy(copy, data, part->len);
        copy[part->len] = '\0';
        part->data = copy;
        p = next + dl;
    }
}
