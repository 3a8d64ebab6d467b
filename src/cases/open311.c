/* open311.c — Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), public, no login:
 * discovery, services, service definitions, requests (GET with the spec's filters, POST as
 * application/x-www-form-urlencoded or multipart/form-data with a photo), single requests and
 * tokens, each in JSON and XML, with the spec's field names and its error format
 * [{"code":…,"description":…}]. Public reads never show the reporter's contact data; anonymous
 * reports are limited per client address (cases.open311_rate_per_hour), counted in the database
 * so that several servers agree. */
#include "cases.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHANGESET "2026-01-01T00:00:00+08:00" /* of this module's services and endpoints */
#define SPEC_URL  "http://wiki.open311.org/GeoReport_v2"

/* ---- one writer for JSON and XML ---- */

enum { OW_ARR, OW_OBJ };

typedef struct ow {
    bool xml;
    jc_buf *b;
    jw j;
    struct {
        int kind;
        const char *name, *item; /* XML: this element, and the name of its items */
    } st[16];
    int depth;
    int err;
} ow;

static void buf_free_cb(void *p)
{
    buf_free(p);
}

static ow *ow_new(jc_req *r, bool xml)
{
    ow *w = arena_calloc(r->c.a, sizeof *w);
    jc_buf *b = arena_alloc(r->c.a, sizeof *b);
    if (!w || !b) return NULL;
    buf_init(b, (size_t)64 << 20);
    if (arena_defer(r->c.a, buf_free_cb, b)) return NULL;
    w->xml = xml;
    w->b = b;
    jw_init(&w->j, b);
    if (xml) w->err = buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    return w;
}

static void x_open(ow *w, const char *name)
{
    if (!w->err) w->err = buf_printf(w->b, "<%s>", name);
}

static void x_close(ow *w, const char *name)
{
    if (!w->err) w->err = buf_printf(w->b, "</%s>", name);
}

static void push(ow *w, int kind, const char *name, const char *item)
{
    if (w->depth >= 16) {
        w->err = JC_EINTERNAL;
        return;
    }
    w->st[w->depth].kind = kind;
    w->st[w->depth].name = name;
    w->st[w->depth].item = item;
    w->depth++;
}

/* a top-level list <root><item>…</item></root> or [ … ] */
static void ow_doc_list(ow *w, const char *root, const char *item)
{
    push(w, OW_ARR, root, item);
    if (w->xml)
        x_open(w, root);
    else
        jw_arr(&w->j);
}

/* a top-level object <root>…</root> or { … } */
static void ow_doc_obj(ow *w, const char *root)
{
    push(w, OW_OBJ, root, NULL);
    if (w->xml)
        x_open(w, root);
    else
        jw_obj(&w->j);
}

/* an object inside a list */
static void ow_obj(ow *w)
{
    const char *name = w->depth ? w->st[w->depth - 1].item : "item";
    push(w, OW_OBJ, name, NULL);
    if (w->xml)
        x_open(w, name);
    else
        jw_obj(&w->j);
}

/* a list member of an object: <key><item/>…</key> or "key":[…] */
static void ow_karr(ow *w, const char *key, const char *item)
{
    push(w, OW_ARR, key, item);
    if (w->xml) {
        x_open(w, key);
    } else {
        jw_key(&w->j, key);
        jw_arr(&w->j);
    }
}

static void ow_end(ow *w)
{
    if (!w->depth) return;
    w->depth--;
    int kind = w->st[w->depth].kind;
    if (w->xml)
        x_close(w, w->st[w->depth].name);
    else if (kind == OW_ARR)
        jw_arr_end(&w->j);
    else
        jw_obj_end(&w->j);
}

static void ow_kstr(ow *w, const char *key, const char *v)
{
    if (!w->xml) {
        jw_kstr(&w->j, key, v);
        return;
    }
    if (w->err) return;
    if (!v) {
        w->err = buf_printf(w->b, "<%s/>", key);
        return;
    }
    x_open(w, key);
    if (!w->err) w->err = xml_escape(w->b, v);
    x_close(w, key);
}

/* a string inside a list of strings */
static void ow_str(ow *w, const char *v)
{
    if (!w->xml) {
        jw_str(&w->j, v);
        return;
    }
    ow_kstr(w, w->depth ? w->st[w->depth - 1].item : "item", v);
}

static void ow_kint(ow *w, const char *key, int64_t v)
{
    if (!w->xml) {
        jw_kint(&w->j, key, v);
        return;
    }
    if (!w->err) w->err = buf_printf(w->b, "<%s>%lld</%s>", key, (long long)v, key);
}

