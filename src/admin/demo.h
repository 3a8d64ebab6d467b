/* demo.h — the kernel's part of the demo world: areas and one user per role. */
#ifndef JC_DEMO_H
#define JC_DEMO_H

#include "../kernel/ctx.h"

#include <stdio.h>

/* The area tree of the demo world, from 郑州市 down to grids. */
int demo_areas(jc_ctx *c);
/* The demo usernames, space-separated. */
void demo_print_users(FILE *out);
/* One user per role; every demo user gets `password` (the administrator's). */
int demo_users(jc_ctx *c, const char *password);

#endif
