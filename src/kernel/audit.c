#include "audit.h"
#include "area.h"
#include "../base/timeutil.h"
#include "validate.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_HEAD_BUMP[] =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
static const char SQL_HEAD_SET[] = "UPDATE audit_head SET hash = ? WHERE id = 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit (seq, at, user_id, username, action, entity, entity_id, area_code,"
    " before_json, after_json, reason, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void h_field(crypto_hash_sha256_state *h, const char *s)
{
    /* length-prefixed, so that no two different rows hash the same bytes */
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%c%zu:", s ? 's' : 'n', n);
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
    if (n) crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void h_int(crypto_hash_sha256_state *h, int64_t v, bool null)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    h_field(h, null ? NULL : t);
}

struct audit_row {
    int64_t seq, at, user_id;
    bool user_null;
    const char *username, *action, *entity, *entity_id, *area, *before, *after, *reason, *prev;
};

static void row_hash(const struct audit_row *r, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    h_field(&h, "jiceng-audit-v1");
    h_int(&h, r->seq, false);
    h_int(&h, r->at, false);
    h_int(&h, r->user_id, r->user_null);
    h_field(&h, r->username);
    h_field(&h, r->action);
    h_field(&h, r->entity);
    h_field(&h, r->entity_id);
    h_field(&h, r->area);
    h_field(&h, r->before);
    h_field(&h, r->after);
    h_field(&h, r->reason);
    h_field(&h, r->prev);
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

static const char *canon(jc_ctx *c, json_t *v)
{
    if (!v) return NULL;
    /* ENCODE_ANY: a snapshot may be a bare value (true, 5, "x"), not only an object */
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!s) return NULL;
    char *r = arena_strdup(c->a, s);
    free(s);
    return r;
}

int audit_append(jc_ctx *c, const char *action, const char *entity, const char *entity_id,
                 const char *area_code, json_t *before, json_t *after, const char *reason)
{
    if (!store_in_tx(c->db))
        return jc_fail(c, JC_EINTERNAL, "internal_error", NULL, "audit outside a transaction",
                       "审计记录未在事务中");
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_HEAD_BUMP, &st);
    if (rc) return jc_fail_db(c, rc);
    rc = store_one(st);
    if (rc) {
        store_reset(st);
        return jc_fail_db(c, rc == JC_ENOTFOUND ? JC_EDB : rc);
    }
    struct audit_row r = {0};
    r.seq = store_col_int(st, 0);
    r.prev = arena_strdup(c->a, store_col_text(st, 1));
    store_reset(st);
    r.at = c->now;
    r.user_null = !c->user || c->user->system;
    r.user_id = r.user_null ? 0 : c->user->id;
    r.username = c->user ? c->user->username : "anonymous";
    r.action = action;
    r.entity = entity;
    r.entity_id = entity_id;
    r.area = area_code && *area_code ? area_code : NULL;
    r.before = canon(c, before);
    r.after = canon(c, after);
    r.reason = reason && *reason ? reason : NULL;
    if ((before && !r.before) || (after && !r.after) || !r.prev)
        return jc_fail(c, JC_ENOMEM, "out_of_memory", NULL, "out of memory", "内存不足");
    char hash[65];
    row_hash(&r, hash);

    rc = store_prepare(c->db, SQL_INSERT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, r.seq);
    store_bind_int(st, 2, r.at);
    if (r.user_null)
        store_bind_null_int(st, 3);
    else
        store_bind_int(st, 3, r.user_id);
    store_bind_text(st, 4, r.username);
    store_bind_text(st, 5, r.action);
    store_bind_text(st, 6, r.entity);
    store_bind_text(st, 7, r.entity_id);
    store_bind_text(st, 8, r.area);
    store_bind_text(st, 9, r.before);
    store_bind_text(st, 10, r.after);
    store_bind_text(st, 11, r.reason);
    store_bind_text(st, 12, r.prev);
    store_bind_text(st, 13, hash);
    rc = store_run(st);
    if (rc) return jc_fail_db(c, rc);
    rc = store_prepare(c->db, SQL_HEAD_SET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, hash);
    rc = store_run(st);
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

