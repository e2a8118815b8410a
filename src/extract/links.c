/*
 * extract/links: e-mail addresses and URLs, found before everything else so that the digits
 * and words inside them are not read as phones, QQ numbers or WeChat IDs.
 *
 * An e-mail address is local@domain.tld with an RFC 5321-ish local part ([a-z0-9._%+-], at
 * most 64 bytes, no leading, trailing or double dot) and a domain of at least two labels whose
 * last is letters (or an xn-- A-label). The URL finder would also see the domain of an address
 * as a URL; such a URL is dropped unless it has a scheme, in which case the '@' is userinfo
 * ("http://bank.com@evil.example/") and the address is dropped instead. Only URLs the
 * analyzer accepts become entities.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

struct spans {
    struct fz__span *v;
    size_t n, cap;
};

static fz_rc spans_add(struct fz_arena *a, struct spans *s, size_t start, size_t end)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        struct fz__span *v = fz_arena_alloc(a, cap * sizeof *v);
        if (!v)
            return FZ_E(FZ_ENOMEM);
        if (s->n)
            memcpy(v, s->v, s->n * sizeof *v);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (struct fz__span){start, end};
    return FZ_OK;
}

/* ---- e-mail ---- */

static bool local_char(char c)
{
    return fz__is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool label_char(char c) { return fz__is_alnum(c) || c == '-'; }

/* The start of the local part before '@' at `at`, or `at` when there is none. */
static size_t local_start(const char *t, size_t at, size_t floor)
{
    size_t s = at;
    while (s > floor && local_char(t[s - 1]))
        s--;
    while (s < at && t[s] == '.')
        s++;
    if (at - s > 64 || s == at || t[at - 1] == '.')
        return at;
    for (size_t p = s; p + 1 < at; p++)
        if (t[p] == '.' && t[p + 1] == '.')
            return at;
    return s;
}

/* The last label: two or more letters, or an A-label. */
static bool tld_ok(const char *t, size_t s, size_t e)
{
    if (e - s >= 4 && !memcmp(t + s, "xn--", 4))
        return true;
    for (size_t k = s; k < e; k++)
        if (!fz__is_alpha(t[k]))
            return false;
    return e - s >= 2;
}

/* The end of the domain after '@' at `at`, or `at` when it is not one. */
static size_t domain_end(const char *t, size_t len, size_t at)
{
    size_t p = at + 1, labels = 0, last = p;
    for (;;) {
        size_t q = p;
        while (q < len && label_char(t[q]) && q - p < 64)
            q++;
        if (q == p || t[p] == '-' || t[q - 1] == '-' || (q < len && label_char(t[q])))
            return at;
        labels++;
        last = p;
        p = q;
        if (p + 1 < len && t[p] == '.' && fz__is_alnum(t[p + 1]))
            p++;
        else
            break;
    }
    return labels >= 2 && tld_ok(t, last, p) && p - at - 1 <= 253 ? p : at;
}

/* The domain ends in a public suffix the URL finder knows ("qq.com", "mail.example.cn", not
 * "sq.mtr" in "rate 5000@sq.mtr" or "kiosk.valid"). Asked as "domain/", a host with a path,
 * so that only the suffix is judged, not how a bare host reads in a sentence. */
static bool domain_known(const char *t, size_t s, size_t e)
{
    char buf[253 + 2];
    size_t n = e - s, pos = 0, us, ue;
    if (n + 1 > sizeof buf)
        return false;
    memcpy(buf, t + s, n);
    buf[n] = '/';
    return fz_url_find(buf, n + 1, &pos, &us, &ue) && us == 0 && ue == n + 1;
}

static fz_rc find_emails(struct fz__extract_state *st, struct spans *out)
{
    const char *t = st->t;
    size_t pos = 0;
    const char *hit;
    while (pos < st->len && (hit = memchr(t + pos, '@', st->len - pos))) {
        size_t at = (size_t)(hit - t);
        size_t s = local_start(t, at, pos), e = domain_end(t, st->len, at);
        if (s == at || e == at || !domain_known(t, at + 1, e)) {
            pos = at + 1;
            continue;
        }
        fz_rc rc = spans_add(st->a, out, s, e);
        if (rc != FZ_OK)
            return rc;
        pos = e;
    }
    return FZ_OK;
}

static fz_rc push_email(struct fz__extract_state *st, const struct fz__span *sp)
{
    size_t n = sp->end - sp->start;
    char buf[64 + 1 + 253];
    for (size_t k = 0; k < n; k++)
        buf[k] = fz__lower(st->t[sp->start + k]);
    return fz__extract_push(st, FZ_ENT_EMAIL, sp->start, sp->end, buf, n, NULL);
}

/* ---- URLs ---- */

static bool has_scheme(const char *t, size_t s, size_t e)
{
    for (size_t p = s; p + 3 <= e; p++)
        if (t[p] == ':' && t[p + 1] == '/' && t[p + 2] == '/')
            return true;
    return false;
}

/* Settles a URL [s, e) against the e-mail spans (sorted; *k is the first that may overlap):
 * false when the URL is an address's domain; a URL with a scheme kills the addresses in it. */
static bool url_beats_emails(const char *t, struct spans *em, size_t *k, size_t s, size_t e)
{
    while (*k < em->n && em->v[*k].end <= s)
        (*k)++;
    bool scheme = has_scheme(t, s, e);
    for (size_t j = *k; j < em->n && em->v[j].start < e; j++) {
        if (!scheme)
            return false;
        em->v[j].end = em->v[j].start; /* dead */
    }
    return true;
}

/*
 * The bytes to analyze for the URL at normalized [s, e). The normalizer folds case, but paths
 * and queries are case-sensitive (t.cn/A6x7 and t.cn/a6x7 are different links), so when the
 * original span is the same length and plain printable ASCII (nothing was removed or folded
 * but case) the original is analyzed; a disguised URL (fullwidth, padded) is analyzed in its
 * normalized form and its path is lower case.
 */
static const char *url_source(const struct fz__extract_state *st, size_t s, size_t e)
{
    size_t os, oe;
    fz_text_span(st->norm, s, e, &os, &oe);
    if (oe - os != e - s || oe > st->orig_len)
        return st->t + s;
    for (size_t k = os; k < oe; k++)
        if ((unsigned char)st->orig[k] <= 0x20 || (unsigned char)st->orig[k] >= 0x7F)
            return st->t + s;
    return st->orig + os;
}

/*
 * The finder reads the normalized text, where case is folded, but a host without a scheme
 * written like the start of a sentence ("place.No reason", "Hi.Click here") is no URL: when
 * the original is plain ASCII, the finder must find the same span in it.
 */
static bool case_ok(const struct fz__extract_state *st, const char *src, size_t s, size_t e)
{
    if (src == st->t + s || has_scheme(st->t, s, e))
        return true;
    size_t pos = 0, us, ue;
    return fz_url_find(src, e - s, &pos, &us, &ue) && us == 0 && ue == e - s;
}

static fz_rc analyze_url(struct fz__extract_state *st, size_t s, size_t e, bool *valid)
{
    struct fz_url u;
    *valid = false;
    const char *src = url_source(st, s, e);
    if (!case_ok(st, src, s, e))
        return FZ_OK;
    fz_rc rc = fz_url_analyze(st->x->url, src, e - s, st->a, &u);
    if (rc == FZ_ENOMEM)
        return rc;
    if (rc != FZ_OK || !u.valid || !u.url)
        return FZ_OK;
    struct fz_entity *ent;
    rc = fz__extract_push(st, FZ_ENT_URL, s, e, u.url, strlen(u.url), &ent);
    if (ent) {
        ent->url = u;
        *valid = true;
    }
    return rc;
}

static fz_rc find_urls(struct fz__extract_state *st, struct spans *em, struct spans *out)
{
    size_t pos = 0, s, e, k = 0;
    while (pos < st->len && fz_url_find(st->t, st->len, &pos, &s, &e)) {
        if (FZ_NEVER(e > st->len || s >= e || pos < e))
            break;
        if (!url_beats_emails(st->t, em, &k, s, e))
            continue;
        bool valid;
        fz_rc rc = analyze_url(st, s, e, &valid);
        if (rc == FZ_OK && valid)
            rc = spans_add(st->a, out, s, e);
        if (rc != FZ_OK)
            return rc;
    }
    return FZ_OK;
}

/* Merges the live e-mail spans and the URL spans (each sorted) into st->skip, pushing the
 * e-mail entities on the way. */
static fz_rc merge(struct fz__extract_state *st, const struct spans *em, const struct spans *ur)
{
    struct spans all = {0};
    size_t i = 0, j = 0;
    while (i < em->n || j < ur->n) {
        bool take_email = j == ur->n || (i < em->n && em->v[i].start < ur->v[j].start);
        const struct fz__span *sp = take_email ? &em->v[i++] : &ur->v[j++];
        if (sp->end == sp->start)
            continue;
        fz_rc rc = take_email ? push_email(st, sp) : FZ_OK;
        if (rc == FZ_OK && (!all.n || sp->start >= all.v[all.n - 1].end))
            rc = spans_add(st->a, &all, sp->start, sp->end);
        if (rc != FZ_OK)
            return rc;
    }
    st->skip = all.v;
    st->nskip = all.n;
    st->skip_cap = all.cap;
    return FZ_OK;
}

fz_rc fz__extract_links(struct fz__extract_state *st)
{
    struct spans em = {0}, ur = {0};
    fz_rc rc = find_emails(st, &em);
    if (rc == FZ_OK)
        rc = find_urls(st, &em, &ur);
    if (rc == FZ_OK && (em.n || ur.n))
        rc = merge(st, &em, &ur);
    return rc;
}
