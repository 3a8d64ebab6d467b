/* party_io.c — spreadsheets in and out.
 *
 * Import of 两新组织 from .xlsx or CSV (UTF-8 with or without BOM, GBK): the whole table is
 * checked row by row first, and the report (row, column, problem in English and Chinese) comes
 * back before anything is written. A dry run stops there; otherwise a table with any bad row
 * writes nothing, and a clean one is written in one transaction (each row with its audit
 * record). Export of any filtered list to .xlsx. */
#include "party.h"
#include "../io/tabular.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum col {
    C_NAME,
    C_CODE,
    C_KIND,
    C_CATEGORY,
    C_AREA,
    C_ADDRESS,
    C_LAT,
    C_LNG,
    C_EMPLOYEES,
    C_STATUS,
    C_CONTACT,
    C_PHONE,
    C__MAX
};

struct col_def {
    const char *field, *zh;
    bool required;
    const char *names[6]; /* accepted headers: Chinese and English */
};

static const struct col_def cols[C__MAX] = {
    [C_NAME] = {"name", "名称", true, {"名称", "组织名称", "单位名称", "name"}},
    [C_CODE] = {"credit_code",
                "统一社会信用代码",
                true,
                {"统一社会信用代码", "信用代码", "credit_code", "credit code"}},
    [C_KIND] = {"kind", "组织类型", true, {"组织类型", "类型", "kind"}},
    [C_CATEGORY] = {"category", "行业类别", true, {"行业类别", "类别", "行业", "category"}},
    [C_AREA] = {"area", "所属区域", true, {"所属区域", "所属社区", "区域", "区域代码", "area"}},
    [C_ADDRESS] = {"address", "地址", false, {"地址", "详细地址", "address"}},
    [C_LAT] = {"lat", "纬度", false, {"纬度", "lat", "latitude"}},
    [C_LNG] = {"lng", "经度", false, {"经度", "lng", "longitude"}},
    [C_EMPLOYEES] = {"employees",
                     "从业人员",
                     false,
                     {"从业人员", "从业人员数", "员工人数", "employees"}},
    [C_STATUS] = {"status", "经营状态", false, {"经营状态", "状态", "status"}},
    [C_CONTACT] = {"contact_name", "联系人", false, {"联系人", "contact_name", "contact"}},
    [C_PHONE] = {"contact_phone",
                 "联系电话",
                 false,
                 {"联系电话", "手机", "手机号码", "contact_phone", "phone"}},
};

#define MAX_LISTED 1000 /* problems listed in a report; the counts cover all */

struct report {
    jc_ctx *c;
    json_t *errors, *warnings;
    int64_t nerrors, nwarnings;
    int64_t rows, bad_rows;
};

