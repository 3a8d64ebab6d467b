/* test_tabular.c — reading CSV and XLSX, writing XLSX, dates from cells, the progress bar.
 *
 * Most tests compare a whole table dumped as text ("line:cell|cell\n" per row, then END or ERR),
 * so that a wrong line number, a lost cell or a stray BOM shows up as a readable diff. GBK bytes
 * are made with iconv and XLSX files by libxlsxwriter or by hand with libzip, in the test. */
#include "unit.h"

#include "../../src/base/buf.h"
#include "../../src/io/progress.h"
#include "../../src/io/tabular.h"

#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- helpers ---- */

/* Every row as "line:cell|cell\n", then "END" or "ERR <rc> @<line>". Caller frees. */
static char *dump(tab_reader *r)
{
    jc_buf b;
    buf_init(&b, 0);
    tab_row row;
    int rc;
    while ((rc = tab_next(r, &row)) == 1) {
        buf_printf(&b, "%d:", row.line);
        for (int i = 0; i < row.ncells; i++) buf_printf(&b, "%s%s", i ? "|" : "", row.cells[i]);
        buf_puts(&b, "\n");
    }
    if (rc == 0)
        buf_puts(&b, "END");
    else
        buf_printf(&b, "ERR %d @%d", -rc, tab_error_line(r));
    return b.data;
}

static char *dump_mem(const void *data, size_t len, tab_format want)
{
    tab_reader *r = NULL;
    char *msg = NULL;
    int rc = tab_open_mem(data, len, &r, &msg);
    if (rc) fail_msg("tab_open_mem: %d %s", rc, msg ? msg : "");
    assert_int_equal(tab_format_of(r), want);
    char *out = dump(r);
    tab_close(r);
    return out;
}

static void assert_dump(const void *data, size_t len, tab_format want, const char *expect)
{
    char *got = dump_mem(data, len, want);
    assert_string_equal(got, expect);
    free(got);
}

/* A file in $TMPDIR (or /tmp) holding the bytes; the caller unlinks it. */
static void temp_file(const void *data, size_t len, char path[256])
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 256, "%s/test_tabular-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
    close(fd);
}

static char *dump_file(const void *data, size_t len, tab_format want)
{
    char path[256];
    temp_file(data, len, path);
    tab_reader *r = NULL;
    char *msg = NULL;
    int rc = tab_open_file(path, &r, &msg);
    if (rc) fail_msg("tab_open_file: %d %s", rc, msg ? msg : "");
    assert_int_equal(tab_format_of(r), want);
    char *out = dump(r);
    int64_t done, total;
    tab_progress(r, &done, &total);
    if (want != TAB_XLSX && strncmp(out + strlen(out) - 3, "END", 3) == 0) {
        assert_int_equal(done, (int64_t)len); /* read to the end, and it knew the size */
        assert_int_equal(total, (int64_t)len);
    }
    tab_close(r);
    unlink(path);
    return out;
}

/* UTF-8 → `to` ("GBK", "GB18030") with iconv; malloc'd, *len set. */
static char *encode(const char *utf8, const char *to, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), cap = inleft * 2 + 16, outleft = cap;
    char *out = malloc(cap), *in = (char *)utf8, *op = out;
    assert_non_null(out);
    assert_true(iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1);
    iconv_close(cd);
    *len = cap - outleft;
    return out;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- CSV ---- */

static void csv_utf8_with_and_without_bom(void **state)
{
    (void)state;
    const char *csv = "姓名,身份证号,电话\n张三,110101199001011234,13800138000\n";
    const char *expect = "1:姓名|身份证号|电话\n2:张三|110101199001011234|13800138000\nEND";
    assert_dump(csv, strlen(csv), TAB_CSV_UTF8, expect);
    char with_bom[256];
    snprintf(with_bom, sizeof with_bom, "\xEF\xBB\xBF%s", csv);
    assert_dump(with_bom, strlen(with_bom), TAB_CSV_UTF8, expect); /* no BOM in the first cell */
    char *got = dump_file(with_bom, strlen(with_bom), TAB_CSV_UTF8);
    assert_string_equal(got, expect);
    free(got);
}

static void csv_gbk_decoded(void **state)
{
    (void)state;
    const char *utf8 = "姓名,地址\n张三,河南省郑州市金水区\n李四,\"含,逗号\"\n";
    size_t n;
    char *gbk = encode(utf8, "GBK", &n);
    const char *expect = "1:姓名|地址\n2:张三|河南省郑州市金水区\n3:李四|含,逗号\nEND";
    assert_dump(gbk, n, TAB_CSV_GBK, expect);
    char *got = dump_file(gbk, n, TAB_CSV_GBK);
    assert_string_equal(got, expect);
    free(got);
    free(gbk);

    /* GB18030's four-byte characters (outside GBK) decode too */
    gbk = encode("名,𠀀€\n", "GB18030", &n);
    assert_dump(gbk, n, TAB_CSV_GBK, "1:名|𠀀€\nEND");
    free(gbk);
}

