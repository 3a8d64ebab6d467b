/* area.h — the area tree 省 → 市 → 区/县 → 街道/镇 → 社区/村 → 网格 that scopes every record.
 *
 * Codes: GB/T 2260 six digits down to the county, 12-digit statistical codes below (township =
 * 9 digits + "000", village/community = 12 digits) and, by jiceng's convention, 15 digits for a
 * grid (its village's 12 + a 3-digit number). The level and the parent follow from the code:
 * a child's code always extends the significant prefix of its parent's. A record is inside an
 * area when its area code starts with that area's prefix — a range query [prefix, prefix":"). */
#ifndef JC_AREA_H
#define JC_AREA_H

#include "ctx.h"

#include <stdbool.h>

enum area_level {
    AREA_PROVINCE = 1,
    AREA_CITY,
    AREA_COUNTY,
    AREA_TOWNSHIP,
    AREA_VILLAGE,
    AREA_GRID,
};

/* Level 1..6 of a well-formed code, or 0 when the code is not a valid area code. */
int area_code_level(const char *code);
/* The significant prefix (2/4/6/9/12/15 digits); false for an invalid code. */
bool area_code_prefix(const char *code, char prefix[16]);
/* The parent's code derived from the code; false at a province or for an invalid code. */
bool area_code_parent(const char *code, char parent[16]);
/* Fills a grant (subtree range) for an area code. */
bool area_grant_make(const char *code, jc_grant *g);
/* True when `code` lies in the subtree of `ancestor` (or is it). */
bool area_code_within(const char *code, const char *ancestor);
const char *area_level_zh(int level);
const char *area_level_en(int level);

/* True if the user may see/change records of `code` (system user: always). */
bool area_visible(const jc_user *u, const char *code);
/* JC_OK, or JC_EPERM with a message naming the area. */
int area_check(jc_ctx *c, const char *code, const char *field);
/* Resolves an `area` filter for a list into a code range [lo, hi): a code the caller may see →
 * its subtree; NULL/"" → the caller's single grant, or everything ("" .. "~") for several;
 * otherwise JC_EPERM / JC_EINVAL. *covered tells that the whole range is visible to the caller,
 * so queries may skip the per-row check against the grants (they must do it otherwise). */
int area_filter(jc_ctx *c, const char *code, char lo[16], char hi[17], bool *covered);

/* ---- database ---- */
/* True for the system user and for users granted a root of the tree (e.g. the whole city):
 * they see entries that belong to no area (configuration) and change city-wide settings. */
bool area_user_is_root(jc_ctx *c);
/* A number that changes with every change of the area tree (on any server). */
int area_tree_version(jc_ctx *c, int64_t *version);
/* JC_OK, or JC_EUNPROC unknown_area naming `field`. */
int area_exists(jc_ctx *c, const char *code, const char *field);

typedef struct area_rec {
    char code[16];
    char parent[16]; /* "" at a root */
    int level;
    const char *name, *kind, *geometry; /* arena */
    double lat, lng;
    bool has_pos;
    int64_t version, created_at, updated_at;
} area_rec;

int area_get(jc_ctx *c, const char *code, area_rec *out); /* JC_ENOTFOUND */
/* Creates (system user or an admin whose grants cover the parent). Appends audit. */
int area_create(jc_ctx *c, const area_rec *in);
int area_update(jc_ctx *c, const char *code, int64_t version, const char *name, const char *kind,
                const char *geometry, const double *lat, const double *lng);
json_t *area_json(const area_rec *a);
/* Name path from the root down to code: "郑州市 / 管城回族区 / 陇海马路街道" (arena). */
const char *area_path(jc_ctx *c, const char *code);

#endif
