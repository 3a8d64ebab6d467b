/* poverty_base.c — the baseline of bench/poverty.sh: the same CSV rows inserted into plain
 * SQLite tables with one prepared statement each, in one transaction, with nothing checked; and
 * the same counts per village and status as one GROUP BY. What `jiceng import` and
 * `jiceng poverty stats` cost beyond this is validation, the history rows, the audit record and
 * the as-of-date logic.
 *
 *   poverty_base DB households.csv persons.csv     import both: "KIND ROWS SECONDS" lines
 *   poverty_base DB --stats                        the counts: "stats TOTAL SECONDS" */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "poverty_base: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    return 1;
}

/* Splits a line at commas in place; returns the number of fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static long load(sqlite3 *db, const char *path, const char *sql, int ncols)
{
    FILE *in = fopen(path, "r");
    sqlite3_stmt *st;
    if (!in || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    char line[4096];
    long rows = 0;
    if (!fgets(line, sizeof line, in)) return -1; /* header */
    while (fgets(line, sizeof line, in)) {
        char *f[16];
        if (split(line, f, 16) < ncols) continue;
        for (int i = 0; i < ncols; i++) sqlite3_bind_text(st, i + 1, f[i], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) return -1;
        sqlite3_reset(st);
        rows++;
    }
    sqlite3_finalize(st);
    fclose(in);
    return rows;
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    if (argc < 3 || sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "usage: poverty_base DB households.csv persons.csv | DB --stats\n");
        return 2;
    }
    /* the durability jiceng uses: WAL, synchronous=FULL */
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL);
    if (strcmp(argv[2], "--stats") == 0) {
        static const char *const q[] = {
            "SELECT area, status, count(*) FROM households GROUP BY area, status",
            "SELECT h.area, h.status, count(*) FROM persons p JOIN households h ON h.no = p.no"
            " GROUP BY h.area, h.status"};
        long long total = 0;
        double t0 = now();
        for (int k = 0; k < 2; k++) {
            sqlite3_stmt *st;
            if (sqlite3_prepare_v2(db, q[k], -1, &st, NULL) != SQLITE_OK) return die(db, "stats");
            while (sqlite3_step(st) == SQLITE_ROW) total += sqlite3_column_int64(st, 2);
            sqlite3_finalize(st);
        }
        printf("stats %lld %.3f\n", total, now() - t0);
        sqlite3_close(db);
        return 0;
    }
    if (argc != 4) return 2;
    if (sqlite3_exec(db,
                     "CREATE TABLE households (no TEXT PRIMARY KEY, area TEXT, address TEXT,"
                     " tags TEXT, status TEXT, kind TEXT, since TEXT);"
                     "CREATE TABLE persons (no TEXT, name TEXT, cid TEXT UNIQUE, sex TEXT,"
                     " relation TEXT);",
                     NULL, NULL, NULL) != SQLITE_OK)
        return die(db, "schema");
    long rows[2];
    double secs[2];
    const char *files[2] = {argv[2], argv[3]};
    const char *sql[2] = {"INSERT INTO households VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "INSERT INTO persons VALUES (?, ?, ?, ?, ?)"};
    for (int k = 0; k < 2; k++) {
        double t0 = now();
        if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return die(db, "begin");
        rows[k] = load(db, files[k], sql[k], k ? 5 : 7);
        if (rows[k] < 0) return die(db, files[k]);
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) return die(db, "commit");
        secs[k] = now() - t0;
    }
    printf("households %ld %.3f\npersons %ld %.3f\n", rows[0], secs[0], rows[1], secs[1]);
    sqlite3_close(db);
    return 0;
}