/* Hundreds of KiB of GBK: characters cut by every chunk boundary, from memory and from a file. */
static void csv_gbk_across_chunks(void **state)
{
    (void)state;
    jc_buf u, want;
    buf_init(&u, 0);
    buf_init(&want, 0);
    buf_puts(&u, "序号,内容,备注\r\n");
    buf_puts(&want, "1:序号|内容|备注\n");
    for (int i = 1; i <= 6000; i++) {
        buf_printf(&u, "%d,中文测试数据第%d行,\"引号,里\"\"面\"\r\n", i, i);
        buf_printf(&want, "%d:%d|中文测试数据第%d行|引号,里\"面\n", i + 1, i, i);
    }
    buf_puts(&want, "END");
    size_t n;
    char *gbk = encode(u.data, "GBK", &n);
    assert_true(n > 3 * 65536);
    char *got = dump_mem(gbk, n, TAB_CSV_GBK);
    assert_string_equal(got, want.data);
    free(got);
    got = dump_file(gbk, n, TAB_CSV_GBK);
    assert_string_equal(got, want.data);
    free(got);
    got = dump_mem(u.data, u.len, TAB_CSV_UTF8); /* and the same text as UTF-8 */
    assert_string_equal(got, want.data);
    free(got);
    free(gbk);
    buf_free(&u);
    buf_free(&want);
}

static void csv_quoting(void **state)
{
    (void)state;
    const char *csv = "a,\"b,c\",\"d\"\"e\",\"l1\nl2\"\r\n" /* 1: comma, doubled quote, newline */
                      "\"x\"y,z\"q\n"       /* 2: text after a quote; a bare quote */
                      "\"\",\"\"\n"         /* 3: only empty quoted cells: skipped */
                      "\n"                  /* 4: blank: skipped */
                      ",,,\n"               /* 5: only commas: skipped */
                      " p ,,q,,\r"          /* 6: blanks kept, trailing empties dropped, lone CR */
                      "last,\"un\"\"end\""; /* 7: no final newline */
    assert_dump(csv, strlen(csv), TAB_CSV_UTF8,
                "1:a|b,c|d\"e|l1\nl2\n2:xy|z\"q\n6: p ||q\n7:last|un\"end\nEND");
}

/* A spreadsheet row is a record, however many physical lines its quoted cells span. */
static void csv_line_numbers(void **state)
{
    (void)state;
    const char *csv = "h1,h2\n\"multi\nline\r\nfield\",x\n\n\r\nlast,y\n";
    assert_dump(csv, strlen(csv), TAB_CSV_UTF8, "1:h1|h2\n2:multi\nline\r\nfield|x\n5:last|y\nEND");
    const char *crlf = "a\r\nb\r\n\r\nc";
    assert_dump(crlf, strlen(crlf), TAB_CSV_UTF8, "1:a\n2:b\n4:c\nEND");
}

/* The parser keeps its state when a chunk ends between "" or between CR and LF. */
static void csv_chunk_boundaries(void **state)
{
    (void)state;
    const char *rec = "\"q\"\"x\",\"y\"\r\nz\r\n";
    for (int j = 0; j <= 14; j++) {
        size_t pad = 65536 - (size_t)j - 5; /* the record starts j bytes before 64 KiB */
        char *p = repeat('p', pad);
        jc_buf in, want;
        buf_init(&in, 0);
        buf_init(&want, 0);
        buf_printf(&in, "h\r\n%s\r\n%s", p, rec);
        buf_printf(&want, "1:h\n2:%s\n3:q\"x|y\n4:z\nEND", p);
        assert_int_equal(strstr(in.data, rec) - in.data, 65536 - j);
        char *got = dump_mem(in.data, in.len, TAB_CSV_UTF8);
        assert_string_equal(got, want.data);
        free(got);
        got = dump_file(in.data, in.len, TAB_CSV_UTF8);
        assert_string_equal(got, want.data);
        free(got);
        free(p);
        buf_free(&in);
        buf_free(&want);
    }
}

static void csv_unterminated_quote(void **state)
{
    (void)state;
    const char *csv = "a,b\n\"c,d\nmore\n";
    tab_reader *r;
    assert_int_equal(tab_open_mem(csv, strlen(csv), &r, NULL), JC_OK);
    char *got = dump(r);
    assert_string_equal(got, "1:a|b\nERR 1 @2");
    free(got);
    assert_non_null(strstr(tab_error(r), "line 2: a quoted field is not closed"));
    assert_non_null(strstr(tab_error_zh(r), "第2行"));
    tab_row row;
    assert_int_equal(tab_next(r, &row), -JC_EINVAL); /* the error stays */
    tab_close(r);
}

