/* auth.h — users, their roles and granted areas, password hashing (argon2id), sessions stored in
 * the database (so several servers share them), bearer tokens for machine clients, and the
 * slow-down of repeated failed logins. */
#ifndef JC_AUTH_H
#define JC_AUTH_H

#include "ctx.h"

#define AUTH_TOKEN_LEN    64 /* buffer size for a session or API token */
#define AUTH_PW_MIN       8
#define AUTH_PW_MAX       128
#define AUTH_SESSION_SECS (12 * 3600)

int auth_init(void); /* sodium_init(); call once at start */

/* Roles and areas come from codes; the caller must be an admin whose grants cover every area
 * (checked here) unless it is the system user. */
typedef struct user_input {
    const char *username, *display_name, *phone, *password;
    unsigned roles;
    const char **areas; /* area codes */
    int nareas;
    bool has_roles, has_areas, has_disabled;
    bool disabled;
} user_input;

int user_create(jc_ctx *c, const user_input *in, int64_t *id);
/* Changes what is present in `in` (display_name/phone/roles/areas/disabled/password).
 * version must match unless it is 0 (command line). */
int user_update(jc_ctx *c, int64_t id, int64_t version, const user_input *in);
int user_find_id(jc_ctx *c, const char *username, int64_t *id);
/* Roles, grants and names into the arena. JC_ENOTFOUND; JC_EAUTH when disabled. */
int user_load(jc_ctx *c, int64_t id, jc_user *out);
json_t *user_json(const jc_user *u, int64_t version, const char *phone, bool disabled,
                  bool show_phone);
/* Users whose grants overlap the caller's (admins see users of their subtree). */
int user_list(jc_ctx *c, int offset, int limit, json_t **items, int64_t *total);
int user_get_json(jc_ctx *c, int64_t id, json_t **out);

/* Password check with throttling per username and per address. On success fills token (a new
 * session) and user. JC_EAUTH on bad credentials, JC_ERATE (with retry_after in err.extra) when
 * slowed down. */
int auth_login(jc_ctx *c, const char *username, const char *password, char token[AUTH_TOKEN_LEN],
               jc_user *user, int64_t *expires_at);
int auth_logout(jc_ctx *c, const char *token);
/* Session cookie or bearer token → user. JC_EAUTH when unknown, expired or disabled. */
int auth_session(jc_ctx *c, const char *token, jc_user *user);
int auth_bearer(jc_ctx *c, const char *token, jc_user *user);
int auth_token_create(jc_ctx *c, int64_t user_id, const char *name, int days,
                      char token[AUTH_TOKEN_LEN]);
/* Deletes expired sessions and stale failure counters. */
int auth_sweep(jc_ctx *c);

bool auth_password_ok(const char *pw); /* length and UTF-8 */
int auth_hash_password(const char *pw, char out[128]);

/* Checks a user's current password (self-service change): JC_EUNPROC (422) if wrong, not 401,
 * so that a mistyped password does not look like a lost session. */
int auth_verify_password(jc_ctx *c, int64_t user_id, const char *password);
#endif
