#include "rc.h"

static const char *const rc_names[JC_RC__MAX] = {
    [JC_OK] = "ok",
    [JC_EINVAL] = "invalid",
    [JC_EUNPROC] = "unprocessable",
    [JC_EAUTH] = "unauthenticated",
    [JC_EPERM] = "forbidden",
    [JC_ENOTFOUND] = "not_found",
    [JC_ECONFLICT] = "conflict",
    [JC_ESTALE] = "stale_version",
    [JC_EPRECOND] = "precondition_required",
    [JC_ETOOBIG] = "too_large",
    [JC_EMEDIA] = "unsupported_media_type",
    [JC_ERATE] = "rate_limited",
    [JC_ENOMEM] = "out_of_memory",
    [JC_EDB] = "storage_error",
    [JC_EIO] = "io_error",
    [JC_EINTERNAL] = "internal_error",
    [JC_EBUSY] = "busy",
};

const char *jc_strerror(int rc)
{
    if (rc < 0 || rc >= JC_RC__MAX || !rc_names[rc]) return "unknown_error";
    return rc_names[rc];
}
