/* audit.h — the append-only audit log.
 *
 * Every write appends {seq, time, user, action, entity, id, area, before, after, reason} in the
 * same transaction as the write itself. Rows are chained: each row's hash covers its fields and
 * the previous row's hash, so `jiceng verify` can name the first record that was altered. */
#ifndef JC_AUDIT_H
#define JC_AUDIT_H

#include "ctx.h"

/* Must run inside a transaction. before/after may be NULL; they are not stolen.
 * entity_id is text so that records keyed by codes (areas) fit too. */
int audit_append(jc_ctx *c, const char *action, const char *entity, const char *entity_id,
                 const char *area_code, json_t *before, json_t *after, const char *reason);
int audit_append_id(jc_ctx *c, const char *action, const char *entity, int64_t id,
                    const char *area_code, json_t *before, json_t *after, const char *reason);

/* Recomputes the chain. JC_OK, or JC_ECONFLICT with *bad_seq set to the first broken row
 * and why (static text). */
int audit_verify(store *db, int64_t *checked, int64_t *bad_seq, const char **why);

/* A list of entries as JSON (arena-owned): filters may be NULL / 0. Entries without an area
 * are shown only to administrators. */
int audit_list(jc_ctx *c, const char *entity, const char *entity_id, int64_t before_seq, int limit,
               json_t **out);

#endif
