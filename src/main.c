/* main.c — the jiceng command line: serve, init, user, token, verify, backup, routes. */
#include "admin/demo.h"
#include "app.h"
#include "cli.h"
#include "http/server.h"
#include "kernel/kernel.h"
#include "kernel/session_cache.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define prog cli_prog

static const char USAGE[] =
    "jiceng " JICENG_VERSION " — the working ledger of a sub-district office (基层工作台账)\n"
    "\n"
    "usage: jiceng COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  init     create or migrate a database; --demo fills the demo world\n"
    "  serve    run the web server (JSON API and web UI)\n"
    "  user     add | list | passwd | disable users\n"
    "  token    create a bearer token for a machine client\n"
    "  verify   check the database and the audit chain\n"
    "  backup   write a consistent copy of a SQLite database\n"
    "  routes   list the API routes\n"
    "\n"
    "DB is a SQLite file path or a postgresql:// URI. `jiceng COMMAND --help` for details.\n";

static void random_password(char out[24])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++) out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[16] = '\0';
}

/* ---- init ---- */

static const char INIT_HELP[] =
    "usage: jiceng init --db DB [--demo] [--admin-password PW]\n"
    "Creates the database (or applies new migrations) and the administrator account `admin`.\n"
    "Without --admin-password a random password is printed. --demo adds the demo world: the\n"
    "area tree of 郑州市, one user per role (sharing the admin's password) and ledger tasks.\n";

static const char SQL_HAS_ADMIN[] = "SELECT count(*) FROM users WHERE username = 'admin'";

static int cmd_init(int argc, char **argv)
{
    struct opt opts[] = {{"--db", 0, 0, 0}, {"--demo", 1, 0, 0}, {"--admin-password", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("init", argc, argv, opts, JC_NELEM(opts), pos, 0, &npos);
    if (rc < 0) return fputs(INIT_HELP, stdout), 0;
    if (rc) return rc;
    if (!require_db("init", OPT("--db"))) return EXIT_USAGE;
    const char *pw = OPT("--admin-password")->value;
    char gen[24];
    if (pw && !auth_password_ok(pw))
        return usage_error("init", "%s", "--admin-password must be 8–128 characters");
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, true)) return 1;
    store_stmt *st;
    int64_t have = 0;
    if (store_prepare(k.db, SQL_HAS_ADMIN, &st) == JC_OK && store_one(st) == JC_OK)
        have = store_col_int(st, 0);
    store_reset(st);
    if (have && OPT("--demo")->set) {
        fprintf(stderr, "%s: the database already has data; --demo needs a new database\n", prog);
        cli_close(&k);
        return 1;
    }
    if (have) {
        printf("database %s is up to date (administrator exists)\n", OPT("--db")->value);
        cli_close(&k);
        return 0;
    }
    if (!pw) {
        random_password(gen);
        pw = gen;
    }
    /* everything in one transaction: a failed init leaves no half world behind */
    if ((rc = store_begin(k.db))) return cli_fail(&k, "init", rc);
    bool demo = OPT("--demo")->set;
    if (demo) {
        if ((rc = demo_areas(&k.c))) goto fail;
    } else {
        area_rec root = {.code = "410100", .kind = "地级市", .name = "郑州市"};
        if ((rc = area_create(&k.c, &root))) goto fail;
    }
    static const char *admin_areas[] = {"410100"};
    user_input in = {.username = "admin",
                     .display_name = "系统管理员",
                     .password = pw,
                     .roles = RB(ROLE_ADMIN),
                     .areas = admin_areas,
                     .nareas = 1,
                     .has_roles = true,
                     .has_areas = true};
    int64_t id;
    if ((rc = user_create(&k.c, &in, &id))) goto fail;
    if (demo) {
        if ((rc = demo_users(&k.c, pw))) goto fail;
        json_t *t = json_true();
        rc = config_set(&k.c, "demo.world", t, -1);
        json_decref(t);
        for (size_t i = 0; !rc && i < jc_nmodules; i++)
            if (jc_modules[i]->demo) rc = jc_modules[i]->demo(&k.c);
        if (rc) goto fail;
    }
    if ((rc = store_commit(k.db))) return cli_fail(&k, "init", rc);
    printf("database %s initialised%s\n", OPT("--db")->value, demo ? " with the demo world" : "");
    printf("administrator: admin / %s\n", pw);
    if (demo) {
        printf("demo users (same password): ");
        demo_print_users(stdout);
        printf(" — `jiceng user list --db %s`\n", OPT("--db")->value);
    }
    cli_close(&k);
    return 0;
fail:
    store_rollback(k.db);
    return cli_fail(&k, "init", rc);
}

