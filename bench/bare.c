/* bare.c — the baseline of `make bench`: libmicrohttpd alone, answering every request with one
 * constant JSON body. It uses jiceng's thread model (MHD_USE_INTERNAL_POLLING_THREAD |
 * MHD_USE_EPOLL with a thread pool, the same connection timeout and memory limit) and sends
 * the same response headers as jiceng (security headers, Content-Type, Cache-Control). What
 * jiceng costs beyond this is routing, authentication, the database and JSON.
 *
 *   bare [--listen 127.0.0.1:8191] [--threads N] [--body FILE]
 *
 * Without --body the answer is {"status":"ok"}. Runs until SIGINT or SIGTERM. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char CSP[] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                          "script-src 'self'; connect-src 'self'; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static const char *body = "{\"status\":\"ok\"}";
static size_t body_len;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload_data;
    static int first_call_marker;
    if (*con_cls == NULL) { /* headers only: the body (if any) comes in later calls */
        *con_cls = &first_call_marker;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0; /* discard request bodies */
        return MHD_YES;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(body_len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=()");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *data = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = p;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return data;
}

static int usage(const char *msg)
{
    fprintf(stderr, "bare: %s\nusage: bare [--listen HOST:PORT] [--threads N] [--body FILE]\n",
            msg);
    return 2;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:8191";
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    body_len = strlen(body);
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) return usage("every option takes a value");
        if (strcmp(argv[i], "--listen") == 0) {
            listen = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 256) return usage("--threads must be 1..256");
        } else if (strcmp(argv[i], "--body") == 0) {
            const char *path = argv[++i];
            if (!(body = read_file(path, &body_len))) return usage("cannot read --body file");
        } else {
            return usage("unknown option");
        }
    }
    const char *colon = strrchr(listen, ':');
    struct sockaddr_in sa = {.sin_family = AF_INET};
    char host[64];
    if (!colon || (size_t)(colon - listen) >= sizeof host) return usage("bad --listen");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    long port = strtol(colon + 1, NULL, 10);
    if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return usage("bad --listen (IPv4 HOST:PORT)");
    sa.sin_port = htons((uint16_t)port);

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned)1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare: cannot listen on %s\n", listen);
        return 1;
    }
    struct sigaction act = {.sa_handler = on_signal};
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "bare: listening on http://%s (%ld threads, %zu-byte body)\n", listen, threads,
            body_len);
    while (!stop) sleep(1); /* a signal interrupts the sleep */
    MHD_stop_daemon(d);
    return 0;
}
