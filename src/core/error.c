/* core/error: the fz_rc table's names and messages, struct fz_err, and the debug trace. */
#include "compat.h"

#include "fangzha/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FZ_LOG_MODULE(core);

static const char *const rc_names[] = {
#define X(name, code, msg) code,
    FZ_RC_MAP(X)
#undef X
};

static const char *const rc_msgs[] = {
#define X(name, code, msg) msg,
    FZ_RC_MAP(X)
#undef X
};

const char *fz_rc_name(fz_rc rc)
{
    if ((unsigned)rc >= FZ__RC_COUNT)
        return "unknown";
    return rc_names[rc];
}

const char *fz_strerror(fz_rc rc)
{
    if ((unsigned)rc >= FZ__RC_COUNT)
        return "unknown error";
    return rc_msgs[rc];
}

static void err_vset(struct fz_err *err, fz_rc code, const char *fmt, va_list ap) FZ_PRINTF(3, 0);

static void err_vset(struct fz_err *err, fz_rc code, const char *fmt, va_list ap)
{
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

fz_rc fz_err_set(struct fz_err *err, fz_rc code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, fmt, ap);
    va_end(ap);
    err->line = 0;
    err->field[0] = '\0';
    return code;
}

fz_rc fz_err_setloc(struct fz_err *err, fz_rc code, size_t line, const char *field, const char *fmt,
                    ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, fmt, ap);
    va_end(ap);
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    return code;
}

#ifndef NDEBUG
fz_rc fz__err_trace(fz_rc rc, const char *file, int line)
{
    fz_log(FZ_LOG_DEBUG, "%s raised at %s:%d", fz_rc_name(rc), file, line);
    return rc;
}
#endif

void fz__bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "fangzha BUG at %s:%d: %s\n", file, line, msg);
    abort();
}
