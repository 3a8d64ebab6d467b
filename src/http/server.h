/* server.h — internal to http/: the running server and its route table. */
#ifndef JC_SERVER_H
#define JC_SERVER_H

#include "http.h"
#include "../store/store.h"

#include <stdint.h>

/* Errors of paths under a prefix written in a module's own format (Open311 speaks its own). */
struct error_hook {
    const char *prefix;
    void (*render)(jc_req *r, int rc); /* sets r->status and r->raw from r->c.err */
};

typedef struct jc_app {
    store_pool *pool;
    struct error_hook error_hooks[8];
    int nerror_hooks;
    const jc_route **routes; /* malloc: pointers into the modules' static tables */
    size_t nroutes;
    bool trust_proxy;   /* take the client address from X-Forwarded-For */
    bool secure_cookie; /* add Secure to the session cookie (behind HTTPS) */
    bool access_log;
} jc_app;

/* Collects routes of all modules; false on a duplicate method+pattern. */
bool router_add(jc_app *app, const jc_route *routes, size_t n);
/* Errors under `prefix` (even with no route, or before the handler ran) go to render(). */
bool router_add_error_hook(jc_app *app, const char *prefix, void (*render)(jc_req *r, int rc));
const jc_route *router_match(const jc_app *app, const char *method, const char *path,
                             const char **vars, int *nvars, arena *a, bool *other_method);
/* Runs the request end to end: auth, body, handler, error mapping. The response is in r. */
void router_dispatch(jc_app *app, jc_req *r);
int jc_rc_http_status(int rc);

/* Blocks serving until SIGINT or SIGTERM. listen: "127.0.0.1:8080", "[::1]:8080" or ":8080".
 * tick(tick_arg) runs on the calling thread every tick_secs (periodic jobs). */
int http_serve(jc_app *app, const char *listen, int threads, void (*tick)(void *), void *tick_arg,
               int tick_secs);

struct jc_asset {
    const char *name; /* "/index.html" for web files, "openapi/ledger.json" for internal ones */
    const char *type;
    const unsigned char *data;
    size_t len;
    const char *etag;
};
const struct jc_asset *asset_find(const char *name);
/* calls fn for every asset whose name starts with prefix */
void asset_each(const char *prefix, void (*fn)(const struct jc_asset *a, void *arg), void *arg);

#endif