static void col_letters(int idx, char out[8])
{
    char tmp[8];
    int n = 0;
    idx++;
    while (idx > 0 && n < 7) {
        int r = (idx - 1) % 26;
        tmp[n++] = (char)('A' + r);
        idx = (idx - 1) / 26;
    }
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static void problem(struct report *r, bool error, int row, int col, const char *header,
                    const char *field, const char *value, const char *en, const char *zh)
{
    if (error)
        r->nerrors++;
    else
        r->nwarnings++;
    json_t *list = error ? r->errors : r->warnings;
    if (json_array_size(list) >= MAX_LISTED) return;
    char letters[8] = "";
    if (col >= 0) col_letters(col, letters);
    json_t *o = json_pack("{s:i, s:s?, s:s?, s:s?, s:s, s:s}", "row", row, "column",
                          col >= 0 ? letters : NULL, "header", header, "field", field, "problem",
                          en, "problem_zh", zh);
    if (!o) return;
    for (const char *k = "column"; k; k = strcmp(k, "column") == 0 ? "header" : NULL)
        if (!json_object_get(o, k)) json_object_set_new(o, k, json_null());
    if (!json_object_get(o, "field")) json_object_set_new(o, "field", json_null());
    if (value) {
        /* a long cell is cut for the report, on a character boundary */
        size_t n = strlen(value);
        if (n > 120) {
            n = 120;
            while (n && (value[n] & 0xC0) == 0x80) n--;
        }
        json_object_set_new(o, "value", json_stringn(value, n));
    } else {
        json_object_set_new(o, "value", json_null());
    }
    json_array_append_new(list, o);
}

static char *trim(jc_ctx *c, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    if (strncmp(s, "\xe3\x80\x80", 3) == 0) s += 3; /* ideographic space */
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return arena_strndup(c->a, s, n);
}

static bool header_is(const char *cell, const char *name)
{
    return strcasecmp(cell, name) == 0;
}

static const char *kind_of(const char *v)
{
    static const char *const economic[] = {"economic", "新经济组织", "非公有制经济组织",
                                           "企业",     "个体工商户", NULL};
    static const char *const social[] = {"social",   "新社会组织",     "社会组织",
                                         "社会团体", "民办非企业单位", NULL};
    for (const char *const *p = economic; *p; p++)
        if (strcasecmp(v, *p) == 0) return "economic";
    for (const char *const *p = social; *p; p++)
        if (strcasecmp(v, *p) == 0) return "social";
    return NULL;
}

static const char *status_of(const char *v)
{
    static const char *const op[] = {"operating", "在营", "存续", "正常", "营业", "开业", NULL};
    static const char *const cl[] = {"closed", "已关闭", "关闭", "注销", "吊销", "停业", NULL};
    if (!*v) return "operating";
    for (const char *const *p = op; *p; p++)
        if (strcasecmp(v, *p) == 0) return "operating";
    for (const char *const *p = cl; *p; p++)
        if (strcasecmp(v, *p) == 0) return "closed";
    return NULL;
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    if (!*s) return false;
    *out = strtod(s, &end);
    return *end == '\0';
}

static bool parse_count(const char *s, int64_t *out)
{
    char *end;
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.') return false;
    double d = strtod(s, &end);
    if (*end || d < 0 || d > 10000000 || d != (double)(int64_t)d) return false;
    *out = (int64_t)d;
    return true;
}

/* The code of the area a cell names: a code or the name of an area the caller sees. */
static int resolve_area(jc_ctx *c, const char *v, char code[16], const char **why_en,
                        const char **why_zh)
{
    *why_en = *why_zh = NULL;
    if (area_code_level(v)) {
        if (!area_visible(c->user, v)) {
            *why_en = "the area is outside your areas";
            *why_zh = "该区域不在您的管辖范围内";
            return JC_OK;
        }
        area_rec a;
        int rc = area_get(c, v, &a);
        if (rc == JC_ENOTFOUND) {
            c->err = (jc_err){0};
            *why_en = "no area has this code";
            *why_zh = "不存在此区划代码";
            return JC_OK;
        }
        if (rc) return rc;
        snprintf(code, 16, "%s", v);
        return JC_OK;
    }
    int matches;
    int rc = db_party_area_by_name(c, v, code, &matches);
    if (rc) return rc;
    if (matches == 0) {
        *why_en = "no area of yours has this name or code";
        *why_zh = "您管辖的区域中没有此名称或代码";
    } else if (matches > 1) {
        *why_en = "several areas have this name: use the area code";
        *why_zh = "有多个区域同名,请填写区划代码";
    }
    return JC_OK;
}

struct seen_code {
    const char *code;
    int row;
};

struct import_state {
    jc_ctx *c;
    struct report rep;
    int colidx[C__MAX];
    const char *headers[C__MAX];
    party_unit *units;
    int nunits, cap;
    struct seen_code *seen;
    int nseen, seen_cap;
    json_t *categories;
};

static const char *cell(const tab_row *row, int idx)
{
    return idx >= 0 && idx < row->ncells ? row->cells[idx] : "";
}

static int read_header(struct import_state *s, const tab_row *row)
{
    for (int k = 0; k < C__MAX; k++) s->colidx[k] = -1;
    for (int i = 0; i < row->ncells; i++) {
        char *h = trim(s->c, row->cells[i]);
        if (!h) return JC_ENOMEM;
        if (!*h) continue;
        int found = -1;
        for (int k = 0; k < C__MAX && found < 0; k++)
            for (int n = 0; n < 6 && cols[k].names[n]; n++)
                if (header_is(h, cols[k].names[n])) found = k;
        if (found < 0) {
            problem(&s->rep, false, row->line, i, h, NULL, NULL,
                    "this column is not imported (unknown header)", "此列不导入(无法识别的列名)");
            continue;
        }
        if (s->colidx[found] >= 0) {
            problem(&s->rep, true, row->line, i, h, cols[found].field, NULL,
                    "this column appears twice", "此列重复出现");
            continue;
        }
        s->colidx[found] = i;
        s->headers[found] = h;
    }
    for (int k = 0; k < C__MAX; k++)
        if (cols[k].required && s->colidx[k] < 0)
            problem(&s->rep, true, row->line, -1, cols[k].zh, cols[k].field, NULL,
                    arena_printf(s->c->a, "the required column %s (%s) is missing", cols[k].field,
                                 cols[k].zh),
                    arena_printf(s->c->a, "缺少必填列「%s」", cols[k].zh));
    return JC_OK;
}

static bool category_ok(struct import_state *s, const char *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(s->categories, i, e) if (strcmp(json_string_value(e), v) == 0) return true;
    return false;
}

/* Checks one data row; a clean row is kept for writing. */
static int read_row(struct import_state *s, const tab_row *row)
{
    jc_ctx *c = s->c;
    struct report *r = &s->rep;
    int64_t before = r->nerrors;
    const char *v[C__MAX];
    for (int k = 0; k < C__MAX; k++) {
        v[k] = trim(c, cell(row, s->colidx[k]));
        if (!v[k]) return JC_ENOMEM;
    }
#define BAD(k, en, zh)                                                                             \
    problem(r, true, row->line, s->colidx[k], s->headers[k], cols[k].field, v[k], en, zh)
    party_unit u = {0};
    for (int k = 0; k < C__MAX; k++) {
        if (!jc_utf8_valid(v[k], strlen(v[k])) || jc_has_control(v[k])) {
            BAD(k, "contains control characters", "含有控制字符");
            v[k] = "";
        }
    }
    for (int k = 0; k < C__MAX; k++)
        if (cols[k].required && !*v[k])
            BAD(k, arena_printf(c->a, "%s is required", cols[k].field),
                arena_printf(c->a, "「%s」为必填项", cols[k].zh));
    if (*v[C_NAME] && jc_utf8_len(v[C_NAME]) > 100)
        BAD(C_NAME, "the name is longer than 100 characters", "名称超过100字");
    u.name = v[C_NAME];
    if (*v[C_CODE]) {
        char *code = arena_strdup(c->a, v[C_CODE]);
        if (!code) return JC_ENOMEM;
        for (char *p = code; *p; p++) *p = (char)toupper((unsigned char)*p);
        credit_code_status st = credit_code_check(code, NULL);
        if (st == CCODE_FORMAT) {
            BAD(C_CODE,
                "not a unified social credit code: 18 characters of 0-9 and A-Y without I, O, S, "
                "V, Z (GB 32100)",
                "不是有效的统一社会信用代码:须为18位数字或大写字母(不含I、O、S、V、Z)(GB 32100)");
        } else {
            if (st == CCODE_CHECKSUM)
                problem(r, false, row->line, s->colidx[C_CODE], s->headers[C_CODE], "credit_code",
                        code,
                        arena_printf(c->a,
                                     "the check character does not match (expected %c): accepted "
                                     "as an early pilot code, please verify",
                                     credit_code_check_char(code)),
                        arena_printf(c->a, "校验码不符(应为%c):按早期试点代码接受,请核实",
                                     credit_code_check_char(code)));
            for (int i = 0; i < s->nseen; i++)
                if (strcmp(s->seen[i].code, code) == 0) {
                    BAD(C_CODE, arena_printf(c->a, "the same code as row %d", s->seen[i].row),
                        arena_printf(c->a, "与第%d行的代码重复", s->seen[i].row));
                    break;
                }
            int64_t existing;
            int rc = db_party_unit_by_code(c, code, &existing);
            if (rc) return rc;
            if (existing)
                BAD(C_CODE,
                    arena_printf(c->a, "already registered (organization %lld)",
                                 (long long)existing),
                    arena_printf(c->a, "已登记(编号%lld)", (long long)existing));
            if (s->nseen == s->seen_cap) {
                int cap = s->seen_cap ? s->seen_cap * 2 : 64;
                struct seen_code *more = arena_alloc(c->a, sizeof *more * (size_t)cap);
                if (!more) return JC_ENOMEM;
                if (s->nseen) memcpy(more, s->seen, sizeof *more * (size_t)s->nseen);
                s->seen = more;
                s->seen_cap = cap;
            }
            s->seen[s->nseen++] = (struct seen_code){code, row->line};
            u.credit_code = code;
            u.credit_warn = st == CCODE_CHECKSUM;
        }
    }
    if (*v[C_KIND] && !(u.kind = kind_of(v[C_KIND])))
        BAD(C_KIND, "the kind is 新经济组织 (economic) or 新社会组织 (social)",
            "组织类型须为「新经济组织」或「新社会组织」");
    if (*v[C_CATEGORY] && !category_ok(s, v[C_CATEGORY]))
        BAD(C_CATEGORY, "not one of the configured categories (party.categories)",
            "不在配置的行业类别中");
    u.category = v[C_CATEGORY];
    if (*v[C_AREA]) {
        char code[16] = "";
        const char *en, *zh;
        int rc = resolve_area(c, v[C_AREA], code, &en, &zh);
        if (rc) return rc;
        if (en)
            BAD(C_AREA, en, zh);
        else
            u.area_code = arena_strdup(c->a, code);
    }
    if (jc_utf8_len(v[C_ADDRESS]) > 200) BAD(C_ADDRESS, "longer than 200 characters", "超过200字");
    u.address = v[C_ADDRESS];
    if (*v[C_LAT] || *v[C_LNG]) {
        double lat = 0, lng = 0;
        bool ok_lat = parse_double(v[C_LAT], &lat), ok_lng = parse_double(v[C_LNG], &lng);
        if (!ok_lat || lat < 3 || lat > 54)
            BAD(C_LAT, "the latitude must be a number between 3 and 54 (China)",
                "纬度须为3到54之间的数字(中国境内)");
        if (!ok_lng || lng < 73 || lng > 136)
            BAD(C_LNG, "the longitude must be a number between 73 and 136 (China)",
                "经度须为73到136之间的数字(中国境内)");
        u.has_pos = true;
        u.lat = lat;
        u.lng = lng;
    }
    if (*v[C_EMPLOYEES] && !parse_count(v[C_EMPLOYEES], &u.employees))
        BAD(C_EMPLOYEES, "the number of employees is a whole number", "从业人员须为非负整数");
    if (!(u.status = status_of(v[C_STATUS])))
        BAD(C_STATUS, "the status is 在营 (operating) or 已关闭 (closed)",
            "经营状态须为「在营」或「已关闭」");
    if (jc_utf8_len(v[C_CONTACT]) > 40) BAD(C_CONTACT, "longer than 40 characters", "超过40字");
    u.contact_name = v[C_CONTACT];
    if (*v[C_PHONE]) {
        char norm[12];
        if (!mobile_valid(v[C_PHONE], norm))
            BAD(C_PHONE, "not a mobile number (11 digits starting 13–19)",
                "不是有效的11位手机号码");
        else
            u.contact_phone = arena_strdup(c->a, norm);
    }
#undef BAD
    r->rows++;
    if (r->nerrors > before) {
        r->bad_rows++;
        return JC_OK;
    }
    if (s->nunits == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        party_unit *more = arena_alloc(c->a, sizeof *more * (size_t)cap);
        if (!more) return JC_ENOMEM;
        if (s->nunits) memcpy(more, s->units, sizeof *more * (size_t)s->nunits);
        s->units = more;
        s->cap = cap;
    }
    s->units[s->nunits++] = u;
    return JC_OK;
}

static const char *format_name(tab_format f)
{
    return f == TAB_XLSX ? "xlsx" : f == TAB_CSV_GBK ? "csv-gbk" : "csv-utf8";
}

int party_import_units(jc_ctx *c, const void *data, size_t len, bool dry_run, json_t **report)
{
    if (!jc_user_has(c->user, RB(ROLE_ADMIN) | RB(ROLE_LEADER)))
        return jc_fail(c, JC_EPERM, "forbidden", NULL,
                       "only leaders and administrators import organizations",
                       "只有书记/主任或管理员可以导入两新组织");
    if (!data || len == 0)
        return jc_fail(c, JC_EINVAL, "required", "body",
                       "send the .xlsx or .csv file as the request body",
                       "请以请求内容上传 .xlsx 或 .csv 文件");
    tab_reader *tr;
    char *msg = NULL;
    int rc = tab_open_mem(data, len, &tr, &msg);
    if (rc) {
        const char *m = msg ? arena_strdup(c->a, msg) : NULL;
        free(msg);
        return jc_fail(c,
                       rc == JC_EMEDIA   ? JC_EMEDIA
                       : rc == JC_ENOMEM ? JC_ENOMEM
                                         : JC_EINVAL,
                       rc == JC_EMEDIA ? "unsupported_media_type" : "invalid_file", "body",
                       m ? m : "the file is not a table we read (.xlsx or .csv)",
                       m ? m : "无法读取的文件(请上传 .xlsx 或 .csv)");
    }
    struct import_state *s = arena_calloc(c->a, sizeof *s);
    if (!s) {
        tab_close(tr);
        return JC_ENOMEM;
    }
    s->c = c;
    s->rep.c = c;
    s->rep.errors = jc_own(c, json_array());
    s->rep.warnings = jc_own(c, json_array());
    s->categories = config_get(c, "party.categories");
    int64_t max_rows = config_get_int(c, "party.import_max_rows", 5000);
    tab_row row;
    bool header = false;
    int n;
    while ((n = tab_next(tr, &row)) == 1) {
        if (!header) {
            header = true;
            if ((rc = read_header(s, &row))) break;
            if (s->rep.nerrors) break; /* without the columns no row can be read */
            continue;
        }
        if (s->rep.rows >= max_rows) {
            problem(&s->rep, true, row.line, -1, NULL, NULL, NULL,
                    arena_printf(c->a,
                                 "more than %lld rows: split the file (party.import_max_rows)",
                                 (long long)max_rows),
                    arena_printf(c->a, "超过%lld行,请分批导入", (long long)max_rows));
            break;
        }
        if ((rc = read_row(s, &row))) break;
    }
    if (!rc && n < 0) {
        problem(&s->rep, true, tab_error_line(tr), -1, NULL, NULL, NULL,
                arena_strdup(c->a, tab_error(tr)), arena_strdup(c->a, tab_error_zh(tr)));
    }
    tab_format fmt = tab_format_of(tr);
    tab_close(tr);
    if (rc) return rc;
    if (!header)
        problem(&s->rep, true, 1, -1, NULL, NULL, NULL, "the table is empty", "表格为空");
    else if (s->rep.rows == 0 && !s->rep.nerrors)
        problem(&s->rep, true, 2, -1, NULL, NULL, NULL, "the table has a header but no rows",
                "表格只有表头,没有数据");
    struct report *r = &s->rep;
    json_t *out =
        json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:O, s:O, s:I}", "format", format_name(fmt),
                  "dry_run", dry_run, "rows", (json_int_t)r->rows, "valid",
                  (json_int_t)(r->rows - r->bad_rows), "invalid", (json_int_t)r->bad_rows,
                  "error_count", (json_int_t)r->nerrors, "warning_count", (json_int_t)r->nwarnings,
                  "errors", r->errors, "warnings", r->warnings, "created", (json_int_t)0);
    *report = jc_own(c, out);
    if (!*report) return JC_ENOMEM;
    if (r->nerrors) {
        if (dry_run) return JC_OK;
        jc_fail_extra(c, "report", json_incref(*report));
        return jc_fail(
            c, JC_EUNPROC, "import_invalid", "body",
            arena_printf(c->a,
                         "%lld problems in %lld of %lld rows: nothing was imported; "
                         "fix them and upload again",
                         (long long)r->nerrors, (long long)r->bad_rows, (long long)r->rows),
            arena_printf(c->a,
                         "共%lld行中有%lld行存在%lld处问题,未导入任何数据;"
                         "请修改后重新上传",
                         (long long)r->rows, (long long)r->bad_rows, (long long)r->nerrors));
    }
    if (dry_run) return JC_OK;
    if ((rc = store_begin(c->db))) return jc_fail_db(c, rc);
    json_t *ids = json_array();
    for (int i = 0; i < s->nunits && !rc; i++) {
        int64_t id;
        rc = party_unit_insert_tx(c, &s->units[i], &id);
        if (!rc) json_array_append_new(ids, json_integer(id));
    }
    if (rc) {
        json_decref(ids);
        store_rollback(c->db);
        return rc;
    }
    if ((rc = store_commit(c->db))) {
        json_decref(ids);
        return jc_fail_db(c, rc);
    }
    json_object_set_new(*report, "created", json_integer(s->nunits));
    json_object_set_new(*report, "ids", ids);
    return JC_OK;
}