static void ow_kreal(ow *w, const char *key, double v)
{
    if (!w->xml) {
        jw_kreal(&w->j, key, v);
        return;
    }
    if (!w->err) w->err = buf_printf(w->b, "<%s>%.12g</%s>", key, v, key);
}

static void ow_kbool(ow *w, const char *key, bool v)
{
    if (!w->xml) {
        jw_kbool(&w->j, key, v);
        return;
    }
    if (!w->err) w->err = buf_printf(w->b, "<%s>%s</%s>", key, v ? "true" : "false", key);
}

static void ow_knull(ow *w, const char *key)
{
    ow_kstr(w, key, NULL);
}

static void ow_ktime(ow *w, const char *key, int64_t t)
{
    if (!t) {
        ow_knull(w, key);
        return;
    }
    char ts[32];
    jc_time_local(t, ts);
    ow_kstr(w, key, ts);
}

/* Hands the document to the router as the answer. */
static int ow_send(jc_req *r, ow *w, int status)
{
    int err = w->err ? w->err : w->j.err;
    if (err)
        return jc_fail(&r->c, err, "out_of_memory", NULL, "the answer could not be written",
                       "无法生成应答");
    r->status = status;
    r->raw = w->b->data ? w->b->data : "";
    r->raw_len = w->b->len;
    r->raw_type = w->xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
    return JC_OK;
}

/* ---- formats and errors ---- */

/* "name.json" / "name.xml": the name (arena) and the format; false for anything else */
static bool split_format(jc_req *r, const char *file, const char **name, bool *xml)
{
    const char *dot = file ? strrchr(file, '.') : NULL;
    if (!dot || dot == file) return false;
    if (strcmp(dot, ".json") == 0)
        *xml = false;
    else if (strcmp(dot, ".xml") == 0)
        *xml = true;
    else
        return false;
    *name = arena_strndup(r->c.a, file, (size_t)(dot - file));
    return *name != NULL;
}

static bool path_is_xml(jc_req *r)
{
    size_t n = strlen(r->path);
    return n > 4 && strcmp(r->path + n - 4, ".xml") == 0;
}

static int status_of(int rc)
{
    switch (rc) {
    case JC_EINVAL:
    case JC_EUNPROC:
    case JC_EMEDIA:
        return 400;
    case JC_ETOOBIG:
        return 413;
    case JC_EPERM:
    case JC_EAUTH:
        return 403;
    case JC_ENOTFOUND:
        return 404;
    case JC_ECONFLICT:
    case JC_ESTALE:
        return 409;
    case JC_ERATE:
        return 429;
    case JC_EBUSY:
        return 503;
    default:
        return 500;
    }
}

/* An Open311 error list with one error; JSON errors also name the field and carry the
 * Chinese text (extra members the spec allows). */
static int o311_error(jc_req *r, bool xml, int status, const char *field, const char *en,
                      const char *zh)
{
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    const char *desc = zh && *zh ? arena_printf(r->c.a, "%s / %s", en, zh) : en;
    ow_doc_list(w, "errors", "error");
    ow_obj(w);
    ow_kint(w, "code", status);
    ow_kstr(w, "description", desc);
    if (!xml) {
        if (field) ow_kstr(w, "field", field);
        ow_kstr(w, "description_en", en);
        if (zh) ow_kstr(w, "description_zh", zh);
    }
    ow_end(w);
    ow_end(w);
    return ow_send(r, w, status);
}

/* Turns a failure described by jc_fail() into an Open311 error answer. */
static int o311_fail(jc_req *r, bool xml, int rc)
{
    int status = status_of(rc);
    const char *en = r->c.err.en, *zh = r->c.err.zh;
    if (status >= 500) {
        en = status == 503 ? "the service is busy; try again shortly" : "internal error";
        zh = status == 503 ? "服务繁忙,请稍后重试" : "服务器内部错误";
    }
    const char *field = r->c.err.field;
    r->c.err = (jc_err){0};
    return o311_error(r, xml, status, field, en ? en : "request failed", zh);
}

/* Errors the router meets on /open311/ paths (no such path, bad bytes in the address, the
 * database away) in the protocol's own format, JSON or XML after the path's extension. */
void open311_render_error(jc_req *r, int rc)
{
    size_t n = strlen(r->path);
    bool xml = n > 4 && strcmp(r->path + n - 4, ".xml") == 0;
    o311_fail(r, xml, rc);
}

/* ---- discovery and services ---- */

