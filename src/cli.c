/* cli.c — shared pieces of the command line (see cli.h). */
#include "cli.h"
#include "app.h"
#include "kernel/kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cli_prog = "jiceng";

int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s %s: ", cli_prog, cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see %s %s --help)\n", cli_prog, cmd);
    return EXIT_USAGE;
}

int parse_opts(const char *cmd, int argc, char **argv, struct opt *opts, size_t nopts,
               const char **pos, int npos, int *got)
{
    *got = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return -1;
        if (strncmp(a, "--", 2) == 0) {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            struct opt *o = NULL;
            for (size_t k = 0; k < nopts; k++)
                if (strlen(opts[k].name) == n && strncmp(opts[k].name, a, n) == 0) o = &opts[k];
            if (!o) return usage_error(cmd, "unknown option '%s'", a);
            if (o->flag) {
                if (eq) return usage_error(cmd, "option '%s' takes no value", a);
                o->set = true;
                continue;
            }
            if (eq)
                o->value = eq + 1;
            else if (i + 1 < argc)
                o->value = argv[++i];
            else
                return usage_error(cmd, "option '%s' needs a value", a);
            o->set = true;
            continue;
        }
        if (*got >= npos) return usage_error(cmd, "unexpected argument '%s'", a);
        pos[(*got)++] = a;
    }
    return 0;
}

struct opt *opt_find(struct opt *opts, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(opts[i].name, name) == 0) return &opts[i];
    return NULL;
}

/* ---- context for command-line work ---- */

const jc_user cli_system_user = {
    .id = 0, .username = "system", .display_name = "命令行", .roles = ROLES_ANY, .system = true};

int cli_open(struct cli *k, const char *uri, bool migrate)
{
    memset(k, 0, sizeof *k);
    char *err = NULL;
    int rc = store_open(uri, &k->db, &err);
    if (rc) {
        fprintf(stderr, "%s: cannot open database %s: %s\n", cli_prog, uri,
                err ? err : jc_strerror(rc));
        free(err);
        return 1;
    }
    if (migrate && (rc = app_migrate(k->db, &err))) {
        fprintf(stderr, "%s: migration failed: %s\n", cli_prog, err ? err : jc_strerror(rc));
        free(err);
        store_close(k->db);
        return 1;
    }
    app_register_config();
    k->a = arena_new(0);
    k->c.a = k->a;
    k->c.db = k->db;
    k->c.user = &cli_system_user;
    k->c.ip = "";
    k->c.now = jc_now();
    return 0;
}

void cli_close(struct cli *k)
{
    arena_free(k->a);
    store_close(k->db);
}

int cli_fail(struct cli *k, const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s%s%s\n", cli_prog, what, k->c.err.en ? k->c.err.en : jc_strerror(rc),
            k->c.err.field ? " — field " : "", k->c.err.field ? k->c.err.field : "");
    return 1;
}

bool require_db(const char *cmd, struct opt *db)
{
    if (db->set && *db->value) return true;
    usage_error(cmd, "%s", "--db DB is required");
    return false;
}
