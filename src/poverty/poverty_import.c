/* poverty_import.c — households and persons from spreadsheets (.xlsx, CSV in UTF-8 or GBK), and
 * any filtered list out to .xlsx; the command-line commands `jiceng import households|persons`.
 *
 * An import reads the table twice, inside one transaction. The first pass checks every row
 * (against the file itself and the registry) and collects the problems with their line numbers;
 * the second pass, only when there were none, writes every row with one audit record, so a file
 * goes in whole or not at all. Memory stays bounded for a million rows: rows are streamed, per-row
 * text lives in an arena that is replaced every few thousand rows, and the in-file duplicate checks
 * keep compact hash sets (a citizen ID packs exactly into 64 bits). */
#include "poverty.h"
#include "../app.h"
#include "../cli.h"
#include "../io/progress.h"
#include "../io/tabular.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 200

/* ---- hash sets ---- */

typedef struct u64set {
    uint64_t *slot; /* 0 = empty */
    size_t cap, n;
} u64set;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

/* true if added, false if present; -1 on OOM via *oom */
static bool u64set_add(u64set *s, uint64_t key, bool *oom)
{
    key |= (uint64_t)1 << 63; /* never 0 */
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        uint64_t *ns = calloc(ncap, sizeof *ns);
        if (!ns) {
            *oom = true;
            return false;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) {
                size_t j = mix64(s->slot[i]) & (ncap - 1);
                while (ns[j]) j = (j + 1) & (ncap - 1);
                ns[j] = s->slot[i];
            }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t j = mix64(key) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == key) return false;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = key;
    s->n++;
    return true;
}

static void u64set_free(u64set *s)
{
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* A checked citizen ID is 17 digits and a check character 0–9/X: exactly 61 bits. */
static uint64_t pack_cid(const char *cid)
{
    uint64_t v = 0;
    for (int i = 0; i < 17; i++) v = v * 10 + (uint64_t)(cid[i] - '0');
    return v * 11 + (cid[17] == 'X' || cid[17] == 'x' ? 10 : (uint64_t)(cid[17] - '0'));
}

typedef struct strset {
    struct {
        uint64_t h;
        char *s;
    } * slot;
    size_t cap, n;
} strset;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static bool strset_add(strset *s, const char *key, bool *oom)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        __typeof__(s->slot) ns = calloc(ncap, sizeof *ns);
        if (!ns) {
            *oom = true;
            return false;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i].s) {
                size_t j = s->slot[i].h & (ncap - 1);
                while (ns[j].s) j = (j + 1) & (ncap - 1);
                ns[j] = s->slot[i];
            }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    uint64_t h = fnv1a(key);
    size_t j = h & (s->cap - 1);
    while (s->slot[j].s) {
        if (s->slot[j].h == h && strcmp(s->slot[j].s, key) == 0) return false;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j].s = strdup(key);
    if (!s->slot[j].s) {
        *oom = true;
        return false;
    }
    s->slot[j].h = h;
    s->n++;
    return true;
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->cap; i++) free(s->slot[i].s);
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* ---- columns ---- */

typedef struct colspec {
    const char *field;
    const char *names[6];
    bool required;
} colspec;

enum { H_NO, H_AREA, H_ADDRESS, H_PHONE, H_TAGS, H_STATUS, H_KIND, H_SINCE, H_NOTE, H__N };
static const colspec hh_cols[H__N] = {
    {"household_no", {"户编号", "户号", "household_no"}, true},
    {"area", {"行政村代码", "区划代码", "行政村", "村", "area"}, true},
    {"address", {"地址", "住址", "家庭住址", "address"}, false},
    {"phone", {"联系电话", "电话", "手机", "phone"}, false},
    {"tags", {"标签", "户类别", "重点户类别", "tags"}, false},
    {"status", {"状态", "户状态", "贫困状态", "status"}, false},
    {"kind", {"属性", "贫困户属性", "监测类型", "kind"}, false},
    {"status_since", {"状态日期", "识别日期", "生效日期", "status_since"}, false},
    {"note", {"备注", "note"}, false},
};

enum { P_NO, P_NAME, P_CID, P_SEX, P_BIRTH, P_RELATION, P_PHONE, P_FROM, P__N };
static const colspec person_cols[P__N] = {
    {"household_no", {"户编号", "户号", "household_no"}, true},
    {"name", {"姓名", "name"}, true},
    {"citizen_id", {"身份证号", "身份证号码", "证件号码", "citizen_id"}, true},
    {"sex", {"性别", "sex"}, false},
    {"birth_date", {"出生日期", "birth_date"}, false},
    {"relation", {"与户主关系", "关系", "relation"}, true},
    {"phone", {"联系电话", "电话", "手机", "phone"}, false},
    {"from", {"入户日期", "加入日期", "from"}, false},
};

/* ---- the import ---- */

typedef struct imp {
    jc_ctx *c; /* the caller's: the report lives in its arena */
    jc_ctx w;  /* the same, with an arena replaced every few thousand rows */
    pv_import_kind kind;
    bool writing;
    const colspec *cols;
    int ncols;
    int col[16]; /* column index of each field, -1 when absent */
    pv_import_report *rep;
    strset nos;   /* household numbers seen in this file */
    u64set cids;  /* citizen IDs seen in this file */
    u64set heads; /* households given a head in this file */
    /* the last household looked up (persons come grouped by household) */
    char last_no[64], last_area[16], last_first[11];
    int64_t last_id;
    bool last_head;
    /* village names already resolved */
    struct {
        char name[64], code[16];
    } names[64];
    int nnames;
    /* audit */
    char common[16]; /* the township all rows lie in, "" when they do not share one */
    int64_t first_id, last_id_written;
    const char *today;
    json_t *relations, *key_categories; /* read once (the caller's arena) */
    char areas_ok[32][16];              /* area codes already checked */
    int nareas_ok;
    bool oom;
} imp;