/* ---- writing ---- */

struct sheet {
    tab_writer *w;
    int rc;
};

static int sheet_begin(struct sheet *s, const char *name, const char *const *header, int n)
{
    s->rc = tab_xlsx_new(name, &s->w);
    if (!s->rc) s->rc = tab_xlsx_header(s->w, header, n);
    return s->rc;
}

static int sheet_end(jc_ctx *c, struct sheet *s, int rc, void **data, size_t *len)
{
    if (!rc) rc = s->rc;
    if (!rc) rc = tab_xlsx_finish(s->w, data, len);
    tab_xlsx_free(s->w);
    if (rc && !c->err.code)
        jc_fail(c, rc, rc == JC_ETOOBIG ? "too_large" : "export_failed", NULL,
                "the spreadsheet could not be written", "无法生成电子表格");
    return rc;
}

int party_import_template(jc_ctx *c, void **data, size_t *len)
{
    const char *header[C__MAX];
    for (int k = 0; k < C__MAX; k++) header[k] = cols[k].zh;
    struct sheet s;
    if (sheet_begin(&s, "两新组织导入模板", header, C__MAX) == JC_OK) {
        const char *example[C__MAX] = {"郑州示例科技有限公司",
                                       "",
                                       "新经济组织",
                                       "网络科技",
                                       "410105008001",
                                       "金水区农科路38号",
                                       "34.7870",
                                       "113.6655",
                                       "25",
                                       "在营",
                                       "张三",
                                       "13800000000"};
        /* the example's code is made valid: a row users copy must pass */
        char code[19];
        memcpy(code, "91410105MA44B7K6P", 17);
        code[17] = credit_code_check_char(code);
        code[18] = '\0';
        example[C_CODE] = code;
        static const bool numeric[C__MAX] = {[C_LAT] = true, [C_LNG] = true, [C_EMPLOYEES] = true};
        s.rc = tab_xlsx_row(s.w, example, numeric, C__MAX);
    }
    (void)c;
    return sheet_end(c, &s, JC_OK, data, len);
}

