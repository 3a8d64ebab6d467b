#include "config.h"
#include "area.h"
#include "audit.h"
#include "../base/text.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX 256

static const config_def *defs[CONFIG_MAX];
static size_t ndefs;

void config_register(const config_def *d, size_t n)
{
    for (size_t i = 0; i < n && ndefs < CONFIG_MAX; i++) defs[ndefs++] = &d[i];
}

const config_def *config_find(const char *key)
{
    for (size_t i = 0; i < ndefs; i++)
        if (strcmp(defs[i]->key, key) == 0) return defs[i];
    return NULL;
}

static const char SQL_GET[] = "SELECT value, version FROM config WHERE key = ?";

static json_t *load(jc_ctx *c, const config_def *d, int64_t *version)
{
    store_stmt *st;
    json_t *v = NULL;
    *version = 0;
    if (store_prepare(c->db, SQL_GET, &st) == JC_OK) {
        store_bind_text(st, 1, d->key);
        if (store_one(st) == JC_OK) {
            v = json_loads(store_col_text(st, 0), JSON_DECODE_ANY, NULL);
            *version = store_col_int(st, 1);
        }
        store_reset(st);
    }
    if (!v) v = json_loads(d->default_json, JSON_DECODE_ANY, NULL);
    return jc_own(c, v);
}

json_t *config_get(jc_ctx *c, const char *key)
{
    const config_def *d = config_find(key);
    int64_t version;
    return d ? load(c, d, &version) : NULL;
}

int64_t config_get_int(jc_ctx *c, const char *key, int64_t fallback)
{
    json_t *v = config_get(c, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : fallback;
}

bool config_list_has(jc_ctx *c, const char *key, const char *s)
{
    json_t *v = config_get(c, key), *e;
    size_t i;
    json_array_foreach(v, i, e) if (json_is_string(e) &&
                                    strcmp(json_string_value(e), s) == 0) return true;
    return false;
}

int config_check_string_list(jc_ctx *c, json_t *value)
{
    json_t *e;
    size_t i;
    if (!json_is_array(value) || json_array_size(value) == 0 || json_array_size(value) > 200)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                       "value must be a list of 1–200 texts", "取值须为1–200项文字列表");
    json_array_foreach(value, i, e)
    {
        if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > 200 ||
            jc_has_control(json_string_value(e)))
            return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                           "every item must be a non-empty text", "每一项都必须是非空文字");
        for (size_t k = 0; k < i; k++)
            if (json_equal(json_array_get(value, k), e))
                return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                               "the list has a duplicate item", "列表中有重复项");
    }
    return JC_OK;
}

int config_check_positive_int(jc_ctx *c, json_t *value)
{
    if (!json_is_integer(value) || json_integer_value(value) <= 0 ||
        json_integer_value(value) > 100000000)
        return jc_fail(c, JC_EINVAL, "invalid_field", "value", "value must be a positive integer",
                       "取值须为正整数");
    return JC_OK;
}

static const char SQL_UPSERT[] =
    "INSERT INTO config (key, value, version, updated_at) VALUES (?1, ?2, 1, ?3)"
    " ON CONFLICT (key) DO UPDATE SET value = ?2, version = config.version + 1, updated_at = ?3"
    " WHERE ?4 < 0 OR config.version = ?4";

int config_set(jc_ctx *c, const char *key, json_t *value, int64_t version)
{
    /* settings apply to every area: only an administrator of the whole tree may change them */
    if (!jc_user_has(c->user, RB(ROLE_ADMIN)) || !area_user_is_root(c))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only administrators of the whole jurisdiction change configuration",
                       "只有全辖区管理员可以修改配置");
    const config_def *d = config_find(key);
    if (!d)
        return jc_fail(c, JC_ENOTFOUND, "not_found", "key", "no such configuration key",
                       "没有此配置项");
    int rc = d->check ? d->check(c, value) : JC_OK;
    if (rc) return rc;
    json_t *def = jc_own(c, json_loads(d->default_json, JSON_DECODE_ANY, NULL));
    if (!d->check && def && json_typeof(def) != json_typeof(value) &&
        !(json_is_number(def) && json_is_number(value)) &&
        !(json_is_boolean(def) && json_is_boolean(value)))
        return jc_fail(c, JC_EINVAL, "invalid_field", "value",
                       "value has a different type than the default", "取值类型与默认值不一致");
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    int64_t cur_version;
    json_t *before = load(c, d, &cur_version);
    if (version >= 0 && version != cur_version) {
        store_rollback(c->db);
        jc_fail_extra(c, "current_version", json_integer(cur_version));
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the setting was changed by someone else; reload and try again",
                       "该配置已被他人修改,请刷新后重试");
    }
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    store_stmt *st;
    if (!text || (rc = store_prepare(c->db, SQL_UPSERT, &st))) {
        free(text);
        store_rollback(c->db);
        return jc_fail_db(c, text ? rc : JC_ENOMEM);
    }
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, text);
    store_bind_int(st, 3, c->now);
    store_bind_int(st, 4, version);
    rc = store_run(st);
    free(text);
    if (rc) {
        store_rollback(c->db);
        return jc_fail_db(c, rc);
    }
    if (store_changes(st) == 0) {
        store_rollback(c->db);
        return jc_fail(c, JC_ESTALE, "stale_version", "version",
                       "the setting was changed by someone else; reload and try again",
                       "该配置已被他人修改,请刷新后重试");
    }
    json_t *b = jc_own(c, json_pack("{s:O}", "value", before));
    json_t *a = jc_own(c, json_pack("{s:O}", "value", value));
    if ((rc = audit_append(c, "update", "config", key, NULL, b, a, NULL))) {
        store_rollback(c->db);
        return rc;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    return JC_OK;
}

int config_list(jc_ctx *c, json_t **out)
{
    json_t *arr = jc_own(c, json_array());
    for (size_t i = 0; i < ndefs; i++) {
        int64_t version;
        json_t *v = load(c, defs[i], &version);
        json_array_append_new(
            arr, json_pack("{s:s, s:O?, s:s, s:s, s:I, s:o?}", "key", defs[i]->key, "value", v,
                           "zh", defs[i]->zh, "en", defs[i]->en, "version", (json_int_t)version,
                           "default", json_loads(defs[i]->default_json, JSON_DECODE_ANY, NULL)));
    }
    *out = arr;
    return JC_OK;
}