/* A file that starts as UTF-8 (past the 64 KiB that decide) and then holds a GBK line. */
static void csv_bad_utf8_later(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 0);
    buf_puts(&b, "编号,名称\n");
    for (int i = 2; i <= 6000; i++) buf_printf(&b, "%d,第%d条\n", i, i);
    assert_true(b.len > 65536);
    buf_puts(&b, "6001,\xB0\xA1\n6002,ok\n"); /* 啊 in GBK */
    tab_reader *r;
    assert_int_equal(tab_open_mem(b.data, b.len, &r, NULL), JC_OK);
    assert_int_equal(tab_format_of(r), TAB_CSV_UTF8);
    tab_row row;
    int rc, rows = 0;
    while ((rc = tab_next(r, &row)) == 1) rows++;
    assert_int_equal(rows, 6000);
    assert_int_equal(rc, -JC_EINVAL);
    assert_int_equal(tab_error_line(r), 6001);
    assert_non_null(strstr(tab_error(r), "line 6001: column 2: not valid UTF-8"));
    assert_non_null(strstr(tab_error_zh(r), "第6001行"));
    tab_close(r);
    buf_free(&b);

    /* a NUL byte inside a field is not text either */
    const char nul[] = "a,b\nc,d\0e\n";
    assert_int_equal(tab_open_mem(nul, sizeof nul - 1, &r, NULL), JC_EMEDIA);
}

/* Bytes that are not GB18030 in a GBK file: the line is named. */
static void csv_gbk_bad_bytes(void **state)
{
    (void)state;
    size_t n;
    char *head = encode("名称,数量\n苹果,3\n", "GBK", &n);
    jc_buf b;
    buf_init(&b, 0);
    buf_append(&b, head, n);
    buf_puts(&b, "x,\xFF\xFF\n");
    assert_dump(b.data, b.len, TAB_CSV_GBK, "1:名称|数量\n2:苹果|3\nERR 1 @3");
    char *got = dump_file(b.data, b.len, TAB_CSV_GBK);
    assert_string_equal(got, "1:名称|数量\n2:苹果|3\nERR 1 @3");
    free(got);
    /* a character cut off by the end of the file */
    buf_reset(&b);
    buf_append(&b, head, n);
    buf_puts(&b, "x,\xB0");
    assert_dump(b.data, b.len, TAB_CSV_GBK, "1:名称|数量\n2:苹果|3\nERR 1 @3");
    char *got2 = dump_file(b.data, b.len, TAB_CSV_GBK);
    assert_string_equal(got2, "1:名称|数量\n2:苹果|3\nERR 1 @3");
    free(got2);
    free(head);
    buf_free(&b);
}

static void csv_limits(void **state)
{
    (void)state;
    char *big = repeat('x', (3u << 20) / 2);
    jc_buf b;
    buf_init(&b, 0);
    buf_printf(&b, "a\n%s\nb\n", big);
    assert_dump(b.data, b.len, TAB_CSV_UTF8, "1:a\nERR 9 @2"); /* JC_ETOOBIG */

    /* an unclosed quote would swallow the rest of the file: stopped at the cap, line named */
    buf_reset(&b);
    buf_printf(&b, "a\n\"%s\n%s\n", big, big);
    tab_reader *r;
    assert_int_equal(tab_open_mem(b.data, b.len, &r, NULL), JC_OK);
    char *got = dump(r);
    assert_string_equal(got, "1:a\nERR 9 @2");
    assert_non_null(strstr(tab_error(r), "quote"));
    free(got);
    tab_close(r);

    /* more columns than Excel has */
    char *commas = repeat(',', 20000);
    buf_reset(&b);
    buf_printf(&b, "x%sy\n", commas);
    assert_dump(b.data, b.len, TAB_CSV_UTF8, "ERR 9 @1");
    free(commas);
    free(big);
    buf_free(&b);
}

static void csv_refused_and_empty(void **state)
{
    (void)state;
    tab_reader *r = NULL;
    char *msg = NULL;
    const char utf16[] = "\xFF\xFE"
                         "a\0,\0b\0";
    assert_int_equal(tab_open_mem(utf16, sizeof utf16 - 1, &r, &msg), JC_EMEDIA);
    assert_null(r);
    assert_non_null(strstr(msg, "UTF-16"));
    free(msg);
    const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an old workbook";
    assert_int_equal(tab_open_mem(xls, sizeof xls - 1, &r, &msg), JC_EMEDIA);
    assert_non_null(strstr(msg, ".xls"));
    free(msg);
    assert_int_equal(tab_open_mem(xls, sizeof xls - 1, &r, NULL), JC_EMEDIA); /* NULL errmsg */
    assert_int_equal(tab_open_file("/nonexistent/dir/file.csv", &r, &msg), JC_EIO);
    free(msg);

    assert_dump("", 0, TAB_CSV_UTF8, "END");
    assert_dump("\xEF\xBB\xBF", 3, TAB_CSV_UTF8, "END");
    assert_dump("\n\n,\n", 4, TAB_CSV_UTF8, "END");
    char *got = dump_file("", 0, TAB_CSV_UTF8);
    assert_string_equal(got, "END");
    free(got);
}

