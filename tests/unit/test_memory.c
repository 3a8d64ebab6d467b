/* test_memory.c — the request arena and the capped buffer: untrusted input cannot grow memory
 * without bound, and running out is an error code, never a crash. */
#include "unit.h"
#include "../../src/base/buf.h"

#include <stdio.h>

/* ---- arena ---- */

static void arena_cap_enforced(void **state)
{
    (void)state;
    arena *a = arena_new(1024);
    assert_non_null(a);
    assert_non_null(arena_alloc(a, 512));
    assert_non_null(arena_alloc(a, 512));
    assert_int_equal(arena_used(a), 1024);
    assert_null(arena_alloc(a, 1)); /* full */
    assert_null(arena_strdup(a, "x"));
    assert_null(arena_printf(a, "%d", 42));
    assert_int_equal(arena_used(a), 1024); /* refusals hand nothing out */
    arena_free(a);

    /* one request bigger than the whole cap */
    a = arena_new(4096);
    assert_null(arena_alloc(a, 4097));
    assert_non_null(arena_alloc(a, 4096));
    arena_free(a);
}

static void arena_size_overflow(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    /* sizes whose rounding up to 16 would wrap around must not become small allocations */
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX - 7));
    assert_null(arena_calloc(a, SIZE_MAX / 2));
    assert_null(arena_alloc(a, ((size_t)64 << 20) + 1)); /* default cap 64 MiB */
    assert_int_equal(arena_used(a), 0);
    arena_free(a);
}

static void arena_alignment(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    size_t sizes[] = {1, 3, 7, 8, 15, 16, 17, 33, 100, 4095, 5000, 1, 2};
    for (int round = 0; round < 50; round++)
        for (size_t i = 0; i < JC_NELEM(sizes); i++) {
            void *p = arena_alloc(a, sizes[i]);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % 16, 0);
            memset(p, 0xAB, sizes[i]); /* ASan: the whole block is ours */
        }
    /* zero bytes is a valid, distinct allocation */
    void *z1 = arena_alloc(a, 0), *z2 = arena_alloc(a, 0);
    assert_non_null(z1);
    assert_ptr_not_equal(z1, z2);
    long double *ld = arena_alloc(a, sizeof *ld);
    *ld = 1.5L;
    assert_true(*ld == 1.5L);
    arena_free(a);
}

