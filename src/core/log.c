/* core/log: levels, per-module debug switches and the host's sink. Library code never writes
 * to stdout or stderr itself. */
#include "compat.h"

#include "fangzha/core.h"

#include <stdio.h>
#include <string.h>

/* Logging configuration is process-wide, like the allocator hook: the host sets it once at
 * start-up, before threads run. */
static fz_log_cb *sink;
static void *sink_ud;
static enum fz_log_level max_level = FZ_LOG_WARN;
static char debug_spec[256];

void fz_log_set(fz_log_cb *cb, void *ud, enum fz_log_level level)
{
    sink = cb;
    sink_ud = ud;
    max_level = level;
}

fz_rc fz_log_set_debug(const char *spec)
{
    size_t n = strlen(spec);
    if (n >= sizeof debug_spec - 2)
        return FZ_E(FZ_ETOOBIG);
    /* Stored as ",a,b,-c," so a module is found with one strstr. */
    snprintf(debug_spec, sizeof debug_spec, ",%s,", spec);
    return FZ_OK;
}

static bool spec_has(const char *item)
{
    char pat[64];
    snprintf(pat, sizeof pat, ",%s,", item);
    return strstr(debug_spec, pat) != NULL;
}

static bool debug_on(const char *module)
{
    if (!debug_spec[0])
        return false;
    char neg[48];
    snprintf(neg, sizeof neg, "-%s", module);
    if (spec_has(neg))
        return false;
    return spec_has("all") || spec_has(module);
}

bool fz_log_enabled(enum fz_log_level level, const char *module)
{
    if (!sink)
        return false;
    if (level == FZ_LOG_DEBUG)
        return debug_on(module);
    return level <= max_level;
}

void fz_log_write(enum fz_log_level level, const char *module, const char *fmt, ...)
{
    if (!sink)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sink(sink_ud, level, module, msg);
}