int audit_append_id(jc_ctx *c, const char *action, const char *entity, int64_t id,
                    const char *area_code, json_t *before, json_t *after, const char *reason)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    return audit_append(c, action, entity, ids, area_code, before, after, reason);
}

static const char SQL_VERIFY[] =
    "SELECT seq, at, user_id, username, action, entity, entity_id, area_code, before_json,"
    " after_json, reason, prev_hash, hash FROM audit ORDER BY seq";
static const char SQL_HEAD[] = "SELECT seq, hash FROM audit_head WHERE id = 1";

static int verify_chain(store *db, char prev[65], int64_t *checked, int64_t *bad_seq,
                        const char **why);

int audit_verify(store *db, int64_t *checked, int64_t *bad_seq, const char **why)
{
    static const char zero[] = "0000000000000000000000000000000000000000000000000000000000000000";
    char prev[65];
    memcpy(prev, zero, sizeof prev);
    *checked = 0;
    *bad_seq = 0;
    /* one snapshot for the rows and the head: servers may keep appending meanwhile */
    int rc = store_begin_snapshot(db);
    if (rc) return rc;
    rc = verify_chain(db, prev, checked, bad_seq, why);
    store_rollback(db);
    return rc;
}

static int verify_chain(store *db, char prev[65], int64_t *checked, int64_t *bad_seq,
                        const char **why)
{
    int64_t expect = 1;
    store_stmt *st;
    int rc = store_prepare(db, SQL_VERIFY, &st);
    if (rc) return rc;
    while ((rc = store_step(st)) == STORE_ROW) {
        struct audit_row r;
        r.seq = store_col_int(st, 0);
        r.at = store_col_int(st, 1);
        r.user_null = store_col_null(st, 2);
        r.user_id = store_col_int(st, 2);
        r.username = store_col_text(st, 3);
        r.action = store_col_text(st, 4);
        r.entity = store_col_text(st, 5);
        r.entity_id = store_col_text(st, 6);
        r.area = store_col_text(st, 7);
        r.before = store_col_text(st, 8);
        r.after = store_col_text(st, 9);
        r.reason = store_col_text(st, 10);
        r.prev = store_col_text(st, 11);
        const char *stored = store_col_text(st, 12);
        if (r.seq != expect) {
            *bad_seq = r.seq;
            *why = "sequence gap: a record is missing before this one";
        } else if (!r.prev || strcmp(r.prev, prev) != 0) {
            *bad_seq = r.seq;
            *why = "previous-hash link broken: an earlier record was changed or removed";
        } else {
            char h[65];
            row_hash(&r, h);
            if (!stored || strcmp(h, stored) != 0) {
                *bad_seq = r.seq;
                *why = "content does not match its hash: this record was altered";
            } else {
                memcpy(prev, h, 65);
            }
        }
        if (*bad_seq) break;
        expect++;
        (*checked)++;
    }
    store_reset(st);
    if (*bad_seq) return JC_ECONFLICT;
    if (rc != STORE_DONE) return rc;
    rc = store_prepare(db, SQL_HEAD, &st);
    if (rc) return rc;
    rc = store_one(st);
    if (rc == JC_OK &&
        (store_col_int(st, 0) != expect - 1 || strcmp(store_col_text(st, 1), prev) != 0)) {
        *bad_seq = expect;
        *why = "the chain head does not match the last record: records were removed at the end";
        rc = JC_ECONFLICT;
    }
    store_reset(st);
    return rc;
}

/* Entries of areas inside the caller's grants; entries with no area (configuration) only for
 * administrators of a root of the tree. Ordered newest first, keyset-paginated by seq. */
