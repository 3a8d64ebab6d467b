/* cli.h — what a command of the jiceng command line needs: option parsing, a database opened
 * with the system user, and one-line errors. Domains add commands through jc_module.commands
 * (see app.h); main.c finds them by name. */
#ifndef JC_CLI_H
#define JC_CLI_H

#include "kernel/ctx.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

#define EXIT_USAGE 2

struct opt {
    const char *name; /* "--db" */
    bool flag;        /* takes no value */
    const char *value;
    bool set;
};

/* Prints "jiceng CMD: <fmt with arg> (see jiceng CMD --help)" and returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, const char *arg);
/* Fills opts; positionals go to pos (up to npos). Returns 0, EXIT_USAGE, or -1 for --help. */
int parse_opts(const char *cmd, int argc, char **argv, struct opt *opts, size_t nopts,
               const char **pos, int npos, int *got);
struct opt *opt_find(struct opt *opts, size_t n, const char *name);
#define OPT(name) opt_find(opts, JC_NELEM(opts), name)
/* true when --db has a value; otherwise prints the usage error */
bool require_db(const char *cmd, struct opt *db);

/* A database and a context acting as the system user (every area, every role). */
struct cli {
    store *db;
    arena *a;
    jc_ctx c;
};
/* Opens (and with migrate, migrates) the database; prints the reason and returns 1 on failure. */
int cli_open(struct cli *k, const char *uri, bool migrate);
void cli_close(struct cli *k);
/* Prints "jiceng WHAT: <error message> — field F" and returns 1. */
int cli_fail(struct cli *k, const char *what, int rc);

extern const char *const cli_prog;
/* The user the command line and periodic jobs act as. */
extern const jc_user cli_system_user;

#endif