static const char *base_url(jc_ctx *c)
{
    const char *base = json_string_value(config_get(c, "cases.public_base_url"));
    size_t n = base ? strlen(base) : 0;
    while (n && base[n - 1] == '/') n--;
    return arena_strndup(c->a, base ? base : "", n);
}

int open311_discovery(jc_req *r)
{
    bool xml = path_is_xml(r);
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    ow_doc_obj(w, "discovery");
    ow_kstr(w, "changeset", CHANGESET);
    ow_kstr(w, "contact", json_string_value(config_get(&r->c, "cases.open311_contact")));
    ow_kstr(w, "key_service",
            "匿名上报无需 api_key;机构接入请联系街道城市管理办公室申请(jiceng token create)。"
            " Anonymous reports need no api_key; organisations ask the office for one.");
    ow_karr(w, "endpoints", "endpoint");
    ow_obj(w);
    ow_kstr(w, "specification", SPEC_URL);
    ow_kstr(w, "url", arena_printf(r->c.a, "%s/open311/v2", base_url(&r->c)));
    ow_kstr(w, "changeset", CHANGESET);
    ow_kstr(w, "type", "production");
    ow_karr(w, "formats", "format");
    ow_str(w, "text/xml");
    ow_str(w, "application/json");
    ow_end(w);
    ow_end(w);
    ow_end(w);
    ow_end(w);
    return ow_send(r, w, 200);
}

/* The caller of an api_key (query or form), or NULL. *bad when a key was given but is not one. */
static const jc_user *api_key_user(jc_req *r, const char *key, bool *bad)
{
    *bad = false;
    if (!key || !*key) return NULL;
    jc_user *u = arena_calloc(r->c.a, sizeof *u);
    if (!u || auth_bearer(&r->c, key, u)) {
        r->c.err = (jc_err){0};
        *bad = true;
        return NULL;
    }
    return u;
}

static bool want_english(jc_req *r)
{
    const char *l = req_query(r, "locale");
    return l && strncasecmp(l, "en", 2) == 0;
}

int open311_services(jc_req *r)
{
    bool xml = path_is_xml(r), bad;
    const jc_user *keyed = api_key_user(r, req_query(r, "api_key"), &bad);
    if (bad) return o311_error(r, xml, 403, "api_key", "invalid api_key", "api_key 无效");
    case_service *s;
    int n;
    int rc = cases_services(&r->c, &s, &n);
    if (rc) return o311_fail(r, xml, rc);
    bool en = want_english(r);
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    ow_doc_list(w, "services", "service");
    for (int i = 0; i < n; i++) {
        /* services open to residents; the others only for a keyed client */
        if (!s[i].is_public && !keyed) continue;
        ow_obj(w);
        ow_kstr(w, "service_code", s[i].code);
        ow_kstr(w, "service_name", en ? s[i].name_en : s[i].name);
        ow_kstr(w, "description", s[i].description);
        ow_kbool(w, "metadata", json_array_size(s[i].attributes) > 0);
        ow_kstr(w, "type", "realtime");
        ow_kstr(w, "keywords", s[i].keywords);
        ow_kstr(w, "group", s[i].group);
        ow_end(w);
    }
    ow_end(w);
    return ow_send(r, w, 200);
}

int open311_service(jc_req *r)
{
    const char *code;
    bool xml = false;
    if (!split_format(r, r->vars[0], &code, &xml))
        return o311_error(r, xml, 404, NULL, "use services/{service_code}.json or .xml",
                          "请使用 services/{service_code}.json 或 .xml");
    case_service s;
    if (cases_service_get(&r->c, code, "service_code", &s)) {
        r->c.err = (jc_err){0};
        return o311_error(r, xml, 404, "service_code",
                          arena_printf(r->c.a, "service_code %s not found", code),
                          "诉求类别不存在");
    }
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    ow_doc_obj(w, "service_definition");
    ow_kstr(w, "service_code", s.code);
    ow_karr(w, "attributes", "attribute");
    size_t i;
    json_t *a;
    json_array_foreach(s.attributes, i, a)
    {
        const char *dt = json_string_value(json_object_get(a, "datatype"));
        const char *dd = json_string_value(json_object_get(a, "datatype_description"));
        ow_obj(w);
        ow_kbool(w, "variable", true);
        ow_kstr(w, "code", json_string_value(json_object_get(a, "code")));
        ow_kstr(w, "datatype", dt);
        ow_kbool(w, "required", json_is_true(json_object_get(a, "required")));
        ow_kstr(w, "datatype_description", dd ? dd : "");
        ow_kint(w, "order",
                json_is_integer(json_object_get(a, "order"))
                    ? json_integer_value(json_object_get(a, "order"))
                    : (int64_t)i + 1);
        ow_kstr(w, "description", json_string_value(json_object_get(a, "description")));
        ow_karr(w, "values", "value");
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(a, "values"), k, v)
        {
            ow_obj(w);
            ow_kstr(w, "key", json_string_value(json_object_get(v, "key")));
            ow_kstr(w, "name", json_string_value(json_object_get(v, "name")));
            ow_end(w);
        }
        ow_end(w);
        ow_end(w);
    }
    ow_end(w);
    ow_end(w);
    return ow_send(r, w, 200);
}

