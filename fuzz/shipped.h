/*
 * What the drivers that screen with the shipped rules share: the rule directory (rules/ next
 * to fuzz/, or $FZ_RULES_DIR) and the cache of compiled databases ($FANGZHA_CACHE_DIR, which
 * scripts/fuzz.sh points into the build tree), so each start does not compile for seconds.
 */
#ifndef FZ_FUZZ_SHIPPED_H
#define FZ_FUZZ_SHIPPED_H

#include "fangzha/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads the shipped rule set or aborts with the reason. */
static inline struct fz_rules *fuzz_load_shipped(const char *driver)
{
    char dir[4096];
    const char *env = getenv("FZ_RULES_DIR");
    if (env != NULL) {
        snprintf(dir, sizeof dir, "%s", env);
    } else {
        snprintf(dir, sizeof dir, "%s", __FILE__);
        char *slash = strrchr(dir, '/');
        if (slash != NULL)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        size_t len = strlen(dir);
        snprintf(dir + len, sizeof dir - len, "/../rules");
    }
    struct fz_rules *r = NULL;
    struct fz_err err = {0};
    if (fz_rules_load_dir(dir, getenv("FANGZHA_CACHE_DIR"), &r, &err) != FZ_OK) {
        fprintf(stderr, "%s: cannot load '%s': %s\n", driver, dir, err.msg);
        abort();
    }
    return r;
}

#endif