static void problem(imp *m, int line, const char *field, const char *en, const char *zh)
{
    m->rep->errors++;
    if (json_array_size(m->rep->problems) >= MAX_PROBLEMS) return;
    json_t *o = json_pack("{s:i, s:s?, s:s, s:s}", "line", line, "field", field, "message",
                          en ? en : "invalid", "message_zh", zh ? zh : "无效");
    json_array_append_new(m->rep->problems, o);
}

/* A failure described in the working context becomes a problem of the line. */
static void problem_from_err(imp *m, int line)
{
    problem(m, line, m->w.err.field, m->w.err.en, m->w.err.zh);
    m->w.err = (jc_err){0};
}

static const char *cell(imp *m, const tab_row *row, int field)
{
    int k = m->col[field];
    if (k < 0 || k >= row->ncells) return "";
    const char *s = row->cells[k];
    /* trim spaces that spreadsheets leave around values */
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return arena_strndup(m->w.a, s, n);
}

static int map_header(imp *m, const tab_row *row)
{
    for (int f = 0; f < m->ncols; f++) m->col[f] = -1;
    for (int k = 0; k < row->ncells; k++) {
        const char *h = row->cells[k];
        if (strncmp(h, "\xEF\xBB\xBF", 3) == 0) h += 3;
        while (*h == ' ') h++;
        for (int f = 0; f < m->ncols; f++)
            for (int a = 0; a < 6 && m->cols[f].names[a]; a++) {
                size_t n = strlen(m->cols[f].names[a]);
                if (strncmp(h, m->cols[f].names[a], n) == 0 &&
                    (h[n] == '\0' || h[n] == ' ' || h[n] == '(' || strncmp(h + n, "（", 3) == 0) &&
                    m->col[f] < 0)
                    m->col[f] = k;
            }
    }
    int missing = 0;
    for (int f = 0; f < m->ncols; f++)
        if (m->cols[f].required && m->col[f] < 0) {
            problem(m, row->line, m->cols[f].field,
                    arena_printf(m->c->a, "the header has no column %s (%s)", m->cols[f].names[0],
                                 m->cols[f].field),
                    arena_printf(m->c->a, "表头缺少「%s」列", m->cols[f].names[0]));
            missing++;
        }
    return missing;
}

static void cycle_arena(imp *m)
{
    if (arena_used(m->w.a) < ((size_t)8 << 20)) return;
    arena *fresh = arena_new(0);
    if (!fresh) {
        m->oom = true;
        return;
    }
    arena_free(m->w.a);
    m->w.a = fresh;
}

static void track_common(imp *m, const char *area)
{
    char town[16];
    snprintf(town, sizeof town, "%.9s000", area);
    if (m->rep->rows == 1)
        snprintf(m->common, sizeof m->common, "%s", town);
    else if (m->common[0] && strcmp(m->common, town) != 0)
        m->common[0] = '\0';
}

static const char *resolve_area(imp *m, const char *v, int line)
{
    if (!*v) {
        problem(m, line, "area", "area (行政村) is required", "行政村为必填项");
        return NULL;
    }
    bool digits = strspn(v, "0123456789") == strlen(v);
    const char *code = v;
    if (!digits) {
        for (int i = 0; i < m->nnames; i++)
            if (strcmp(m->names[i].name, v) == 0) return m->names[i].code;
        int n;
        if (db_pv_area_by_name(&m->w, v, &code, &n)) {
            problem_from_err(m, line);
            return NULL;
        }
        if (n != 1) {
            problem(m, line, "area",
                    arena_printf(m->w.a, "%s: %s", v,
                                 n ? "several villages have this name; give the area code"
                                   : "no village has this name"),
                    arena_printf(m->w.a, "「%s」%s", v,
                                 n ? "有重名的行政村,请填写区划代码" : "不是已有的行政村名称"));
            return NULL;
        }
    }
    for (int i = 0; i < m->nareas_ok; i++)
        if (strcmp(m->areas_ok[i], code) == 0) return m->areas_ok[i];
    if (!area_code_level(code)) {
        problem(m, line, "area", "area must be an area code (12 or 15 digits) or a village name",
                "行政村须为区划代码(12或15位)或行政村名称");
        return NULL;
    }
    if (pv_check_area(&m->w, code, "area")) {
        problem_from_err(m, line);
        return NULL;
    }
    if (m->nareas_ok < (int)JC_NELEM(m->areas_ok) && strlen(code) < 16)
        snprintf(m->areas_ok[m->nareas_ok++], sizeof m->areas_ok[0], "%s", code);
    if (!digits && m->nnames < (int)JC_NELEM(m->names) && strlen(v) < 64) {
        snprintf(m->names[m->nnames].name, sizeof m->names[0].name, "%s", v);
        snprintf(m->names[m->nnames].code, sizeof m->names[0].code, "%s", code);
        m->nnames++;
    }
    return code;
}

static const char *status_code(const char *v)
{
    if (!*v) return "none";
    for (int i = 0; i < PV_STATUS__MAX; i++)
        if (strcmp(pv_statuses[i].code, v) == 0 || strcmp(pv_statuses[i].zh, v) == 0)
            return pv_statuses[i].code;
    if (strcmp(v, "建档立卡贫困户") == 0 || strcmp(v, "未脱贫") == 0) return "poor";
    if (strcmp(v, "脱贫户") == 0 || strcmp(v, "标注脱贫") == 0) return "exited";
    if (strcmp(v, "边缘户") == 0) return "monitored";
    return NULL;
}