/* ---- requests ---- */

static int write_request(jc_ctx *c, const o311_row *row, void *arg)
{
    ow *w = arg;
    bool merged = row->merged_into && row->o_state && strcmp(row->state, "merged") == 0;
    const char *state = merged ? row->o_state : row->state;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)row->id);
    ow_obj(w);
    ow_kstr(w, "service_request_id", id);
    ow_kstr(w, "status", case_is_open(state) ? "open" : "closed");
    ow_kstr(w, "status_notes",
            case_status_notes(c, row->id, merged ? row->merged_into : row->id, state,
                              merged ? row->o_team : row->team_name,
                              merged ? row->o_reply : row->reply,
                              merged ? row->o_reason : row->last_reason));
    ow_kstr(w, "service_name", row->service_name);
    ow_kstr(w, "service_code", row->service_code);
    const char *desc = row->public_description ? row->public_description : row->description;
    ow_kstr(w, "description", desc && *desc ? desc : row->service_name);
    ow_kstr(w, "agency_responsible",
            (merged ? row->o_team : row->team_name) ? (merged ? row->o_team : row->team_name)
                                                    : row->area_name);
    ow_kstr(w, "service_notice", "");
    ow_ktime(w, "requested_datetime", row->created_at);
    ow_ktime(w, "updated_datetime",
             merged && row->o_updated > row->updated_at ? row->o_updated : row->updated_at);
    ow_ktime(w, "expected_datetime", merged ? row->o_deadline : row->deadline_at);
    ow_kstr(w, "address", row->address ? row->address : "");
    ow_kstr(w, "address_id", "");
    ow_kstr(w, "zipcode", "");
    if (row->has_pos) {
        ow_kreal(w, "lat", row->lat);
        ow_kreal(w, "long", row->lng);
    } else {
        ow_knull(w, "lat");
        ow_knull(w, "long");
    }
    ow_kstr(w, "media_url",
            row->media_key ? case_media_url(c, row->media_key, row->media_type) : "");
    ow_end(w);
    return w->err ? w->err : w->j.err;
}

/* A date filter: ISO 8601 with offset (or a bare date, midnight in Shanghai). */
static bool query_time(jc_req *r, const char *key, int64_t *t, bool *given)
{
    const char *v = req_query(r, key);
    *given = v && *v;
    return !*given || jc_datetime_parse(v, t);
}

