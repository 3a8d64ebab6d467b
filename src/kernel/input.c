#include "input.h"
#include "area.h"
#include "validate.h"
#include "../base/text.h"
#include "../base/timeutil.h"

#include <stdlib.h>
#include <string.h>

static int bad(jc_ctx *c, const field_spec *f, const char *en, const char *zh)
{
    return jc_fail(c, JC_EINVAL, "invalid_field", f->name,
                   arena_printf(c->a, "%s: %s", f->name, en),
                   arena_printf(c->a, "%s%s", f->zh ? f->zh : f->name, zh));
}

static int parse_one(jc_ctx *c, const field_spec *f, json_t *v, field_val *o)
{
    switch (f->type) {
    case FT_TEXT:
    case FT_DATE:
    case FT_AREA:
    case FT_ENUM:
    case FT_PHONE:
    case FT_CITIZEN_ID:
    case FT_CREDIT_CODE:
    case FT_DATETIME: {
        if (!json_is_string(v)) return bad(c, f, "must be a text", "须为文字");
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (strlen(s) != len || !jc_utf8_valid(s, len))
            return bad(c, f, "contains invalid characters", "含有无效字符");
        o->s = s;
        if (f->type == FT_TEXT) {
            int64_t max = f->max ? f->max : 200;
            size_t chars = jc_utf8_len(s);
            if ((f->flags & FF_REQUIRED) && jc_blank(s))
                return jc_fail(c, JC_EINVAL, "required", f->name,
                               arena_printf(c->a, "%s is required", f->name),
                               arena_printf(c->a, "%s为必填项", f->zh ? f->zh : f->name));
            if ((int64_t)chars > max)
                return bad(c, f, arena_printf(c->a, "at most %lld characters", (long long)max),
                           arena_printf(c->a, "不能超过%lld个字", (long long)max));
            if ((int64_t)chars < f->min)
                return bad(c, f, arena_printf(c->a, "at least %lld characters", (long long)f->min),
                           arena_printf(c->a, "至少%lld个字", (long long)f->min));
            for (const char *p = s; *p; p++) {
                unsigned char ch = (unsigned char)*p;
                bool nl = ch == '\n' || ch == '\r' || ch == '\t';
                if ((ch < 0x20 && !(nl && (f->flags & FF_MULTILINE))) || ch == 0x7f)
                    return bad(c, f, "contains control characters", "含有控制字符");
            }
        } else if (f->type == FT_DATE) {
            if (!jc_date_valid(s))
                return bad(c, f, "must be a date YYYY-MM-DD", "须为有效日期(YYYY-MM-DD)");
        } else if (f->type == FT_DATETIME) {
            if (!jc_datetime_parse(s, &o->i))
                return bad(c, f, "must be an ISO 8601 time such as 2026-12-01T09:30:00+08:00",
                           "须为ISO 8601时间,如 2026-12-01T09:30:00+08:00");
        } else if (f->type == FT_AREA) {
            if (!area_code_level(s))
                return bad(c, f, "must be an area code (6, 12 or 15 digits)",
                           "须为区划代码(6、12或15位数字)");
            int rc = area_check(c, s, f->name);
            if (!rc) rc = area_exists(c, s, f->name);
            if (rc) return rc;
        } else if (f->type == FT_ENUM) {
            bool ok = false;
            for (const char *const *ch = f->choices; ch && *ch; ch++)
                if (strcmp(*ch, s) == 0) ok = true;
            if (!ok) {
                json_t *allowed = json_array();
                for (const char *const *ch = f->choices; ch && *ch; ch++)
                    json_array_append_new(allowed, json_string(*ch));
                jc_fail_extra(c, "allowed", allowed);
                return bad(c, f, "is not one of the allowed values", "不是允许的取值");
            }
        } else if (f->type == FT_PHONE) {
            char norm[12];
            if (!mobile_valid(s, norm))
                return bad(c, f, "must be a mobile number (11 digits starting 13–19)",
                           "须为11位手机号码");
            o->s = arena_strdup(c->a, norm);
            if (!o->s) return JC_ENOMEM; /* never a present field with no value */
        } else if (f->type == FT_CITIZEN_ID) {
            char today[11];
            int64_t days;
            jc_date_local(c->now, today);
            jc_date_parse(today, &days);
            switch (citizen_id_check(s, days, NULL)) {
            case CID_OK:
                break;
            case CID_FORMAT:
                return bad(c, f, "must be 17 digits and a check digit or X",
                           "须为18位(17位数字加校验码)");
            case CID_DATE:
                return bad(c, f, "contains an impossible birth date", "中的出生日期无效");
            case CID_CHECKSUM:
                return bad(c, f, "check digit does not match (GB 11643)", "校验码不正确(GB 11643)");
            }
            if (s[17] == 'x') {
                char *u = arena_strdup(c->a, s);
                if (!u) return JC_ENOMEM;
                u[17] = 'X';
                o->s = u;
            }
        } else if (f->type == FT_CREDIT_CODE) {
            credit_code_status st = credit_code_check(s, NULL);
            if (st == CCODE_FORMAT)
                return bad(c, f,
                           "must be 18 characters of 0-9 and A-Y without I, O, S, V, Z (GB 32100)",
                           "须为18位统一社会信用代码(GB 32100)");
            o->warn = st == CCODE_CHECKSUM;
        }
        return JC_OK;
    }
    case FT_INT:
    case FT_MONEY:
        if (!json_is_integer(v))
            return bad(c, f,
                       f->type == FT_MONEY ? "must be an integer amount in fen"
                                           : "must be an integer",
                       f->type == FT_MONEY ? "须为整数金额(单位:分)" : "须为整数");
        o->i = json_integer_value(v);
        if (f->type == FT_MONEY && o->i < f->min)
            return bad(c, f, arena_printf(c->a, "must be at least %lld fen", (long long)f->min),
                       arena_printf(c->a, "不能少于%lld分", (long long)f->min));
        if (f->type == FT_INT && (f->min || f->max) && (o->i < f->min || o->i > f->max))
            return bad(
                c, f,
                arena_printf(c->a, "must be between %lld and %lld", (long long)f->min,
                             (long long)f->max),
                arena_printf(c->a, "须在%lld到%lld之间", (long long)f->min, (long long)f->max));
        return JC_OK;
    case FT_NUMBER:
        if (!json_is_number(v)) return bad(c, f, "must be a number", "须为数字");
        o->d = json_number_value(v);
        if ((f->min || f->max) && (o->d < (double)f->min || o->d > (double)f->max))
            return bad(
                c, f,
                arena_printf(c->a, "must be between %lld and %lld", (long long)f->min,
                             (long long)f->max),
                arena_printf(c->a, "须在%lld到%lld之间", (long long)f->min, (long long)f->max));
        return JC_OK;
    case FT_BOOL:
        if (!json_is_boolean(v)) return bad(c, f, "must be true or false", "须为是或否");
        o->i = json_is_true(v);
        return JC_OK;
    case FT_STRLIST: {
        size_t max = f->max ? (size_t)f->max : 100, i;
        json_t *e;
        if (!json_is_array(v) || json_array_size(v) > max)
            return bad(c, f, arena_printf(c->a, "must be a list of at most %zu texts", max),
                       arena_printf(c->a, "须为不超过%zu项的文字列表", max));
        o->nlist = (int)json_array_size(v);
        o->list = arena_alloc(c->a, sizeof(char *) * ((size_t)o->nlist + 1));
        if (!o->list) return JC_ENOMEM;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e) || !jc_utf8_valid(json_string_value(e), json_string_length(e)) ||
                jc_has_control(json_string_value(e)) || json_string_length(e) > 800)
                return bad(c, f, "every item must be a text", "每一项都须为文字");
            o->list[i] = json_string_value(e);
        }
        o->list[o->nlist] = NULL;
        if ((f->flags & FF_REQUIRED) && o->nlist == 0)
            return jc_fail(c, JC_EINVAL, "required", f->name,
                           arena_printf(c->a, "%s needs at least one item", f->name),
                           arena_printf(c->a, "%s至少需要一项", f->zh ? f->zh : f->name));
        return JC_OK;
    }
    case FT_JSON:
        if (!json_is_object(v) && !json_is_array(v))
            return bad(c, f, "must be a JSON object or array", "须为JSON对象或数组");
        o->j = v;
        return JC_OK;
    }
    return JC_EINTERNAL;
}

