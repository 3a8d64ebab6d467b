#include "auth.h"
#include "area.h"
#include "audit.h"
#include "config.h"
#include "session_cache.h"
#include "validate.h"
#include "../base/log.h"
#include "../base/text.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int auth_init(void)
{
    return sodium_init() < 0 ? JC_EINTERNAL : JC_OK;
}

bool auth_password_ok(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    return n >= AUTH_PW_MIN && n <= AUTH_PW_MAX && jc_utf8_valid(pw, n);
}

int auth_hash_password(const char *pw, char out[128])
{
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return JC_ENOMEM;
    return JC_OK;
}

static void token_hash(const char *token, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, d, sizeof d);
}

static void token_new(const char *prefix, char out[AUTH_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t pl = strlen(prefix);
    memcpy(out, prefix, pl);
    sodium_bin2base64(out + pl, AUTH_TOKEN_LEN - pl, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* ---- users ---- */

static bool username_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 32 || !islower((unsigned char)s[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

static bool name_ok(const char *s, size_t maxchars)
{
    return s && !jc_blank(s) && jc_utf8_valid(s, strlen(s)) && !jc_has_control(s) &&
           jc_utf8_len(s) <= maxchars;
}

static const char SQL_USER_INSERT[] =
    "INSERT INTO users (username, display_name, phone, password_hash, disabled, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_ROLE_INSERT[] = "INSERT INTO user_roles (user_id, role) VALUES (?, ?)";
static const char SQL_ROLE_CLEAR[] = "DELETE FROM user_roles WHERE user_id = ?";
/* ON CONFLICT: the same area listed twice is granted once. A unique violation cannot be
 * skipped instead: on PostgreSQL it aborts the whole transaction. */
static const char SQL_GRANT_INSERT[] =
    "INSERT INTO user_areas (user_id, area_code, prefix, prefix_end) VALUES (?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING";
static const char SQL_GRANT_CLEAR[] = "DELETE FROM user_areas WHERE user_id = ?";
static const char SQL_USER_GET[] =
    "SELECT id, username, display_name, disabled, version, phone FROM users WHERE id = ?";
static const char SQL_USER_ROLES_AREAS[] =
    "SELECT 0, role FROM user_roles WHERE user_id = ?1"
    " UNION ALL SELECT 1, area_code FROM user_areas WHERE user_id = ?1 ORDER BY 1, 2";

static int check_user_input(jc_ctx *c, const user_input *in, bool creating)
{
    if (creating || in->username) {
        if (!username_ok(in->username))
            return jc_fail(c, JC_EINVAL, "invalid_field", "username",
                           "username: 3–32 characters a-z 0-9 _ . -, starting with a letter",
                           "用户名须为3–32位小写字母、数字或 _ . -,以字母开头");
    }
    if ((creating || in->display_name) && !name_ok(in->display_name, 64))
        return jc_fail(c, JC_EINVAL, "invalid_field", "display_name",
                       "display_name is required (at most 64 characters)",
                       "姓名为必填项(不超过64个字)");
    if (in->phone && *in->phone && !mobile_valid(in->phone, NULL))
        return jc_fail(c, JC_EINVAL, "invalid_field", "phone",
                       "phone is not a mobile number (11 digits starting with 13–19)",
                       "手机号码格式不正确(应为1开头的11位数字)");
    if ((creating || in->password) && !auth_password_ok(in->password))
        return jc_fail(c, JC_EINVAL, "invalid_field", "password",
                       "password must be 8–128 characters", "密码长度须为8–128个字符");
    if ((creating || in->has_roles) && (in->roles == 0 || in->roles >= (1u << ROLE__MAX)))
        return jc_fail(c, JC_EINVAL, "invalid_field", "roles",
                       "at least one known role is required", "至少需要一个有效角色");
    if (creating || in->has_areas) {
        if (in->nareas < 1)
            return jc_fail(c, JC_EINVAL, "invalid_field", "areas",
                           "at least one area must be granted", "至少需要授权一个区域");
        for (int i = 0; i < in->nareas; i++) {
            area_rec a;
            int rc = area_get(c, in->areas[i], &a);
            if (rc == JC_ENOTFOUND)
                return jc_fail(c, JC_EUNPROC, "unknown_area", "areas",
                               arena_printf(c->a, "area %s does not exist", in->areas[i]),
                               arena_printf(c->a, "区域 %s 不存在", in->areas[i]));
            if (rc) return rc;
            rc = area_check(c, in->areas[i], "areas");
            if (rc) return rc;
        }
    }
    return JC_OK;
}

static int write_roles_areas(jc_ctx *c, int64_t id, const user_input *in)
{
    store_stmt *st;
    int rc;
    if (in->has_roles) {
        if ((rc = store_prepare(c->db, SQL_ROLE_CLEAR, &st))) return jc_fail_db(c, rc);
        store_bind_int(st, 1, id);
        if ((rc = store_run(st))) return jc_fail_db(c, rc);
        for (int r = 0; r < ROLE__MAX; r++) {
            if (!(in->roles & RB(r))) continue;
            if ((rc = store_prepare(c->db, SQL_ROLE_INSERT, &st))) return jc_fail_db(c, rc);
            store_bind_int(st, 1, id);
            store_bind_text(st, 2, jc_roles[r].code);
            if ((rc = store_run(st))) return jc_fail_db(c, rc);
        }
    }
    if (in->has_areas) {
        if ((rc = store_prepare(c->db, SQL_GRANT_CLEAR, &st))) return jc_fail_db(c, rc);
        store_bind_int(st, 1, id);
        if ((rc = store_run(st))) return jc_fail_db(c, rc);
        for (int i = 0; i < in->nareas; i++) {
            jc_grant g;
            area_grant_make(in->areas[i], &g);
            if ((rc = store_prepare(c->db, SQL_GRANT_INSERT, &st))) return jc_fail_db(c, rc);
            store_bind_int(st, 1, id);
            store_bind_text(st, 2, g.code);
            store_bind_text(st, 3, g.prefix);
            store_bind_text(st, 4, g.end);
            if ((rc = store_run(st))) return jc_fail_db(c, rc);
        }
    }
    return JC_OK;
}

static int load_roles_areas(jc_ctx *c, jc_user *u);

/* Snapshot for the audit log and the API (never the password hash); disabled users too. */
static json_t *user_snapshot(jc_ctx *c, int64_t id)
{
    store_stmt *st;
    if (store_prepare(c->db, SQL_USER_GET, &st)) return NULL;
    store_bind_int(st, 1, id);
    if (store_one(st)) {
        store_reset(st);
        return NULL;
    }
    jc_user u = {0};
    u.id = id;
    u.username = arena_strdup(c->a, store_col_text(st, 1));
    u.display_name = arena_strdup(c->a, store_col_text(st, 2));
    bool disabled = store_col_int(st, 3) != 0;
    int64_t version = store_col_int(st, 4);
    const char *phone = arena_strdup(c->a, store_col_text(st, 5));
    store_reset(st);
    if (load_roles_areas(c, &u)) return NULL;
    return user_json(&u, version, phone, disabled, true);
}

/* A user's records in the audit log carry the user's first granted area, so that they are
 * visible to the administrators of that area and to nobody else. */
static const char *snapshot_area(jc_ctx *c, json_t *snap)
{
    const char *a = json_string_value(json_array_get(json_object_get(snap, "areas"), 0));
    return a ? arena_strdup(c->a, a) : NULL;
}

int user_create(jc_ctx *c, const user_input *in, int64_t *id)
{
    if (!jc_user_has(c->user, RB(ROLE_ADMIN)))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only administrators manage users",
                       "只有管理员可以管理用户");
    user_input x = *in;
    x.has_roles = x.has_areas = true;
    int rc = check_user_input(c, &x, true);
    if (rc) return rc;
    char hash[128];
    if ((rc = auth_hash_password(in->password, hash)))
        return jc_fail(c, rc, "out_of_memory", NULL, "password hashing failed", "密码加密失败");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    store_stmt *st;
    if ((rc = store_prepare(c->db, SQL_USER_INSERT, &st))) goto dbfail;
    store_bind_text(st, 1, in->username);
    store_bind_text(st, 2, in->display_name);
    store_bind_text(st, 3, in->phone && *in->phone ? in->phone : NULL);
    store_bind_text(st, 4, hash);
    store_bind_int(st, 5, in->disabled ? 1 : 0);
    store_bind_int(st, 6, c->now);
    store_bind_int(st, 7, c->now);
    int64_t uid;
    rc = store_one_int(st, &uid);
    if (rc == JC_ECONFLICT) {
        store_rollback(c->db);
        return jc_fail(c, JC_ECONFLICT, "duplicate", "username",
                       arena_printf(c->a, "username %s is taken", in->username),
                       arena_printf(c->a, "用户名 %s 已存在", in->username));
    }
    if (rc) goto dbfail;
    if ((rc = write_roles_areas(c, uid, &x))) goto fail;
    json_t *after = jc_own(c, user_snapshot(c, uid));
    if ((rc =
             audit_append_id(c, "create", "user", uid, snapshot_area(c, after), NULL, after, NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    *id = uid;
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
fail:
    store_rollback(c->db);
    return rc;
}

/* An administrator may change a user only when every area of that user lies in the admin's own
 * grants: a 街道 admin cannot touch a 区 account. */
static int check_user_in_scope(jc_ctx *c, int64_t id)
{
    if (c->user->system) return JC_OK;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_ROLES_AREAS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    bool any = false;
    while ((rc = store_step(st)) == STORE_ROW) {
        if (store_col_int(st, 0) != 1) continue;
        any = true;
        if (!area_visible(c->user, store_col_text(st, 1))) {
            store_reset(st);
            return jc_fail(c, JC_EPERM, "forbidden", NULL,
                           "this user holds areas outside your grants",
                           "该用户的授权区域超出了您的管辖范围");
        }
    }
    store_reset(st);
    if (rc != STORE_DONE) return jc_fail_db(c, rc);
    if (!any && !jc_user_has(c->user, RB(ROLE_ADMIN))) return JC_EPERM;
    return JC_OK;
}

static const char SQL_USER_UPDATE[] =
    "UPDATE users SET display_name = COALESCE(?1, display_name),"
    " phone = CASE WHEN ?8 = 1 THEN ?2 ELSE phone END,"
    " disabled = COALESCE(?3, disabled), password_hash = COALESCE(?4, password_hash),"
    " version = version + 1, updated_at = ?5 WHERE id = ?6 AND (?7 = 0 OR version = ?7)";
static const char SQL_SESSIONS_DROP[] = "DELETE FROM sessions WHERE user_id = ?";

int user_update(jc_ctx *c, int64_t id, int64_t version, const user_input *in)
{
    bool self_pw = c->user && !c->user->system && c->user->id == id && in->password &&
                   !in->display_name && !in->phone && !in->has_roles && !in->has_areas &&
                   !in->has_disabled;
    if (!self_pw && !jc_user_has(c->user, RB(ROLE_ADMIN)))
        return jc_fail(c, JC_EPERM, "forbidden", NULL, "only administrators manage users",
                       "只有管理员可以管理用户");
    int rc = check_user_input(c, in, false);
    if (rc) return rc;
    if (!self_pw && (rc = check_user_in_scope(c, id))) return rc;
    char hash[128];
    if (in->password && (rc = auth_hash_password(in->password, hash)))
        return jc_fail(c, rc, "out_of_memory", NULL, "password hashing failed", "密码加密失败");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    json_t *before = jc_own(c, user_snapshot(c, id));
    if (!before) {
        store_rollback(c->db);
        return jc_fail(c, JC_ENOTFOUND, "not_found", NULL, "no such user", "用户不存在");
    }
    store_stmt *st;
    if ((rc = store_prepare(c->db, SQL_USER_UPDATE, &st))) goto dbfail;
    store_bind_text(st, 1, in->display_name);
    store_bind_text(st, 2, in->phone && *in->phone ? in->phone : NULL);
    if (in->has_disabled)
        store_bind_int(st, 3, in->disabled ? 1 : 0);
    else
        store_bind_null_int(st, 3);
    store_bind_text(st, 4, in->password ? hash : NULL);
    store_bind_int(st, 5, c->now);
    store_bind_int(st, 6, id);
    store_bind_int(st, 7, version);
    store_bind_int(st, 8, in->phone ? 1 : 0);
    rc = store_run(st);
    if (rc) goto dbfail;
    if (store_changes(st) == 0) {
        store_rollback(c->db);
        jc_fail_extra(c, "current_version", json_incref(json_object_get(before, "version")));
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the user was changed by someone else; reload and try again",
                       "该用户已被他人修改,请刷新后重试");
    }
    if ((rc = write_roles_areas(c, id, in))) goto fail;
    if (in->password || (in->has_disabled && in->disabled)) {
        /* a new password or a disabled account ends every open session */
        if ((rc = store_prepare(c->db, SQL_SESSIONS_DROP, &st))) goto dbfail;
        store_bind_int(st, 1, id);
        if ((rc = store_run(st))) goto dbfail;
    }
    json_t *after = jc_own(c, user_snapshot(c, id));
    const char *action = self_pw ? "change_password" : in->password ? "set_password" : "update";
    if ((rc = audit_append_id(c, action, "user", id, snapshot_area(c, after), before, after, NULL)))
        goto fail;
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    session_cache_forget_user(id); /* roles, areas, password or the account itself changed */
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
fail:
    store_rollback(c->db);
    return rc;
}

static const char SQL_USER_BY_NAME[] =
    "SELECT id, password_hash, disabled FROM users WHERE username = ?";

int user_find_id(jc_ctx *c, const char *username, int64_t *id)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_BY_NAME, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, username);
    rc = store_one(st);
    if (rc == JC_OK) *id = store_col_int(st, 0);
    store_reset(st);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, rc, "not_found", "username", "no such user", "用户不存在");
    return rc ? jc_fail_db(c, rc) : JC_OK;
}

static int load_roles_areas(jc_ctx *c, jc_user *u)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_ROLES_AREAS, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, u->id);
    int cap = 4;
    u->grants = arena_alloc(c->a, sizeof *u->grants * (size_t)cap);
    u->ngrants = 0;
    u->roles = 0;
    while ((rc = store_step(st)) == STORE_ROW) {
        const char *v = store_col_text(st, 1);
        if (store_col_int(st, 0) == 0) {
            jc_role r = jc_role_from_code(v);
            if (r < ROLE__MAX) u->roles |= RB(r);
            continue;
        }
        if (u->ngrants == cap) {
            jc_grant *ng = arena_alloc(c->a, sizeof *ng * (size_t)cap * 2);
            if (!ng) break;
            memcpy(ng, u->grants, sizeof *ng * (size_t)cap);
            u->grants = ng;
            cap *= 2;
        }
        if (u->grants && area_grant_make(v, &u->grants[u->ngrants])) u->ngrants++;
    }
    store_reset(st);
    if (rc != STORE_DONE && rc != STORE_ROW) return jc_fail_db(c, rc);
    return JC_OK;
}

int user_load(jc_ctx *c, int64_t id, jc_user *out)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, id);
    rc = store_one(st);
    if (rc) {
        store_reset(st);
        return rc == JC_ENOTFOUND ? jc_fail(c, rc, "not_found", NULL, "no such user", "用户不存在")
                                  : jc_fail_db(c, rc);
    }
    memset(out, 0, sizeof *out);
    out->id = id;
    out->username = arena_strdup(c->a, store_col_text(st, 1));
    out->display_name = arena_strdup(c->a, store_col_text(st, 2));
    bool disabled = store_col_int(st, 3) != 0;
    store_reset(st);
    if (disabled)
        return jc_fail(c, JC_EAUTH, "account_disabled", NULL, "this account is disabled",
                       "该账号已停用");
    return load_roles_areas(c, out);
}