int open311_get(jc_req *r)
{
    bool xml = path_is_xml(r);
    int64_t max = config_get_int(&r->c, "cases.open311_max_requests", 1000);
    const char *ids = req_query(r, "service_request_id");
    ow *w = NULL;
    if (ids && *ids) {
        /* the spec: with service_request_id every other parameter is ignored */
        const char *p = ids;
        int64_t list[100];
        int n = 0;
        while (*p) {
            char *end;
            long long v = strtoll(p, &end, 10);
            if (end == p || v <= 0 || (*end && *end != ',') || n == 100)
                return o311_error(r, xml, 400, "service_request_id",
                                  "service_request_id must be a comma list of at most 100 ids",
                                  "service_request_id 须为以逗号分隔的编号(最多100个)");
            list[n++] = v;
            p = *end ? end + 1 : end;
        }
        if (!(w = ow_new(r, xml))) return JC_ENOMEM;
        ow_doc_list(w, "service_requests", "request");
        for (int i = 0; i < n; i++) {
            int rc = db_open311_one(&r->c, list[i], write_request, w);
            if (rc == JC_ENOTFOUND) {
                r->c.err = (jc_err){0};
                continue;
            }
            if (rc) return o311_fail(r, xml, rc);
        }
        ow_end(w);
        return ow_send(r, w, 200);
    }
    o311_filter f = {0};
    int64_t start, end;
    bool has_start, has_end;
    if (!query_time(r, "start_date", &start, &has_start))
        return o311_error(r, xml, 400, "start_date",
                          "start_date must be an ISO 8601 time such as 2026-03-01T00:00:00+08:00",
                          "start_date 须为ISO 8601时间,如 2026-03-01T00:00:00+08:00");
    if (!query_time(r, "end_date", &end, &has_end))
        return o311_error(r, xml, 400, "end_date",
                          "end_date must be an ISO 8601 time such as 2026-03-31T23:59:59+08:00",
                          "end_date 须为ISO 8601时间,如 2026-03-31T23:59:59+08:00");
    /* the spec's default: the 90 days before end_date (or now) */
    f.to = has_end ? end + 1 : r->c.now + 1;
    f.from = has_start ? start : f.to - 1 - 90 * 86400;
    if (has_start && !has_end && f.to < f.from) f.to = f.from + 90 * 86400;
    if (f.from >= f.to)
        return o311_error(r, xml, 400, "start_date", "start_date must be before end_date",
                          "start_date 须早于 end_date");
    const char *svc = req_query(r, "service_code");
    if (svc && *svc) {
        case_service s;
        if (cases_service_get(&r->c, svc, "service_code", &s)) {
            r->c.err = (jc_err){0};
            return o311_error(r, xml, 400, "service_code",
                              arena_printf(r->c.a, "service_code %s not found", svc),
                              "诉求类别不存在");
        }
        f.service = svc;
    }
    const char *status = req_query(r, "status");
    if (status && *status) {
        bool open = false, closed = false;
        for (const char *p = status; *p;) {
            size_t n = strcspn(p, ",");
            if (n == 4 && strncmp(p, "open", 4) == 0)
                open = true;
            else if (n == 6 && strncmp(p, "closed", 6) == 0)
                closed = true;
            else
                return o311_error(r, xml, 400, "status", "status must be open or closed",
                                  "status 须为 open 或 closed");
            p += n + (p[n] == ',');
        }
        f.status = open && closed ? 0 : open ? 1 : 2;
    }
    int64_t page, size;
    const char *ps = req_query(r, "page_size"), *pg = req_query(r, "page");
    char *e1 = NULL, *e2 = NULL;
    size = ps && *ps ? strtoll(ps, &e1, 10) : max;
    page = pg && *pg ? strtoll(pg, &e2, 10) : 1;
    if ((e1 && *e1) || size < 1 || size > max)
        return o311_error(r, xml, 400, "page_size",
                          arena_printf(r->c.a, "page_size must be 1 … %lld", (long long)max),
                          arena_printf(r->c.a, "page_size 须在1到%lld之间", (long long)max));
    if ((e2 && *e2) || page < 1 || page > 100000)
        return o311_error(r, xml, 400, "page", "page must be a positive integer",
                          "page 须为正整数");
    f.limit = size;
    f.offset = (page - 1) * size;
    if (!(w = ow_new(r, xml))) return JC_ENOMEM;
    ow_doc_list(w, "service_requests", "request");
    int rc = db_open311_list(&r->c, &f, write_request, w);
    if (rc) return o311_fail(r, xml, rc);
    ow_end(w);
    return ow_send(r, w, 200);
}

int open311_request(jc_req *r)
{
    const char *name;
    bool xml = false;
    if (!split_format(r, r->vars[0], &name, &xml))
        return o311_error(r, xml, 404, NULL, "use requests/{service_request_id}.json or .xml",
                          "请使用 requests/{service_request_id}.json 或 .xml");
    char *end;
    long long id = strtoll(name, &end, 10);
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    ow_doc_list(w, "service_requests", "request");
    int rc = *end || id <= 0 ? JC_ENOTFOUND : db_open311_one(&r->c, id, write_request, w);
    if (rc == JC_ENOTFOUND)
        return o311_error(r, xml, 404, "service_request_id",
                          arena_printf(r->c.a, "service_request_id %s not found", name),
                          "诉求不存在");
    if (rc) return o311_fail(r, xml, rc);
    ow_end(w);
    return ow_send(r, w, 200);
}

int open311_token(jc_req *r)
{
    const char *token;
    bool xml = false;
    if (!split_format(r, r->vars[0], &token, &xml))
        return o311_error(r, xml, 404, NULL, "use tokens/{token}.json or .xml",
                          "请使用 tokens/{token}.json 或 .xml");
    case_rec k;
    if (case_by_token(&r->c, token, &k)) {
        r->c.err = (jc_err){0};
        return o311_error(r, xml, 404, "token", "token not found", "查询凭证无效");
    }
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    ow_doc_list(w, "service_requests", "request");
    ow_obj(w);
    if (k.hidden) {
        ow_knull(w, "service_request_id");
    } else {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)k.id);
        ow_kstr(w, "service_request_id", id);
    }
    ow_kstr(w, "token", token);
    ow_end(w);
    ow_end(w);
    return ow_send(r, w, 200);
}