/* A file of 50,000 rows streams through in order, and progress ends at the file size. */
static void csv_file_stream(void **state)
{
    (void)state;
    jc_buf b;
    buf_init(&b, 0);
    buf_puts(&b, "id,name,phone\r\n");
    for (int i = 1; i <= 50000; i++) buf_printf(&b, "%d,用户%d,1380013%04d\r\n", i, i, i % 10000);
    char path[256];
    temp_file(b.data, b.len, path);
    tab_reader *r;
    assert_int_equal(tab_open_file(path, &r, NULL), JC_OK);
    int64_t done, total;
    tab_progress(r, &done, &total);
    assert_int_equal(total, (int64_t)b.len);
    assert_true(done < total);
    tab_row row;
    int rc, expect_line = 1;
    while ((rc = tab_next(r, &row)) == 1) {
        assert_int_equal(row.line, expect_line);
        assert_int_equal(row.ncells, 3);
        if (row.line > 1) assert_int_equal(atoi(row.cells[0]), row.line - 1);
        expect_line++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(expect_line, 50002);
    tab_progress(r, &done, &total);
    assert_int_equal(done, total);
    tab_close(r);
    unlink(path);
    buf_free(&b);
}

/* ---- XLSX helpers ---- */

/* The bytes of a file at path; malloc'd. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}

/* One part of a zip in memory, NUL-terminated and malloc'd; NULL when missing. */
static char *zip_part(const void *data, size_t len, const char *name)
{
    zip_error_t err;
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &err);
    assert_non_null(za);
    zip_stat_t st;
    char *out = NULL;
    if (zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *zf = zip_fopen(za, name, 0);
        out = malloc(st.size + 1);
        assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
        out[st.size] = '\0';
        zip_fclose(zf);
    }
    zip_discard(za);
    return out;
}

struct part {
    const char *name, *text;
};

