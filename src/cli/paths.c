/* cli/paths.c: where the commands keep files of their own. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

const char *cli_cache_dir(char *buf, size_t cap)
{
    const char *env = getenv("FANGZHA_CACHE_DIR");
    if (env != NULL)
        return *env != '\0' ? env : NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/fangzha", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(buf, cap, "%s/.cache/fangzha", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}