int open311_media(jc_req *r)
{
    const char *key;
    const char *file = r->vars[0], *dot = strrchr(file, '.');
    key = dot ? arena_strndup(r->c.a, file, (size_t)(dot - file)) : file;
    size_t n = key ? strlen(key) : 0;
    const char *type;
    const void *data;
    size_t len;
    int64_t owner;
    if (n != 32 || strspn(key, "0123456789abcdef") != n ||
        db_photo_get(&r->c, 0, 0, key, &type, &data, &len, &owner) ||
        (dot && strcmp(dot + 1, image_ext(type)) != 0)) {
        r->c.err = (jc_err){0};
        return o311_error(r, false, 404, NULL, "no such media", "照片不存在");
    }
    r->status = 200;
    r->raw = data;
    r->raw_len = len;
    r->raw_type = type;
    return JC_OK;
}

/* ---- POST requests ---- */

/* The field's value as text: valid UTF-8, no control characters (newlines where multiline),
 * at most max characters. NULL when absent or empty. */
static int form_text(jc_req *r, const form_data *f, const char *name, size_t max, bool multiline,
                     const char **out)
{
    const form_part *p = form_get(f, name);
    *out = NULL;
    if (!p || p->len == 0) return JC_OK;
    if (p->filename || !jc_utf8_valid(p->data, p->len))
        return jc_fail(&r->c, JC_EINVAL, "invalid_utf8", name,
                       arena_printf(r->c.a, "%s is not valid UTF-8 text", name),
                       arena_printf(r->c.a, "%s 不是有效的UTF-8文字", name));
    for (size_t i = 0; i < p->len; i++) {
        unsigned char ch = (unsigned char)p->data[i];
        bool nl = ch == '\n' || ch == '\r' || ch == '\t';
        if ((ch < 0x20 && !(nl && multiline)) || ch == 0x7f)
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", name,
                           arena_printf(r->c.a, "%s contains control characters", name),
                           arena_printf(r->c.a, "%s 含有控制字符", name));
    }
    if (jc_utf8_len(p->data) > max)
        return jc_fail(&r->c, JC_EINVAL, "invalid_field", name,
                       arena_printf(r->c.a, "%s: at most %zu characters", name, max),
                       arena_printf(r->c.a, "%s 不能超过%zu个字", name, max));
    *out = jc_blank(p->data) ? NULL : p->data;
    return JC_OK;
}

static bool parse_coord(const char *s, double *v)
{
    if (!s) return false;
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v) && !strpbrk(s, "xXpPnNiI");
}

/* attribute[code]=v and attribute[code][]=v (multivaluelist) into a JSON object */
static int form_attributes(jc_req *r, const form_data *f, json_t **out)
{
    *out = NULL;
    json_t *o = jc_own(&r->c, json_object());
    for (int i = 0; i < f->n; i++) {
        const form_part *p = &f->parts[i];
        if (strncmp(p->name, "attribute[", 10) != 0) continue;
        const char *close = strchr(p->name + 10, ']');
        if (!close || close == p->name + 10 || (close[1] && strcmp(close + 1, "[]") != 0))
            return jc_fail(&r->c, JC_EINVAL, "invalid_field", arena_strdup(r->c.a, p->name),
                           "attributes are sent as attribute[code]=value",
                           "附加属性须以 attribute[代码]=取值 的形式提交");
        const char *code = arena_strndup(r->c.a, p->name + 10, (size_t)(close - p->name - 10));
        const char *v;
        int rc = form_text(r, f, p->name, 2000, true, &v);
        if (rc) return rc;
        if (!v) continue;
        if (close[1]) {
            json_t *arr = json_object_get(o, code);
            if (!json_is_array(arr)) {
                arr = json_array();
                json_object_set_new(o, code, arr);
            }
            json_array_append_new(arr, json_string(v));
        } else {
            json_object_set_new(o, code, json_string(v));
        }
    }
    *out = o;
    return JC_OK;
}

static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') && !strpbrk(s, " <>\"");
}

static void rate_headers(jc_req *r, int64_t limit, int64_t remaining)
{
    req_set_header(r, "X-RateLimit-Limit", arena_printf(r->c.a, "%lld", (long long)limit));
    req_set_header(r, "X-RateLimit-Remaining",
                   arena_printf(r->c.a, "%lld", (long long)(remaining < 0 ? 0 : remaining)));
}