/* A zip of the given parts, built with libzip; malloc'd bytes. */
static char *make_zip(const struct part *parts, int n, size_t *len)
{
    char path[256];
    temp_file("", 0, path);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].text, strlen(parts[i].text), 0);
        assert_true(zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    char *data = slurp(path, len);
    unlink(path);
    return data;
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define RT      NS_REL "/"

static const char pkg_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" Target=\"/xl/workbook.xml\"/>"
    "</Relationships>";

/* A workbook whose first sheet is hidden, whose data sheet is not sheet1.xml (and named by an
 * absolute target), whose shared strings are in strings.xml, with a prefixed namespace. */
static char *make_handmade(const char *sheet_xml, const char *sst_xml, size_t *len)
{
    static const char workbook[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
        "<sheet name=\"说明\" sheetId=\"3\" state=\"hidden\" r:id=\"rId9\"/>"
        "<sheet name=\"数据\" sheetId=\"1\" r:id=\"rId2\"/>"
        "<sheet name=\"其他\" sheetId=\"2\" r:id=\"rId3\"/>"
        "</sheets></workbook>";
    static const char book_rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId3\" Type=\"" RT "worksheet\" Target=\"worksheets/../worksheets/"
        "other.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" RT "worksheet\" Target=\"worksheets/notes.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"" RT "sharedStrings\" Target=\"strings.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" RT "worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
        "<Relationship Id=\"rId8\" Type=\"" RT "hyperlink\" Target=\"http://example.com/\" "
        "TargetMode=\"External\"/>"
        "</Relationships>";
    static const char notes[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                                "<c r=\"A1\" t=\"inlineStr\"><is><t>hidden sheet</t></is></c>"
                                "</row></sheetData></worksheet>";
    const struct part parts[] = {
        {"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                                "content-types\"/>"},
        {"_rels/.rels", pkg_rels},
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels", book_rels},
        {"xl/worksheets/notes.xml", notes},
        {"xl/worksheets/other.xml", notes},
        {"xl/worksheets/data.xml", sheet_xml},
        {"xl/strings.xml", sst_xml},
    };
    return make_zip(parts, (int)JC_NELEM(parts), len);
}

static const char handmade_sst[] =
    "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
    "<si><t>姓名</t></si>"
    "<si><t>电话</t></si>"
    "<si><r><t>张</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">三 </t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>ジャン</t></rPh><phoneticPr fontId=\"1\"/></si>"
    "<si><t xml:space=\"preserve\">  前后空格  </t></si>"
    "<si><t>第一行_x000D_\n第二行_x005F_x0041_ &amp; &lt;end&gt;</t></si>"
    "</sst>";

static const char handmade_sheet[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v>"
    "</x:c><x:c r=\"D1\" t=\"inlineStr\"><x:is><x:t>备注</x:t></x:is></x:c></x:row>\n"
    "<x:row r=\"3\"><x:c r=\"A3\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"B3\"><x:v>13800138000</x:v>"
    "</x:c><x:c r=\"D3\" t=\"inlineStr\"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr><x:b/>"
    "</x:rPr><x:t>文本</x:t></x:r><x:rPh><x:t>skip</x:t></x:rPh></x:is></x:c></x:row>\n"
    "<x:row r=\"4\"><x:c><x:v>1.5</x:v></x:c><x:c t=\"s\"><x:v>3</x:v></x:c><x:c t=\"b\">"
    "<x:v>1</x:v></x:c><x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"str\"><x:f>A4&amp;\"x\"</x:f>"
    "<x:v>1.5x</x:v></x:c><x:c t=\"b\"><x:v>0</x:v></x:c></x:row>\n"
    "<x:row r=\"6\" ht=\"30\" customHeight=\"1\"><x:c r=\"A6\" s=\"2\"/><x:c r=\"B6\" s=\"1\">"
    "</x:c></x:row>\n"
    "<x:row r=\"7\"><x:c r=\"AA7\" t=\"s\"><x:v>4</x:v></x:c></x:row>\n"
    "<x:row><x:c r=\"B8\" t=\"inlineStr\"><x:is><x:t>no r on the row</x:t></x:is></x:c></x:row>"
    "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B1\"/></x:mergeCells>"
    "</x:worksheet>";

/* ---- XLSX ---- */

static void xlsx_handmade(void **state)
{
    (void)state;
    size_t len;
    char *x = make_handmade(handmade_sheet, handmade_sst, &len);
    char *got = dump_mem(x, len, TAB_XLSX);
    const char *expect = "1:姓名|电话||备注\n"
                         "3:张三 |13800138000||富文本\n"
                         "4:1.5|  前后空格  |TRUE|#N/A|1.5x|FALSE\n"
                         "7:||||||||||||||||||||||||||第一行\r\n第二行_x0041_ & <end>\n"
                         "8:|no r on the row\n"
                         "END";
    assert_string_equal(got, expect);
    free(got);
    got = dump_file(x, len, TAB_XLSX);
    assert_string_equal(got, expect);
    free(got);
    free(x);
}

static void xlsx_bad_shared_string_and_dtd(void **state)
{
    (void)state;
    size_t len;
    char *x = make_handmade("<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                            "<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"
                            "<row r=\"2\"><c t=\"s\"><v>99</v></c></row>"
                            "</sheetData></worksheet>",
                            handmade_sst, &len);
    tab_reader *r;
    assert_int_equal(tab_open_mem(x, len, &r, NULL), JC_OK);
    char *got = dump(r);
    assert_string_equal(got, "1:姓名\nERR 1 @2");
    assert_non_null(strstr(tab_error(r), "shared string"));
    free(got);
    tab_close(r);
    free(x);

    /* an entity bomb needs a DTD; none is accepted */
    x = make_handmade("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]>"
                      "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c t=\"inlineStr\">"
                      "<is><t>&a;</t></is></c></row></sheetData></worksheet>",
                      handmade_sst, &len);
    assert_dump(x, len, TAB_XLSX, "ERR 1 @0");
    free(x);
    char *msg = NULL;
    x = make_handmade(handmade_sheet, "<!DOCTYPE sst><sst/>", &len);
    assert_int_equal(tab_open_mem(x, len, &r, &msg), JC_EINVAL);
    assert_non_null(strstr(msg, "DTD"));
    free(msg);
    free(x);

    /* a worksheet that is not well-formed */
    x = make_handmade("<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                      "<row r=\"1\"><c t=\"inlineStr\"><is><t>ok</t></is></c></row>"
                      "<row r=\"2\"><c><v>1</v></row></sheetData></worksheet>",
                      handmade_sst, &len);
    assert_int_equal(tab_open_mem(x, len, &r, NULL), JC_OK);
    got = dump(r);
    assert_string_equal(got, "1:ok\nERR 1 @0");
    assert_non_null(strstr(tab_error(r), "damaged after row 1"));
    free(got);
    tab_close(r);
    free(x);
}

static void xlsx_corrupt(void **state)
{
    (void)state;
    tab_reader *r = NULL;
    char *msg = NULL;
    char junk[200];
    memcpy(junk, "PK\x03\x04", 4);
    for (size_t i = 4; i < sizeof junk; i++) junk[i] = (char)(i * 37);
    assert_int_equal(tab_open_mem(junk, sizeof junk, &r, &msg), JC_EINVAL);
    assert_null(r);
    assert_non_null(strstr(msg, "damaged"));
    free(msg);

    /* a zip, but no workbook inside */
    const struct part other[] = {{"hello.txt", "hello"}};
    size_t len;
    char *z = make_zip(other, 1, &len);
    assert_int_equal(tab_open_mem(z, len, &r, &msg), JC_EMEDIA);
    assert_non_null(strstr(msg, "not an xlsx"));
    free(msg);
    free(z);

    /* a real export cut in half, and one whose sheet data is scrambled */
    tab_writer *w;
    assert_int_equal(tab_xlsx_new("t", &w), JC_OK);
    char cell[64];
    const char *cells[] = {cell};
    for (int i = 0; i < 3000; i++) {
        snprintf(cell, sizeof cell, "row %d of some text %d", i, i * 7919);
        assert_int_equal(tab_xlsx_row(w, cells, NULL, 1), JC_OK);
    }
    void *data;
    assert_int_equal(tab_xlsx_finish(w, &data, &len), JC_OK);
    tab_xlsx_free(w);
    assert_int_equal(tab_open_mem(data, len / 2, &r, &msg), JC_EINVAL);
    free(msg);

    const char *name = "xl/worksheets/sheet1.xml";
    unsigned char *p = data;
    size_t at = 0;
    for (size_t i = 0; i + 30 + strlen(name) < len; i++)
        if (memcmp(p + i, "PK\x03\x04", 4) == 0 && memcmp(p + i + 30, name, strlen(name)) == 0)
            at = i;
    assert_true(at > 0);
    size_t body = at + 30 + strlen(name) + (size_t)(p[at + 28] | p[at + 29] << 8);
    for (size_t i = body + 200; i < body + 260; i++) p[i] ^= 0x5A;
    int rc = tab_open_mem(data, len, &r, &msg);
    if (rc == JC_OK) {
        tab_row row;
        while ((rc = tab_next(r, &row)) == 1) continue;
        assert_int_equal(rc, -JC_EINVAL);
        assert_non_null(strstr(tab_error(r), "damaged"));
        tab_close(r);
    } else {
        assert_int_equal(rc, JC_EINVAL);
        free(msg);
    }
    free(data);
}

/* Writes with tab_xlsx_*, reads back: same cells, numbers stored as numbers, IDs as text. */
static void xlsx_round_trip(void **state)
{
    (void)state;
    tab_writer *w;
    assert_int_equal(tab_xlsx_new("名单[2025]", &w), JC_OK);
    const char *head[] = {"姓名", "身份证号", "电话", "金额", "编号", "地址"};
    assert_int_equal(tab_xlsx_header(w, head, 6), JC_OK);
    const bool num[] = {false, true, true, true, true, false};
    const char *r1[] = {"张三", "110101199001011234",      "13800138000", "1.5",
                        "007",  "河南省郑州市金水区经三路"};
    const char *r2[] = {"李四\n第二行", "a\x01z", NULL, "-3.25", "1e5", ""};
    const char *r3[] = {"", "", "", "", "", ""}; /* written, and skipped when read */
    const char *r4[] = {"王五", "", "", "1234567890123456", "0.5", "_x0041_"};
    assert_int_equal(tab_xlsx_row(w, r1, num, 6), JC_OK);
    assert_int_equal(tab_xlsx_row(w, r2, num, 6), JC_OK);
    assert_int_equal(tab_xlsx_row(w, r3, num, 6), JC_OK);
    assert_int_equal(tab_xlsx_row(w, r4, NULL, 6), JC_OK);
    assert_int_equal(tab_xlsx_header(w, head, 6), JC_EINTERNAL); /* too late */
    const char *bad[] = {"\xC3("};
    assert_int_equal(tab_xlsx_row(w, bad, NULL, 1), JC_EINVAL);
    char *huge = repeat('x', TAB_CELL_MAX_CHARS + 1);
    const char *big[] = {huge};
    assert_int_equal(tab_xlsx_row(w, big, NULL, 1), JC_ETOOBIG);
    free(huge);
    void *data;
    size_t len;
    assert_int_equal(tab_xlsx_finish(w, &data, &len), JC_OK);
    void *again;
    size_t again_len;
    assert_int_equal(tab_xlsx_finish(w, &again, &again_len), JC_EINTERNAL);
    assert_null(again);
    tab_xlsx_free(w);

    char *got = dump_mem(data, len, TAB_XLSX);
    assert_string_equal(got,
                        "1:姓名|身份证号|电话|金额|编号|地址\n"
                        "2:张三|110101199001011234|13800138000|1.5|007|河南省郑州市金水区经三路\n"
                        "3:李四\n第二行|a\x01z||-3.25|1e5\n"
                        "5:王五|||1234567890123456|0.5|A\n" /* Excel reads _x0041_ so too */
                        "END");
    free(got);

    char *sheet = zip_part(data, len, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    assert_non_null(strstr(sheet, "<c r=\"C2\"><v>13800138000</v></c>")); /* a number */
    assert_non_null(strstr(sheet, "<c r=\"D2\"><v>1.5</v></c>"));         /* a number */
    assert_non_null(strstr(sheet, "<c r=\"D3\"><v>-3.25</v></c>"));       /* a number */
    assert_non_null(strstr(sheet, "<c r=\"B2\" t=\"inlineStr\"><is><t>110101199001011234<"));
    assert_non_null(strstr(sheet, "<c r=\"E2\" t=\"inlineStr\"><is><t>007<"));
    assert_non_null(strstr(sheet, "<c r=\"E3\" t=\"inlineStr\"><is><t>1e5<"));
    assert_non_null(strstr(sheet, "<c r=\"D5\" t=\"inlineStr\"><is><t>1234567890123456<"));
    assert_non_null(strstr(sheet, "<c r=\"E5\" t=\"inlineStr\">")); /* numeric NULL: all text */
    assert_non_null(strstr(sheet, "ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                                  "state=\"frozen\""));
    assert_non_null(strstr(sheet, "<c r=\"A1\" s=\"1\" t=\"inlineStr\">")); /* header styled */
    assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:F5\"/>"));
    /* widths: 12 CJK characters are 24 units (+2); an 18-digit ID 18 (+2) */
    assert_non_null(strstr(sheet, "<col min=\"6\" max=\"6\" width=\"26.7109375\""));
    assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"20.7109375\""));
    free(sheet);
    char *styles = zip_part(data, len, "xl/styles.xml");
    assert_non_null(strstr(styles, "<b/>"));
    free(styles);
    char *book = zip_part(data, len, "xl/workbook.xml");
    assert_non_null(strstr(book, "<sheet name=\"名单_2025_\""));
    free(book);
    free(data);
}

/* A long export streams through constant-memory mode and reads back row for row. */
static void xlsx_many_rows(void **state)
{
    (void)state;
    tab_writer *w;
    assert_int_equal(tab_xlsx_new(NULL, &w), JC_OK);
    const char *head[] = {"序号", "名称"};
    assert_int_equal(tab_xlsx_header(w, head, 2), JC_OK);
    char a[32], b[64];
    const char *cells[] = {a, b};
    const bool num[] = {true, false};
    for (int i = 1; i <= 20000; i++) {
        snprintf(a, sizeof a, "%d", i);
        snprintf(b, sizeof b, "单位%d", i);
        assert_int_equal(tab_xlsx_row(w, cells, num, 2), JC_OK);
    }
    void *data;
    size_t len;
    assert_int_equal(tab_xlsx_finish(w, &data, &len), JC_OK);
    tab_xlsx_free(w);
    tab_reader *r;
    assert_int_equal(tab_open_mem(data, len, &r, NULL), JC_OK);
    tab_row row;
    int rc, n = 0;
    while ((rc = tab_next(r, &row)) == 1) {
        n++;
        assert_int_equal(row.line, n);
        if (n == 1) continue;
        assert_int_equal(atoi(row.cells[0]), n - 1);
        snprintf(b, sizeof b, "单位%d", n - 1);
        assert_string_equal(row.cells[1], b);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 20001);
    int64_t done, total;
    tab_progress(r, &done, &total);
    assert_true(total > 0 && done <= total && done > total / 2);
    tab_close(r);
    free(data);

    /* a writer dropped unfinished leaves nothing behind */
    assert_int_equal(tab_xlsx_new("x", &w), JC_OK);
    assert_int_equal(tab_xlsx_row(w, cells, num, 2), JC_OK);
    tab_xlsx_free(w);
    tab_xlsx_free(NULL);
}

/* A workbook as libxlsxwriter writes it by default: shared strings, rich text, dates, booleans,
 * formulas, rows left out, and a second sheet that is not read. */
static void xlsx_from_libxlsxwriter(void **state)
{
    (void)state;
    char path[256];
    temp_file("", 0, path);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "户籍");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "other");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_write_string(ws, 0, 0, "户主", NULL);
    worksheet_write_string(ws, 0, 1, "出生日期", NULL);
    worksheet_write_string(ws, 0, 3, "户主", NULL); /* the same shared string twice */
    worksheet_write_string(ws, 3, 0, "赵六", NULL);
    lxw_datetime dt = {2025, 12, 1, 0, 0, 0};
    worksheet_write_datetime(ws, 3, 1, &dt, date);
    worksheet_write_boolean(ws, 3, 2, 1, NULL);
    worksheet_write_formula_num(ws, 3, 3, "=1+1", NULL, 2);
    lxw_rich_string_tuple f1 = {.format = NULL, .string = "低保"};
    lxw_rich_string_tuple f2 = {.format = bold, .string = "户"};
    lxw_rich_string_tuple *rich[] = {&f1, &f2, NULL};
    worksheet_write_rich_string(ws, 3, 4, rich, NULL);
    worksheet_write_string(ws2, 0, 0, "not this one", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    size_t len;
    char *data = slurp(path, &len);
    char *sst = zip_part(data, len, "xl/sharedStrings.xml");
    assert_non_null(sst); /* really shared strings, and really rich text */
    assert_non_null(strstr(sst, "<r>"));
    free(sst);
    free(data);

    tab_reader *r;
    assert_int_equal(tab_open_file(path, &r, NULL), JC_OK);
    assert_int_equal(tab_format_of(r), TAB_XLSX);
    char *got = dump(r);
    assert_string_equal(got, "1:户主|出生日期||户主\n4:赵六|45992|TRUE|2|低保户\nEND");
    free(got);
    tab_close(r);
    unlink(path);
    char out[11];
    assert_true(tab_date("45992", out));
    assert_string_equal(out, "2025-12-01");
}

