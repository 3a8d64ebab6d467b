#include "validate.h"
#include "../base/timeutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int cid_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

char citizen_id_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (first17[i] - '0') * cid_weights[i];
    return "10X98765432"[sum % 11];
}

citizen_id_status citizen_id_check(const char *id, int64_t today, citizen_id_info *info)
{
    if (!id || strlen(id) != 18) return CID_FORMAT;
    for (int i = 0; i < 17; i++)
        if (id[i] < '0' || id[i] > '9') return CID_FORMAT;
    char last = id[17] == 'x' ? 'X' : id[17];
    if (!((last >= '0' && last <= '9') || last == 'X')) return CID_FORMAT;
    char birth[11];
    snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
    int64_t days;
    if (!jc_date_parse(birth, &days)) return CID_DATE;
    if (today > 0 && days > today) return CID_DATE;
    if (citizen_id_check_char(id) != last) return CID_CHECKSUM;
    if (info) {
        memcpy(info->area, id, 6);
        info->area[6] = '\0';
        memcpy(info->birth, birth, sizeof birth);
        info->sex = ((id[16] - '0') % 2) ? 1 : 2;
    }
    return CID_OK;
}

static const char cc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int cc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int cc_value(char c)
{
    const char *p = c ? strchr(cc_alphabet, c) : NULL;
    return p ? (int)(p - cc_alphabet) : -1;
}

char credit_code_check_char(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += cc_value(first17[i]) * cc_weights[i];
    return cc_alphabet[(31 - sum % 31) % 31];
}

struct cc_class {
    char reg, cls;
    const char *zh, *en;
};

static const struct cc_class cc_registrars[] = {
    {'1', 0, "机构编制", "establishment administration"},
    {'5', 0, "民政", "civil affairs"},
    {'9', 0, "市场监管", "market regulation"},
    {'Y', 0, "其他", "other"},
    {'1', '1', "机关", "government organ"},
    {'1', '2', "事业单位", "public institution"},
    {'1', '3', "中央编办直接管理机构编制的群众团体", "mass organization"},
    {'1', '9', "其他", "other"},
    {'5', '1', "社会团体", "social organization"},
    {'5', '2', "民办非企业单位", "private non-enterprise unit"},
    {'5', '3', "基金会", "foundation"},
    {'5', '9', "其他", "other"},
    {'9', '1', "企业", "enterprise"},
    {'9', '2', "个体工商户", "individual business"},
    {'9', '3', "农民专业合作社", "farmers' cooperative"},
    {'Y', '1', "其他", "other"},
};

credit_code_status credit_code_check(const char *code, credit_code_info *info)
{
    if (!code || strlen(code) != 18) return CCODE_FORMAT;
    for (int i = 0; i < 18; i++)
        if (cc_value(code[i]) < 0) return CCODE_FORMAT;
    for (int i = 2; i < 8; i++) /* the registration area is a numeric GB/T 2260 code */
        if (code[i] < '0' || code[i] > '9') return CCODE_FORMAT;
    if (info) {
        info->registrar_zh = "其他";
        info->registrar_en = "other";
        info->class_zh = info->class_en = "";
        for (size_t i = 0; i < sizeof cc_registrars / sizeof *cc_registrars; i++) {
            const struct cc_class *k = &cc_registrars[i];
            if (k->reg != code[0]) continue;
            if (!k->cls) {
                info->registrar_zh = k->zh;
                info->registrar_en = k->en;
            } else if (k->cls == code[1]) {
                info->class_zh = k->zh;
                info->class_en = k->en;
            }
        }
        memcpy(info->area, code + 2, 6);
        info->area[6] = '\0';
    }
    return credit_code_check_char(code) == code[17] ? CCODE_OK : CCODE_CHECKSUM;
}

bool mobile_valid(const char *s, char norm[12])
{
    if (!s) return false;
    if (strncmp(s, "+86", 3) == 0)
        s += 3;
    else if (strlen(s) == 13 && strncmp(s, "86", 2) == 0)
        s += 2;
    if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9') return false;
    for (int i = 2; i < 11; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    if (norm) memcpy(norm, s, 12);
    return true;
}

bool money_parse_yuan(const char *s, int64_t *fen)
{
    if (!s || !*s) return false;
    bool neg = *s == '-';
    if (neg) s++;
    if (*s < '0' || *s > '9') return false;
    int64_t yuan = 0;
    while (*s >= '0' && *s <= '9') {
        if (yuan > (INT64_MAX / 100 - 9) / 10) return false;
        yuan = yuan * 10 + (*s++ - '0');
    }
    int64_t cents = 0;
    if (*s == '.') {
        s++;
        int nd = 0;
        while (*s >= '0' && *s <= '9') {
            if (++nd > 2) return false;
            cents = cents * 10 + (*s++ - '0');
        }
        if (nd == 0) return false;
        if (nd == 1) cents *= 10;
    }
    if (*s) return false;
    *fen = (yuan * 100 + cents) * (neg ? -1 : 1);
    return true;
}

void money_format_yuan(int64_t fen, char out[32])
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 32, "%s%" PRIu64 ".%02" PRIu64, fen < 0 ? "-" : "", a / 100, a % 100);
}

void mask_citizen_id(const char *id, char out[32])
{
    size_t n = id ? strlen(id) : 0;
    if (n < 10 || n > 31) {
        snprintf(out, 32, "%s", n ? "****" : "");
        return;
    }
    memcpy(out, id, 6);
    memset(out + 6, '*', n - 10);
    memcpy(out + n - 4, id + n - 4, 4);
    out[n] = '\0';
}

void mask_phone(const char *phone, char out[32])
{
    char norm[12];
    if (!mobile_valid(phone, norm)) {
        snprintf(out, 32, "%s", phone && *phone ? "****" : "");
        return;
    }
    snprintf(out, 32, "%.3s****%.4s", norm, norm + 7);
}
