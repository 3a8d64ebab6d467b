/* poverty_gen.c — the data of bench/poverty.sh: N households over the 13 villages of the demo
 * world and M persons in them (the first of each household its head), as the CSV files that
 * `jiceng import households|persons` read. Citizen IDs are valid (GB 11643 check character) and
 * unique by construction: person i is born on day i mod 30000 after 1935-01-01 with sequence
 * i div 30000, under 荥阳市 410182 (the demo world uses 410181, so they never meet).
 *
 *   poverty_gen HOUSEHOLDS PERSONS households.csv persons.csv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

static void civil(int64_t days, int *y, int *m, int *d)
{
    /* days since 1970-01-01 → date (Howard Hinnant's algorithm) */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {"建国", "秀英", "志强", "桂兰", "海军", "玉梅",
                                    "俊杰", "丽娟", "文博", "雨桐", "子轩", "欣怡"};
static const char *const relations[] = {"配偶", "子", "女", "孙子", "孙女", "母亲"};
static const char *const tags[] = {"低保户",         "残疾人户", "大病户",     "独居老人户",
                                   "建档立卡贫困户", "危房户",   "无劳动力户", ""};
static const char *const statuses[] = {"未识别",   "未识别", "未识别", "已脱贫",
                                       "稳定脱贫", "监测户", "未识别", "贫困户"};
static const char *const kinds[] = {"", "", "", "", "", "边缘易致贫户", "", "一般贫困户"};

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: poverty_gen HOUSEHOLDS PERSONS households.csv persons.csv\n");
        return 2;
    }
    long nh = atol(argv[1]), np = atol(argv[2]);
    FILE *fh = fopen(argv[3], "w"), *fp = fopen(argv[4], "w");
    if (nh < 1 || np < nh || !fh || !fp) {
        fprintf(stderr, "poverty_gen: bad arguments or files\n");
        return 1;
    }
    fprintf(fh, "户编号,行政村代码,地址,标签,状态,属性,状态日期\n");
    for (long h = 0; h < nh; h++) {
        int v = 1 + (int)(h % 13);
        int k = (int)(h % 8);
        fprintf(fh, "B%07ld,4101811102%02d,%d组,%s,%s,%s,20%02d-%02d-%02d\n", h, v,
                1 + (int)(h % 9), tags[k], statuses[k], kinds[k], 15 + (int)(h % 6),
                1 + (int)(h % 12), 1 + (int)(h % 28));
    }
    fprintf(fp, "户编号,姓名,身份证号,性别,与户主关系\n");
    long prev = -1;
    int64_t day0 = -12784; /* 1935-01-01 */
    for (long i = 0; i < np; i++) {
        long h = (long)((int64_t)i * nh / np);
        int sex = (int)(i % 2) ? 2 : 1;
        int y, m, d;
        civil(day0 + i % 30000, &y, &m, &d);
        char first[48];
        snprintf(first, sizeof first, "410182%04d%02d%02d%03ld", y, m, d,
                 (i / 30000) * 2 + (sex == 1 ? 1 : 0));
        int sum = 0;
        for (int j = 0; j < 17; j++) sum += (first[j] - '0') * W[j];
        fprintf(fp, "B%07ld,%s%s,%s%c,%s,%s\n", h, surnames[i % 16], given[(i / 16) % 12], first,
                "10X98765432"[sum % 11], sex == 1 ? "男" : "女",
                h != prev ? "户主" : relations[i % 6]);
        prev = h;
    }
    if (fclose(fh) || fclose(fp)) {
        perror("poverty_gen");
        return 1;
    }
    return 0;
}
