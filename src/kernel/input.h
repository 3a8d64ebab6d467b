/* input.h — a validator table per input (after kcgi): each API body is checked field by field
 * against a spec before any handler logic runs; the first bad field becomes a 400 naming it in
 * English and Chinese. Unknown members are refused too (a typo should not be silently ignored). */
#ifndef JC_INPUT_H
#define JC_INPUT_H

#include "ctx.h"

typedef enum field_type {
    FT_TEXT,        /* string; min/max = characters (max 0 → 200) */
    FT_INT,         /* integer; min/max = range (both 0 → any) */
    FT_NUMBER,      /* integer or real; d */
    FT_BOOL,        /* true/false; i = 0/1 */
    FT_DATE,        /* "YYYY-MM-DD", a real date */
    FT_DATETIME,    /* ISO 8601 with offset; i = epoch seconds */
    FT_AREA,        /* area code the caller may see */
    FT_ENUM,        /* one of choices[] */
    FT_MONEY,       /* integer fen, >= min */
    FT_PHONE,       /* mobile number; s is normalised to 11 digits */
    FT_CITIZEN_ID,  /* GB 11643 */
    FT_CREDIT_CODE, /* GB 32100; a bad check character is accepted with warn = true */
    FT_STRLIST,     /* array of strings (max = items, 0 → 100) */
    FT_JSON,        /* any JSON object/array (j) */
} field_type;

enum field_flags {
    FF_REQUIRED = 1 << 0,
    FF_NULLABLE = 1 << 1, /* null is accepted (out.null = true), e.g. to clear a value */
    FF_MULTILINE = 1 << 2 /* text may contain newlines */
};

typedef struct field_spec {
    const char *name;
    field_type type;
    unsigned flags;
    int64_t min, max;
    const char *const *choices; /* FT_ENUM: NULL-terminated */
    const char *zh;             /* the field's Chinese name for messages */
} field_spec;

typedef struct field_val {
    bool present;  /* the member was in the body */
    bool null;     /* … and was null */
    bool warn;     /* accepted with a warning (credit code checksum) */
    const char *s; /* text value (arena or the JSON's own storage) */
    int64_t i;
    double d;
    json_t *j;
    const char **list; /* FT_STRLIST (arena) */
    int nlist;
} field_val;

/* out has n entries, filled in spec order. body must be a JSON object (or NULL = empty).
 * Members named in `also` (NULL-terminated, e.g. {"version", NULL}) are allowed though not in
 * the spec. */
int input_parse(jc_ctx *c, json_t *body, const field_spec *spec, size_t n, field_val *out,
                const char *const *also);

/* The "version" member or If-Match value for updates: JC_EPRECOND when absent. */
int input_version(jc_ctx *c, json_t *body, const char *if_match, int64_t *version);

#endif
