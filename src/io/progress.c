#include "progress.h"

#include <stdbool.h>
#include <unistd.h>

#define BAR_WIDTH 30

static bool on_terminal(FILE *f)
{
    return f && isatty(fileno(f));
}

/* 1234567 → "1,234,567" */
static void group_digits(int64_t v, char out[32])
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)(v < 0 ? 0 : v));
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
}

void progress_draw(FILE *tty, const char *label, int64_t done, int64_t total, int64_t rows)
{
    if (!on_terminal(tty)) return;
    char count[32];
    group_digits(rows, count);
    if (total <= 0) {
        /* \033[K clears what a longer earlier line left behind */
        fprintf(tty, "\r%s  %s rows\033[K", label, count);
    } else {
        if (done < 0) done = 0;
        if (done > total) done = total;
        int pct = (int)(done * 100 / total);
        int fill = (int)(done * BAR_WIDTH / total);
        char bar[BAR_WIDTH + 1];
        for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : ' ';
        bar[BAR_WIDTH] = '\0';
        fprintf(tty, "\r%s [%s] %3d%%  %s rows\033[K", label, bar, pct, count);
    }
    fflush(tty);
}

void progress_end(FILE *tty)
{
    if (!on_terminal(tty)) return;
    fputc('\n', tty);
    fflush(tty);
}