static const char *kind_code(const char *status, const char *v)
{
    if (!*v) return "";
    int s = pv_status_from_code(status);
    for (const pv_kind *k = s < PV_STATUS__MAX ? pv_statuses[s].kinds : NULL; k && k->code; k++) {
        size_t n = strlen(v);
        if (strcmp(k->code, v) == 0 || strcmp(k->zh, v) == 0 || strncmp(k->zh, v, n) == 0)
            return k->code;
    }
    return NULL;
}

/* 、 , ， ; ； | separate tags */
static int split_tags(imp *m, const char *v, const char **out, int max)
{
    int n = 0;
    char *copy = arena_strdup(m->w.a, v);
    char *p = copy;
    while (p && *p && n < max) {
        char *best = NULL;
        size_t blen = 0;
        static const char *const seps[] = {"、", "，", "；", ",", ";", "|"};
        for (size_t i = 0; i < JC_NELEM(seps); i++) {
            char *q = strstr(p, seps[i]);
            if (q && (!best || q < best)) {
                best = q;
                blen = strlen(seps[i]);
            }
        }
        if (best) *best = '\0';
        char *t = p;
        while (*t == ' ') t++;
        size_t tl = strlen(t);
        while (tl && t[tl - 1] == ' ') t[--tl] = '\0';
        if (*t) out[n++] = t;
        p = best ? best + blen : NULL;
    }
    return n;
}

static int household_row(imp *m, const tab_row *row)
{
    int line = row->line;
    const char *no = cell(m, row, H_NO);
    if (!*no || jc_utf8_len(no) > 40) {
        problem(m, line, "household_no",
                *no ? "household_no: at most 40 characters" : "household_no is required",
                *no ? "户编号不能超过40个字" : "户编号为必填项");
        return JC_OK;
    }
    if (!m->writing) {
        if (!strset_add(&m->nos, no, &m->oom)) {
            if (m->oom) return JC_ENOMEM;
            problem(m, line, "household_no",
                    arena_printf(m->w.a, "household number %s appears twice in the file", no),
                    arena_printf(m->w.a, "户编号 %s 在文件中重复", no));
            return JC_OK;
        }
        int64_t id;
        if (db_pv_household_by_no(&m->w, no, &id, NULL)) return JC_EDB;
        if (id) {
            problem(m, line, "household_no",
                    arena_printf(m->w.a,
                                 "household number %s is already registered (household "
                                 "%lld)",
                                 no, (long long)id),
                    arena_printf(m->w.a, "户编号 %s 已登记(户 %lld)", no, (long long)id));
            return JC_OK;
        }
    }
    const char *area = resolve_area(m, cell(m, row, H_AREA), line);
    if (!area) return JC_OK;
    track_common(m, area);
    const char *tags[24];
    int ntags = split_tags(m, cell(m, row, H_TAGS), tags, 24);
    if (ntags && pv_check_tags_list(&m->w, tags, ntags, m->key_categories)) {
        problem_from_err(m, line);
        return JC_OK;
    }
    const char *sv = cell(m, row, H_STATUS), *status = status_code(sv);
    if (!status) {
        problem(m, line, "status", arena_printf(m->w.a, "status '%s' is not known", sv),
                arena_printf(m->w.a,
                             "状态「%s」无法识别(未识别/贫困户/已脱贫/稳定脱贫/返贫/监测户)", sv));
        return JC_OK;
    }
    const char *kv = cell(m, row, H_KIND), *kind = kind_code(status, kv);
    if (!kind || pv_check_status_kind(&m->w, status, &kind, NULL)) {
        m->w.err = (jc_err){0};
        problem(m, line, "kind",
                arena_printf(m->w.a, "kind '%s' does not fit status %s", kv, status),
                arena_printf(m->w.a, "属性「%s」与状态「%s」不符", kv, pv_status_zh(status)));
        return JC_OK;
    }
    const char *since = m->today, *sc = cell(m, row, H_SINCE);
    if (*sc) {
        char d[11];
        if (!tab_date(sc, d) || strcmp(d, m->today) > 0) {
            problem(m, line, "status_since",
                    arena_printf(m->w.a, "status_since '%s' is not a date up to today", sc),
                    arena_printf(m->w.a, "状态日期「%s」不是有效日期或晚于今天", sc));
            return JC_OK;
        }
        since = arena_strdup(m->w.a, d);
    }
    const char *phone = cell(m, row, H_PHONE);
    char norm[12];
    if (*phone) {
        if (!mobile_valid(phone, norm)) {
            problem(m, line, "phone", "phone must be a mobile number (11 digits)",
                    "联系电话须为11位手机号码");
            return JC_OK;
        }
        phone = norm;
    }
    const char *address = cell(m, row, H_ADDRESS), *note = cell(m, row, H_NOTE);
    if (jc_utf8_len(address) > 200 || jc_utf8_len(note) > 2000) {
        problem(m, line, jc_utf8_len(address) > 200 ? "address" : "note", "too long", "内容过长");
        return JC_OK;
    }
    if (!m->writing) return JC_OK;
    pv_household h = {.area_code = area,
                      .household_no = no,
                      .address = address,
                      .phone = phone,
                      .note = note,
                      .status = status,
                      .kind = kind,
                      .status_since = since};
    int rc = db_pv_household_insert(&m->w, &h, &h.id);
    pv_status_row sr = {.household_id = h.id,
                        .status = status,
                        .kind = kind,
                        .effective_date = since,
                        .reason = "导入"};
    if (!rc) rc = db_pv_status_append(&m->w, &sr, NULL);
    for (int i = 0; !rc && i < ntags; i++) rc = db_pv_tag_add(&m->w, h.id, tags[i]);
    if (rc) {
        problem_from_err(m, line);
        return rc;
    }
    if (!m->first_id) m->first_id = h.id;
    m->last_id_written = h.id;
    m->rep->created++;
    return JC_OK;
}