/* ---- serve ---- */

static const char SERVE_HELP[] =
    "usage: jiceng serve --db DB [--listen 127.0.0.1:8080] [--threads N] [--trust-proxy]\n"
    "                    [--secure-cookie] [--access-log] [--session-cache SECONDS]\n"
    "Runs the JSON API and web UI. Several servers may share one PostgreSQL database.\n"
    "  --session-cache  keep checked sessions in memory this long (default 10, 0 = off); with\n"
    "                   several servers a logout elsewhere takes effect within that time\n"
    "  --trust-proxy    take the client address from X-Forwarded-For (behind a load balancer)\n"
    "  --secure-cookie  mark the session cookie Secure (when served over HTTPS)\n";

struct ticker {
    store *db;
};

static void tick(void *arg)
{
    struct ticker *t = arg;
    arena *a = arena_new(0);
    jc_ctx c = {.a = a, .db = t->db, .user = &cli_system_user, .ip = "", .now = jc_now()};
    auth_sweep(&c);
    for (size_t i = 0; i < jc_nmodules; i++)
        if (jc_modules[i]->tick) {
            int rc = jc_modules[i]->tick(&c);
            if (rc)
                jc_log(LOG_WARN, "periodic job of %s: %s", jc_modules[i]->name,
                       c.err.en ? c.err.en : jc_strerror(rc));
            c.err = (jc_err){0};
        }
    arena_free(a);
}

extern bool admin_secure_cookie;