static int post_inner(jc_req *r, bool xml, const form_data *f, const jc_user *keyed)
{
    jc_ctx *c = &r->c;
    const char *svc, *lat_s, *lng_s, *addr, *addr_id, *desc, *email, *phone, *first, *last, *device,
        *account, *anon;
    int rc;
#define TXT(name, max, ml, out)                                                                    \
    if ((rc = form_text(r, f, name, max, ml, out))) return rc
    TXT("service_code", 40, false, &svc);
    TXT("lat", 40, false, &lat_s);
    TXT("long", 40, false, &lng_s);
    TXT("address_string", 200, false, &addr);
    TXT("address_id", 100, false, &addr_id);
    TXT("description", 4000, true, &desc);
    TXT("email", 100, false, &email);
    TXT("phone", 20, false, &phone);
    TXT("first_name", 50, false, &first);
    TXT("last_name", 50, false, &last);
    TXT("device_id", 100, false, &device);
    TXT("account_id", 100, false, &account);
    TXT("anonymous", 5, false, &anon);
    const char *media_url;
    TXT("media_url", 500, false, &media_url);
#undef TXT
    if (!svc)
        return jc_fail(c, JC_EINVAL, "required", "service_code", "service_code is required",
                       "请选择诉求类别(service_code)");
    case_service s;
    if ((rc = cases_service_get(c, svc, "service_code", &s))) return rc;
    if (!s.is_public && !keyed)
        return jc_fail(c, JC_EPERM, "api_key_required", "api_key",
                       arena_printf(c->a, "the service %s takes reports only with an api_key", svc),
                       "该类别仅限持 api_key 的机构上报");
    case_input in = {0};
    in.service_code = svc;
    if (lat_s || lng_s) {
        if (!lat_s || !lng_s)
            return jc_fail(c, JC_EINVAL, "required", lat_s ? "long" : "lat",
                           "lat and long are given together", "经度和纬度须同时提供");
        if (!parse_coord(lat_s, &in.lat))
            return jc_fail(c, JC_EINVAL, "invalid_field", "lat", "lat must be a decimal number",
                           "纬度须为十进制数字");
        if (!parse_coord(lng_s, &in.lng))
            return jc_fail(c, JC_EINVAL, "invalid_field", "long", "long must be a decimal number",
                           "经度须为十进制数字");
        if ((rc = cases_check_location(c, in.lat, in.lng, "lat", "long"))) return rc;
        in.has_pos = true;
    } else if (!addr && !addr_id) {
        return jc_fail(c, JC_EINVAL, "location_required", "lat",
                       "a location is required: lat and long, address_string or address_id",
                       "请提供位置:经纬度或详细地址");
    }
    in.address = addr ? addr : addr_id;
    in.description = desc;
    if (email && !email_ok(email))
        return jc_fail(c, JC_EINVAL, "invalid_field", "email", "email is not an e-mail address",
                       "电子邮箱格式不正确");
    char norm[12];
    if (phone && !mobile_valid(phone, norm))
        return jc_fail(c, JC_EINVAL, "invalid_field", "phone",
                       "phone must be a mobile number (11 digits starting 13–19)",
                       "手机号码须为11位数字");
    in.reporter_phone = phone ? arena_strdup(c->a, norm) : NULL;
    in.reporter_email = email;
    in.reporter_name =
        first || last ? arena_printf(c->a, "%s%s", last ? last : "", first ? first : "") : NULL;
    in.device_id = device;
    in.account_id = account;
    if (anon && strcmp(anon, "true") != 0 && strcmp(anon, "false") != 0 && strcmp(anon, "1") &&
        strcmp(anon, "0"))
        return jc_fail(c, JC_EINVAL, "invalid_field", "anonymous",
                       "anonymous must be true or false", "anonymous 须为 true 或 false");
    in.anonymous = anon && (strcmp(anon, "true") == 0 || strcmp(anon, "1") == 0);
    if (media_url && strncmp(media_url, "https://", 8) != 0 &&
        strncmp(media_url, "http://", 7) != 0)
        return jc_fail(c, JC_EINVAL, "invalid_field", "media_url",
                       "media_url must be an http(s) URL", "media_url 须为 http(s) 地址");
    json_t *attrs = NULL;
    if ((rc = form_attributes(r, f, &attrs))) return rc;
    if (json_object_size(attrs)) {
        char *t = json_dumps(attrs, JSON_COMPACT);
        in.attributes_json = t ? arena_strdup(c->a, t) : NULL;
        free(t);
        if (!in.attributes_json) return JC_ENOMEM;
    }
    case_photo_in photo = {0};
    const form_part *media = form_get(f, "media");
    if (media && media->len) {
        if ((rc = case_photo_check(c, media->data, media->len, "media", &photo.type))) return rc;
        photo.data = media->data;
        photo.len = media->len;
        photo.stage = "report";
    }
    in.source = "public";
    in.public_report = true;
    char token[33];
    case_token_new(token);
    in.token = token;

    /* the count and the insert in one transaction, under the address's lock */
    int64_t limit = config_get_int(c, "cases.open311_rate_per_hour", 30), used = 0, oldest = 0;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    if (!keyed) {
        if ((rc = db_open311_lock_addr(c, c->ip)) ||
            (rc = db_case_count_from_addr(c, c->ip, c->now - 3600, &used, &oldest))) {
            store_rollback(c->db);
            return rc;
        }
        if (used >= limit) {
            store_rollback(c->db);
            int64_t wait = oldest ? oldest + 3600 - c->now : 60;
            if (wait < 1) wait = 1;
            req_set_header(r, "Retry-After", arena_printf(c->a, "%lld", (long long)wait));
            rate_headers(r, limit, 0);
            return jc_fail(c, JC_ERATE, "too_many_reports", NULL,
                           arena_printf(c->a,
                                        "at most %lld reports per hour from one address; try again "
                                        "in %lld seconds",
                                        (long long)limit, (long long)wait),
                           arena_printf(c->a, "同一地址每小时最多上报%lld件,请%lld秒后再试",
                                        (long long)limit, (long long)wait));
        }
    }
    /* a keyed client reports as its account; the public as nobody */
    const jc_user *saved = c->user;
    c->user = keyed;
    int64_t id;
    rc = case_create(c, &in, photo.data ? &photo : NULL, &id);
    c->user = saved;
    if (rc) {
        store_rollback(c->db);
        return rc;
    }
    if ((rc = store_commit(c->db))) return jc_fail_db(c, rc);
    if (!keyed) rate_headers(r, limit, limit - used - 1);
    ow *w = ow_new(r, xml);
    if (!w) return JC_ENOMEM;
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    ow_doc_list(w, "service_requests", "request");
    ow_obj(w);
    ow_kstr(w, "service_request_id", ids);
    ow_kstr(w, "token", token);
    ow_kstr(w, "service_notice",
            arena_printf(c->a,
                         "已受理登记,按规定在%lld小时内处置。请保存查询凭证以便查询进度和评价。",
                         (long long)s.limit_hours));
    ow_kstr(w, "account_id", account);
    ow_end(w);
    ow_end(w);
    req_set_header(
        r, "Location",
        arena_printf(c->a, "/open311/v2/requests/%lld.%s", (long long)id, xml ? "xml" : "json"));
    return ow_send(r, w, 201);
}

