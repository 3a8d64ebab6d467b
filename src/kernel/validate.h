/* validate.h — identifiers of DOMAIN.md, checked on known vectors in tests/unit/test_validate.c. */
#ifndef JC_VALIDATE_H
#define JC_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum citizen_id_status {
    CID_OK = 0,
    CID_FORMAT,   /* not 17 digits + [0-9X] */
    CID_DATE,     /* birth date is not a real date or lies in the future */
    CID_CHECKSUM, /* check character does not match */
} citizen_id_status;

typedef struct citizen_id_info {
    char area[7];   /* the 6-digit area code (abolished codes are accepted) */
    char birth[11]; /* YYYY-MM-DD */
    int sex;        /* 1 male (odd sequence), 2 female (even) — GB/T 2261.1 codes */
} citizen_id_info;

/* GB 11643-1999. `today` (days since epoch) bounds the birth date; pass 0 to skip that check.
 * A lower-case x is accepted as check character. info may be NULL. */
citizen_id_status citizen_id_check(const char *id, int64_t today, citizen_id_info *info);
char citizen_id_check_char(const char *first17);

typedef enum credit_code_status {
    CCODE_OK = 0,
    CCODE_FORMAT,   /* not 18 characters of the code alphabet */
    CCODE_CHECKSUM, /* well-formed but the check character does not match: early pilot codes do
                       this legally, so callers warn rather than refuse */
} credit_code_status;

typedef struct credit_code_info {
    const char *registrar_zh, *registrar_en; /* position 1: 机构编制, 民政, 市场监管, 其他 … */
    const char *class_zh, *class_en; /* position 2 within the registrar, may be "" */
    char area[7];                    /* positions 3–8 */
} credit_code_info;

/* GB 32100-2015. info may be NULL. */
credit_code_status credit_code_check(const char *code, credit_code_info *info);
char credit_code_check_char(const char *first17);

/* ^1[3-9][0-9]{9}$, optionally prefixed by +86 / 86 (spaces and dashes are not accepted).
 * norm (12 bytes) receives the 11 digits. */
bool mobile_valid(const char *s, char norm[12]);

/* Money in integer fen from text: "12", "12.3", "12.34" yuan (no more than 2 decimals,
 * no exponent, optional leading '-'). */
bool money_parse_yuan(const char *s, int64_t *fen);
/* "1234.56" into out (32 bytes) */
void money_format_yuan(int64_t fen, char out[32]);

/* Masking for roles that may not see personal data. Output buffers are 32 bytes. */
void mask_citizen_id(const char *id, char out[32]); /* 410104********123X → keeps 6 + last 4 */
void mask_phone(const char *phone, char out[32]);   /* 138****5678 */

#endif