static bool lookup_household(imp *m, const char *no, int line)
{
    if (strcmp(no, m->last_no) == 0 && m->last_id) return true;
    int64_t id;
    const char *area, *first;
    bool head;
    if (db_pv_import_household(&m->w, no, &id, &area, &first, &head)) {
        problem_from_err(m, line);
        return false;
    }
    if (!id) {
        problem(
            m, line, "household_no",
            arena_printf(m->w.a, "no household has the number %s (import households first)", no),
            arena_printf(m->w.a, "户编号 %s 不存在(请先导入户信息)", no));
        return false;
    }
    if (area_check(&m->w, area, "household_no")) {
        problem_from_err(m, line);
        return false;
    }
    snprintf(m->last_no, sizeof m->last_no, "%s", no);
    snprintf(m->last_area, sizeof m->last_area, "%s", area);
    snprintf(m->last_first, sizeof m->last_first, "%s", first ? first : m->today);
    m->last_id = id;
    m->last_head = head;
    return true;
}

static int person_row(imp *m, const tab_row *row)
{
    int line = row->line;
    const char *no = cell(m, row, P_NO);
    if (!*no) {
        problem(m, line, "household_no", "household_no is required", "户编号为必填项");
        return JC_OK;
    }
    if (strlen(no) >= sizeof m->last_no) {
        problem(m, line, "household_no", "household_no: at most 40 characters",
                "户编号不能超过40个字");
        return JC_OK;
    }
    if (!lookup_household(m, no, line)) return JC_OK;
    pv_person_in in = {.name = cell(m, row, P_NAME),
                       .citizen_id = cell(m, row, P_CID),
                       .relation = cell(m, row, P_RELATION),
                       .phone = cell(m, row, P_PHONE)};
    const char *sex = cell(m, row, P_SEX);
    if (*sex) {
        in.sex = strcmp(sex, "男") == 0 || strcmp(sex, "1") == 0   ? 1
                 : strcmp(sex, "女") == 0 || strcmp(sex, "2") == 0 ? 2
                                                                   : -1;
        if (in.sex < 0) {
            problem(m, line, "sex", "sex must be 男/女 (1/2)", "性别须为男或女");
            return JC_OK;
        }
    }
    const char *birth = cell(m, row, P_BIRTH);
    char bd[11];
    if (*birth) {
        if (!tab_date(birth, bd)) {
            problem(m, line, "birth_date", "birth_date is not a date", "出生日期不是有效日期");
            return JC_OK;
        }
        in.birth_date = bd;
    }
    if (pv_person_check_list(&m->w, &in, NULL, m->relations)) {
        problem_from_err(m, line);
        return JC_OK;
    }
    bool head = strcmp(in.relation, "户主") == 0;
    if (!m->writing) {
        if (!u64set_add(&m->cids, pack_cid(in.citizen_id), &m->oom)) {
            if (m->oom) return JC_ENOMEM;
            problem(m, line, "citizen_id",
                    "the citizen ID appears twice in the file: a person is in one household",
                    "身份证号在文件中重复:同一人只能在一户");
            return JC_OK;
        }
        int64_t pid;
        const char *pname, *pno;
        if (db_pv_import_cid(&m->w, in.citizen_id, &pid, &pname, &pno)) return JC_EDB;
        if (pid) {
            problem(m, line, "citizen_id",
                    arena_printf(m->w.a,
                                 "the citizen ID is already registered: %s (person %lld%s%s)",
                                 pname, (long long)pid, pno ? ", household " : "", pno ? pno : ""),
                    arena_printf(m->w.a, "身份证号已登记:%s(人员编号%lld%s%s)", pname,
                                 (long long)pid, pno ? ",户编号 " : "", pno ? pno : ""));
            return JC_OK;
        }
        if (head && (m->last_head || !u64set_add(&m->heads, (uint64_t)m->last_id, &m->oom))) {
            if (m->oom) return JC_ENOMEM;
            problem(m, line, "relation",
                    arena_printf(m->w.a, "household %s has a head (户主) already", no),
                    arena_printf(m->w.a, "户编号 %s 已有户主", no));
            return JC_OK;
        }
    }
    const char *from = m->last_first, *fc = cell(m, row, P_FROM);
    if (*fc) {
        char d[11];
        if (!tab_date(fc, d) || strcmp(d, m->today) > 0) {
            problem(m, line, "from", "from is not a date up to today",
                    "入户日期不是有效日期或晚于今天");
            return JC_OK;
        }
        from = arena_strdup(m->w.a, d);
    }
    track_common(m, m->last_area);
    if (!m->writing) return JC_OK;
    pv_person p = {.citizen_id = in.citizen_id,
                   .name = in.name,
                   .sex = in.sex,
                   .birth_date = in.birth_date,
                   .phone = in.phone,
                   .area_code = m->last_area,
                   .household_id = m->last_id,
                   .relation = in.relation,
                   .state = "alive"};
    int rc = db_pv_person_insert(&m->w, &p, &p.id);
    if (!rc) rc = db_pv_member_join(&m->w, p.id, m->last_id, in.relation, from, "导入", 0);
    if (rc) {
        problem_from_err(m, line);
        return rc;
    }
    if (!m->first_id) m->first_id = p.id;
    m->last_id_written = p.id;
    m->rep->created++;
    return JC_OK;
}

