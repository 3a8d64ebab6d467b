/* kernel.h — everything the domains may use from the kernel. */
#ifndef JC_KERNEL_H
#define JC_KERNEL_H

#include "ctx.h"
#include "area.h"
#include "audit.h"
#include "auth.h"
#include "config.h"
#include "input.h"
#include "validate.h"
#include "workflow.h"
#include "../base/timeutil.h"
#include "../base/text.h"
#include "../base/log.h"

extern const store_migration kernel_migrations[];
extern const unsigned kernel_nmigrations;
extern const config_def kernel_config[];
extern const unsigned kernel_nconfig;

#endif