static int cmd_serve(int argc, char **argv)
{
    struct opt opts[] = {
        {"--db", 0, 0, 0},           {"--listen", 0, 0, 0},        {"--threads", 0, 0, 0},
        {"--trust-proxy", 1, 0, 0},  {"--secure-cookie", 1, 0, 0}, {"--access-log", 1, 0, 0},
        {"--session-cache", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("serve", argc, argv, opts, JC_NELEM(opts), pos, 0, &npos);
    if (rc < 0) return fputs(SERVE_HELP, stdout), 0;
    if (rc) return rc;
    if (!require_db("serve", OPT("--db"))) return EXIT_USAGE;
    long threads = 4;
    if (OPT("--threads")->set) {
        char *end;
        threads = strtol(OPT("--threads")->value, &end, 10);
        if (*end || threads < 1 || threads > 256)
            return usage_error("serve", "--threads must be 1..256, not '%s'",
                               OPT("--threads")->value);
    }
    long cache_ttl = 10;
    if (OPT("--session-cache")->set) {
        char *end;
        cache_ttl = strtol(OPT("--session-cache")->value, &end, 10);
        if (*end || cache_ttl < 0 || cache_ttl > 3600)
            return usage_error("serve", "--session-cache must be 0..3600 seconds, not '%s'",
                               OPT("--session-cache")->value);
    }
    session_cache_configure((int)cache_ttl);
    const char *listen = OPT("--listen")->set ? OPT("--listen")->value : "127.0.0.1:8080";
    const char *uri = OPT("--db")->value;
    struct cli k;
    if (cli_open(&k, uri, true)) return 1;
    arena_free(k.a);
    struct ticker t = {.db = k.db};
    jc_app app = {0};
    app.trust_proxy = OPT("--trust-proxy")->set;
    admin_secure_cookie = app.secure_cookie = OPT("--secure-cookie")->set;
    app.access_log = OPT("--access-log")->set;
    char *err = NULL;
    if ((rc = store_pool_new(uri, (int)threads, &app.pool, &err))) {
        fprintf(stderr, "%s: cannot open database: %s\n", prog, err ? err : jc_strerror(rc));
        free(err);
        store_close(k.db);
        return 1;
    }
    for (size_t i = 0; i < jc_nmodules; i++)
        if (!router_add(&app, jc_modules[i]->routes, jc_modules[i]->nroutes) ||
            (jc_modules[i]->render_error &&
             !router_add_error_hook(&app, jc_modules[i]->error_prefix,
                                    jc_modules[i]->render_error)))
            return 1;
    rc = http_serve(&app, listen, (int)threads, tick, &t, 60);
    store_pool_free(app.pool);
    free(app.routes);
    store_close(k.db);
    return rc ? 1 : 0;
}

/* ---- user ---- */

static const char USER_HELP[] =
    "usage: jiceng user add --db DB --username U --name NAME --role R[,R…] --area CODE[,CODE…]\n"
    "                       [--phone P] [--password PW]\n"
    "       jiceng user list --db DB\n"
    "       jiceng user passwd --db DB USERNAME [--password PW]\n"
    "       jiceng user disable --db DB USERNAME\n"
    "Roles: admin leader party_instructor poverty_officer road_chief team_member grid_worker\n";

static int split_list(arena *a, const char *s, const char ***out)
{
    int n = 1;
    for (const char *p = s; *p; p++) n += *p == ',';
    const char **v = arena_alloc(a, sizeof *v * (size_t)(n + 1));
    char *copy = arena_strdup(a, s);
    int k = 0;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) v[k++] = tok;
    v[k] = NULL;
    *out = v;
    return k;
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(USER_HELP, argc < 1 ? stderr : stdout);
        return argc < 1 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[0];
    struct opt opts[] = {{"--db", 0, 0, 0},      {"--username", 0, 0, 0}, {"--name", 0, 0, 0},
                         {"--role", 0, 0, 0},    {"--area", 0, 0, 0},     {"--phone", 0, 0, 0},
                         {"--password", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("user", argc - 1, argv + 1, opts, JC_NELEM(opts), pos, 1, &npos);
    if (rc < 0) return fputs(USER_HELP, stdout), 0;
    if (rc) return rc;
    if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "passwd") &&
        strcmp(sub, "disable"))
        return usage_error("user", "unknown subcommand '%s'", sub);
    if (!require_db("user", OPT("--db"))) return EXIT_USAGE;
    const char *pw = OPT("--password")->value;
    if (pw && !auth_password_ok(pw))
        return usage_error("user", "%s", "--password must be 8–128 characters");
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, false)) return 1;
    char gen[24];
    if (strcmp(sub, "add") == 0) {
        if (!OPT("--username")->set || !OPT("--name")->set || !OPT("--role")->set ||
            !OPT("--area")->set) {
            cli_close(&k);
            return usage_error("user", "%s", "add needs --username, --name, --role and --area");
        }
        const char **roles, **areas;
        int nroles = split_list(k.a, OPT("--role")->value, &roles);
        user_input in = {.username = OPT("--username")->value,
                         .display_name = OPT("--name")->value,
                         .phone = OPT("--phone")->value,
                         .has_roles = true,
                         .has_areas = true};
        for (int i = 0; i < nroles; i++) {
            jc_role r = jc_role_from_code(roles[i]);
            if (r == ROLE__MAX) {
                rc = usage_error("user", "unknown role '%s'", roles[i]); /* roles[] is arena */
                cli_close(&k);
                return rc;
            }
            in.roles |= RB(r);
        }
        in.nareas = split_list(k.a, OPT("--area")->value, &areas);
        in.areas = areas;
        if (!pw) {
            random_password(gen);
            pw = gen;
        }
        in.password = pw;
        int64_t id;
        if ((rc = user_create(&k.c, &in, &id))) {
            cli_fail(&k, "user add", rc);
            cli_close(&k);
            return 1;
        }
        printf("user %s created (id %lld), password: %s\n", in.username, (long long)id, pw);
    } else if (strcmp(sub, "list") == 0) {
        json_t *items;
        int64_t total;
        if ((rc = user_list(&k.c, 0, 200, &items, &total))) {
            cli_fail(&k, "user list", rc);
            cli_close(&k);
            return 1;
        }
        printf("%-5s %-12s %-8s %-36s %-28s %s\n", "id", "username", "status", "name", "roles",
               "areas");
        size_t i;
        json_t *u;
        json_array_foreach(items, i, u)
        {
            char roles[128] = "", areas[256] = "";
            size_t j;
            json_t *e;
            json_array_foreach(json_object_get(u, "roles"), j, e)
            {
                strncat(roles, j ? "," : "", sizeof roles - strlen(roles) - 1);
                strncat(roles, json_string_value(e), sizeof roles - strlen(roles) - 1);
            }
            json_array_foreach(json_object_get(u, "areas"), j, e)
            {
                strncat(areas, j ? "," : "", sizeof areas - strlen(areas) - 1);
                strncat(areas, json_string_value(e), sizeof areas - strlen(areas) - 1);
            }
            printf("%-5lld %-12s %-8s %-36s %-28s %s\n",
                   (long long)json_integer_value(json_object_get(u, "id")),
                   json_string_value(json_object_get(u, "username")),
                   json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active",
                   json_string_value(json_object_get(u, "display_name")), roles, areas);
        }
        if (json_is_true(config_get(&k.c, "demo.world")))
            printf("\ndemo world: every demo user has the password given to (or printed by) "
                   "`jiceng init --demo` for admin\n");
    } else {
        if (npos != 1) {
            cli_close(&k);
            return usage_error("user", "%s needs a USERNAME", sub);
        }
        int64_t id;
        if ((rc = user_find_id(&k.c, pos[0], &id))) {
            fprintf(stderr, "%s: no user '%s'\n", prog, pos[0]);
            cli_close(&k);
            return 1;
        }
        user_input in = {0};
        if (strcmp(sub, "passwd") == 0) {
            if (!pw) {
                random_password(gen);
                pw = gen;
            }
            in.password = pw;
        } else {
            in.has_disabled = in.disabled = true;
        }
        if ((rc = user_update(&k.c, id, 0, &in))) {
            cli_fail(&k, sub, rc);
            cli_close(&k);
            return 1;
        }
        if (in.password)
            printf("password of %s set: %s\n", pos[0], pw);
        else
            printf("user %s disabled; open sessions ended\n", pos[0]);
    }
    cli_close(&k);
    return 0;
}

