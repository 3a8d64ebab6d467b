/* static.c — the web UI and other files embedded into the binary at build time
 * (tools/embed.c writes build/assets.c). Nothing is read from disk, so no path can escape the
 * web root. */
#include "server.h"

#include <string.h>

extern const struct jc_asset jc_assets[];
extern const size_t jc_nassets;

const struct jc_asset *asset_find(const char *name)
{
    /* the table is sorted by name (embed sorts it) */
    size_t lo = 0, hi = jc_nassets;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(jc_assets[mid].name, name);
        if (c == 0) return &jc_assets[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void asset_each(const char *prefix, void (*fn)(const struct jc_asset *a, void *arg), void *arg)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < jc_nassets; i++)
        if (strncmp(jc_assets[i].name, prefix, n) == 0) fn(&jc_assets[i], arg);
}
