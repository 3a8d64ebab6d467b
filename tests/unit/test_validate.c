/* test_validate.c — identifiers of DOMAIN.md on known vectors.
 *
 * Every expected check character below was computed by hand from the standard's weights, not by
 * the code under test; the arithmetic of at least one vector per standard is written out. */
#include "unit.h"

#include <stdio.h>

/* 2026-06-15, days since the epoch: the "today" that bounds birth dates. */
static int64_t today(void)
{
    return jc_days_from_civil(2026, 6, 15);
}

/* ---- GB 11643-1999 citizen ID ---- */

static void cid_standard_example(void **state)
{
    (void)state;
    /* 11010519491231002X, the standard's own example.
     * digits   1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
     * weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
     * products 7  9  0  5  0 20  2  9 24 27  7 18 30  5  0  0  4  → sum 167
     * 167 mod 11 = 2 → "10X98765432"[2] = 'X' */
    assert_int_equal(citizen_id_check_char("11010519491231002"), 'X');
    citizen_id_info info;
    memset(&info, 0x55, sizeof info);
    assert_int_equal(citizen_id_check("11010519491231002X", today(), &info), CID_OK);
    assert_string_equal(info.area, "110105");
    assert_string_equal(info.birth, "1949-12-31");
    assert_int_equal(info.sex, 2); /* 17th digit 2: even → female */
}

static void cid_more_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        const char *birth;
        int sex;
    } ok[] = {
        /* 4 1 0 1 0 4 1 9 9 0 0 1 0 1 1 2 3: 28+9+0+5+0+16+2+9+54+0+0+9+0+5+8+8+6 = 159,
         * 159 mod 11 = 5 → '7'; 17th digit 3 → male */
        {"410104199001011237", "1990-01-01", 1},
        /* same with sequence 124: sum 161, mod 11 = 7 → '5'; 4 → female */
        {"410104199001011245", "1990-01-01", 2},
        /* 巩义市, born on a leap day: sum 223, mod 11 = 3 → '9' */
        {"410181202402290019", "2024-02-29", 1},
        /* 2000 is a leap year (divisible by 400): sum 155, mod 11 = 1 → '0'; sequence 005 male */
        {"410104200002290050", "2000-02-29", 1},
        /* first year the validator accepts: sum 143, mod 11 = 0 → '1' */
        {"410104190012311111", "1900-12-31", 1},
    };
    for (size_t i = 0; i < JC_NELEM(ok); i++) {
        citizen_id_info info;
        assert_int_equal(citizen_id_check(ok[i].id, today(), &info), CID_OK);
        assert_string_equal(info.birth, ok[i].birth);
        assert_int_equal(info.sex, ok[i].sex);
        assert_int_equal(citizen_id_check_char(ok[i].id), ok[i].id[17]);
    }
}

static void cid_lowercase_x(void **state)
{
    (void)state;
    citizen_id_info info;
    assert_int_equal(citizen_id_check("11010519491231002x", today(), &info), CID_OK);
    assert_string_equal(info.birth, "1949-12-31");
    /* a lower-case x is only the check character, never a digit */
    assert_int_equal(citizen_id_check("1101051949123100x2", today(), NULL), CID_FORMAT);
}

static void cid_wrong_checksum(void **state)
{
    (void)state;
    /* every wrong check character is refused, including X for a digit */
    const char *bad[] = {"110105194912310020", "110105194912310029", "410104199001011238",
                         "41010419900101123X", "410104199001011236"};
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        assert_int_equal(citizen_id_check(bad[i], today(), NULL), CID_CHECKSUM);
    /* a transposition of two digits (the error the checksum exists for) */
    assert_int_equal(citizen_id_check("410104199010011237", today(), NULL), CID_CHECKSUM);
}

static void cid_format(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "41010419900101123",   /* 17 */
                         "4101041990010112377", /* 19 */
                         "410104900101123",     /* first-generation 15-digit ID */
                         "41010419900101123Y",
                         "4101041990O1011237",
                         " 41010419900101123",
                         "410104199001011237 ",
                         "41010419900101-237"};
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        assert_int_equal(citizen_id_check(bad[i], today(), NULL), CID_FORMAT);
    assert_int_equal(citizen_id_check(NULL, today(), NULL), CID_FORMAT);
}

