/* cli/render: the JSON objects of the signal modules (the contract later tools rely on). */
#include "compat.h"

#include "cli.h"

#include <string.h>

bool cli_parse_format(const char *cmd, const char *s, enum cli_format *out)
{
    if (!strcmp(s, "json"))
        *out = CLI_FMT_JSON;
    else if (!strcmp(s, "text"))
        *out = CLI_FMT_TEXT;
    else {
        cli_error(cmd, "unknown format '%s': expected json or text", s);
        return false;
    }
    return true;
}

fz_rc cli_text_flags(struct fz_buf *out, uint32_t flags, const char *(*name)(uint32_t))
{
    fz_rc rc = FZ_OK;
    const char *sep = " [";
    for (uint32_t bit = 1; bit && bit <= flags && !rc; bit <<= 1) {
        if (!(flags & bit))
            continue;
        rc = fz_buf_addf(out, "%s%s", sep, name(bit));
        sep = ",";
    }
    if (!rc && flags)
        rc = fz_buf_addc(out, ']');
    return rc;
}

static fz_rc text_reasons(struct fz_buf *out, const struct fz_reason *const *r, int n)
{
    fz_rc rc = FZ_OK;
    for (int i = 0; i < n && !rc; i++)
        rc = fz_buf_addf(out, "%s%s(+%d)", i ? "; " : "  ", r[i]->zh, r[i]->weight);
    return rc;
}

fz_rc cli_text_phone(struct fz_buf *out, const struct fz_phone *p)
{
    const char *number = p->e164[0] ? p->e164 : p->digits[0] ? p->digits : "-";
    fz_rc rc = fz_buf_addf(out, "%s %s risk %d", number, fz_phone_class_name(p->cls), p->risk);
    if (!rc)
        rc = cli_text_flags(out, p->flags, fz_phone_flag_name);
    return rc ? rc : text_reasons(out, p->reasons, p->nreasons);
}

fz_rc cli_text_url(struct fz_buf *out, const struct fz_url *u)
{
    if (!u->valid)
        return fz_buf_adds(out, "not a URL");
    fz_rc rc = fz_buf_addf(out, "%s (%s) risk %d", u->url,
                           u->registrable_domain ? u->registrable_domain : u->host, u->risk);
    if (!rc && u->lookalike_of)
        rc = fz_buf_addf(out, " imitates %s", u->lookalike_of);
    if (!rc)
        rc = cli_text_flags(out, u->flags, fz_url_flag_name);
    return rc ? rc : text_reasons(out, u->reasons, u->nreasons);
}

fz_rc cli_text_pad(struct fz_buf *out, const char *s, size_t len, size_t width)
{
    size_t cols = 0;
    const char *p = s, *end = s + len;
    while (p < end) {
        uint32_t cp;
        fz_utf8_decode(&p, end, &cp);
        /* East Asian wide characters take two columns (CJK, fullwidth forms, Hangul). */
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        cols += wide ? 2 : 1;
    }
    fz_rc rc = fz_buf_add(out, s, len);
    while (!rc && cols++ < width)
        rc = fz_buf_addc(out, ' ');
    return rc;
}