static int open_table(jc_ctx *c, const void *data, size_t len, const char *path, tab_reader **r)
{
    char *err = NULL;
    int rc = path ? tab_open_file(path, r, &err) : tab_open_mem(data, len, r, &err);
    if (!rc) return JC_OK;
    const char *msg = err ? arena_strdup(c->a, err) : "the file cannot be read / 无法读取文件";
    free(err);
    /* the reader's messages are "English / 中文" */
    const char *slash = strstr(msg, " / ");
    const char *en = slash ? arena_strndup(c->a, msg, (size_t)(slash - msg)) : msg;
    const char *zh = slash ? slash + 3 : msg;
    return jc_fail(c,
                   rc == JC_ENOMEM   ? rc
                   : rc == JC_EMEDIA ? JC_EMEDIA
                                     : JC_EINVAL,
                   rc == JC_EMEDIA ? "unsupported_media_type" : "invalid_file", "file", en, zh);
}

/* One pass over the table. */
static int import_pass(imp *m, const void *data, size_t len, const char *path,
                       pv_progress_fn progress, void *parg)
{
    tab_reader *r;
    int rc = open_table(m->c, data, len, path, &r);
    if (rc) return rc;
    tab_row row;
    int got, header = 0;
    m->rep->rows = 0;
    m->last_no[0] = '\0';
    m->last_id = 0;
    while ((got = tab_next(r, &row)) == 1) {
        if (!header) {
            header = 1;
            if (map_header(m, &row)) break;
            continue;
        }
        m->rep->rows++;
        rc = m->kind == PV_IMPORT_HOUSEHOLDS ? household_row(m, &row) : person_row(m, &row);
        if (rc) break;
        if (m->oom) {
            rc = JC_ENOMEM;
            break;
        }
        if ((m->rep->rows & 4095) == 0) {
            cycle_arena(m);
            if (progress) {
                int64_t done, total;
                tab_progress(r, &done, &total);
                progress(parg, done, total, m->rep->rows);
            }
        }
    }
    if (got < 0 && !rc) {
        problem(m, tab_error_line(r), NULL, tab_error(r), tab_error_zh(r));
    } else if (!header && !rc) {
        problem(m, 1, NULL, "the table is empty: it needs a header row and data rows",
                "表格为空:须有表头行和数据行");
    }
    if (progress) {
        int64_t done, total;
        tab_progress(r, &done, &total);
        progress(parg, total > 0 ? total : done, total, m->rep->rows);
    }
    tab_close(r);
    return rc;
}

int pv_import(jc_ctx *c, pv_import_kind kind, const void *data, size_t len, const char *path,
              const char *source_name, bool dry_run, pv_import_report *rep, pv_progress_fn progress,
              void *progress_arg)
{
    int rc = pv_need_writer(c);
    if (rc) return rc;
    memset(rep, 0, sizeof *rep);
    rep->problems = jc_own(c, json_array());
    imp *m = calloc(1, sizeof *m);
    if (!m) return JC_ENOMEM;
    m->c = c;
    m->w = *c;
    m->w.a = arena_new(0);
    m->kind = kind;
    m->rep = rep;
    m->cols = kind == PV_IMPORT_HOUSEHOLDS ? hh_cols : person_cols;
    m->ncols = kind == PV_IMPORT_HOUSEHOLDS ? H__N : P__N;
    m->today = pv_today(c);
    m->relations = config_get(c, "poverty.relations");
    m->key_categories = config_get(c, "poverty.key_categories");
    if (!m->w.a) {
        free(m);
        return JC_ENOMEM;
    }
    /* Both passes run in one transaction: what the first checked (no such ID registered yet …)
     * still holds when the second writes. On SQLite this holds the write lock for the import, and
     * spares the lock calls every statement outside a transaction would make. */
    if ((rc = store_begin(c->db))) {
        rc = jc_fail_db(c, rc);
        goto done;
    }
    rc = import_pass(m, data, len, path, progress, progress_arg);
    if (!rc && rep->errors) {
        jc_fail_extra(c, "rows", json_integer(rep->rows));
        jc_fail_extra(c, "errors", json_integer(rep->errors));
        jc_fail_extra(c, "problems", json_incref(rep->problems));
        rc = jc_fail(c, JC_EUNPROC, "import_invalid", NULL,
                     arena_printf(c->a,
                                  "%lld of %lld rows have problems; nothing was imported (first: "
                                  "line %lld)",
                                  (long long)rep->errors, (long long)rep->rows,
                                  (long long)json_integer_value(
                                      json_object_get(json_array_get(rep->problems, 0), "line"))),
                     arena_printf(c->a, "共%lld行,其中%lld行有问题,未导入任何数据",
                                  (long long)rep->rows, (long long)rep->errors));
    } else if (!rc && rep->rows == 0) {
        rc = jc_fail(c, JC_EUNPROC, "import_invalid", NULL, "the table has no data rows",
                     "表格中没有数据行");
    }
    if (rc || dry_run) {
        store_rollback(c->db);
        goto done;
    }
    /* second pass: every row written */
    m->writing = true;
    rc = import_pass(m, data, len, path, progress, progress_arg);
    if (!rc && rep->errors) rc = JC_EUNPROC;
    if (!rc) {
        json_t *after = jc_own(
            c, json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind",
                         kind == PV_IMPORT_HOUSEHOLDS ? "households" : "persons", "source",
                         source_name ? source_name : "", "rows", (json_int_t)rep->rows, "first_id",
                         (json_int_t)m->first_id, "last_id", (json_int_t)m->last_id_written));
        rc = audit_append_id(c, "import",
                             kind == PV_IMPORT_HOUSEHOLDS ? "pv_household" : "pv_person",
                             m->first_id, m->common[0] ? m->common : NULL, NULL, after,
                             arena_printf(c->a, "导入%lld行", (long long)rep->rows));
    }
    if (rc) {
        store_rollback(c->db);
        rep->created = 0;
        if (rc == JC_EUNPROC && rep->errors) {
            jc_fail_extra(c, "problems", json_incref(rep->problems));
            rc = jc_fail(c, JC_EUNPROC, "import_invalid", NULL,
                         "a row was refused while writing; nothing was imported",
                         "写入时有一行被拒绝,未导入任何数据");
        }
        goto done;
    }
    if ((rc = store_commit(c->db))) {
        rep->created = 0;
        rc = jc_fail_db(c, rc);
    }
