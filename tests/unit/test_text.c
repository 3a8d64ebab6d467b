/* test_text.c — UTF-8 at the edge: what is refused before it reaches the database. */
#include "unit.h"

static bool valid(const char *s)
{
    return jc_utf8_valid(s, strlen(s));
}

static void utf8_valid_text(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(valid("plain ASCII\twith\ttabs\n"));
    assert_true(valid("郑州市管城回族区陇海马路街道"));
    assert_true(valid("两新组织 · 党支部"));
    assert_true(valid("\xC2\x80"));         /* U+0080, smallest 2-byte */
    assert_true(valid("\xDF\xBF"));         /* U+07FF */
    assert_true(valid("\xE0\xA0\x80"));     /* U+0800, smallest 3-byte */
    assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, just below the surrogates */
    assert_true(valid("\xEE\x80\x80"));     /* U+E000, just above */
    assert_true(valid("\xEF\xBF\xBF"));     /* U+FFFF */
    assert_true(valid("\xF0\x90\x80\x80")); /* U+10000, smallest 4-byte */
    assert_true(valid("😀 emoji"));
    assert_true(valid("\xF0\xA0\x80\x80")); /* U+20000 𠀀, CJK extension B (rare names) */
    assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
}

static void utf8_overlong(void **state)
{
    (void)state;
    assert_false(valid("\xC0\x80"));             /* NUL in two bytes (Java's "modified UTF-8") */
    assert_false(valid("\xC0\xAF"));             /* '/' in two bytes: path traversal trick */
    assert_false(valid("\xC1\xBF"));             /* U+007F in two bytes */
    assert_false(valid("\xE0\x80\xAF"));         /* '/' in three bytes */
    assert_false(valid("\xE0\x9F\xBF"));         /* U+07FF in three bytes */
    assert_false(valid("\xF0\x80\x80\xAF"));     /* '/' in four bytes */
    assert_false(valid("\xF0\x8F\xBF\xBF"));     /* U+FFFF in four bytes */
    assert_false(valid("\xF8\x88\x80\x80\x80")); /* 5-byte forms are not UTF-8 */
    assert_false(valid("\xFC\x84\x80\x80\x80\x80"));
}

static void utf8_surrogates_and_range(void **state)
{
    (void)state;
    assert_false(valid("\xED\xA0\x80"));             /* U+D800 */
    assert_false(valid("\xED\xBF\xBF"));             /* U+DFFF */
    assert_false(valid("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 pair for 😀 */
    assert_false(valid("\xF4\x90\x80\x80"));         /* U+110000 */
    assert_false(valid("\xF5\x80\x80\x80"));
    assert_false(valid("\xF7\xBF\xBF\xBF"));
    assert_false(valid("\xFE"));
    assert_false(valid("\xFF"));
}

static void utf8_truncated(void **state)
{
    (void)state;
    /* 郑 is E9 83 91: every proper prefix is incomplete */
    assert_true(jc_utf8_valid("\xE9\x83\x91", 3));
    assert_false(jc_utf8_valid("\xE9\x83\x91", 2));
    assert_false(jc_utf8_valid("\xE9\x83\x91", 1));
    assert_false(valid("abc\xE9\x83"));
    assert_false(valid("\xE9\x83"
                       "abc")); /* a lead byte followed by ASCII */
    assert_false(valid("\xF0\x9F\x98"));
    assert_false(valid("\x80")); /* a lone continuation byte */
    assert_false(valid("a\xBF"
                       "b"));
    assert_false(valid("\xC2"));
    /* the length is respected: bytes after n are not read as part of the text */
    assert_true(jc_utf8_valid("ab\xFF", 2));
}

static void utf8_nul(void **state)
{
    (void)state;
    /* a NUL inside the counted bytes would cut the text short in C and in the database */
    assert_false(jc_utf8_valid("ab\0cd", 5));
    assert_false(jc_utf8_valid("\0", 1));
    assert_true(jc_utf8_valid("ab\0cd", 2));
}

static void utf8_len(void **state)
{
    (void)state;
    assert_int_equal(jc_utf8_len(""), 0);
    assert_int_equal(jc_utf8_len("abc"), 3);
    assert_int_equal(jc_utf8_len("郑州市"), 3); /* 9 bytes */
    assert_int_equal(jc_utf8_len("郑州 abc"), 6);
    assert_int_equal(jc_utf8_len("😀"), 1); /* 4 bytes */
    assert_int_equal(jc_utf8_len("\xC2\x80\xDF\xBF"), 2);
    assert_int_equal(jc_utf8_len("惠济区鑫苑现代城小区"), 10);
}

static void control_chars(void **state)
{
    (void)state;
    assert_false(jc_has_control("line one\nline two\r\n\tindented"));
    assert_false(jc_has_control("郑州"));
    assert_true(jc_has_control("bell\a"));
    assert_true(jc_has_control("esc\x1b[31m"));
    assert_true(jc_has_control("del\x7f"));
    assert_false(jc_has_control(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_valid_text),
        cmocka_unit_test(utf8_overlong),
        cmocka_unit_test(utf8_surrogates_and_range),
        cmocka_unit_test(utf8_truncated),
        cmocka_unit_test(utf8_nul),
        cmocka_unit_test(utf8_len),
        cmocka_unit_test(control_chars),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
