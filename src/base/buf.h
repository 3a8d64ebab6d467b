/* buf.h — a growable byte buffer with a hard cap (after curl's dynbuf).
 * data is malloc'd and always NUL-terminated after a successful append. */
#ifndef JC_BUF_H
#define JC_BUF_H

#include <stddef.h>

typedef struct jc_buf {
    char *data;   /* malloc: NULL until the first append */
    size_t len;   /* bytes used, excluding the terminating NUL */
    size_t alloc; /* bytes allocated */
    size_t limit; /* appends that would exceed this fail with JC_ETOOBIG */
} jc_buf;

void buf_init(jc_buf *b, size_t limit);
int buf_append(jc_buf *b, const void *p, size_t n);
int buf_puts(jc_buf *b, const char *s);
int buf_printf(jc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(jc_buf *b); /* len = 0, keeps memory */
void buf_free(jc_buf *b);

#endif