static void cid_impossible_date(void **state)
{
    (void)state;
    /* 2026-02-30 with a correct check character (sum 142, mod 11 = 10 → '2'): the date decides */
    assert_int_equal(citizen_id_check("410104202602300012", 0, NULL), CID_DATE);
    /* 1900 is not a leap year (divisible by 100, not by 400) */
    char id[19] = "41010419000229001";
    id[17] = citizen_id_check_char(id);
    id[18] = '\0';
    assert_int_equal(citizen_id_check(id, 0, NULL), CID_DATE);
    /* month 13, day 00 */
    snprintf(id, sizeof id, "%s", "41010419901301001");
    id[17] = citizen_id_check_char(id);
    assert_int_equal(citizen_id_check(id, 0, NULL), CID_DATE);
    snprintf(id, sizeof id, "%s", "41010419900100001");
    id[17] = citizen_id_check_char(id);
    assert_int_equal(citizen_id_check(id, 0, NULL), CID_DATE);
}

static void cid_future_birth(void **state)
{
    (void)state;
    /* born 2099-01-01: sum 159, mod 11 = 5 → '7' */
    assert_int_equal(citizen_id_check("410104209901010017", today(), NULL), CID_DATE);
    /* today = 0 skips the bound: the ID itself is well-formed */
    assert_int_equal(citizen_id_check("410104209901010017", 0, NULL), CID_OK);
    /* born today is fine, tomorrow is not */
    char id[19];
    snprintf(id, sizeof id, "%s", "41010420260615001");
    id[17] = citizen_id_check_char(id);
    id[18] = '\0';
    assert_int_equal(citizen_id_check(id, today(), NULL), CID_OK);
    snprintf(id, sizeof id, "%s", "41010420260616001");
    id[17] = citizen_id_check_char(id);
    id[18] = '\0';
    assert_int_equal(citizen_id_check(id, today(), NULL), CID_DATE);
}

static void cid_abolished_area(void **state)
{
    (void)state;
    /* 110103 崇文区 was merged into 东城区 in 2010; people still carry IDs issued there.
     * 1 1 0 1 0 3 1 9 8 0 0 1 0 1 0 0 1: 7+9+0+5+0+12+2+9+48+0+0+9+0+5+0+0+2 = 108,
     * 108 mod 11 = 9 → '3' */
    citizen_id_info info;
    assert_int_equal(citizen_id_check("110103198001010013", today(), &info), CID_OK);
    assert_string_equal(info.area, "110103");
    assert_int_equal(info.sex, 1);
}

/* ---- GB 32100-2015 unified social credit code ---- */

static void ccode_known_valid(void **state)
{
    (void)state;
    /* 91350100M000100Y43: values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4
     * weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
     * products 9 3 27 135 0 26 0 0 420 0 0 0 8 0 0 900 112 → sum 1640
     * 1640 mod 31 = 28, (31 − 28) mod 31 = 3 → '3' */
    assert_int_equal(credit_code_check_char("91350100M000100Y4"), '3');
    credit_code_info info;
    assert_int_equal(credit_code_check("91350100M000100Y43", &info), CCODE_OK);
    assert_string_equal(info.registrar_zh, "市场监管");
    assert_string_equal(info.class_zh, "企业");
    assert_string_equal(info.area, "350100");
}

static void ccode_bad_check_char(void **state)
{
    (void)state;
    credit_code_info info;
    /* well-formed but wrong: the caller warns; the fields are still decoded */
    assert_int_equal(credit_code_check("91350100M000100Y44", &info), CCODE_CHECKSUM);
    assert_string_equal(info.class_zh, "企业");
    assert_int_equal(credit_code_check("91350100M000100Y4Y", NULL), CCODE_CHECKSUM);
    /* two adjacent characters swapped */
    assert_int_equal(credit_code_check("91350100M000010Y43", NULL), CCODE_CHECKSUM);
}

