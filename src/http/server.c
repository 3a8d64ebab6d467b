/* server.c — libmicrohttpd glue: a thread pool, bodies read into a capped buffer, one arena per
 * request, security headers on every answer, static files from the embedded web UI. */
#include "server.h"
#include "../base/buf.h"
#include "../base/log.h"
#include "../base/timeutil.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BODY_LIMIT ((size_t)1 << 20)
#define ARENA_CAP          ((size_t)256 << 20)

struct conn_state {
    jc_buf body;
    size_t limit;
    bool too_big;
    bool answered; /* a response was queued early (413) */
};

static const char CSP[] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                          "script-src 'self'; connect-src 'self'; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static void security_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=()");
}

static enum MHD_Result queue_simple(struct MHD_Connection *conn, int status, const char *json)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    security_headers(resp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static const char TOO_BIG[] =
    "{\"error\":{\"code\":\"too_large\",\"message\":\"the request body is too large\","
    "\"message_zh\":\"请求内容过大\"}}";

static const char *client_ip(struct MHD_Connection *conn, jc_app *app, arena *a)
{
    if (app->trust_proxy) {
        const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff && *xff) {
            size_t n = strcspn(xff, ", ");
            return arena_strndup(a, xff, n);
        }
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char tmp[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, tmp, sizeof tmp);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, tmp, sizeof tmp);
    }
    return arena_strdup(a, tmp);
}

static bool is_api_path(const char *url)
{
    return strncmp(url, "/api/", 5) == 0 || strcmp(url, "/healthz") == 0 ||
           strncmp(url, "/open311/", 9) == 0;
}

static enum MHD_Result serve_static(struct MHD_Connection *conn, const char *url,
                                    const char *method)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return queue_simple(conn, 405,
                            "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"method not "
                            "allowed\",\"message_zh\":\"不支持此请求方法\"}}");
    const struct jc_asset *a = NULL;
    if (url[0] == '/' && url[1] == '\0') a = asset_find("/index.html");
    if (!a && url[0] == '/') a = asset_find(url);
    /* the UI routes with #/…; any other path without a file extension is the app too */
    if (!a && !strchr(strrchr(url, '/') ? strrchr(url, '/') : url, '.'))
        a = asset_find("/index.html");
    if (!a)
        return queue_simple(conn, 404,
                            "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\","
                            "\"message_zh\":\"文件不存在\"}}");
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    bool fresh = inm && a->etag && strcmp(inm, a->etag) == 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        fresh ? 0 : a->len, fresh ? (void *)"" : (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    security_headers(resp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (a->etag) MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, a->etag);
    enum MHD_Result ret = MHD_queue_response(conn, fresh ? 304 : 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_req(struct MHD_Connection *conn, jc_req *r)
{
    struct MHD_Response *resp;
    const char *type;
    if (r->raw) {
        resp = MHD_create_response_from_buffer(r->raw_len, (void *)r->raw, MHD_RESPMEM_MUST_COPY);
        type = r->raw_type ? r->raw_type : "application/octet-stream";
    } else {
        /* 12 significant digits: 86.2 stays 86.2, coordinates keep their metres */
        char *s = r->out ? json_dumps(r->out, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
        if (r->out && !s)
            return queue_simple(conn, 500, "{\"error\":{\"code\":\"out_of_memory\"}}");
        if (s)
            resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
        else
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        type = "application/json; charset=utf-8";
    }
    if (!resp) return MHD_NO;
    security_headers(resp);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < r->nhdr; i++)
        MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    jc_app *app = cls;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        *con_cls = cs;
        cs->limit = DEFAULT_BODY_LIMIT;
        bool may_have_body = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
        if (is_api_path(url) && may_have_body) { /* GETs keep the default: no route lookup */
            bool other;
            arena *a = arena_new(4096);
            const jc_route *rt = a ? router_match(app, method, url, NULL, NULL, a, &other) : NULL;
            if (rt && rt->body_limit) cs->limit = rt->body_limit;
            arena_free(a);
        } else if (!is_api_path(url)) {
            cs->limit = 0; /* static files take no body */
            if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
                cs->answered = true;
                return serve_static(conn, url, method); /* 405 before any body is read */
            }
        }
        buf_init(&cs->body, cs->limit ? cs->limit : 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
        if (declared > cs->limit) {
            cs->too_big = true;
            /* A body somewhat over the limit is read and dropped, then answered 413: answering
             * while the client still sends makes the kernel reset the connection, and the
             * client may lose the answer. One far over (4 times the limit) is refused at once
             * and the connection closed, reset or not: reading it would cost too much. */
            if (declared > 4ull * cs->limit) {
                cs->answered = true;
                return queue_simple(conn, 413, TOO_BIG);
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cs->too_big && buf_append(&cs->body, upload_data, *upload_data_size) != JC_OK) {
            cs->too_big = true;
            buf_free(&cs->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (cs->answered) return MHD_YES;
    if (cs->too_big) return queue_simple(conn, 413, TOO_BIG);
    if (!is_api_path(url)) return serve_static(conn, url, method);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    arena *a = arena_new(ARENA_CAP);
    if (!a) return MHD_NO;
    jc_req r;
    memset(&r, 0, sizeof r);
    r.c.a = a;
    r.c.now = jc_now();
    r.c.ip = client_ip(conn, app, a);
    r.conn = conn;
    r.method = method;
    r.path = url;
    r.body = cs->body.data;
    r.body_len = cs->body.len;
    router_dispatch(app, &r);
    enum MHD_Result ret = send_req(conn, &r);
    if (app->access_log || r.status >= 500) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        jc_log(r.status >= 500 ? LOG_ERR : LOG_INFO, "%s %s %d %.1fms %s", method, url, r.status,
               ms, r.c.user ? r.c.user->username : "-");
    }
    arena_free(a);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct conn_state *cs = *con_cls;
    if (!cs) return;
    buf_free(&cs->body);
    free(cs);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n') line[--n] = '\0';
    jc_log(LOG_WARN, "http: %s", line);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(listen, ':');
    if (!colon) return -1;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535) return -1;
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) return -1;
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (host[0] == '[') {
        size_t n = strlen(host);
        if (n < 2 || host[n - 1] != ']') return -1;
        host[n - 1] = '\0';
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) return -1;
        *len = sizeof *s6;
        return AF_INET6;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (hl == 0)
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        return -1;
    *len = sizeof *s4;
    return AF_INET;
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

int http_serve(jc_app *app, const char *listen, int threads, void (*tick)(void *), void *tick_arg,
               int tick_secs)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fam = parse_listen(listen, &ss, &sl);
    if (fam < 0) {
        jc_log(LOG_ERR, "bad --listen address '%s' (expected HOST:PORT)", listen);
        return JC_EINVAL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (fam == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        /* the default 32 KiB per connection: libmicrohttpd clears it between requests, so a
         * larger pool costs every request; headers and URLs of this API fit easily */
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!d) {
        jc_log(LOG_ERR, "cannot listen on %s (address in use?)", listen);
        return JC_EIO;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    jc_log(LOG_INFO, "jiceng listening on http://%s (%d threads)", listen, threads);
    time_t last = 0;
    while (!stop_flag) {
        time_t now = time(NULL);
        if (tick && now - last >= tick_secs) {
            last = now;
            tick(tick_arg);
        }
        sleep(1);
    }
    jc_log(LOG_INFO, "shutting down");
    MHD_stop_daemon(d);
    return JC_OK;
}