done:
    if (m->w.a) arena_free(m->w.a);
    strset_free(&m->nos);
    u64set_free(&m->cids);
    u64set_free(&m->heads);
    free(m);
    return rc;
}

/* ---- command line ---- */

static void cli_progress(void *arg, int64_t done, int64_t total, int64_t rows)
{
    progress_draw(stderr, arg, done, total, rows);
}

static int cmd_import(int argc, char **argv, pv_import_kind kind)
{
    const char *cmd = kind == PV_IMPORT_HOUSEHOLDS ? "import households" : "import persons";
    struct opt opts[] = {{"--db", 0, 0, 0}, {"--dry-run", 1, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts(cmd, argc, argv, opts, JC_NELEM(opts), pos, 1, &npos);
    if (rc < 0) {
        printf("usage: jiceng %s FILE --db DB [--dry-run]\n"
               "Imports %s from an .xlsx or CSV file (UTF-8 or GBK) with a header row.\n"
               "Every row is checked first; the file is imported whole, in one transaction, or\n"
               "not at all. --dry-run only checks. Columns:\n",
               cmd, kind == PV_IMPORT_HOUSEHOLDS ? "households" : "persons");
        const colspec *cols = kind == PV_IMPORT_HOUSEHOLDS ? hh_cols : person_cols;
        int n = kind == PV_IMPORT_HOUSEHOLDS ? H__N : P__N;
        for (int i = 0; i < n; i++)
            printf("  %-14s %s%s\n", cols[i].field, cols[i].names[0],
                   cols[i].required ? " (required)" : "");
        return 0;
    }
    if (rc) return rc;
    if (!require_db(cmd, OPT("--db"))) return EXIT_USAGE;
    if (npos != 1) return usage_error(cmd, "%s", "the FILE to import is required");
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, true)) return 1;
    pv_import_report rep;
    bool dry = OPT("--dry-run")->set;
    const char *label = kind == PV_IMPORT_HOUSEHOLDS ? "households" : "persons";
    rc = pv_import(&k.c, kind, NULL, 0, pos[0], pos[0], dry, &rep, cli_progress, (void *)label);
    progress_end(stderr);
    if (rc) {
        size_t i;
        json_t *p;
        json_array_foreach(rep.problems, i, p)
        {
            const char *f = json_string_value(json_object_get(p, "field"));
            fprintf(stderr, "  line %lld%s%s: %s\n",
                    (long long)json_integer_value(json_object_get(p, "line")), f ? " " : "",
                    f ? f : "", json_string_value(json_object_get(p, "message")));
        }
        if (rep.errors > (int64_t)json_array_size(rep.problems))
            fprintf(stderr, "  … and %lld more\n",
                    (long long)(rep.errors - (int64_t)json_array_size(rep.problems)));
        cli_fail(&k, cmd, rc);
        cli_close(&k);
        return 1;
    }
    if (dry)
        printf("%s: %lld rows checked, no problems (nothing written: --dry-run)\n", pos[0],
               (long long)rep.rows);
    else
        printf("%s: %lld %s imported\n", pos[0], (long long)rep.created, label);
    cli_close(&k);
    return 0;
}

static int cmd_import_households(int argc, char **argv)
{
    return cmd_import(argc, argv, PV_IMPORT_HOUSEHOLDS);
}

static int cmd_import_persons(int argc, char **argv)
{
    return cmd_import(argc, argv, PV_IMPORT_PERSONS);
}

static int cmd_stats(int argc, char **argv)
{
    struct opt opts[] = {{"--db", 0, 0, 0}, {"--area", 0, 0, 0}, {"--as-of", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("poverty stats", argc, argv, opts, JC_NELEM(opts), pos, 0, &npos);
    if (rc < 0)
        return fputs("usage: jiceng poverty stats --db DB [--area CODE] [--as-of YYYY-MM-DD]\n"
                     "Prints household and person counts per village and poverty status at the "
                     "end of a day (default today), computed from the status history.\n",
                     stdout),
               0;
    if (rc) return rc;
    if (!require_db("poverty stats", OPT("--db"))) return EXIT_USAGE;
    const char *as_of = OPT("--as-of")->value;
    if (as_of && !jc_date_valid(as_of))
        return usage_error("poverty stats", "--as-of must be a date YYYY-MM-DD, not '%s'", as_of);
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, false)) return 1;
    json_t *out;
    if ((rc = pv_stats(&k.c, OPT("--area")->value, as_of ? as_of : pv_today(&k.c), &out))) {
        cli_fail(&k, "poverty stats", rc);
        cli_close(&k);
        return 1;
    }
    printf("%-16s %-10s", "area", "name");
    for (int i = 0; i < PV_STATUS__MAX; i++) printf(" %10s", pv_statuses[i].code);
    printf(" %10s %10s\n", "households", "persons");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(out, "villages"), i, v)
    {
        printf("%-16s %-10s", json_string_value(json_object_get(v, "area")),
               json_string_value(json_object_get(v, "name")));
        for (int s = 0; s < PV_STATUS__MAX; s++)
            printf(" %10lld", (long long)json_integer_value(json_object_get(
                                  json_object_get(v, "households"), pv_statuses[s].code)));
        printf(" %10lld %10lld\n",
               (long long)json_integer_value(json_object_get(v, "households_total")),
               (long long)json_integer_value(json_object_get(v, "persons_total")));
    }
    json_t *t = json_object_get(out, "total");
    printf("total as of %s: %lld households, %lld persons\n",
           json_string_value(json_object_get(out, "as_of")),
           (long long)json_integer_value(json_object_get(t, "households_total")),
           (long long)json_integer_value(json_object_get(t, "persons_total")));
    cli_close(&k);
    return 0;
}

