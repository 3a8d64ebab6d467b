/* test_cases_util.c — the pure helpers of city management: distances on the earth (haversine,
 * a point to a road), the box the database prefilters with, XML escaping of hostile text,
 * photos recognised by their bytes, and the form bodies of Open311 clients. */
#include "unit.h"
#include "../../src/cases/cases_util.h"

#include <math.h>

/* ---- geometry ---- */

static void distances(void **state)
{
    (void)state;
    /* one degree of longitude on the equator: 2πR / 360 */
    assert_true(fabs(geo_distance_m(0, 0, 0, 1) - 111195.08) < 0.5);
    assert_true(geo_distance_m(34.7466, 113.6253, 34.7466, 113.6253) == 0);
    /* 郑州市 to 北京 (天安门): about 623 km */
    double d = geo_distance_m(34.7466, 113.6253, 39.9087, 116.3975);
    assert_true(d > 615000 && d < 630000);
    /* symmetric */
    assert_true(fabs(geo_distance_m(34.7, 113.6, 34.71, 113.62) -
                     geo_distance_m(34.71, 113.62, 34.7, 113.6)) < 1e-6);
    /* 50 m north of a point on 陇海马路 */
    double north = 50.0 / 111195.08;
    assert_true(fabs(geo_distance_m(34.7358, 113.68, 34.7358 + north, 113.68) - 50.0) < 0.05);
}

static void point_to_road(void **state)
{
    (void)state;
    /* an east-west segment at 34.7358 from 113.672 to 113.700 */
    double north100 = 100.0 / 111195.08;
    double d =
        geo_segment_distance_m(34.7358 + north100, 113.69, 34.7358, 113.672, 34.7358, 113.70);
    assert_true(fabs(d - 100.0) < 0.2);
    /* beyond the east end: the distance to the end point */
    double beyond = geo_segment_distance_m(34.7358, 113.701, 34.7358, 113.672, 34.7358, 113.70);
    assert_true(fabs(beyond - geo_distance_m(34.7358, 113.701, 34.7358, 113.70)) < 0.2);
    /* a degenerate segment is a point */
    assert_true(fabs(geo_segment_distance_m(34.74, 113.68, 34.7358, 113.68, 34.7358, 113.68) -
                     geo_distance_m(34.74, 113.68, 34.7358, 113.68)) < 0.5);
    /* a polyline: the nearest of its segments; its length adds them */
    double road[] = {34.7358, 113.672, 34.7361, 113.680, 34.7359, 113.690};
    assert_true(geo_polyline_distance_m(34.7361, 113.680, road, 3) < 0.01);
    assert_true(geo_polyline_distance_m(34.75, 113.68, road, 3) > 1500);
    double len = geo_polyline_length_m(road, 3);
    assert_true(fabs(len - (geo_distance_m(34.7358, 113.672, 34.7361, 113.680) +
                            geo_distance_m(34.7361, 113.680, 34.7359, 113.690))) < 1e-6);
    assert_true(len > 1600 && len < 1700);
    assert_true(isinf(geo_polyline_distance_m(34.7, 113.6, road, 0)));
    assert_true(geo_polyline_length_m(road, 1) == 0);
}

static void box_holds_the_circle(void **state)
{
    (void)state;
    double lat = 34.7358, lng = 113.68, r = 50;
    double a, b, c, d;
    geo_box_around(lat, lng, r, &a, &b, &c, &d);
    /* the points at exactly r in the four directions are inside; at 2r outside */
    double dlat = r / 111195.08, dlng = r / (111195.08 * cos(lat * M_PI / 180));
    assert_true(lat + dlat <= b && lat - dlat >= a);
    assert_true(lng + dlng <= d && lng - dlng >= c);
    assert_true(lat + 2 * dlat > b && lng + 2 * dlng > d);
}

/* ---- XML ---- */

static const char *esc(jc_buf *b, const char *s)
{
    buf_reset(b);
    assert_int_equal(xml_escape(b, s), JC_OK);
    return b->data ? b->data : "";
}