/* ---- token ---- */

static const char TOKEN_HELP[] =
    "usage: jiceng token create --db DB --user USERNAME [--name NAME] [--days N]\n"
    "Prints a bearer token (Authorization: Bearer …) acting as USERNAME; shown once.\n";

static int cmd_token(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "create") != 0) {
        if (argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0))
            return fputs(TOKEN_HELP, stdout), 0;
        fputs(TOKEN_HELP, stderr);
        return EXIT_USAGE;
    }
    struct opt opts[] = {
        {"--db", 0, 0, 0}, {"--user", 0, 0, 0}, {"--name", 0, 0, 0}, {"--days", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("token", argc - 1, argv + 1, opts, JC_NELEM(opts), pos, 0, &npos);
    if (rc < 0) return fputs(TOKEN_HELP, stdout), 0;
    if (rc) return rc;
    if (!require_db("token", OPT("--db"))) return EXIT_USAGE;
    if (!OPT("--user")->set) return usage_error("token", "%s", "--user USERNAME is required");
    long days = 0;
    if (OPT("--days")->set) {
        char *end;
        days = strtol(OPT("--days")->value, &end, 10);
        if (*end || days < 1 || days > 3650)
            return usage_error("token", "--days must be 1..3650, not '%s'", OPT("--days")->value);
    }
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, false)) return 1;
    int64_t id;
    if ((rc = user_find_id(&k.c, OPT("--user")->value, &id))) {
        fprintf(stderr, "%s: no user '%s'\n", prog, OPT("--user")->value);
        cli_close(&k);
        return 1;
    }
    char token[AUTH_TOKEN_LEN];
    const char *name = OPT("--name")->set ? OPT("--name")->value : "cli";
    if ((rc = auth_token_create(&k.c, id, name, (int)days, token))) {
        cli_fail(&k, "token create", rc);
        cli_close(&k);
        return 1;
    }
    printf("%s\n", token);
    cli_close(&k);
    return 0;
}

/* ---- verify, backup, routes ---- */

static const char SQL_FK_CHECK[] = "PRAGMA foreign_key_check";
static const char SQL_INTEGRITY[] = "PRAGMA integrity_check";

static int cmd_verify(int argc, char **argv)
{
    struct opt opts[] = {{"--db", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("verify", argc, argv, opts, 1, pos, 0, &npos);
    if (rc < 0)
        return fputs("usage: jiceng verify --db DB\nChecks database integrity and the audit "
                     "chain; names the first broken record.\n",
                     stdout),
               0;
    if (rc) return rc;
    if (!require_db("verify", OPT("--db"))) return EXIT_USAGE;
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, false)) return 1;
    int bad = 0;
    if (store_kind_of(k.db) == STORE_SQLITE) {
        store_stmt *st;
        if (store_prepare(k.db, SQL_INTEGRITY, &st) == JC_OK) {
            if (store_one(st) == JC_OK && strcmp(store_col_text(st, 0), "ok") != 0) {
                printf("database integrity: %s\n", store_col_text(st, 0));
                bad = 1;
            }
            store_reset(st);
        }
        if (store_prepare(k.db, SQL_FK_CHECK, &st) == JC_OK) {
            if (store_one(st) == JC_OK) {
                printf("foreign key broken: table %s row %lld\n", store_col_text(st, 0),
                       (long long)store_col_int(st, 1));
                bad = 1;
            }
            store_reset(st);
        }
    }
    int64_t checked, bad_seq;
    const char *why = "";
    rc = audit_verify(k.db, &checked, &bad_seq, &why);
    if (rc == JC_ECONFLICT) {
        printf("audit chain BROKEN at record %lld: %s (%lld records verified before it)\n",
               (long long)bad_seq, why, (long long)checked);
        bad = 1;
    } else if (rc) {
        printf("audit chain could not be read: %s\n", store_errmsg(k.db));
        bad = 1;
    } else {
        printf("audit chain intact: %lld records\n", (long long)checked);
    }
    if (!bad) printf("database ok\n");
    cli_close(&k);
    return bad;
}