/* Fragments that all point at one megabyte of blanks: an archive that unpacks past the cap. */
static void xlsx_zip_bomb(void **state)
{
    (void)state;
    const size_t mib = 1u << 20, nfrag = 1100;
    char *blanks = repeat(' ', mib);
    static const char open_tags[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>";
    zip_buffer_fragment_t *frag = calloc(nfrag + 1, sizeof *frag);
    assert_non_null(frag);
    frag[0].data = (zip_uint8_t *)open_tags;
    frag[0].length = sizeof open_tags - 1;
    for (size_t i = 1; i <= nfrag; i++) {
        frag[i].data = (zip_uint8_t *)blanks;
        frag[i].length = mib;
    }
    char path[256];
    temp_file("", 0, path);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    static const char workbook[] =
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
        "<sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char book_rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>";
    const struct part parts[] = {{"_rels/.rels", pkg_rels},
                                 {"xl/workbook.xml", workbook},
                                 {"xl/_rels/workbook.xml.rels", book_rels}};
    for (size_t i = 0; i < JC_NELEM(parts); i++)
        zip_file_add(za, parts[i].name,
                     zip_source_buffer(za, parts[i].text, strlen(parts[i].text), 0), 0);
    zip_source_t *s = zip_source_buffer_fragment(za, frag, nfrag + 1, 0);
    zip_int64_t idx = zip_file_add(za, "xl/worksheets/sheet1.xml", s, 0);
    assert_true(idx >= 0);
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
    assert_int_equal(zip_close(za), 0);
    free(frag);
    free(blanks);

    size_t len;
    char *data = slurp(path, &len);
    unlink(path);
    assert_true(len < 16 * mib); /* small on the wire, 1.1 GiB inside */
    assert_dump(data, len, TAB_XLSX, "ERR 9 @0");
    free(data);
}

/* ---- dates ---- */

static void date_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"45992", "2025-12-01"},
        {"1", "1900-01-01"},
        {"59", "1900-02-28"},
        {"61", "1900-03-01"},
        {"36526", "2000-01-01"},
        {"44197", "2021-01-01"},
        {"45992.75", "2025-12-01"},
        {"2958465", "9999-12-31"},
        {"2025-12-01", "2025-12-01"},
        {"2025/12/1", "2025-12-01"},
        {"2025.12.1", "2025-12-01"},
        {"2025年12月1日", "2025-12-01"},
        {"2025年1月01日", "2025-01-01"},
        {"20251201", "2025-12-01"},
        {" 2025-12-01 ", "2025-12-01"},
        {"2025/12/1 0:00", "2025-12-01"},
        {"2024-02-29", "2024-02-29"},
        {"2025-12-01T08:30:00", "2025-12-01"},
        {"2000/2/29", "2000-02-29"},
        {"2025年12月1日 08:30", "2025-12-01"},
    };
    static const char *const bad[] = {
        "60",         "0",          "-1",          "2958466",     "2025-02-29", "1900-02-29",
        "2025-13-01", "2025-12-32", "2025-12",     "2025/12-01",  "12/01/2025", "abc",
        "",           "   ",        "2025年12月1", "2025-12-01x", "20251301",   "2025-1-1-1",
        "45992.x",    "25-12-01",   "2025-012-01",
    };
    char out[11];
    for (size_t i = 0; i < JC_NELEM(ok); i++) {
        if (!tab_date(ok[i].in, out)) fail_msg("tab_date(\"%s\") refused", ok[i].in);
        assert_string_equal(out, ok[i].out);
    }
    for (size_t i = 0; i < JC_NELEM(bad); i++)
        if (tab_date(bad[i], out)) fail_msg("tab_date(\"%s\") accepted: %s", bad[i], out);
    assert_true(tab_date("2025-12-01 ", out)); /* trailing blanks are fine */
    assert_false(tab_date(NULL, out));
    /* "2025.12" is the number 2025.12, a serial in 1905 — not a month */
    assert_true(tab_date("2025.12", out));
    assert_string_equal(out, "1905-07-17");
}