static const char *lbl(const struct party_enum *t, int n, const char *code)
{
    int i = party_enum_find(t, n, code);
    return i >= 0 ? t[i].zh : code;
}

static const char *num(jc_ctx *c, int64_t v)
{
    return arena_printf(c->a, "%lld", (long long)v);
}

static const char *coverage_zh(const char *cov)
{
    if (strcmp(cov, "own") == 0) return "单独组建";
    if (strcmp(cov, "joint") == 0) return "联合组建";
    if (strcmp(cov, "pending") == 0) return "筹建/孵化中";
    return "未覆盖";
}

static int export_unit_row(jc_ctx *c, const party_unit *u, void *arg)
{
    struct sheet *s = arg;
    json_t *j = party_unit_json(c, u);
    const char *phone = json_string_value(json_object_get(j, "contact_phone"));
    const char *cells[] = {
        num(c, u->id),
        u->name,
        u->credit_code,
        lbl(party_unit_kinds, UNIT_KIND__MAX, u->kind),
        u->category,
        u->area_name,
        u->area_code,
        u->address,
        u->has_pos ? arena_printf(c->a, "%.6f", u->lat) : "",
        u->has_pos ? arena_printf(c->a, "%.6f", u->lng) : "",
        num(c, u->employees),
        lbl(party_unit_statuses, UNIT_STATUS__MAX, u->status),
        u->contact_name,
        phone ? phone : "",
        u->org_name ? u->org_name : "",
        coverage_zh(json_string_value(json_object_get(j, "coverage"))),
        num(c, u->formal),
        num(c, u->probationary),
        u->has_plan ? lbl(party_paths, PATH__MAX, u->plan_path) : "",
    };
    static const bool numeric[] = {true,  false, false, false, false, false, false,
                                   false, true,  true,  true,  false, false, false,
                                   false, false, true,  true,  false};
    return s->rc = tab_xlsx_row(s->w, cells, numeric, (int)JC_NELEM(cells));
}

