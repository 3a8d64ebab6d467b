/* unit.h — what every cmocka test of jiceng includes: cmocka itself (which needs these system
 * headers first) and a few helpers to build a request context without a server. */
#ifndef JC_TEST_UNIT_H
#define JC_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../src/kernel/kernel.h"

#include <string.h>

/* The user the command line acts as: every area, every role. */
static const jc_user unit_system_user = {.id = 0, .username = "system", .system = true};

/* A context with a fresh arena; db and user as given. Free with unit_ctx_done(). */
static inline void unit_ctx_init(jc_ctx *c, store *db, const jc_user *u, int64_t now)
{
    memset(c, 0, sizeof *c);
    c->a = arena_new(0);
    assert_non_null(c->a);
    c->db = db;
    c->user = u;
    c->ip = "";
    c->now = now;
}

static inline void unit_ctx_done(jc_ctx *c)
{
    arena_free(c->a);
    c->a = NULL;
}

/* The JSON array of strings in err.extra[key], as one comma-joined string ("" when absent), so
 * that tests compare it with a literal. */
static inline const char *unit_extra_list(jc_ctx *c, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    json_t *arr = c->err.extra ? json_object_get(c->err.extra, key) : NULL;
    size_t i, len = 0;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = "?";
        if (json_is_string(v))
            s = json_string_value(v);
        else if (json_is_string(json_object_get(v, "action")))
            s = json_string_value(json_object_get(v, "action")); /* wf_allowed() entries */
        len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", i ? "," : "", s);
    }
    return out;
}

#endif