static int cmd_backup(int argc, char **argv)
{
    struct opt opts[] = {{"--db", 0, 0, 0}};
    const char *pos[1];
    int npos;
    int rc = parse_opts("backup", argc, argv, opts, 1, pos, 1, &npos);
    if (rc < 0)
        return fputs("usage: jiceng backup --db DB OUT\nWrites a consistent copy of a SQLite "
                     "database while servers keep running (PostgreSQL: use pg_dump).\n",
                     stdout),
               0;
    if (rc) return rc;
    if (!require_db("backup", OPT("--db"))) return EXIT_USAGE;
    if (npos != 1) return usage_error("backup", "%s", "the output file OUT is required");
    if (access(pos[0], F_OK) == 0)
        return usage_error("backup", "'%s' exists; refusing to overwrite", pos[0]);
    struct cli k;
    if (cli_open(&k, OPT("--db")->value, false)) return 1;
    char *err = NULL;
    rc = store_backup_sqlite(k.db, pos[0], &err);
    if (rc)
        fprintf(stderr, "%s: backup failed: %s\n", prog, err ? err : jc_strerror(rc));
    else
        printf("backup written to %s\n", pos[0]);
    free(err);
    cli_close(&k);
    return rc ? 1 : 0;
}

static int cmd_routes(void)
{
    for (size_t i = 0; i < jc_nmodules; i++)
        for (size_t k = 0; k < jc_modules[i]->nroutes; k++)
            printf("%s %s\n", jc_modules[i]->routes[k].method, jc_modules[i]->routes[k].pattern);
    return 0;
}

int main(int argc, char **argv)
{
    if (auth_init()) {
        fprintf(stderr, "%s: libsodium failed to initialise\n", prog);
        return 1;
    }
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        bool any = false;
        for (size_t i = 0; i < jc_nmodules; i++)
            for (size_t k = 0; k < jc_modules[i]->ncommands; k++) {
                if (!any) printf("\ncommands of the domains:\n");
                any = true;
                printf("  %-20s %s\n", jc_modules[i]->commands[k].name,
                       jc_modules[i]->commands[k].summary);
            }
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0)
        return printf("jiceng %s\n", JICENG_VERSION), 0;
    if (strcmp(cmd, "init") == 0) return cmd_init(argc - 2, argv + 2);
    if (strcmp(cmd, "serve") == 0) return cmd_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "user") == 0) return cmd_user(argc - 2, argv + 2);
    if (strcmp(cmd, "token") == 0) return cmd_token(argc - 2, argv + 2);
    if (strcmp(cmd, "verify") == 0) return cmd_verify(argc - 2, argv + 2);
    if (strcmp(cmd, "backup") == 0) return cmd_backup(argc - 2, argv + 2);
    if (strcmp(cmd, "routes") == 0) return cmd_routes();
    /* commands of the modules: two words ("import households") before one */
    for (int words = 2; words >= 1; words--) {
        if (argc < 1 + words) continue;
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", argv[1], words == 2 ? " " : "",
                 words == 2 ? argv[2] : "");
        for (size_t i = 0; i < jc_nmodules; i++)
            for (size_t k = 0; k < jc_modules[i]->ncommands; k++)
                if (strcmp(jc_modules[i]->commands[k].name, name) == 0)
                    return jc_modules[i]->commands[k].run(argc - 1 - words, argv + 1 + words);
    }
    fprintf(stderr, "%s: unknown command '%s' (see %s --help)\n", prog, cmd, prog);
    return EXIT_USAGE;
}