static void ccode_format(void **state)
{
    (void)state;
    /* I, O, S, V, Z are not in the alphabet (they look like 1, 0, 5, U, 2) */
    const char *letters = "IOSVZ";
    for (const char *l = letters; *l; l++) {
        char code[19] = "91350100M000100Y43";
        code[9] = *l;
        assert_int_equal(credit_code_check(code, NULL), CCODE_FORMAT);
        code[9] = '0';
        code[17] = *l; /* also as check character */
        assert_int_equal(credit_code_check(code, NULL), CCODE_FORMAT);
    }
    assert_int_equal(credit_code_check("91350100m000100y43", NULL), CCODE_FORMAT);  /* lower case */
    assert_int_equal(credit_code_check("91350100M000100Y4", NULL), CCODE_FORMAT);   /* 17 */
    assert_int_equal(credit_code_check("91350100M000100Y433", NULL), CCODE_FORMAT); /* 19 */
    assert_int_equal(credit_code_check("9135010-M000100Y43", NULL), CCODE_FORMAT);
    assert_int_equal(credit_code_check("91A50100M000100Y43", NULL), CCODE_FORMAT); /* area */
    assert_int_equal(credit_code_check("", NULL), CCODE_FORMAT);
    assert_int_equal(credit_code_check(NULL, NULL), CCODE_FORMAT);
}

static void ccode_registrar_class(void **state)
{
    (void)state;
    static const struct {
        const char *code, *reg, *cls;
    } v[] = {
        /* 51410105MJY123456: sum 2333, mod 31 = 8 → (31 − 8) = 23 → 'P' */
        {"51410105MJY123456P", "民政", "社会团体"},
        /* 52410105MJ0000001: sum 1155, mod 31 = 8 → 'P' */
        {"52410105MJ0000001P", "民政", "民办非企业单位"},
        /* 93410105MA0000001: sum 930, mod 31 = 0 → (31 − 0) mod 31 = 0 → '0' */
        {"93410105MA00000010", "市场监管", "农民专业合作社"},
        /* Y1410105MJ0000001: sum 1177, mod 31 = 30 → 1 → '1' */
        {"Y1410105MJ00000011", "其他", "其他"},
        {"91350100M000100Y43", "市场监管", "企业"},
    };
    for (size_t i = 0; i < JC_NELEM(v); i++) {
        credit_code_info info;
        assert_int_equal(credit_code_check(v[i].code, &info), CCODE_OK);
        assert_string_equal(info.registrar_zh, v[i].reg);
        assert_string_equal(info.class_zh, v[i].cls);
    }
    /* a class the registrar does not have: registrar decoded, class empty */
    credit_code_info info;
    char code[19] = "98410105MA0000001";
    code[17] = credit_code_check_char(code);
    code[18] = '\0';
    assert_int_equal(credit_code_check(code, &info), CCODE_OK);
    assert_string_equal(info.registrar_zh, "市场监管");
    assert_string_equal(info.class_zh, "");
}

/* ---- mobile numbers ---- */

static void mobile_numbers(void **state)
{
    (void)state;
    char norm[12];
    static const struct {
        const char *in, *norm;
    } ok[] = {
        {"13800138000", "13800138000"},    {"+8613800138000", "13800138000"},
        {"8613800138000", "13800138000"},  {"19912345678", "19912345678"},
        {"+8615012345678", "15012345678"},
    };
    for (size_t i = 0; i < JC_NELEM(ok); i++) {
        memset(norm, 'z', sizeof norm);
        assert_true(mobile_valid(ok[i].in, norm));
        assert_string_equal(norm, ok[i].norm);
    }
    const char *bad[] = {"138001380001", /* 12 digits */
                         "1380013800",   /* 10 */
                         "12800138000",  /* 12x: no such prefix */
                         "10086100860",     "23800138000",    "+86 13800138000",
                         "138-0013-8000",   "1380013800a",    "+861380013800",
                         "861380013800", /* 86 + 10 digits */
                         "008613800138000", "+8612800138000", ""};
    for (size_t i = 0; i < JC_NELEM(bad); i++) assert_false(mobile_valid(bad[i], norm));
    assert_false(mobile_valid(NULL, norm));
    assert_true(mobile_valid("13800138000", NULL)); /* norm is optional */
}