int open311_post(jc_req *r)
{
    bool xml = path_is_xml(r);
    const char *ct = req_header(r, "Content-Type");
    form_data f;
    const char *why = NULL;
    int rc;
    while (ct && *ct == ' ') ct++;
    if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
        const char *cs = strcasestr(ct, "charset=");
        if (cs && strncasecmp(cs + 8, "utf-8", 5) != 0 && strncasecmp(cs + 8, "\"utf-8\"", 7) != 0)
            return o311_error(r, xml, 400, "Content-Type", "only UTF-8 forms are accepted",
                              "表单须为UTF-8编码");
        rc = form_parse_urlencoded(r->c.a, r->body ? r->body : "", r->body_len, &f, &why);
    } else if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
        rc = form_parse_multipart(r->c.a, ct, r->body ? r->body : "", r->body_len, &f, &why);
    } else {
        return o311_error(r, xml, 400, "Content-Type",
                          "send application/x-www-form-urlencoded or multipart/form-data",
                          "请以 application/x-www-form-urlencoded 或 multipart/form-data 提交");
    }
    if (rc == JC_ENOMEM) return rc;
    if (rc)
        return o311_error(r, xml, 400, NULL, arena_printf(r->c.a, "malformed form: %s", why),
                          "表单格式错误");
    const char *key = NULL;
    if ((rc = form_text(r, &f, "api_key", 200, false, &key))) return o311_fail(r, xml, rc);
    bool bad;
    const jc_user *keyed = api_key_user(r, key, &bad);
    if (bad) return o311_error(r, xml, 403, "api_key", "invalid api_key", "api_key 无效");
    rc = post_inner(r, xml, &f, keyed);
    if (rc == JC_ENOMEM) return rc;
    return rc ? o311_fail(r, xml, rc) : JC_OK;
}