static void xml_hostile_text(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 1 << 16);
    assert_string_equal(esc(&b, ""), "");
    assert_string_equal(esc(&b, "plain"), "plain");
    assert_string_equal(esc(&b, "<b>&\"'</b>"), "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;");
    assert_string_equal(esc(&b, "</description><status>closed</status>"),
                        "&lt;/description&gt;&lt;status&gt;closed&lt;/status&gt;");
    assert_string_equal(esc(&b, "]]><!-- x -->"), "]]&gt;&lt;!-- x --&gt;");
    assert_string_equal(esc(&b, "&amp; stays escaped"), "&amp;amp; stays escaped");
    /* Chinese and other text as it is; tab, newline, CR kept */
    assert_string_equal(esc(&b, "陇海马路\t井盖\r\n😀"), "陇海马路\t井盖\r\n😀");
    /* what XML 1.0 cannot carry becomes U+FFFD */
    assert_string_equal(esc(&b, "a\x01"
                                "b\x1f"
                                "c"),
                        "a\xEF\xBF\xBD"
                        "b\xEF\xBF\xBD"
                        "c");
    assert_string_equal(esc(&b, "bad \xFF byte"), "bad \xEF\xBF\xBD byte");
    assert_string_equal(esc(&b, "cut \xE4\xB8"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(esc(&b, "overlong \xC0\xAF"), "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(esc(&b, "surrogate \xED\xA0\x80!"),
                        "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
    assert_string_equal(esc(&b, "noncharacter \xEF\xBF\xBF"), "noncharacter \xEF\xBF\xBD");
    assert_string_equal(esc(&b, NULL), "");
    /* the cap of the buffer is reported, not overrun */
    jc_buf small;
    buf_init(&small, 8);
    assert_int_not_equal(xml_escape(&small, "<<<<<<<<"), JC_OK);
    buf_free(&small);
    buf_free(&b);
}

/* ---- photos ---- */

static void photos_by_their_bytes(void **state)
{
    (void)state;
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F'};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
    static const char webp[] = "RIFF\x24\0\0\0WEBPVP8 \x10\0\0\0";
    static const char webp_lossless[] = "RIFF\x24\0\0\0WEBPVP8L\x10\0\0\0";
    static const char wav[] = "RIFF\x24\0\0\0WAVEfmt \x10\0\0\0";
    assert_string_equal(image_sniff(jpeg, sizeof jpeg), "image/jpeg");
    assert_string_equal(image_sniff(png, sizeof png), "image/png");
    assert_string_equal(image_sniff(webp, sizeof webp - 1), "image/webp");
    assert_string_equal(image_sniff(webp_lossless, sizeof webp_lossless - 1), "image/webp");
    assert_null(image_sniff(wav, sizeof wav - 1));
    assert_null(image_sniff("GIF89a\x01\0\x01\0", 10));
    assert_null(image_sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 40));
    assert_null(image_sniff("%PDF-1.4", 8));
    assert_null(image_sniff("", 0));
    assert_null(image_sniff(png, 7)); /* cut short */
    assert_null(image_sniff(jpeg, 3));
    assert_string_equal(image_ext("image/jpeg"), "jpg");
    assert_string_equal(image_ext("image/png"), "png");
    assert_string_equal(image_ext("image/webp"), "webp");
    assert_string_equal(image_ext("text/html"), "bin");
    assert_string_equal(image_ext(NULL), "bin");
}

/* ---- forms ---- */

static void urlencoded(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    form_data f;
    const char *why;
    const char body[] = "service_code=litter&lat=34.73&long=113.68&description=%E5%9E%83%E5%9C%BE+"
                        "%26+more&empty=&flag&attribute%5Bkind%5D=manhole&&";
    assert_int_equal(form_parse_urlencoded(a, body, strlen(body), &f, &why), JC_OK);
    assert_int_equal(f.n, 7);
    assert_string_equal(form_get(&f, "service_code")->data, "litter");
    assert_string_equal(form_get(&f, "description")->data, "垃圾 & more");
    assert_int_equal(form_get(&f, "empty")->len, 0);
    assert_string_equal(form_get(&f, "flag")->data, "");
    assert_string_equal(form_get(&f, "attribute[kind]")->data, "manhole");
    assert_null(form_get(&f, "missing"));
    /* a NUL in a value is kept with its length; in a name it is refused */
    assert_int_equal(form_parse_urlencoded(a, "a=x%00y", 7, &f, &why), JC_OK);
    assert_int_equal(form_get(&f, "a")->len, 3);
    assert_int_equal(form_parse_urlencoded(a, "a%00b=1", 7, &f, &why), JC_EINVAL);
    /* malformed escapes */
    assert_int_equal(form_parse_urlencoded(a, "a=%zz", 5, &f, &why), JC_EINVAL);
    assert_non_null(why);
    assert_int_equal(form_parse_urlencoded(a, "a=%4", 4, &f, &why), JC_EINVAL);
    assert_int_equal(form_parse_urlencoded(a, "a=%", 3, &f, &why), JC_EINVAL);
    assert_int_equal(form_parse_urlencoded(a, "=value", 6, &f, &why), JC_EINVAL);
    /* bounds: fields and name length */
    char many[FORM_MAX_PARTS * 4 + 8] = "";
    for (int i = 0; i <= FORM_MAX_PARTS; i++) strcat(many, "a=1&");
    assert_int_equal(form_parse_urlencoded(a, many, strlen(many), &f, &why), JC_EINVAL);
    char longname[FORM_MAX_NAME_LEN + 8];
    memset(longname, 'n', FORM_MAX_NAME_LEN + 1);
    strcpy(longname + FORM_MAX_NAME_LEN + 1, "=1");
    assert_int_equal(form_parse_urlencoded(a, longname, strlen(longname), &f, &why), JC_EINVAL);
    assert_int_equal(form_parse_urlencoded(a, "", 0, &f, &why), JC_OK);
    assert_int_equal(f.n, 0);
    arena_free(a);
}

static void multipart(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    form_data f;
    const char *why;
    /* a photo whose bytes contain CRLF, "--" and a NUL: only the full delimiter ends it */
    static const char body[] =
        "preamble to be ignored\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"service_code\"\r\n\r\n"
        "litter\r\n"
        "--XyZ\r\n"
        "content-disposition: form-data; name=\"description\"\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "第一行\r\n--X not the end\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
        "\x89PNG\r\n\x1a\n\0\r\n--\r\n"
        "--XyZ--\r\n"
        "epilogue";
    size_t n = sizeof body - 1;
    assert_int_equal(
        form_parse_multipart(a, "multipart/form-data; boundary=\"XyZ\"", body, n, &f, &why), JC_OK);
    assert_int_equal(f.n, 3);
    assert_string_equal(form_get(&f, "service_code")->data, "litter");
    assert_null(form_get(&f, "service_code")->filename);
    assert_string_equal(form_get(&f, "description")->data, "第一行\r\n--X not the end");
    const form_part *m = form_get(&f, "media");
    assert_string_equal(m->filename, "a.png");
    assert_string_equal(m->content_type, "image/png");
    assert_int_equal(m->len, 13);
    assert_memory_equal(m->data, "\x89PNG\r\n\x1a\n\0\r\n--", 13);
    /* the boundary as a token, at the very start */
    static const char b2[] = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--b--";
    assert_int_equal(
        form_parse_multipart(a, "multipart/form-data;boundary=b", b2, sizeof b2 - 1, &f, &why),
        JC_OK);
    assert_string_equal(form_get(&f, "x")->data, "1");
    /* refused: no boundary, no closing delimiter, a part without a name, garbage */
    assert_int_equal(form_parse_multipart(a, "multipart/form-data", b2, sizeof b2 - 1, &f, &why),
                     JC_EINVAL);
    static const char open_end[] = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n1";
    assert_int_equal(form_parse_multipart(a, "multipart/form-data; boundary=b", open_end,
                                          sizeof open_end - 1, &f, &why),
                     JC_EINVAL);
    static const char noname[] = "--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--";
    assert_int_equal(form_parse_multipart(a, "multipart/form-data; boundary=b", noname,
                                          sizeof noname - 1, &f, &why),
                     JC_EINVAL);
    assert_int_equal(
        form_parse_multipart(a, "multipart/form-data; boundary=b", "garbage", 7, &f, &why),
        JC_EINVAL);
    assert_non_null(why);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distances),
        cmocka_unit_test(point_to_road),
        cmocka_unit_test(box_holds_the_circle),
        cmocka_unit_test(xml_hostile_text),
        cmocka_unit_test(photos_by_their_bytes),
        cmocka_unit_test(urlencoded),
        cmocka_unit_test(multipart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
