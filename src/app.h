/* app.h — the rooms of jiceng. Each module brings its migrations, routes, configuration keys,
 * demo data and periodic job; main.c and the server know modules only through this table, and
 * the kernel knows none of them. Adding a domain = one folder + one line in app.c. */
#ifndef JC_APP_H
#define JC_APP_H

#include "http/http.h"
#include "kernel/config.h"
#include "store/store.h"

/* A command a module adds to the command line: `jiceng import households FILE …`. */
typedef struct jc_command {
    const char *name;                  /* one or two words: "import households" */
    const char *summary;               /* one line for `jiceng --help` */
    int (*run)(int argc, char **argv); /* the arguments after the name; returns the exit status */
} jc_command;

typedef struct jc_module {
    const char *name; /* also the name of its migrations and of openapi/<name>.json */
    const store_migration *migrations;
    size_t nmigrations;
    const jc_route *routes;
    size_t nroutes;
    const config_def *config;
    size_t nconfig;
    int (*demo)(jc_ctx *c); /* fills the demo world (after the kernel's areas and users) */
    int (*tick)(jc_ctx *c); /* periodic, idempotent (several servers may run it at once) */
    const jc_command *commands;
    size_t ncommands;
    /* errors of paths under error_prefix are written by render_error (a protocol of its own,
     * such as Open311), also when no route matched or before the handler ran */
    const char *error_prefix;
    void (*render_error)(jc_req *r, int rc);
} jc_module;

extern const jc_module *const jc_modules[];
extern const size_t jc_nmodules;

/* Applies every module's migrations in order and registers configuration keys. */
int app_migrate(store *db, char **errmsg);
void app_register_config(void);

#endif
