#include "app.h"
#include "kernel/kernel.h"

#include <stdio.h>
#include <string.h>

extern const jc_module admin_module;
extern const jc_module ledger_module;
extern const jc_module party_module;
extern const jc_module poverty_module;
extern const jc_module cases_module;

const jc_module *const jc_modules[] = {
    &admin_module, &ledger_module, &party_module, &poverty_module, &cases_module,
};
const size_t jc_nmodules = JC_NELEM(jc_modules);

int app_migrate(store *db, char **errmsg)
{
    int rc = store_migrate(db, "kernel", kernel_migrations, kernel_nmigrations);
    for (size_t i = 0; !rc && i < jc_nmodules; i++)
        if (jc_modules[i]->nmigrations)
            rc = store_migrate(db, jc_modules[i]->name, jc_modules[i]->migrations,
                               jc_modules[i]->nmigrations);
    if (rc && errmsg) *errmsg = strdup(store_errmsg(db));
    return rc;
}

void app_register_config(void)
{
    static int done;
    if (done++) return;
    config_register(kernel_config, kernel_nconfig);
    for (size_t i = 0; i < jc_nmodules; i++)
        if (jc_modules[i]->nconfig) config_register(jc_modules[i]->config, jc_modules[i]->nconfig);
}