const jc_command poverty_commands[PV_NCOMMANDS] = {
    {"import households", "import poverty-registry households from .xlsx/CSV (poverty)",
     cmd_import_households},
    {"import persons", "import poverty-registry persons from .xlsx/CSV (poverty)",
     cmd_import_persons},
    {"poverty stats", "household and person counts per village and status, as of a date",
     cmd_stats},
};

/* ---- export ---- */

typedef struct exporter {
    jc_ctx w; /* the caller's context with an arena of its own, replaced as rows go by */
    tab_writer *tw;
    bool pii;
    int rc;
    int64_t n;
} exporter;

static int exp_begin(exporter *x, jc_ctx *c, const char *sheet, const char *const *cols, int n)
{
    memset(x, 0, sizeof *x);
    x->w = *c;
    x->w.a = arena_new(0);
    x->pii = pv_pii(c);
    if (!x->w.a) return JC_ENOMEM;
    int rc = tab_xlsx_new(sheet, &x->tw);
    if (!rc) rc = tab_xlsx_header(x->tw, cols, n);
    return rc;
}

static int exp_row(exporter *x, const char *const *cells, const bool *numeric, int n)
{
    int rc = tab_xlsx_row(x->tw, cells, numeric, n);
    if (rc) return rc;
    if ((++x->n & 1023) == 0 && arena_used(x->w.a) > ((size_t)8 << 20)) {
        arena *fresh = arena_new(0);
        if (!fresh) return JC_ENOMEM;
        arena_free(x->w.a);
        x->w.a = fresh;
    }
    return JC_OK;
}

static int exp_end(exporter *x, jc_ctx *c, int rc, void **data, size_t *len)
{
    if (!rc) rc = tab_xlsx_finish(x->tw, data, len);
    tab_xlsx_free(x->tw);
    arena_free(x->w.a);
    if (rc && !c->err.code)
        jc_fail(c, rc, "export_failed", NULL, "the spreadsheet could not be written",
                "无法生成表格");
    return rc;
}

static int exp_household(jc_ctx *c, const pv_household *h, void *arg)
{
    exporter *x = arg;
    char phone[32] = "", members[24];
    if (h->phone && *h->phone) {
        if (x->pii)
            snprintf(phone, sizeof phone, "%s", h->phone);
        else
            mask_phone(h->phone, phone);
    }
    snprintf(members, sizeof members, "%lld", (long long)h->members);
    json_t *tags;
    const char *joined = "";
    if (db_pv_tags(c, h->id, &tags) == JC_OK) {
        size_t i;
        json_t *t;
        json_array_foreach(tags, i, t) joined =
            arena_printf(c->a, "%s%s%s", joined, i ? "、" : "", json_string_value(t));
    }
    const char *kzh = pv_kind_zh(h->status, h->kind);
    const char *cells[] = {
        h->household_no,         h->area_name,   h->head_name,    members, h->address, phone,
        pv_status_zh(h->status), kzh ? kzh : "", h->status_since, joined};
    static const bool num[] = {false, false, false, true, false, false, false, false, false, false};
    return exp_row(x, cells, num, (int)JC_NELEM(cells));
}

int pv_export_households(jc_ctx *c, pv_hh_filter *f, void **data, size_t *len)
{
    static const char *const cols[] = {"户编号",   "行政村", "户主", "人口",     "地址",
                                       "联系电话", "状态",   "属性", "状态日期", "标签"};
    exporter x;
    int rc = exp_begin(&x, c, "扶贫户", cols, (int)JC_NELEM(cols));
    int64_t total;
    f->limit = TAB_MAX_ROWS - 1;
    f->offset = 0;
    if (!rc) rc = db_pv_household_list(&x.w, f, exp_household, &x, &total);
    if (rc && x.w.err.code) c->err = x.w.err;
    return exp_end(&x, c, rc, data, len);
}

static int exp_person(jc_ctx *c, const pv_person *p, void *arg)
{
    (void)c;
    exporter *x = arg;
    char cid[32], phone[32] = "";
    if (x->pii)
        snprintf(cid, sizeof cid, "%s", p->citizen_id);
    else
        mask_citizen_id(p->citizen_id, cid);
    if (p->phone && *p->phone) {
        if (x->pii)
            snprintf(phone, sizeof phone, "%s", p->phone);
        else
            mask_phone(p->phone, phone);
    }
    const char *state = strcmp(p->state, "alive") == 0   ? "在册"
                        : strcmp(p->state, "moved") == 0 ? "已迁出"
                                                         : "已故";
    const char *cells[] = {p->household_no, p->area_code, p->name, cid,   p->sex == 1 ? "男" : "女",
                           p->birth_date,   p->relation,  state,   phone, p->left_on};
    return exp_row(x, cells, NULL, (int)JC_NELEM(cells));
}

