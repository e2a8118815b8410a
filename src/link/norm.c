/*
 * link/norm.c: identifier values to their canonical form before they are interned. Every
 * kind goes through a signal module: intel's fz_ind_normalize for phones (the phone
 * normalizer), bank accounts, domains, WeChat, QQ and IP addresses; the url analyzer for urls
 * (one analysis gives the url's form and its registrable domain); the text normalizer folds
 * scripts before they are fingerprinted. Errors never
 * echo the value (it is personal data).
 */
#include "compat.h"

#include "link_int.h"

#include "fangzha/intel.h"

#include <string.h>

/* The intel kind that gives each link kind its canonical form (-1: not intel's). A device id
 * follows intel's rule for app ids: trimmed, lower case. */
static const int intel_kind[FZ_LINK__KINDS] = {
    [FZ_LINK_PHONE] = FZ_IND_PHONE,
    [FZ_LINK_ACCOUNT] = FZ_IND_BANK_ACCOUNT,
    [FZ_LINK_URL] = FZ_IND_URL,
    [FZ_LINK_DOMAIN] = FZ_IND_DOMAIN,
    [FZ_LINK_WECHAT] = FZ_IND_WECHAT,
    [FZ_LINK_QQ] = FZ_IND_QQ,
    [FZ_LINK_DEVICE] = FZ_IND_APP,
    [FZ_LINK_IP] = FZ_IND_IP,
    [FZ_LINK_SCRIPT] = -1,
};

/* A script's fingerprint: "t" and 16 hex digits of the hash of its folded text. */
static fz_rc script_print(struct fz_link_set *s, const char *v, size_t len, char out[18],
                          struct fz_err *err)
{
    fz_rc rc = fz_text_normalize(v, len, &s->text);
    if (rc)
        return fz_err_set(err, rc, "script: %s", fz_strerror(rc));
    /* Folded text without its white space, so a reflowed script stays the same script. */
    size_t n = 0;
    for (size_t i = 0; i < s->text.len; i++)
        if (s->text.ptr[i] != ' ' && s->text.ptr[i] != '\n')
            s->text.ptr[n++] = s->text.ptr[i];
    if (n == 0)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "empty script");
    uint64_t h = fz_hash(s->text.ptr, n);
    static const char hex[] = "0123456789abcdef";
    out[0] = 't';
    for (int i = 0; i < 16; i++)
        out[1 + i] = hex[(h >> (60 - 4 * i)) & 15];
    out[17] = '\0';
    return FZ_OK;
}

/* A url: the url analyzer's form (what intel's fz_ind_normalize gives for a url, from one
 * analysis instead of two), then its registrable domain as a domain, when it has one. */
static fz_rc add_url(struct fz_link_set *s, uint32_t c, const char *v, size_t len,
                     struct fz_err *err)
{
    if (!s->uctx)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "url values need the url context");
    while (len && (*v == ' ' || *v == '\t')) /* as intel trims */
        v++, len--;
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    struct fz_url url;
    fz_rc rc = fz_url_analyze(s->uctx, v, len, &s->scratch, &url);
    if (rc)
        return fz_err_set(err, rc, "url analysis failed: %s", fz_strerror(rc));
    if (!url.valid)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "not a url");
    size_t before = s->npairs;
    if ((rc = fz__link_set_pair(s, c, FZ_LINK_URL, url.url, strlen(url.url), err)) ||
        !url.registrable_domain)
        return rc;
    rc = fz__link_set_pair(s, c, FZ_LINK_DOMAIN, url.registrable_domain,
                           strlen(url.registrable_domain), err);
    if (rc && s->npairs > before) { /* leave the set unchanged: drop the url's pair */
        s->npairs = before;
        s->nidents_of[c]--;
    }
    return rc;
}

fz_rc fz_link_set_add(struct fz_link_set *s, uint32_t c, enum fz_link_kind k, const char *value,
                      size_t len, struct fz_err *err)
{
    if ((unsigned)k >= FZ_LINK__KINDS || c >= s->ncases)
        return fz_err_set(err, FZ_E(FZ_EINVAL), "no case %u or no kind %d", c, (int)k);
    if (len > FZ_LINK_CAP_VALUE)
        return fz_err_set(err, FZ_E(FZ_ETOOBIG), "value over %d bytes", FZ_LINK_CAP_VALUE);
    fz_arena_reset(&s->scratch);
    if (k == FZ_LINK_SCRIPT) {
        char print[18];
        fz_rc rc = script_print(s, value, len, print, err);
        return rc ? rc : fz__link_set_pair(s, c, k, print, 17, err);
    }
    if (k == FZ_LINK_URL)
        return add_url(s, c, value, len, err);
    const char *canon;
    size_t n;
    fz_rc rc = fz_ind_normalize(s->uctx, (enum fz_ind_kind)intel_kind[k], value, len, &s->scratch,
                                &canon, &n, err);
    return rc ? rc : fz__link_set_pair(s, c, k, canon, n, err);
}

fz_rc fz_link_set_add_canonical(struct fz_link_set *s, uint32_t c, enum fz_link_kind k,
                                const char *value, size_t len, struct fz_err *err)
{
    return fz__link_set_pair(s, c, k, value, len, err);
}

size_t fz_link_set_ncases(const struct fz_link_set *s) { return s->ncases; }
size_t fz_link_set_nidents(const struct fz_link_set *s) { return s->nidents; }
size_t fz_link_set_npairs(const struct fz_link_set *s) { return s->npairs; }

const char *fz_link_set_case_id(const struct fz_link_set *s, uint32_t c)
{
    return c < s->ncases ? s->case_ids[c] : NULL;
}