json_t *user_json(const jc_user *u, int64_t version, const char *phone, bool disabled,
                  bool show_phone)
{
    json_t *roles = json_array(), *areas = json_array();
    for (int r = 0; r < ROLE__MAX; r++)
        if (u->roles & RB(r)) json_array_append_new(roles, json_string(jc_roles[r].code));
    for (int i = 0; i < u->ngrants; i++)
        json_array_append_new(areas, json_string(u->grants[i].code));
    json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:b, s:I}", "id", (json_int_t)u->id,
                          "username", u->username, "display_name", u->display_name, "roles", roles,
                          "areas", areas, "disabled", disabled, "version", (json_int_t)version);
    if (!o) return NULL;
    if (phone && *phone) {
        char m[32];
        if (!show_phone) mask_phone(phone, m);
        json_object_set_new(o, "phone", json_string(show_phone ? phone : m));
    } else {
        json_object_set_new(o, "phone", json_null());
    }
    return o;
}

static const char SQL_USER_LIST[] =
    "SELECT u.id FROM users u"
    " WHERE ?1 = 1 OR EXISTS (SELECT 1 FROM user_areas ua JOIN user_areas g ON g.user_id = ?2"
    "  WHERE ua.user_id = u.id AND ua.area_code >= g.prefix AND ua.area_code < g.prefix_end)"
    " ORDER BY u.id LIMIT ?3 OFFSET ?4";
