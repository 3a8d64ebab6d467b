/* rc.h — the one error enum of jiceng.
 *
 * Every function that can fail returns an int that is JC_OK or one of these codes, and callers
 * pass it up (`if (rc) return rc;`). Codes become HTTP statuses in exactly one place: the router
 * (http/router.c, jc_rc_http_status()). */
#ifndef JC_RC_H
#define JC_RC_H

typedef enum jc_rc {
    JC_OK = 0,
    JC_EINVAL,    /* malformed or missing input (400) */
    JC_EUNPROC,   /* well-formed input that breaks a rule (422) */
    JC_EAUTH,     /* not logged in, bad credentials (401) */
    JC_EPERM,     /* logged in but not allowed: role or area (403) */
    JC_ENOTFOUND, /* no such record, or not visible to the caller (404) */
    JC_ECONFLICT, /* illegal state transition, duplicate key (409) */
    JC_ESTALE,    /* version mismatch on update (409) */
    JC_EPRECOND,  /* update without a version (428) */
    JC_ETOOBIG,   /* body over the size limit (413) */
    JC_EMEDIA,    /* unsupported content type (415) */
    JC_ERATE,     /* too many attempts (429) */
    JC_ENOMEM,    /* allocation failed (500) */
    JC_EDB,       /* storage failure (500, or 503 when the database is unreachable) */
    JC_EIO,       /* file or network failure (500) */
    JC_EINTERNAL, /* a bug (500) */
    JC_EBUSY,     /* database locked or connection unavailable (503) */
    JC_RC__MAX
} jc_rc;

/* A short English name for the code ("invalid", "not_found", ...). Never NULL. */
const char *jc_strerror(int rc);

#define JC_UNUSED(x) ((void)(x))
#define JC_NELEM(a)  (sizeof(a) / sizeof((a)[0]))

#endif
