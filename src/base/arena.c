#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes in data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct chunk *head;   /* malloc: chunk being filled; older chunks follow */
    struct deferred *dfr; /* arena memory: cleanups, newest first */
    size_t cap;           /* hard limit on bytes handed out */
    size_t total;         /* bytes handed out */
};

arena *arena_new(size_t cap)
{
    arena *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->cap = cap ? cap : (size_t)64 << 20;
    return a;
}

void arena_free(arena *a)
{
    if (!a) return;
    for (struct deferred *d = a->dfr; d; d = d->next) d->fn(d->p);
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *arena_alloc(arena *a, size_t n)
{
    if (n == 0) n = 1;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < n || a->total + need > a->cap || a->total + need < a->total) return NULL;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t size = need > ARENA_CHUNK / 2 ? need : ARENA_CHUNK;
        struct chunk *nc = malloc(sizeof *nc + size);
        if (!nc) return NULL;
        nc->size = size;
        nc->used = 0;
        if (c && need > ARENA_CHUNK / 2) {
            /* a big block gets its own chunk behind the current one, which keeps filling */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += need;
    return p;
}

void *arena_calloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int arena_defer(arena *a, void (*fn)(void *), void *p)
{
    struct deferred *d = arena_alloc(a, sizeof *d);
    if (!d) {
        fn(p);
        return -1;
    }
    d->fn = fn;
    d->p = p;
    d->next = a->dfr;
    a->dfr = d;
    return 0;
}

size_t arena_used(const arena *a)
{
    return a->total;
}