int input_parse(jc_ctx *c, json_t *body, const field_spec *spec, size_t n, field_val *out,
                const char *const *also)
{
    memset(out, 0, sizeof *out * n);
    if (body && !json_is_object(body))
        return jc_fail(c, JC_EINVAL, "invalid_json", NULL, "the body must be a JSON object",
                       "请求内容须为JSON对象");
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++) known = strcmp(spec[i].name, key) == 0;
        for (const char *const *a = also; a && *a && !known; a++) known = strcmp(*a, key) == 0;
        if (!known)
            return jc_fail(c, JC_EINVAL, "unknown_field", arena_strdup(c->a, key),
                           arena_printf(c->a, "unknown field '%s'", key),
                           arena_printf(c->a, "不认识的字段「%s」", key));
    }
    for (size_t i = 0; i < n; i++) {
        const field_spec *f = &spec[i];
        json_t *val = body ? json_object_get(body, f->name) : NULL;
        if (!val) {
            if (f->flags & FF_REQUIRED)
                return jc_fail(c, JC_EINVAL, "required", f->name,
                               arena_printf(c->a, "%s is required", f->name),
                               arena_printf(c->a, "%s为必填项", f->zh ? f->zh : f->name));
            continue;
        }
        out[i].present = true;
        if (json_is_null(val)) {
            if (!(f->flags & FF_NULLABLE) || (f->flags & FF_REQUIRED))
                return jc_fail(c, JC_EINVAL, f->flags & FF_REQUIRED ? "required" : "invalid_field",
                               f->name, arena_printf(c->a, "%s may not be null", f->name),
                               arena_printf(c->a, "%s不能为空", f->zh ? f->zh : f->name));
            out[i].null = true;
            continue;
        }
        int rc = parse_one(c, f, val, &out[i]);
        if (rc) return rc;
    }
    return JC_OK;
}

int input_version(jc_ctx *c, json_t *body, const char *if_match, int64_t *version)
{
    json_t *v = body ? json_object_get(body, "version") : NULL;
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return jc_fail(c, JC_EINVAL, "invalid_field", "version",
                           "version must be a positive integer", "version 须为正整数");
        *version = json_integer_value(v);
        return JC_OK;
    }
    if (if_match && *if_match) {
        const char *p = if_match;
        if (strncmp(p, "W/", 2) == 0) p += 2;
        if (*p == '"') p++;
        char *end;
        long long x = strtoll(p, &end, 10);
        if (end != p && x >= 1 && (*end == '"' || *end == '\0')) {
            *version = x;
            return JC_OK;
        }
        return jc_fail(c, JC_EINVAL, "invalid_field", "If-Match",
                       "If-Match must be the record's ETag, e.g. \"3\"",
                       "If-Match 须为记录的ETag,如 \"3\"");
    }
    return jc_fail(c, JC_EPRECOND, "version_required", "version",
                   "send the version you read (field version or If-Match header)",
                   "请提供读取时的版本号(version 字段或 If-Match 头)");
}