static const char SQL_USER_COUNT[] =
    "SELECT count(*) FROM users u"
    " WHERE ?1 = 1 OR EXISTS (SELECT 1 FROM user_areas ua JOIN user_areas g ON g.user_id = ?2"
    "  WHERE ua.user_id = u.id AND ua.area_code >= g.prefix AND ua.area_code < g.prefix_end)";

int user_list(jc_ctx *c, int offset, int limit, json_t **items, int64_t *total)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_USER_COUNT, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, c->user->system);
    store_bind_int(st, 2, c->user->id);
    rc = store_one_int(st, total);
    if (rc) return jc_fail_db(c, rc);

    if (limit > 200) limit = 200;
    if ((rc = store_prepare(c->db, SQL_USER_LIST, &st))) return jc_fail_db(c, rc);
    store_bind_int(st, 1, c->user->system);
    store_bind_int(st, 2, c->user->id);
    store_bind_int(st, 3, limit);
    store_bind_int(st, 4, offset);
    /* collect the ids first: snapshots reuse statements that must not interleave with this one */
    int64_t ids[200];
    int n = 0;
    while (n < limit && (rc = store_step(st)) == STORE_ROW) ids[n++] = store_col_int(st, 0);
    store_reset(st);
    if (rc != STORE_DONE && rc != STORE_ROW) return jc_fail_db(c, rc);
    json_t *arr = jc_own(c, json_array());
    for (int i = 0; i < n; i++) {
        json_t *o = user_snapshot(c, ids[i]);
        if (!o) return jc_fail_db(c, JC_EDB);
        json_array_append_new(arr, o);
    }
    *items = arr;
    return JC_OK;
}