/* ---- progress bar ---- */

static void progress_terminal_only(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    progress_draw(f, "导入", 42, 100, 123456);
    progress_end(f);
    assert_int_equal(ftell(f), 0); /* not a terminal: nothing */
    fclose(f);

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) skip();
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t); /* no \n → \r\n */
    tcsetattr(slave, TCSANOW, &t);
    FILE *tty = fdopen(slave, "w");
    progress_draw(tty, "导入", 42, 100, 123456);
    progress_draw(tty, "导出", 0, 0, 7);
    progress_draw(tty, "x", 150, 100, 1234567);
    progress_end(tty);
    char buf[512];
    size_t n = 0;
    fcntl(master, F_SETFL, O_NONBLOCK); /* everything was written already */
    for (ssize_t k; n < sizeof buf - 1 && (k = read(master, buf + n, sizeof buf - 1 - n)) > 0;)
        n += (size_t)k;
    buf[n] = '\0';
    assert_string_equal(buf, "\r导入 [############                  ]  42%  123,456 rows\033[K"
                             "\r导出  7 rows\033[K"
                             "\rx [##############################] 100%  1,234,567 rows\033[K"
                             "\n");
    fclose(tty);
    close(master);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_utf8_with_and_without_bom),
        cmocka_unit_test(csv_gbk_decoded),
        cmocka_unit_test(csv_gbk_across_chunks),
        cmocka_unit_test(csv_quoting),
        cmocka_unit_test(csv_line_numbers),
        cmocka_unit_test(csv_chunk_boundaries),
        cmocka_unit_test(csv_unterminated_quote),
        cmocka_unit_test(csv_bad_utf8_later),
        cmocka_unit_test(csv_gbk_bad_bytes),
        cmocka_unit_test(csv_limits),
        cmocka_unit_test(csv_refused_and_empty),
        cmocka_unit_test(csv_file_stream),
        cmocka_unit_test(xlsx_handmade),
        cmocka_unit_test(xlsx_bad_shared_string_and_dtd),
        cmocka_unit_test(xlsx_corrupt),
        cmocka_unit_test(xlsx_round_trip),
        cmocka_unit_test(xlsx_many_rows),
        cmocka_unit_test(xlsx_from_libxlsxwriter),
        cmocka_unit_test(xlsx_zip_bomb),
        cmocka_unit_test(date_vectors),
        cmocka_unit_test(progress_terminal_only),
    };
    return cmocka_run_group_tests_name("tabular", tests, NULL, NULL);
}