int party_export_units(jc_ctx *c, const party_filter *f, void **data, size_t *len)
{
    static const char *const header[] = {"编号",     "名称",     "统一社会信用代码", "组织类型",
                                         "行业类别", "所属区域", "区域代码",         "地址",
                                         "纬度",     "经度",     "从业人员",         "经营状态",
                                         "联系人",   "联系电话", "党组织",           "覆盖方式",
                                         "正式党员", "预备党员", "孵化路径"};
    struct sheet s;
    int rc = sheet_begin(&s, "两新组织", header, (int)JC_NELEM(header));
    party_filter q = *f;
    q.limit = 0;
    q.offset = 0;
    if (!rc) rc = db_party_unit_list(c, &q, export_unit_row, &s, NULL);
    return sheet_end(c, &s, rc, data, len);
}

static int export_org_row(jc_ctx *c, const party_org *o, void *arg)
{
    struct sheet *s = arg;
    json_t *j = party_org_json(c, o);
    const char *cells[] = {
        num(c, o->id),
        o->name,
        lbl(party_org_kinds, ORG_KIND__MAX, o->kind),
        lbl(party_org_settings, SETTING__MAX, o->setting),
        json_string_value(json_object_get(j, "status_zh")),
        o->established_on ? o->established_on : "",
        o->area_name,
        o->parent_name ? o->parent_name : "",
        o->secretary,
        num(c, (int64_t)json_array_size(json_object_get(j, "committee"))),
        num(c, o->nunits),
        num(c, o->members),
        num(c, o->formal),
        num(c, o->probationary),
        o->term_start ? o->term_start : "",
        json_is_string(json_object_get(j, "term_end_effective"))
            ? json_string_value(json_object_get(j, "term_end_effective"))
            : "",
    };
    static const bool numeric[] = {true,  false, false, false, false, false, false, false,
                                   false, true,  true,  true,  true,  true,  false, false};
    return s->rc = tab_xlsx_row(s->w, cells, numeric, (int)JC_NELEM(cells));
}

