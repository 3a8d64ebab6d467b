/* test_input.c — the validator table every API body goes through before any handler logic. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* 2026-06-15T12:00:00+08:00 */
#define NOW ((int64_t)jc_days_from_civil(2026, 6, 15) * 86400 + 4 * 3600)

static const char *const kinds[] = {"enterprise", "social_org", NULL};

enum {
    F_NAME,
    F_KIND,
    F_BORN,
    F_ID,
    F_PHONE,
    F_NOTE,
    F_TAGS,
    F_COUNT,
    F_FEN,
    F_CREDIT,
    F_AT,
    F_OKAY,
    F_AREA,
    F_DESC,
    F_SCORE,
    F_GEO,
    F__N
};

static const field_spec spec[F__N] = {
    [F_NAME] = {"name", FT_TEXT, FF_REQUIRED, 0, 10, NULL, "名称"},
    [F_KIND] = {"kind", FT_ENUM, 0, 0, 0, kinds, "类型"},
    [F_BORN] = {"born", FT_DATE, 0, 0, 0, NULL, "出生日期"},
    [F_ID] = {"citizen_id", FT_CITIZEN_ID, 0, 0, 0, NULL, "身份证号"},
    [F_PHONE] = {"phone", FT_PHONE, 0, 0, 0, NULL, "手机号"},
    [F_NOTE] = {"note", FT_TEXT, FF_NULLABLE, 0, 0, NULL, "备注"},
    [F_TAGS] = {"tags", FT_STRLIST, 0, 0, 3, NULL, "标签"},
    [F_COUNT] = {"count", FT_INT, 0, 1, 5, NULL, "数量"},
    [F_FEN] = {"amount", FT_MONEY, 0, 0, 0, NULL, "金额"},
    [F_CREDIT] = {"credit_code", FT_CREDIT_CODE, 0, 0, 0, NULL, "统一社会信用代码"},
    [F_AT] = {"at", FT_DATETIME, 0, 0, 0, NULL, "时间"},
    [F_OKAY] = {"ok", FT_BOOL, 0, 0, 0, NULL, "是否"},
    [F_AREA] = {"area", FT_AREA, 0, 0, 0, NULL, "区域"},
    [F_DESC] = {"description", FT_TEXT, FF_MULTILINE, 2, 0, NULL, "描述"},
    [F_SCORE] = {"score", FT_NUMBER, 0, 0, 100, NULL, "分数"},
    [F_GEO] = {"geometry", FT_JSON, 0, 0, 0, NULL, "形状"},
};

static jc_grant grant;
static jc_user grid_user;

static int setup(void **state)
{
    jc_ctx *c = calloc(1, sizeof *c);
    if (!area_grant_make("410104007000", &grant)) return -1;
    grid_user = (jc_user){
        .id = 5, .username = "grid", .roles = RB(ROLE_GRID_WORKER), .ngrants = 1, .grants = &grant};
    unit_ctx_init(c, NULL, &grid_user, NOW);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    jc_ctx *c = *state;
    unit_ctx_done(c);
    free(c);
    return 0;
}

/* Parses JSON text against the spec. */
static int parse(jc_ctx *c, const char *json, field_val *out)
{
    json_error_t e;
    json_t *body = json_loads(json, JSON_ALLOW_NUL, &e);
    if (!body) fail_msg("bad test JSON %s: %s", json, e.text);
    jc_own(c, body);
    c->err = (jc_err){0};
    static const char *const also[] = {"version", NULL};
    return input_parse(c, body, spec, F__N, out, also);
}

