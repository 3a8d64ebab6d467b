#include "buf.h"
#include "rc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(jc_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = b->alloc = 0;
    b->limit = limit ? limit : (size_t)1 << 30;
}

int buf_append(jc_buf *b, const void *p, size_t n)
{
    if (n > b->limit || b->len > b->limit - n) return JC_ETOOBIG;
    if (b->len + n + 1 > b->alloc) {
        size_t na = b->alloc ? b->alloc : 256;
        while (na < b->len + n + 1) na *= 2;
        char *nd = realloc(b->data, na);
        if (!nd) return JC_ENOMEM;
        b->data = nd;
        b->alloc = na;
    }
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return JC_OK;
}

int buf_puts(jc_buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_printf(jc_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return JC_EINTERNAL;
    if ((size_t)n < sizeof small) return buf_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return JC_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = buf_append(b, big, (size_t)n);
    free(big);
    return rc;
}

void buf_reset(jc_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void buf_free(jc_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}