int party_export_orgs(jc_ctx *c, const party_filter *f, void **data, size_t *len)
{
    static const char *const header[] = {"编号",     "名称",       "类别",     "组建方式",
                                         "状态",     "成立日期",   "所属区域", "上级党组织",
                                         "书记",     "支委会人数", "覆盖单位", "党员",
                                         "正式党员", "预备党员",   "任期开始", "任期届满"};
    struct sheet s;
    int rc = sheet_begin(&s, "党组织", header, (int)JC_NELEM(header));
    party_filter q = *f;
    q.limit = 0;
    q.offset = 0;
    if (!rc) rc = db_party_org_list(c, &q, export_org_row, &s, NULL);
    return sheet_end(c, &s, rc, data, len);
}

static int export_member_row(jc_ctx *c, const party_member *m, void *arg)
{
    struct sheet *s = arg;
    json_t *j = party_member_json(c, m);
    const char *phone = json_string_value(json_object_get(j, "phone"));
    const char *cells[] = {
        num(c, m->id),
        m->name,
        json_string_value(json_object_get(j, "citizen_id")),
        m->sex == 2 ? "女" : "男",
        num(c, json_integer_value(json_object_get(j, "age"))),
        phone ? phone : "",
        m->unit_name ? m->unit_name : "",
        m->org_name ? m->org_name : "",
        lbl(party_stages, STAGE__MAX, m->stage),
        m->dates.on[0] ? m->dates.on[0] : "",
        m->dates.on[1] ? m->dates.on[1] : "",
        m->dates.on[2] ? m->dates.on[2] : "",
        m->dates.on[3] ? m->dates.on[3] : "",
        m->dates.on[4] ? m->dates.on[4] : "",
        strcmp(m->status, "active") == 0 ? "在册" : "已转出",
    };
    static const bool numeric[] = {true,  false, false, false, true,  false, false, false,
                                   false, false, false, false, false, false, false};
    return s->rc = tab_xlsx_row(s->w, cells, numeric, (int)JC_NELEM(cells));
}