static const char SQL_LIST[] =
    "SELECT a.seq, a.at, a.user_id, a.username, a.action, a.entity, a.entity_id, a.area_code,"
    " a.before_json, a.after_json, a.reason, u.display_name FROM audit a"
    " LEFT JOIN users u ON u.id = a.user_id"
    " WHERE (?1 IS NULL OR a.entity = ?1) AND (?2 IS NULL OR a.entity_id = ?2)"
    " AND a.seq < ?3"
    " AND ((a.area_code IS NULL AND ?5 = 1) OR ?6 = 1 OR EXISTS (SELECT 1 FROM user_areas g"
    "  WHERE g.user_id = ?4 AND a.area_code >= g.prefix AND a.area_code < g.prefix_end))"
    " ORDER BY a.seq DESC LIMIT ?7";

/* Personal data inside before/after snapshots is masked for everyone but administrators, by key:
 * any member whose name contains one of these words. */
static const char *const pii_words[] = {"citizen_id", "id_number", "phone",  "mobile",
                                        "email",      "reporter",  "contact"};

static void mask_personal(json_t *v)
{
    const char *key;
    json_t *val;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, val) mask_personal(val);
        return;
    }
    if (!json_is_object(v)) return;
    json_object_foreach(v, key, val)
    {
        bool hit = false;
        for (i = 0; i < JC_NELEM(pii_words); i++)
            if (strstr(key, pii_words[i])) hit = true;
        if (hit && json_is_string(val)) {
            char m[32];
            const char *s = json_string_value(val);
            if (strstr(key, "citizen_id") || strstr(key, "id_number"))
                mask_citizen_id(s, m);
            else if (mobile_valid(s, NULL))
                mask_phone(s, m);
            else
                snprintf(m, sizeof m, "%s", *s ? "***" : "");
            json_object_set_new(v, key, json_string(m));
        } else if (json_is_object(val) || json_is_array(val)) {
            mask_personal(val);
        }
    }
}

int audit_list(jc_ctx *c, const char *entity, const char *entity_id, int64_t before_seq, int limit,
               json_t **out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_LIST, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, entity);
    store_bind_text(st, 2, entity_id);
    store_bind_int(st, 3, before_seq > 0 ? before_seq : INT64_MAX);
    store_bind_int(st, 4, c->user->id);
    store_bind_int(st, 5, jc_user_has(c->user, RB(ROLE_ADMIN)) && area_user_is_root(c) ? 1 : 0);
    store_bind_int(st, 6, c->user->system ? 1 : 0);
    store_bind_int(st, 7, limit);
    json_t *arr = jc_own(c, json_array());
    bool pii = jc_user_has(c->user, RB(ROLE_ADMIN));
    while ((rc = store_step(st)) == STORE_ROW) {
        char ts[32];
        jc_time_local(store_col_int(st, 1), ts);
        json_t *e =
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "seq", (json_int_t)store_col_int(st, 0),
                      "at", ts, "user", store_col_text(st, 3), "action", store_col_text(st, 4),
                      "entity", store_col_text(st, 5), "entity_id", store_col_text(st, 6));
        if (!e) continue;
        if (!store_col_null(st, 2))
            json_object_set_new(e, "user_id", json_integer(store_col_int(st, 2)));
        const char *area = store_col_text(st, 7);
        json_object_set_new(e, "area", area ? json_string(area) : json_null());
        for (int k = 0; k < 2; k++) {
            const char *txt = store_col_text(st, 8 + k);
            json_t *v = txt ? json_loads(txt, 0, NULL) : NULL;
            if (v && !pii) mask_personal(v);
            json_object_set_new(e, k ? "after" : "before", v ? v : json_null());
        }
        const char *uname = store_col_text(st, 11);
        json_object_set_new(e, "user_name", json_string(uname ? uname : store_col_text(st, 3)));
        const char *reason = store_col_text(st, 10);
        json_object_set_new(e, "reason", reason ? json_string(reason) : json_null());
        json_array_append_new(arr, e);
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    *out = arr;
    return JC_OK;
}