static void minimal_and_required(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"文化路街道\"}", v), JC_OK);
    assert_true(v[F_NAME].present);
    assert_string_equal(v[F_NAME].s, "文化路街道");
    assert_false(v[F_KIND].present);

    assert_int_equal(parse(c, "{}", v), JC_EINVAL);
    assert_string_equal(c->err.code, "required");
    assert_string_equal(c->err.field, "name");
    assert_non_null(strstr(c->err.zh, "名称"));
    /* blank is the same as missing for a required text */
    assert_int_equal(parse(c, "{\"name\":\"  \\t \"}", v), JC_EINVAL);
    assert_string_equal(c->err.code, "required");
    /* null for a required field */
    assert_int_equal(parse(c, "{\"name\":null}", v), JC_EINVAL);
    assert_string_equal(c->err.code, "required");
    /* no body at all */
    c->err = (jc_err){0};
    assert_int_equal(input_parse(c, NULL, spec, F__N, v, NULL), JC_EINVAL);
    assert_string_equal(c->err.field, "name");
    assert_int_equal(input_parse(c, NULL, spec + 1, F__N - 1, v, NULL), JC_OK);
    /* a body that is not an object */
    assert_int_equal(parse(c, "[1,2]", v), JC_EINVAL);
    assert_string_equal(c->err.code, "invalid_json");
}

static void unknown_field(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    /* a typo must not be silently ignored */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"nmae\":\"y\"}", v), JC_EINVAL);
    assert_string_equal(c->err.code, "unknown_field");
    assert_string_equal(c->err.field, "nmae");
    /* members named in `also` pass */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"version\":3}", v), JC_OK);
}

static void text_limits(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    /* max is in characters, not bytes: ten CJK characters are 30 bytes */
    assert_int_equal(parse(c, "{\"name\":\"一二三四五六七八九十\"}", v), JC_OK);
    assert_int_equal(parse(c, "{\"name\":\"一二三四五六七八九十一\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "name");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"description\":\"短\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "description");
    /* control characters; newlines only where the field is multi-line */
    assert_int_equal(parse(c, "{\"name\":\"a\\u0007b\"}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"a\\nb\"}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"description\":\"第一行\\n第二行\"}", v), JC_OK);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"description\":\"ab\\u001b[0m\"}", v), JC_EINVAL);
    /* an embedded NUL would cut the text short in C and in the database */
    assert_int_equal(parse(c, "{\"name\":\"ab\\u0000cd\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "name");
    /* the default limit of 200 characters when max is 0 */
    char big[700];
    strcpy(big, "{\"name\":\"x\",\"note\":\"");
    size_t n = strlen(big);
    memset(big + n, 'a', 201);
    strcpy(big + n + 201, "\"}");
    assert_int_equal(parse(c, big, v), JC_EINVAL);
    assert_string_equal(c->err.field, "note");
    strcpy(big + n + 200, "\"}");
    assert_int_equal(parse(c, big, v), JC_OK);
    /* a number is not a text */
    assert_int_equal(parse(c, "{\"name\":12}", v), JC_EINVAL);
}

static void enums(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    char buf[128];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"kind\":\"social_org\"}", v), JC_OK);
    assert_string_equal(v[F_KIND].s, "social_org");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"kind\":\"Enterprise\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "kind");
    assert_string_equal(unit_extra_list(c, "allowed", buf, sizeof buf), "enterprise,social_org");
}

static void dates_and_times(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"born\":\"2024-02-29\"}", v), JC_OK);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"born\":\"2026-02-29\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "born");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"born\":\"2026-2-1\"}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"at\":\"2026-12-01T11:04:05+08:00\"}", v), JC_OK);
    assert_int_equal(v[F_AT].i, 1796094245);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"at\":\"2026-12-01T11:04:05\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "at");
}

static void citizen_ids(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"11010519491231002X\"}", v), JC_OK);
    assert_string_equal(v[F_ID].s, "11010519491231002X");
    /* a lower-case x is accepted and stored upper-case, so that lookups match */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"11010519491231002x\"}", v), JC_OK);
    assert_string_equal(v[F_ID].s, "11010519491231002X");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"110105194912310021\"}", v),
                     JC_EINVAL);
    assert_string_equal(c->err.field, "citizen_id");
    assert_non_null(strstr(c->err.zh, "校验码"));
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"11010519491231002\"}", v),
                     JC_EINVAL);
    /* born after "now" (2026-06-15): 2026-06-16 is refused, 2026-06-15 is fine.
     * 41010420260616001: 28+9+0+5+0+16+4+0+12+18+0+54+10+30+0+0+2 = 188, mod 11 = 1 → '0'
     * 41010420260615001: 5 instead of 6 at weight 5 → 183, mod 11 = 7 → '5' */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"410104202606160010\"}", v),
                     JC_EINVAL);
    assert_non_null(strstr(c->err.en, "birth date"));
    assert_int_equal(parse(c, "{\"name\":\"x\",\"citizen_id\":\"410104202606150015\"}", v), JC_OK);
}