/* ---- money ---- */

static void money_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int64_t fen;
    } ok[] = {
        {"12", 1200},
        {"12.3", 1230},
        {"12.34", 1234},
        {"-0.5", -50},
        {"0.05", 5},
        {"0", 0},
        {"-12.34", -1234},
        {"007.10", 710},
        {"3000", 300000},
        {"1000000000000.00", 100000000000000}, /* a trillion yuan fits */
        {"90000000000000000", 9000000000000000000},
    };
    for (size_t i = 0; i < JC_NELEM(ok); i++) {
        int64_t fen = -777;
        assert_true(money_parse_yuan(ok[i].in, &fen));
        assert_int_equal(fen, ok[i].fen);
    }
    const char *bad[] = {"12.345", /* fen is the smallest unit */
                         "", "-", ".5", "12.", "1e3", "+1", " 1", "1 ", "1,000", "¥12", "12.3.4",
                         "--1", "0x10", "NaN",
                         /* INT64_MAX fen is 92233720368547758.07 yuan: one fen more overflows */
                         "92233720368547758.08", "99999999999999999999", "-99999999999999999999",
                         "184467440737095516.16"};
    for (size_t i = 0; i < JC_NELEM(bad); i++) {
        int64_t fen = -777;
        assert_false(money_parse_yuan(bad[i], &fen));
        assert_int_equal(fen, -777); /* untouched on failure */
    }
    assert_false(money_parse_yuan(NULL, NULL));
}

static void money_format(void **state)
{
    (void)state;
    char out[32];
    static const struct {
        int64_t fen;
        const char *s;
    } v[] = {
        {1234, "12.34"},
        {5, "0.05"},
        {-50, "-0.50"},
        {0, "0.00"},
        {300000, "3000.00"},
        {INT64_MAX, "92233720368547758.07"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    for (size_t i = 0; i < JC_NELEM(v); i++) {
        money_format_yuan(v[i].fen, out);
        assert_string_equal(out, v[i].s);
    }
    /* what is formatted parses back to the same amount */
    const int64_t amounts[] = {1, -1, 99, 100, 101, -199, 123456789, 4000 * 100};
    for (size_t i = 0; i < JC_NELEM(amounts); i++) {
        int64_t back;
        money_format_yuan(amounts[i], out);
        assert_true(money_parse_yuan(out, &back));
        assert_int_equal(back, amounts[i]);
    }
}

/* ---- masking ---- */

static void masking(void **state)
{
    (void)state;
    char out[32];
    mask_citizen_id("11010519491231002X", out);
    assert_string_equal(out, "110105********002X");
    mask_citizen_id("410104199001011237", out);
    assert_string_equal(out, "410104********1237");
    mask_citizen_id("123", out); /* too short to keep anything */
    assert_string_equal(out, "****");
    mask_citizen_id("", out);
    assert_string_equal(out, "");
    mask_citizen_id(NULL, out);
    assert_string_equal(out, "");

    mask_phone("13800138000", out);
    assert_string_equal(out, "138****8000");
    mask_phone("+8613912345678", out);
    assert_string_equal(out, "139****5678");
    mask_phone("0371-12345678", out); /* a landline is not shown at all */
    assert_string_equal(out, "****");
    mask_phone("", out);
    assert_string_equal(out, "");
    mask_phone(NULL, out);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cid_standard_example), cmocka_unit_test(cid_more_vectors),
        cmocka_unit_test(cid_lowercase_x),      cmocka_unit_test(cid_wrong_checksum),
        cmocka_unit_test(cid_format),           cmocka_unit_test(cid_impossible_date),
        cmocka_unit_test(cid_future_birth),     cmocka_unit_test(cid_abolished_area),
        cmocka_unit_test(ccode_known_valid),    cmocka_unit_test(ccode_bad_check_char),
        cmocka_unit_test(ccode_format),         cmocka_unit_test(ccode_registrar_class),
        cmocka_unit_test(mobile_numbers),       cmocka_unit_test(money_parse),
        cmocka_unit_test(money_format),         cmocka_unit_test(masking),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