int user_get_json(jc_ctx *c, int64_t id, json_t **out)
{
    int rc = check_user_in_scope(c, id);
    if (rc) return rc;
    json_t *o = jc_own(c, user_snapshot(c, id));
    if (!o) return jc_fail(c, JC_ENOTFOUND, "not_found", NULL, "no such user", "用户不存在");
    *out = o;
    return JC_OK;
}

/* ---- login, sessions, tokens ---- */

static const char SQL_FAIL_GET[] =
    "SELECT COALESCE(MAX(locked_until), 0) FROM login_failures WHERE key = ? OR key = ?";
static const char SQL_FAIL_BUMP[] =
    "INSERT INTO login_failures (key, failures, last_at, locked_until) VALUES (?1, 1, ?2, 0)"
    " ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_at < ?3 THEN 1"
    " ELSE login_failures.failures + 1 END, last_at = ?2 RETURNING failures";
static const char SQL_FAIL_LOCK[] = "UPDATE login_failures SET locked_until = ? WHERE key = ?";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE key = ?";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?)";

#define FAIL_WINDOW 900

/* Counts a failure against one key; locks it once the threshold is reached, doubling the lock
 * for every further failure (15 s, 30 s, 60 s … up to 15 minutes). */
static int bump_failure(jc_ctx *c, const char *key, int64_t threshold)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_FAIL_BUMP, &st);
    if (rc) return rc;
    store_bind_text(st, 1, key);
    store_bind_int(st, 2, c->now);
    store_bind_int(st, 3, c->now - FAIL_WINDOW);
    int64_t failures;
    rc = store_one_int(st, &failures);
    if (rc) return rc;
    if (failures < threshold) return JC_OK;
    int64_t shift = failures - threshold;
    int64_t lock = shift > 6 ? FAIL_WINDOW : 15LL << shift;
    if (lock > FAIL_WINDOW) lock = FAIL_WINDOW;
    if ((rc = store_prepare(c->db, SQL_FAIL_LOCK, &st))) return rc;
    store_bind_int(st, 1, c->now + lock);
    store_bind_text(st, 2, key);
    return store_run(st);
}

