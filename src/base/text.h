/* text.h — UTF-8 text at the edge: validation, trimming, counting characters. */
#ifndef JC_TEXT_H
#define JC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF) and no NUL bytes. */
bool jc_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t jc_utf8_len(const char *s);
/* True for NULL, "" and text of only spaces, tabs, newlines and U+3000 (ideographic space). */
bool jc_blank(const char *s);
/* True if s contains ASCII control characters other than \n \r \t. */
bool jc_has_control(const char *s);

#endif
