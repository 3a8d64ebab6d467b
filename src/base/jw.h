/* jw.h — writes JSON text straight into a capped buffer (after kcgi's kjson).
 *
 * For the answers that are read most (single records, lists): building a jansson tree and then
 * dumping it costs more than the rest of the request. Callers emit keys and values in order;
 * the writer places commas and escapes strings. The first failure (memory, cap) sticks in err. */
#ifndef JC_JW_H
#define JC_JW_H

#include "buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    jc_buf *b;
    int depth;
    bool need_comma[JW_MAX_DEPTH];
    bool after_key;
    int err; /* jc_rc of the first failure, JC_OK while fine */
} jw;

void jw_init(jw *w, jc_buf *b);
void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
void jw_arr_end(jw *w);
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s); /* NULL writes null */
void jw_int(jw *w, int64_t v);
void jw_real(jw *w, double v); /* 12 significant digits, as the jansson answers */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
void jw_raw(jw *w, const char *json); /* already-encoded JSON (NULL writes null) */
void jw_json(jw *w, const json_t *v); /* a jansson value (NULL writes null) */

/* key + value in one call */
void jw_kstr(jw *w, const char *key, const char *s);
void jw_kint(jw *w, const char *key, int64_t v);
void jw_kreal(jw *w, const char *key, double v);
void jw_kbool(jw *w, const char *key, bool v);
void jw_knull(jw *w, const char *key);
void jw_kjson(jw *w, const char *key, const json_t *v);

#endif