static void arena_no_overlap_with_big_blocks(void **state)
{
    (void)state;
    /* mix small blocks and blocks bigger than a chunk; each keeps its own bytes */
    arena *a = arena_new(0);
    enum { N = 300 };
    unsigned char *p[N];
    size_t n[N];
    for (int i = 0; i < N; i++) {
        n[i] = i % 7 == 3 ? 100000 + (size_t)i : i % 5 == 0 ? 4097 : (size_t)(i * 13 % 200) + 1;
        p[i] = arena_alloc(a, n[i]);
        assert_non_null(p[i]);
        memset(p[i], i & 0xff, n[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < n[i]; k++)
            if (p[i][k] != (unsigned char)(i & 0xff))
                fail_msg("block %d byte %zu overwritten", i, k);
    arena_free(a);
}

static void arena_big_then_small_fills_current_chunk(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    char *s1 = arena_alloc(a, 16);
    char *big = arena_alloc(a, 1 << 20);
    char *s2 = arena_alloc(a, 16);
    assert_non_null(big);
    /* the small block after a big one still comes from the chunk being filled */
    assert_ptr_equal(s2, s1 + 16);
    memset(big, 1, 1 << 20);
    arena_free(a);
}

static void arena_strings(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_string_equal(arena_strdup(a, "陇海马路街道"), "陇海马路街道");
    assert_null(arena_strdup(a, NULL));
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_printf(a, "%s-%04d", "W", 7), "W-0007");
    char long_text[3000];
    memset(long_text, 'q', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    char *p = arena_printf(a, "<%s>", long_text); /* longer than any fixed buffer */
    assert_int_equal(strlen(p), sizeof long_text + 1);
    unsigned char *z = arena_calloc(a, 4096);
    for (int i = 0; i < 4096; i++) assert_int_equal(z[i], 0);
    arena_free(a);
    arena_free(NULL); /* a no-op */
}

static int order[8], norder;

static void record(void *p)
{
    order[norder++] = (int)(intptr_t)p;
}

static void arena_defer_lifo(void **state)
{
    (void)state;
    norder = 0;
    arena *a = arena_new(0);
    for (intptr_t i = 1; i <= 4; i++) assert_int_equal(arena_defer(a, record, (void *)i), 0);
    assert_int_equal(norder, 0); /* nothing runs before the arena is freed */
    arena_free(a);
    assert_int_equal(norder, 4);
    assert_int_equal(order[0], 4);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 1);
}

static void arena_defer_when_full(void **state)
{
    (void)state;
    /* when the cleanup cannot be registered it runs at once, so nothing leaks */
    norder = 0;
    arena *a = arena_new(64);
    assert_non_null(arena_alloc(a, 64));
    assert_int_equal(arena_defer(a, record, (void *)(intptr_t)9), -1);
    assert_int_equal(norder, 1);
    assert_int_equal(order[0], 9);
    arena_free(a);
    assert_int_equal(norder, 1); /* and not a second time */
}

/* Running out of arena is how a failed malloc shows up in kernel code: a jansson value handed to
 * jc_own() must not be used after the arena could not take ownership of it. */
static void arena_full_kernel_ownership(void **state)
{
    (void)state;
    jc_ctx c;
    memset(&c, 0, sizeof c);
    c.a = arena_new(64);
    c.user = &unit_system_user;
    assert_non_null(arena_alloc(c.a, 64));
    json_t *v = jc_own(&c, json_array());
    assert_null(v); /* ownership could not be recorded: the value is already released */
    /* an error with extra members on a full arena still returns its code */
    jc_fail_extra(&c, "allowed", json_array());
    assert_int_equal(jc_fail(&c, JC_ECONFLICT, "invalid_transition", "action", "x", "x"),
                     JC_ECONFLICT);
    assert_null(c.err.extra);
    arena_free(c.a);
}

/* ---- buf ---- */

static void buf_cap_enforced(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_append(&b, "0123456789", 10), JC_OK);
    assert_int_equal(buf_append(&b, "x", 1), JC_ETOOBIG);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789"); /* intact after the refusal */
    assert_int_equal(buf_puts(&b, ""), JC_OK);
    assert_int_equal(buf_printf(&b, "%d", 1), JC_ETOOBIG);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(buf_puts(&b, "abc"), JC_OK);
    assert_string_equal(b.data, "abc");
    buf_free(&b);
    assert_null(b.data);

    /* a single append bigger than the limit, and sizes that would wrap */
    buf_init(&b, 100);
    char big[101];
    memset(big, 'a', sizeof big);
    assert_int_equal(buf_append(&b, big, sizeof big), JC_ETOOBIG);
    assert_int_equal(buf_append(&b, big, 60), JC_OK);
    assert_int_equal(buf_append(&b, big, SIZE_MAX), JC_ETOOBIG);
    assert_int_equal(buf_append(&b, big, SIZE_MAX - 30), JC_ETOOBIG);
    assert_int_equal(b.len, 60);
    buf_free(&b);
}

static void buf_grows_and_terminates(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append(&b, "", 0), JC_OK);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    size_t total = 0;
    for (int i = 0; i < 2000; i++) {
        assert_int_equal(buf_printf(&b, "%d,", i), JC_OK);
        total += (size_t)snprintf(NULL, 0, "%d,", i);
        assert_int_equal(b.len, total);
        assert_int_equal(b.data[b.len], '\0');
    }
    assert_true(b.alloc > b.len);
    assert_int_equal(strncmp(b.data, "0,1,2,3,", 8), 0);
    assert_string_equal(b.data + b.len - 5, "1999,");
    /* output longer than buf_printf's stack buffer */
    char wide[1000];
    memset(wide, 'w', sizeof wide - 1);
    wide[sizeof wide - 1] = '\0';
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "[%s]", wide), JC_OK);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[0], '[');
    assert_int_equal(b.data[1000], ']');
    /* binary bytes, including NUL, are kept */
    buf_reset(&b);
    assert_int_equal(buf_append(&b, "a\0b", 3), JC_OK);
    assert_int_equal(b.len, 3);
    assert_int_equal(memcmp(b.data, "a\0b", 4), 0);
    buf_free(&b);
}

static void buf_printf_long_over_cap(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 300);
    char wide[400];
    memset(wide, 'w', sizeof wide - 1);
    wide[sizeof wide - 1] = '\0';
    assert_int_equal(buf_printf(&b, "%s", wide), JC_ETOOBIG);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_cap_enforced),
        cmocka_unit_test(arena_size_overflow),
        cmocka_unit_test(arena_alignment),
        cmocka_unit_test(arena_no_overlap_with_big_blocks),
        cmocka_unit_test(arena_big_then_small_fills_current_chunk),
        cmocka_unit_test(arena_strings),
        cmocka_unit_test(arena_defer_lifo),
        cmocka_unit_test(arena_defer_when_full),
        cmocka_unit_test(arena_full_kernel_ownership),
        cmocka_unit_test(buf_cap_enforced),
        cmocka_unit_test(buf_grows_and_terminates),
        cmocka_unit_test(buf_printf_long_over_cap),
    };
    return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