static int record_failure(jc_ctx *c, const char *kuser, const char *kip)
{
    int rc = store_begin(c->db);
    if (rc) return rc;
    rc = bump_failure(c, kuser, config_get_int(c, "auth.max_failures_per_user", 5));
    if (!rc) rc = bump_failure(c, kip, config_get_int(c, "auth.max_failures_per_address", 20));
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    return store_commit(c->db);
}

/* JC_ERATE (with retry_after) while the user or the address is locked out. */
static int check_locked(jc_ctx *c, const char *kuser, const char *kip)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_FAIL_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, kuser);
    store_bind_text(st, 2, kip);
    int64_t locked;
    rc = store_one_int(st, &locked);
    if (rc) return jc_fail_db(c, rc);
    if (locked <= c->now) return JC_OK;
    jc_fail_extra(c, "retry_after", json_integer(locked - c->now));
    return jc_fail(
        c, JC_ERATE, "too_many_attempts", NULL,
        arena_printf(c->a, "too many failed attempts; try again in %lld seconds",
                     (long long)(locked - c->now)),
        arena_printf(c->a, "密码错误次数过多,请 %lld 秒后再试", (long long)(locked - c->now)));
}

/* A hash of a fixed password: unknown users cost as much time as known ones. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void)
{
    auth_hash_password("not-a-password-jiceng", dummy);
}

int auth_login(jc_ctx *c, const char *username, const char *password, char token[AUTH_TOKEN_LEN],
               jc_user *user, int64_t *expires_at)
{
    pthread_once(&dummy_once, dummy_init);

    const char *kuser = arena_printf(c->a, "u:%s", username ? username : "");
    const char *kip = arena_printf(c->a, "ip:%s", c->ip ? c->ip : "");
    store_stmt *st;
    int rc = check_locked(c, kuser, kip);
    if (rc) return rc;

    int64_t uid = 0;
    bool disabled = false, ok = false;
    char hash[crypto_pwhash_STRBYTES] = "";
    if ((rc = store_prepare(c->db, SQL_USER_BY_NAME, &st))) return jc_fail_db(c, rc);
    store_bind_text(st, 1, username);
    rc = store_one(st);
    if (rc == JC_OK) {
        uid = store_col_int(st, 0);
        snprintf(hash, sizeof hash, "%s", store_col_text(st, 1));
        disabled = store_col_int(st, 2) != 0;
    }
    store_reset(st);
    if (rc && rc != JC_ENOTFOUND) return jc_fail_db(c, rc);
    const char *pw = password ? password : "";
    if (uid) {
        ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    } else {
        int burn = crypto_pwhash_str_verify(dummy, pw, strlen(pw)); /* time only */
        (void)burn;
    }

    if (!ok || disabled) {
        if ((rc = record_failure(c, kuser, kip))) return jc_fail_db(c, rc);
        jc_log(LOG_WARN, "login failed for '%s' from %s", username ? username : "", c->ip);
        if (ok && disabled)
            return jc_fail(c, JC_EAUTH, "account_disabled", NULL, "this account is disabled",
                           "该账号已停用");
        return jc_fail(c, JC_EAUTH, "bad_credentials", "password", "wrong username or password",
                       "用户名或密码错误");
    }

    if ((rc = user_load(c, uid, user))) return rc;
    char th[65];
    token_new("js_", token);
    token_hash(token, th);
    *expires_at = c->now + config_get_int(c, "auth.session_seconds", AUTH_SESSION_SECS);
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_FAIL_CLEAR, &st))) goto dbfail;
    store_bind_text(st, 1, kuser);
    if ((rc = store_run(st))) goto dbfail;
    if ((rc = store_prepare(c->db, SQL_SESSION_INSERT, &st))) goto dbfail;
    store_bind_text(st, 1, th);
    store_bind_int(st, 2, uid);
    store_bind_int(st, 3, c->now);
    store_bind_int(st, 4, *expires_at);
    store_bind_text(st, 5, c->ip);
    if ((rc = store_run(st))) goto dbfail;
    {
        const jc_user *saved = c->user;
        c->user = user;
        json_t *after = jc_own(c, json_pack("{s:s}", "ip", c->ip ? c->ip : ""));
        rc = audit_append_id(c, "login", "user", uid, user->ngrants ? user->grants[0].code : NULL,
                             NULL, after, NULL);
        c->user = saved;
        if (rc) {
            store_rollback(c->db);
            return rc;
        }
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
    store_rollback(c->db);
    return rc;
}

