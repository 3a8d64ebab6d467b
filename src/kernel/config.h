/* config.h — local rules as configuration with a default, never literals buried in code.
 * Modules register their keys at start-up; administrators change values over the API; every
 * change is audited. Values are JSON. */
#ifndef JC_CONFIG_H
#define JC_CONFIG_H

#include "ctx.h"

typedef struct config_def {
    const char *key;          /* "ledger.categories" */
    const char *default_json; /* JSON text */
    const char *zh, *en;      /* what it means */
    /* optional: JC_OK or a jc_fail() naming the problem */
    int (*check)(jc_ctx *c, json_t *value);
} config_def;

/* Before the server starts threads. Keys must be unique. */
void config_register(const config_def *defs, size_t n);
const config_def *config_find(const char *key);

/* The current value (arena-owned), the default when unset; NULL for an unknown key. */
json_t *config_get(jc_ctx *c, const char *key);
int64_t config_get_int(jc_ctx *c, const char *key, int64_t fallback);
/* true if `s` is one of the strings of a list-valued key */
bool config_list_has(jc_ctx *c, const char *key, const char *s);
/* version: the version the caller read (0 = never set); -1 = unconditional (command line) */
int config_set(jc_ctx *c, const char *key, json_t *value, int64_t version);
int config_list(jc_ctx *c, json_t **out);

/* checks for list-of-strings values, usable as config_def.check */
int config_check_string_list(jc_ctx *c, json_t *value);
int config_check_positive_int(jc_ctx *c, json_t *value);

#endif
