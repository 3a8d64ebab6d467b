/* session_cache.h — recently checked sessions and tokens, kept in this server's memory for a few
 * seconds so that a request costs no database round trip to find its user.
 *
 * The database stays the truth: an entry lives at most `ttl` seconds. On this server a logout,
 * a password change, a disabled account or changed roles/areas drop the entries at once; another
 * server behind the same load balancer notices within `ttl` seconds. ttl 0 turns the cache off. */
#ifndef JC_SESSION_CACHE_H
#define JC_SESSION_CACHE_H

#include "ctx.h"

void session_cache_configure(int ttl_seconds);
/* The user of a token hash (64 hex), copied into c's arena; false when absent or too old. */
bool session_cache_get(jc_ctx *c, const char *hash, jc_user *out);
void session_cache_put(const char *hash, const jc_user *u, int64_t session_expires, int64_t now);
void session_cache_forget(const char *hash);
void session_cache_forget_user(int64_t user_id);

#endif