static const char SQL_SESSION_GET[] =
    "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?";
static const char SQL_SESSION_DEL[] = "DELETE FROM sessions WHERE token_hash = ?";

int auth_session(jc_ctx *c, const char *token, jc_user *user)
{
    char th[65];
    token_hash(token, th);
    if (session_cache_get(c, th, user)) return JC_OK;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SESSION_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, th);
    rc = store_one(st);
    int64_t uid = rc ? 0 : store_col_int(st, 0), exp = rc ? 0 : store_col_int(st, 1);
    store_reset(st);
    if (rc && rc != JC_ENOTFOUND) return jc_fail_db(c, rc);
    if (rc || exp <= c->now)
        return jc_fail(c, JC_EAUTH, "session_expired", NULL,
                       "not logged in, or the session has expired", "未登录或登录已过期");
    rc = user_load(c, uid, user);
    if (rc == JC_ENOTFOUND)
        return jc_fail(c, JC_EAUTH, "session_expired", NULL, "the session's user no longer exists",
                       "用户不存在");
    if (!rc) session_cache_put(th, user, exp, c->now);
    return rc;
}

int auth_logout(jc_ctx *c, const char *token)
{
    char th[65];
    token_hash(token, th);
    session_cache_forget(th);
    store_stmt *st;
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    if ((rc = store_prepare(c->db, SQL_SESSION_DEL, &st))) goto dbfail;
    store_bind_text(st, 1, th);
    if ((rc = store_run(st))) goto dbfail;
    if (c->user && (rc = audit_append_id(c, "logout", "user", c->user->id,
                                         c->user->ngrants ? c->user->grants[0].code : NULL, NULL,
                                         NULL, NULL))) {
        store_rollback(c->db);
        return rc;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
    store_rollback(c->db);
    return rc;
}

static const char SQL_TOKEN_GET[] =
    "SELECT user_id, expires_at, revoked FROM api_tokens WHERE token_hash = ?";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";

int auth_bearer(jc_ctx *c, const char *token, jc_user *user)
{
    char th[65];
    token_hash(token, th);
    if (session_cache_get(c, th, user)) return JC_OK;
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_TOKEN_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_text(st, 1, th);
    rc = store_one(st);
    int64_t uid = 0, exp = 0, revoked = 1;
    bool noexp = true;
    if (rc == JC_OK) {
        uid = store_col_int(st, 0);
        noexp = store_col_null(st, 1);
        exp = store_col_int(st, 1);
        revoked = store_col_int(st, 2);
    }
    store_reset(st);
    if (rc && rc != JC_ENOTFOUND) return jc_fail_db(c, rc);
    if (rc || revoked || (!noexp && exp <= c->now))
        return jc_fail(c, JC_EAUTH, "bad_token", NULL, "unknown, revoked or expired token",
                       "令牌无效、已吊销或已过期");
    rc = user_load(c, uid, user);
    if (!rc) session_cache_put(th, user, noexp ? INT64_MAX : exp, c->now);
    return rc;
}

int auth_token_create(jc_ctx *c, int64_t user_id, const char *name, int days,
                      char token[AUTH_TOKEN_LEN])
{
    char th[65];
    token_new("jt_", token);
    token_hash(token, th);
    int rc = store_begin(c->db);
    if (rc) return jc_fail_db(c, rc);
    store_stmt *st;
    if ((rc = store_prepare(c->db, SQL_TOKEN_INSERT, &st))) goto dbfail;
    store_bind_text(st, 1, th);
    store_bind_int(st, 2, user_id);
    store_bind_text(st, 3, name);
    store_bind_int(st, 4, c->now);
    if (days > 0)
        store_bind_int(st, 5, c->now + (int64_t)days * 86400);
    else
        store_bind_null_int(st, 5);
    int64_t tid;
    rc = store_one_int(st, &tid);
    if (rc) goto dbfail;
    json_t *after = jc_own(c, json_pack("{s:I, s:s, s:i}", "user_id", (json_int_t)user_id, "name",
                                        name, "days", days));
    jc_user owner;
    const char *area =
        user_load(c, user_id, &owner) == JC_OK && owner.ngrants ? owner.grants[0].code : NULL;
    if ((rc = audit_append_id(c, "create", "api_token", tid, area, NULL, after, NULL))) {
        store_rollback(c->db);
        return rc;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
dbfail:
    rc = jc_fail_db(c, rc);
    store_rollback(c->db);
    return rc;
}

static const char SQL_SWEEP_SESS[] = "DELETE FROM sessions WHERE expires_at <= ?";
static const char SQL_SWEEP_FAIL[] =
    "DELETE FROM login_failures WHERE last_at < ? AND locked_until < ?";

int auth_sweep(jc_ctx *c)
{
    store_stmt *st;
    int rc = store_prepare(c->db, SQL_SWEEP_SESS, &st);
    if (rc) return rc;
    store_bind_int(st, 1, c->now);
    if ((rc = store_run(st))) return rc;
    if ((rc = store_prepare(c->db, SQL_SWEEP_FAIL, &st))) return rc;
    store_bind_int(st, 1, c->now - FAIL_WINDOW);
    store_bind_int(st, 2, c->now);
    return store_run(st);
}

static const char SQL_PW_GET[] = "SELECT password_hash FROM users WHERE id = ?";

static int check_locked(jc_ctx *c, const char *kuser, const char *kip);

int auth_verify_password(jc_ctx *c, int64_t user_id, const char *password)
{
    /* guessing the current password is throttled like logins, on the same counters */
    const char *kuser = arena_printf(c->a, "u:%s", c->user ? c->user->username : "");
    const char *kip = arena_printf(c->a, "ip:%s", c->ip ? c->ip : "");
    int rc = check_locked(c, kuser, kip);
    if (rc) return rc;
    store_stmt *st;
    rc = store_prepare(c->db, SQL_PW_GET, &st);
    if (rc) return jc_fail_db(c, rc);
    store_bind_int(st, 1, user_id);
    rc = store_one(st);
    char hash[crypto_pwhash_STRBYTES] = "";
    if (!rc) snprintf(hash, sizeof hash, "%s", store_col_text(st, 0));
    store_reset(st);
    if (rc) return rc == JC_ENOTFOUND ? JC_EAUTH : jc_fail_db(c, rc);
    const char *pw = password ? password : "";
    if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0) {
        if ((rc = record_failure(c, kuser, kip))) return jc_fail_db(c, rc);
        return jc_fail(c, JC_EUNPROC, "bad_credentials", "current_password",
                       "the current password is wrong", "当前密码不正确");
    }
    return JC_OK;
}
