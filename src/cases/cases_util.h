/* cases_util.h — the pure helpers of city management, tested on their own
 * (tests/unit/test_cases_util.c): distances on the earth, XML text escaping for Open311, the
 * request bodies Open311 clients send (application/x-www-form-urlencoded and
 * multipart/form-data), and recognising photos by their first bytes. */
#ifndef JC_CASES_UTIL_H
#define JC_CASES_UTIL_H

#include "../base/arena.h"
#include "../base/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- geometry (WGS-84 degrees, metres) ---- */

/* Great-circle distance (haversine, mean earth radius). */
double geo_distance_m(double lat1, double lng1, double lat2, double lng2);
/* Distance from a point to the segment a–b; at the scale of a street a local equirectangular
 * projection around the point is exact to centimetres. */
double geo_segment_distance_m(double lat, double lng, double alat, double alng, double blat,
                              double blng);
/* Distance from a point to a polyline of n points given as lat,lng pairs (n >= 1). */
double geo_polyline_distance_m(double lat, double lng, const double *pts, int n);
double geo_polyline_length_m(const double *pts, int n);
/* A latitude/longitude box that contains every point within r metres of (lat, lng): the
 * prefilter done by the database before the exact distance is computed here. */
void geo_box_around(double lat, double lng, double r_m, double *lat_lo, double *lat_hi,
                    double *lng_lo, double *lng_hi);

/* ---- XML ---- */

/* Appends s as XML character data that is also safe inside attribute values: & < > " ' are
 * escaped, and what XML 1.0 cannot carry (control characters other than tab, newline and
 * carriage return, malformed UTF-8) becomes U+FFFD. Returns JC_OK or the buffer's error. */
int xml_escape(jc_buf *b, const char *s);

/* ---- images ---- */

/* The type of a photo recognised by its magic bytes — "image/jpeg", "image/png" or
 * "image/webp" — or NULL for anything else, whatever the sender claimed. */
const char *image_sniff(const void *data, size_t n);
/* "jpg", "png", "webp" for those types, "bin" otherwise. */
const char *image_ext(const char *type);

/* ---- form bodies ---- */

typedef struct form_part {
    const char *name;         /* arena, NUL-terminated */
    const char *data;         /* arena copy with a NUL after len (files may contain NULs) */
    size_t len;               /* bytes of data */
    const char *filename;     /* multipart file parts only, else NULL */
    const char *content_type; /* the part's Content-Type (multipart), else NULL */
} form_part;

typedef struct form_data {
    form_part *parts; /* arena */
    int n;
} form_data;

#define FORM_MAX_PARTS    64
#define FORM_MAX_NAME_LEN 100

/* key=value&… with %XX and '+' decoded. Bounded: at most FORM_MAX_PARTS fields, names of at
 * most FORM_MAX_NAME_LEN bytes. Values are not checked for UTF-8 here (the caller does, per
 * field). Returns JC_OK, or JC_EINVAL with a static English reason in *why. */
int form_parse_urlencoded(arena *a, const char *body, size_t len, form_data *out, const char **why);
/* multipart/form-data with the boundary taken from content_type. Same bounds. */
int form_parse_multipart(arena *a, const char *content_type, const char *body, size_t len,
                         form_data *out, const char **why);
/* The first part named `name`, or NULL. */
const form_part *form_get(const form_data *f, const char *name);

#endif