static void phones(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    /* stored as the 11 digits whatever prefix was typed */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"phone\":\"+8613800138000\"}", v), JC_OK);
    assert_string_equal(v[F_PHONE].s, "13800138000");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"phone\":\"8613800138000\"}", v), JC_OK);
    assert_string_equal(v[F_PHONE].s, "13800138000");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"phone\":\"12800138000\"}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "phone");
}

static void nullable(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    /* null clears a nullable field … */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"note\":null}", v), JC_OK);
    assert_true(v[F_NOTE].present);
    assert_true(v[F_NOTE].null);
    /* … and is refused for one that is not */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"phone\":null}", v), JC_EINVAL);
    assert_string_equal(c->err.code, "invalid_field");
    assert_string_equal(c->err.field, "phone");
    /* absent is not the same as null */
    assert_int_equal(parse(c, "{\"name\":\"x\"}", v), JC_OK);
    assert_false(v[F_NOTE].present);
    assert_false(v[F_NOTE].null);
}

static void strlists(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[\"低保户\",\"残疾人户\"]}", v), JC_OK);
    assert_int_equal(v[F_TAGS].nlist, 2);
    assert_string_equal(v[F_TAGS].list[0], "低保户");
    assert_string_equal(v[F_TAGS].list[1], "残疾人户");
    assert_null(v[F_TAGS].list[2]);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[]}", v), JC_OK);
    assert_int_equal(v[F_TAGS].nlist, 0);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "tags");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[\"a\",1]}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":\"a\"}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[\"a\\u0000b\"]}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"tags\":[\"a\\u0001\"]}", v), JC_EINVAL);
}

static void numbers(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"count\":5}", v), JC_OK);
    assert_int_equal(v[F_COUNT].i, 5);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"count\":6}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"count\":0}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"count\":2.5}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"count\":\"3\"}", v), JC_EINVAL);
    /* money is integer fen, never a float, never negative here */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"amount\":300000}", v), JC_OK);
    assert_int_equal(v[F_FEN].i, 300000);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"amount\":12.5}", v), JC_EINVAL);
    assert_string_equal(c->err.field, "amount");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"amount\":-1}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"score\":87.5}", v), JC_OK);
    assert_true(v[F_SCORE].d == 87.5);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"score\":100.5}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"ok\":true}", v), JC_OK);
    assert_int_equal(v[F_OKAY].i, 1);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"ok\":1}", v), JC_EINVAL);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"geometry\":{\"type\":\"Point\"}}", v), JC_OK);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"geometry\":\"POINT(1 2)\"}", v), JC_EINVAL);
}

static void credit_codes(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    assert_int_equal(parse(c, "{\"name\":\"x\",\"credit_code\":\"91350100M000100Y43\"}", v), JC_OK);
    assert_false(v[F_CREDIT].warn);
    /* early pilot codes fail the check yet are legal: accepted with a warning */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"credit_code\":\"91350100M000100Y44\"}", v), JC_OK);
    assert_true(v[F_CREDIT].warn);
    assert_int_equal(parse(c, "{\"name\":\"x\",\"credit_code\":\"91350100M000I00Y43\"}", v),
                     JC_EINVAL);
    assert_string_equal(c->err.field, "credit_code");
}

static const char SQL_ADD_AREA[] =
    "INSERT INTO areas (code, level, kind, name, created_at, updated_at)"
    " VALUES ('410104007001', 5, '社区', '永安街社区', 0, 0)";