int party_export_members(jc_ctx *c, const party_filter *f, void **data, size_t *len)
{
    static const char *const header[] = {
        "编号",         "姓名",         "身份证号码",     "性别",         "年龄",
        "手机",         "所在单位",     "所属党组织",     "阶段",         "申请入党日期",
        "列为积极分子", "列为发展对象", "接收为预备党员", "转为正式党员", "状态"};
    struct sheet s;
    int rc = sheet_begin(&s, "党员", header, (int)JC_NELEM(header));
    party_filter q = *f;
    q.limit = 0;
    q.offset = 0;
    if (!rc) rc = db_party_member_list(c, &q, export_member_row, &s, NULL);
    return sheet_end(c, &s, rc, data, len);
}

int party_export_warnings(jc_ctx *c, const party_filter *f, const char *rule, void **data,
                          size_t *len)
{
    json_t *out;
    int rc = party_warnings(c, f, rule, &out);
    if (rc) return rc;
    static const char *const header[] = {"规则", "依据",     "对象", "编号",
                                         "名称", "所属区域", "说明"};
    struct sheet s;
    rc = sheet_begin(&s, "预警", header, (int)JC_NELEM(header));
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(out, "items"), i, w)
    {
        if (rc) break;
        const char *entity = json_string_value(json_object_get(w, "entity"));
        const char *cells[] = {
            json_string_value(json_object_get(w, "rule_zh")),
            json_string_value(json_object_get(w, "source")),
            strcmp(entity, "unit") == 0  ? "两新组织"
            : strcmp(entity, "org") == 0 ? "党组织"
                                         : "党员",
            num(c, json_integer_value(json_object_get(w, "id"))),
            json_string_value(json_object_get(w, "name")),
            json_string_value(json_object_get(w, "area_name")),
            json_string_value(json_object_get(w, "detail_zh")),
        };
        static const bool numeric[] = {false, false, false, true, false, false, false};
        rc = tab_xlsx_row(s.w, cells, numeric, (int)JC_NELEM(cells));
    }
    return sheet_end(c, &s, rc, data, len);
}
