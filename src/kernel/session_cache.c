#include "session_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS      1024
#define MAX_GRANTS 8 /* users with more grants are not cached: rare, and looked up each time */

struct slot {
    char hash[65]; /* "" when empty */
    int64_t user_id, expires, cached_at;
    char username[64], display_name[200];
    unsigned roles;
    int ngrants;
    jc_grant grants[MAX_GRANTS];
};

#define STRIPES 64 /* locks, so that server threads rarely wait on each other */

static struct slot slots[SLOTS];
static pthread_mutex_t locks[STRIPES];
static pthread_once_t locks_once = PTHREAD_ONCE_INIT;
static int ttl = 0;

static void locks_init(void)
{
    for (int i = 0; i < STRIPES; i++) pthread_mutex_init(&locks[i], NULL);
}

static pthread_mutex_t *lock_of(const struct slot *s)
{
    return &locks[(size_t)(s - slots) % STRIPES];
}

static void lock_all(void)
{
    for (int i = 0; i < STRIPES; i++) pthread_mutex_lock(&locks[i]);
}

static void unlock_all(void)
{
    for (int i = STRIPES - 1; i >= 0; i--) pthread_mutex_unlock(&locks[i]);
}

void session_cache_configure(int ttl_seconds)
{
    pthread_once(&locks_once, locks_init);
    lock_all();
    ttl = ttl_seconds > 0 ? ttl_seconds : 0;
    memset(slots, 0, sizeof slots);
    unlock_all();
}

/* The hash is SHA-256 hex, already uniform: its first hex digits pick the slot. */
static struct slot *slot_of(const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 6 && hash[i]; i++) {
        char ch = hash[i];
        v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
    }
    return &slots[v % SLOTS];
}

bool session_cache_get(jc_ctx *c, const char *hash, jc_user *out)
{
    if (!ttl) return false;
    struct slot copy;
    struct slot *s = slot_of(hash);
    pthread_mutex_lock(lock_of(s));
    bool hit = strcmp(s->hash, hash) == 0 && s->cached_at + ttl > c->now && s->expires > c->now;
    if (hit) copy = *s;
    pthread_mutex_unlock(lock_of(s));
    if (!hit) return false;
    memset(out, 0, sizeof *out);
    out->id = copy.user_id;
    out->username = arena_strdup(c->a, copy.username);
    out->display_name = arena_strdup(c->a, copy.display_name);
    out->roles = copy.roles;
    out->ngrants = copy.ngrants;
    out->grants =
        arena_alloc(c->a, sizeof *out->grants * (size_t)(copy.ngrants ? copy.ngrants : 1));
    if (!out->username || !out->display_name || !out->grants) return false;
    memcpy(out->grants, copy.grants, sizeof *out->grants * (size_t)copy.ngrants);
    return true;
}

void session_cache_put(const char *hash, const jc_user *u, int64_t session_expires, int64_t now)
{
    if (!ttl || u->ngrants > MAX_GRANTS || strlen(u->username) >= sizeof slots[0].username ||
        strlen(u->display_name) >= sizeof slots[0].display_name)
        return;
    struct slot *s = slot_of(hash);
    pthread_mutex_lock(lock_of(s));
    snprintf(s->hash, sizeof s->hash, "%s", hash);
    s->user_id = u->id;
    s->expires = session_expires;
    s->cached_at = now;
    snprintf(s->username, sizeof s->username, "%s", u->username);
    snprintf(s->display_name, sizeof s->display_name, "%s", u->display_name);
    s->roles = u->roles;
    s->ngrants = u->ngrants;
    memcpy(s->grants, u->grants, sizeof *u->grants * (size_t)u->ngrants);
    pthread_mutex_unlock(lock_of(s));
}

void session_cache_forget(const char *hash)
{
    struct slot *s = slot_of(hash);
    pthread_mutex_lock(lock_of(s));
    if (strcmp(s->hash, hash) == 0) s->hash[0] = '\0';
    pthread_mutex_unlock(lock_of(s));
}

void session_cache_forget_user(int64_t user_id)
{
    lock_all();
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].hash[0] && slots[i].user_id == user_id) slots[i].hash[0] = '\0';
    unlock_all();
}