/* FT_AREA checks the format, the caller's grants, and that the area exists (a database read). */
static void areas(void **state)
{
    jc_ctx *c = *state;
    field_val v[F__N];
    char dir[] = "/tmp/jc-input-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    store *db;
    assert_int_equal(store_open(path, &db, NULL), JC_OK);
    assert_int_equal(store_migrate(db, "kernel", kernel_migrations, kernel_nmigrations), JC_OK);
    store_stmt *st;
    assert_int_equal(store_prepare(db, SQL_ADD_AREA, &st), JC_OK);
    assert_int_equal(store_run(st), JC_OK);
    c->db = db;
    assert_int_equal(parse(c, "{\"name\":\"x\",\"area\":\"410104007001\"}", v), JC_OK);
    /* inside the grants and well formed, but no such area */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"area\":\"410104007002\"}", v), JC_EUNPROC);
    assert_string_equal(c->err.code, "unknown_area");
    assert_string_equal(c->err.field, "area");
    /* a well-formed code outside the user's grants */
    assert_int_equal(parse(c, "{\"name\":\"x\",\"area\":\"410105008000\"}", v), JC_EPERM);
    assert_string_equal(c->err.field, "area");
    assert_int_equal(parse(c, "{\"name\":\"x\",\"area\":\"4101\"}", v), JC_EINVAL);
    c->db = NULL;
    store_close(db);
    unlink(path);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

static void versions(void **state)
{
    jc_ctx *c = *state;
    int64_t ver = 0;
    json_t *b3 = jc_own(c, json_pack("{s:i}", "version", 3));
    assert_int_equal(input_version(c, b3, NULL, &ver), JC_OK);
    assert_int_equal(ver, 3);
    /* the body wins over the header */
    ver = 0;
    assert_int_equal(input_version(c, b3, "\"9\"", &ver), JC_OK);
    assert_int_equal(ver, 3);
    static const char *const etags[] = {"\"3\"", "W/\"3\"", "3"};
    for (size_t i = 0; i < JC_NELEM(etags); i++) {
        ver = 0;
        assert_int_equal(input_version(c, NULL, etags[i], &ver), JC_OK);
        assert_int_equal(ver, 3);
    }
    static const char *const bad[] = {"\"abc\"", "*", "\"0\"", "\"-2\"", "\"3x\""};
    for (size_t i = 0; i < JC_NELEM(bad); i++) {
        ver = 77;
        assert_int_equal(input_version(c, NULL, bad[i], &ver), JC_EINVAL);
        assert_int_equal(ver, 77);
    }
    assert_int_equal(input_version(c, jc_own(c, json_pack("{s:s}", "version", "3")), NULL, &ver),
                     JC_EINVAL);
    assert_int_equal(input_version(c, jc_own(c, json_pack("{s:i}", "version", 0)), NULL, &ver),
                     JC_EINVAL);
    /* no version at all: the client must say what it read */
    assert_int_equal(input_version(c, NULL, NULL, &ver), JC_EPRECOND);
    assert_int_equal(input_version(c, jc_own(c, json_object()), "", &ver), JC_EPRECOND);
    assert_string_equal(c->err.code, "version_required");
}

/* A full arena (how a failed malloc shows up here): a value that had to be copied into it is an
 * error, never a silently missing value or a crash. */
static void full_arena(void **state)
{
    (void)state;
    jc_ctx c;
    unit_ctx_init(&c, NULL, &unit_system_user, NOW);
    arena_free(c.a);
    c.a = arena_new(64);
    assert_non_null(arena_alloc(c.a, 64));
    static const char *const bodies[] = {
        "{\"name\":\"x\",\"phone\":\"+8613800138000\"}",          /* normalised copy */
        "{\"name\":\"x\",\"citizen_id\":\"11010519491231002x\"}", /* upper-cased copy */
        "{\"name\":\"x\",\"tags\":[\"a\"]}",                      /* list of pointers */
    };
    for (size_t i = 0; i < JC_NELEM(bodies); i++) {
        json_t *body = json_loads(bodies[i], 0, NULL);
        assert_non_null(body);
        field_val v[F__N];
        int rc = input_parse(&c, body, spec, F__N, v, NULL);
        json_decref(body);
        if (rc != JC_ENOMEM) fail_msg("%s: %s, expected out_of_memory", bodies[i], jc_strerror(rc));
    }
    unit_ctx_done(&c);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(minimal_and_required),
        T(unknown_field),
        T(text_limits),
        T(enums),
        T(dates_and_times),
        T(citizen_ids),
        T(phones),
        T(nullable),
        T(strlists),
        T(numbers),
        T(credit_codes),
        T(areas),
        T(versions),
        cmocka_unit_test(full_arena),
    };
    return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