int pv_export_persons(jc_ctx *c, pv_person_filter *f, void **data, size_t *len)
{
    static const char *const cols[] = {"户编号",   "区划代码", "姓名",       "身份证号",
                                       "性别",     "出生日期", "与户主关系", "人员状态",
                                       "联系电话", "减少日期"};
    exporter x;
    int rc = exp_begin(&x, c, "人员", cols, (int)JC_NELEM(cols));
    int64_t total;
    f->limit = TAB_MAX_ROWS - 1;
    f->offset = 0;
    if (!rc) rc = db_pv_person_list(&x.w, f, exp_person, &x, &total);
    if (rc && x.w.err.code) c->err = x.w.err;
    return exp_end(&x, c, rc, data, len);
}

static int exp_project(jc_ctx *c, const pv_project *p, void *arg)
{
    exporter *x = arg;
    char budget[32], alloc[32], paid[32], progress[8];
    money_format_yuan(p->budget_fen, budget);
    money_format_yuan(p->allocated_fen, alloc);
    money_format_yuan(p->disbursed_fen, paid);
    snprintf(progress, sizeof progress, "%lld", (long long)p->progress);
    bool done = p->actual_end && *p->actual_end;
    const char *today = pv_today(c);
    const char *cells[] = {p->name,
                           p->area_name,
                           p->type,
                           budget,
                           p->planned_end,
                           p->actual_end,
                           progress,
                           strcmp(p->acceptance, "passed") == 0   ? "验收合格"
                           : strcmp(p->acceptance, "failed") == 0 ? "验收不合格"
                                                                  : "待验收",
                           !done && strcmp(p->planned_end, today) < 0 ? "逾期" : "",
                           alloc,
                           paid};
    static const bool num[] = {false, false, false, true, false, false,
                               true,  false, false, true, true};
    return exp_row(x, cells, num, (int)JC_NELEM(cells));
}

int pv_export_projects(jc_ctx *c, pv_project_filter *f, void **data, size_t *len)
{
    static const char *const cols[] = {"项目名称", "实施地点",   "项目类型",  "预算(元)",
                                       "计划完成", "实际完成",   "进度(%)",   "验收",
                                       "逾期",     "已下达(元)", "已支付(元)"};
    exporter x;
    int rc = exp_begin(&x, c, "扶贫项目", cols, (int)JC_NELEM(cols));
    int64_t total;
    f->limit = TAB_MAX_ROWS - 1;
    f->offset = 0;
    if (!rc) rc = db_pv_project_list(&x.w, f, exp_project, &x, &total, NULL);
    if (rc && x.w.err.code) c->err = x.w.err;
    return exp_end(&x, c, rc, data, len);
}

int pv_export_disbursements(jc_ctx *c, const char *lo, const char *hi, bool covered,
                            int64_t project_id, int64_t source_id, void **data, size_t *len)
{
    static const char *const cols[] = {"支付日期", "凭证号",   "收款人",   "金额(元)",
                                       "项目",     "资金来源", "实施地点", "备注"};
    exporter x;
    int rc = exp_begin(&x, c, "资金支付", cols, (int)JC_NELEM(cols));
    json_t *items = jc_own(&x.w, json_array());
    int64_t total;
    if (!rc)
        rc = db_pv_disbursement_list(&x.w, lo, hi, covered, project_id, source_id, TAB_MAX_ROWS - 1,
                                     0, items, &total);
    size_t i;
    json_t *d;
    static const bool num[] = {false, false, false, true, false, false, false, false};
    json_array_foreach(items, i, d)
    {
        if (rc) break;
        char amount[32];
        money_format_yuan(json_integer_value(json_object_get(d, "amount_fen")), amount);
        const char *cells[] = {json_string_value(json_object_get(d, "paid_on")),
                               json_string_value(json_object_get(d, "voucher_no")),
                               json_string_value(json_object_get(d, "payee")),
                               amount,
                               json_string_value(json_object_get(d, "project_name")),
                               json_string_value(json_object_get(d, "source_name")),
                               json_string_value(json_object_get(d, "area_name")),
                               json_string_value(json_object_get(d, "note"))};
        rc = tab_xlsx_row(x.tw, cells, num, (int)JC_NELEM(cells));
    }
    if (rc && x.w.err.code) c->err = x.w.err;
    return exp_end(&x, c, rc, data, len);
}

static int exp_yulu(jc_ctx *c, const pv_yulu *y, void *arg)
{
    (void)c;
    exporter *x = arg;
    char cid[32], annual[32], paid[32];
    if (x->pii)
        snprintf(cid, sizeof cid, "%s", y->citizen_id);
    else
        mask_citizen_id(y->citizen_id, cid);
    money_format_yuan(y->annual_fen, annual);
    money_format_yuan(y->paid_fen, paid);
    const char *cells[] = {y->school_year,
                           y->area_name,
                           y->person_name,
                           cid,
                           y->school,
                           y->major,
                           strcmp(y->level, "secondary") == 0 ? "中职" : "高职",
                           y->eligibility,
                           annual,
                           paid};
    static const bool num[] = {false, false, false, false, false, false, false, false, true, true};
    return exp_row(x, cells, num, (int)JC_NELEM(cells));
}

int pv_export_yulu(jc_ctx *c, pv_yulu_filter *f, void **data, size_t *len)
{
    static const char *const cols[] = {"学年", "行政村", "学生姓名", "身份证号",   "学校",
                                       "专业", "层次",   "享受依据", "年补助(元)", "已发放(元)"};
    exporter x;
    int rc = exp_begin(&x, c, "雨露计划", cols, (int)JC_NELEM(cols));
    int64_t total, a, p;
    f->limit = TAB_MAX_ROWS - 1;
    f->offset = 0;
    if (!rc) rc = db_pv_yulu_list(&x.w, f, exp_yulu, &x, &total, &a, &p);
    if (rc && x.w.err.code) c->err = x.w.err;
    return exp_end(&x, c, rc, data, len);
}
