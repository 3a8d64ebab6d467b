/* poverty_api.h — what the handler files of the poverty module share (internal). */
#ifndef JC_POVERTY_API_H
#define JC_POVERTY_API_H

#include "poverty.h"
#include "../http/http.h"

/* The `area` filter and the page of a list. */
int pva_scope(jc_req *r, char lo[16], char hi[17], bool *covered);
int pva_page(jc_req *r, int64_t *limit, int64_t *offset);
/* {items, total, page, per_page} with extra members merged (may be NULL). */
int pva_list(jc_req *r, json_t *items, int64_t total, int64_t limit, int64_t offset, json_t *extra);
/* The answer for a record: JSON, ETag, and for 201 a Location. */
int pva_record(jc_req *r, int status, json_t *o, const char *location_fmt, int64_t id);
/* An .xlsx answer (takes the malloc'd bytes). */
int pva_xlsx(jc_req *r, void *data, size_t len, const char *name);
/* A positive integer query parameter (0 when absent). */
int pva_query_id(jc_req *r, const char *key, int64_t *out);

/* poverty_review_api.c */
int h_reviews(jc_req *r);
int h_review_create(jc_req *r);
int h_review_get(jc_req *r);
int h_review_update(jc_req *r);
int h_review_checks(jc_req *r);
int h_review_check(jc_req *r);
int h_review_summary(jc_req *r);
int h_changes(jc_req *r);
int h_change_create(jc_req *r);
int h_change_get(jc_req *r);
int h_change_update(jc_req *r);
int h_change_transition(jc_req *r);

/* poverty_funds_api.c */
int h_projects(jc_req *r);
int h_project_create(jc_req *r);
int h_project_report(jc_req *r);
int h_project_get(jc_req *r);
int h_project_update(jc_req *r);
int h_sources(jc_req *r);
int h_source_create(jc_req *r);
int h_allocations(jc_req *r);
int h_allocation_create(jc_req *r);
int h_disbursements(jc_req *r);
int h_disbursement_create(jc_req *r);
int h_balances(jc_req *r);
int h_yulu(jc_req *r);
int h_yulu_create(jc_req *r);
int h_yulu_eligibility(jc_req *r);
int h_yulu_get(jc_req *r);
int h_yulu_pay(jc_req *r);
/* export of the funds lists (kind: projects, disbursements, yulu); JC_ENOTFOUND for others */
int pva_export_funds(jc_req *r, const char *kind);

#endif
