/* arena.h — one memory pool per request (after h2o's mem pools).
 *
 * Everything request-scoped is allocated here and freed at once when the request ends, so handlers
 * never free piecemeal. An arena has a hard cap: untrusted input cannot make it grow without bound.
 * Objects owned elsewhere (jansson values, statements) are released through arena_defer(). */
#ifndef JC_ARENA_H
#define JC_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* A new arena that refuses to hold more than `cap` bytes in total (0 = 64 MiB). NULL on OOM. */
arena *arena_new(size_t cap);
/* Runs the deferred cleanups (last registered first), then frees every chunk. NULL is a no-op. */
void arena_free(arena *a);

/* 16-byte aligned memory, or NULL when the cap is reached or malloc fails. */
void *arena_alloc(arena *a, size_t n);
void *arena_calloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Registers fn(p) to run when the arena is freed. Returns 0, or -1 (and runs fn(p) now) on OOM. */
int arena_defer(arena *a, void (*fn)(void *), void *p);
/* Bytes handed out so far (for tests and limits). */
size_t arena_used(const arena *a);

#endif
