/*
 * url/lookalike: the brand index and the test "does this host imitate a brand" (signal
 * layer, called by the analyzer for every URL with a registrable domain).
 *
 * The index is built once from brands.txt: brand names (the label left of the public suffix)
 * in a map, their confusable skeletons in a second map, the legitimate registrable domains in
 * a third, names open to typo matching bucketed by length, and one trie over the brand names
 * and the affix words fraud glues to them (vip, login, bank, kefu, ...). A query costs a few
 * map lookups and short trie walks, never a scan of the whole list. The checks, strongest
 * first, are described in docs/internals/url.md.
 */
#include "compat.h"

#include "url_int.h"

#include "fangzha/text.h"

#include <idn2.h>
#include <string.h>

/* Words that fraud puts before or after a brand name (icbc-vip, myicbc, icbcbank). A brand
 * name plus only these, digits and '-' is a lookalike. */
static const char *const affix_words[] = {
    "www",      "wap",      "m",        "my",      "vip",      "svip",    "pay",      "bank",
    "ebank",    "ibank",    "online",   "login",   "logon",    "signin",  "sign",     "secure",
    "security", "safe",     "verify",   "auth",    "account",  "acct",    "user",     "member",
    "service",  "services", "support",  "help",    "kefu",     "kf",      "app",      "apps",
    "mobile",   "web",      "net",      "cn",      "china",    "hk",      "us",       "uk",
    "com",      "gov",      "official", "gw",      "guanwang", "update",  "card",     "credit",
    "loan",     "jr",       "jinrong",  "dk",      "daikuan",  "wallet",  "cash",     "refund",
    "tuikuan",  "lipei",    "claim",    "reward",  "rewards",  "bonus",   "jifen",    "points",
    "gift",     "shop",     "store",    "mall",    "order",    "express", "kuaidi",   "wuliu",
    "check",    "center",   "centre",   "portal",  "home",     "info",    "id",       "cloud",
    "mail",     "admin",    "pro",      "plus",    "new",      "top",     "zx",       "fw",
    "fuwu",     "ssl",      "sec",      "global",  "intl",     "alert",   "notice",   "access",
    "client",   "customer", "care",     "hy",      "huiyuan",  "etc",     "ca",       "au",
    "jp",       "de",       "fr",       "hub",     "link",     "go",      "get",      "live",
    "team",     "desk",     "pass",     "key",     "unlock",   "recover", "recovery", "confirm",
    "validate", "billing",  "invoice",  "payment", "payments", "dapp",    "defi",     "airdrop",
    "claims",   "connect",  "sync",     "token",   "nft",      "io",      NULL,
};

/* ---- small helpers ------------------------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return c >= 'a' && c <= 'z'; }
static char lower(char c) { return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c); }

/* The trie symbol of c (a-z, 0-9, '-', '_'), or -1. */
static int trie_sym(char c)
{
    if (is_alpha(c))
        return c - 'a';
    if (is_digit(c))
        return 26 + (c - '0');
    return c == '-' ? 36 : c == '_' ? 37 : -1;
}

static uint64_t charset(const char *s, size_t len)
{
    uint64_t m = 0;
    for (size_t i = 0; i < len; i++) {
        int k = trie_sym(s[i]);
        if (k >= 0)
            m |= (uint64_t)1 << k;
    }
    return m;
}

static bool has_alpha(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_alpha(s[i]))
            return true;
    return false;
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return false;
    return len > 0;
}

static bool is_affix_word(const char *s, size_t len)
{
    for (const char *const *w = affix_words; *w; w++)
        if (strlen(*w) == len && memcmp(*w, s, len) == 0)
            return true;
    return false;
}

size_t fz__url_skeleton(const char *s, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k < cap; i++) {
        char c = lower(s[i]), next = i + 1 < len ? lower(s[i + 1]) : '\0';
        if ((c == 'r' && next == 'n') || (c == 'v' && next == 'v')) {
            c = c == 'r' ? 'm' : 'w';
            i++;
        }
        switch (c) {
        case '0': c = 'o'; break;
        case '1':
        case 'i': c = 'l'; break;
        case '3': c = 'e'; break;
        case '4': c = 'a'; break;
        case '5': c = 's'; break;
        default: break;
        }
        out[k++] = c;
    }
    return k;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

unsigned fz__url_osa(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    enum { N = FZ__URL_LABEL_MAX + 2 };
    if (alen >= N || blen >= N || (alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    unsigned rows[3][N], *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
    for (size_t j = 0; j <= blen; j++)
        r1[j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        r2[0] = (unsigned)i;
        unsigned row_min = r2[0];
        for (size_t j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = min3(r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && r0[j - 2] + 1 < v)
                v = r0[j - 2] + 1;
            r2[j] = v;
            row_min = v < row_min ? v : row_min;
        }
        if (row_min > max)
            return max + 1;
        unsigned *t = r0;
        r0 = r1;
        r1 = r2;
        r2 = t;
    }
    return r1[blen] <= max ? r1[blen] : max + 1;
}

/* ---- the trie ------------------------------------------------------------------------- */

/* The child of node for character c, or 0. */
static uint32_t trie_next(const struct fz__url_brands *b, uint32_t node, char c)
{
    int k = trie_sym(c);
    if (k < 0)
        return 0;
    if (node == 0)
        return b->root[k];
    for (uint32_t n = b->trie[node].child; n; n = b->trie[n].sibling)
        if (b->trie[n].c == c)
            return n;
    return 0;
}

static fz_rc trie_child(struct fz__url_brands *b, uint32_t node, char c, uint32_t *out)
{
    uint32_t n = trie_next(b, node, c);
    if (n) {
        *out = n;
        return FZ_OK;
    }
    if (b->ntrie == b->trie_cap) {
        size_t cap = b->trie_cap * 2;
        struct fz__url_trie *t = fz_realloc(b->trie, cap * sizeof *t);
        if (!t)
            return FZ_E(FZ_ENOMEM);
        b->trie = t;
        b->trie_cap = cap;
    }
    n = (uint32_t)b->ntrie++;
    b->trie[n] = (struct fz__url_trie){.c = c};
    if (node == 0) {
        b->root[trie_sym(c)] = n;
    } else {
        b->trie[n].sibling = b->trie[node].child;
        b->trie[node].child = n;
    }
    *out = n;
    return FZ_OK;
}

/* Adds s[0..len) (characters the trie knows only) ending in brand name tok (index + 1, or 0)
 * or as an affix word. */
static fz_rc trie_add(struct fz__url_brands *b, const char *s, size_t len, uint32_t tok, bool affix)
{
    uint32_t node = 0;
    for (size_t i = 0; i < len; i++) {
        if (trie_sym(s[i]) < 0)
            return FZ_OK;
        fz_rc rc = trie_child(b, node, s[i], &node);
        if (rc)
            return rc;
    }
    if (tok && !b->trie[node].tok)
        b->trie[node].tok = tok;
    b->trie[node].affix |= affix;
    return FZ_OK;
}

/* ---- building the index --------------------------------------------------------------- */

/* Splits line into fields on runs of tabs or spaces, in place. Returns the count, 5 for more
 * than four. */
static int split_fields(char *line, char *field[4])
{
    int n = 0;
    for (char *p = line;;) {
        while (*p == '\t' || *p == ' ')
            *p++ = '\0';
        if (!*p)
            return n;
        if (n == 4)
            return 5;
        field[n++] = p;
        while (*p && *p != '\t' && *p != ' ')
            p++;
    }
}

static fz_rc parse_flags(const char *s, unsigned *flags)
{
    *flags = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 6 && !memcmp(s, "notypo", 6))
            *flags |= FZ__URL_BRAND_NOTYPO;
        else if (n == 7 && !memcmp(s, "noaffix", 7))
            *flags |= FZ__URL_BRAND_NOAFFIX;
        else
            return FZ_EPARSE;
        s += n + (s[n] == ',');
    }
    return FZ_OK;
}

static bool domain_chars_ok(char *d)
{
    for (char *p = d; *p; p++) {
        *p = lower(*p);
        if (trie_sym(*p) < 0 && *p != '.')
            return false;
    }
    return strchr(d, '.') != NULL;
}

/* Parses one non-comment line into br. */
static fz_rc parse_brand(char *line, size_t lineno, const psl_ctx_t *psl, struct fz__url_brand *br,
                         struct fz_err *err)
{
    char *f[4];
    int n = split_fields(line, f);
    if (n < 3 || n > 4)
        return fz_err_setloc(err, FZ_EPARSE, lineno, "brands", "expected 3 or 4 fields");
    if (!domain_chars_ok(f[0]))
        return fz_err_setloc(err, FZ_EPARSE, lineno, "domain", "bad brand domain '%s'", f[0]);
    const char *reg = psl ? psl_registrable_domain(psl, f[0]) : NULL;
    if (!psl) { /* no public suffix list: the last two labels */
        reg = f[0] + strlen(f[0]);
        for (int dots = 0; reg > f[0] && !(reg[-1] == '.' && ++dots == 2);)
            reg--;
    }
    if (!reg || !strchr(reg, '.'))
        return fz_err_setloc(err, FZ_EPARSE, lineno, "domain",
                             "brand domain '%s' is a public suffix", f[0]);
    unsigned flags = 0;
    if (n == 4 && parse_flags(f[3], &flags))
        return fz_err_setloc(err, FZ_EPARSE, lineno, "flags", "unknown brand flag in '%s'", f[3]);
    *br = (struct fz__url_brand){.domain = f[0],
                                 .reg = reg,
                                 .reg_len = strlen(reg),
                                 .key = f[1],
                                 .category = f[2],
                                 .flags = flags};
    return FZ_OK;
}

/* Parses every line of b->text into b->brand. */
static fz_rc parse_brands(struct fz__url_brands *b, const psl_ctx_t *psl, struct fz_err *err)
{
    size_t lineno = 0;
    for (char *line = b->text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (!line[strspn(line, " \t")] || line[0] == '#')
            continue;
        fz_rc rc = parse_brand(line, lineno, psl, &b->brand[b->nbrand], err);
        if (rc)
            return rc;
        b->nbrand++;
    }
    return FZ_OK;
}

/* Adds the brand name s[0..len) for br. reg_label: s is the first label of br->reg. */
static fz_rc add_tok(struct fz__url_brands *b, const char *s, size_t len, struct fz__url_brand *br,
                     bool reg_label)
{
    if (len < 2 || len > FZ__URL_LABEL_MAX)
        return FZ_OK;
    struct fz__url_tok *t = fz_map_get(&b->tok_map, s, len);
    if (!t) {
        t = &b->tok[b->ntok];
        *t = (struct fz__url_tok){.s = s,
                                  .len = len,
                                  .brand = br,
                                  .flags = br->flags,
                                  .charset = charset(s, len),
                                  .is_short = len <= 3 || all_digits(s, len),
                                  .is_affix = is_affix_word(s, len)};
        fz_rc rc = fz_map_put(&b->tok_map, s, len, t, NULL);
        if (rc)
            return rc;
        b->ntok++;
    }
    if (reg_label) {
        br->next_embed = t->embed;
        t->embed = br;
    }
    return FZ_OK;
}

/* Primary brands, legitimate domains and brand names. */
static fz_rc index_brands(struct fz__url_brands *b)
{
    struct fz_map keys;
    fz_map_init(&keys);
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < b->nbrand && !rc; i++) {
        struct fz__url_brand *br = &b->brand[i];
        struct fz__url_brand *first = fz_map_get(&keys, br->key, strlen(br->key));
        br->primary = first ? first : br;
        if (!first)
            rc = fz_map_put(&keys, br->key, strlen(br->key), br, NULL);
        if (!rc && !fz_map_get(&b->legit_map, br->reg, br->reg_len))
            rc = fz_map_put(&b->legit_map, br->reg, br->reg_len, br, NULL);
        if (!rc)
            rc = add_tok(b, br->reg, strcspn(br->reg, "."), br, true);
        /* weixin.qq.com also names the brand "weixin" */
        size_t first_len = strcspn(br->domain, ".");
        if (!rc && br->domain != br->reg && !is_affix_word(br->domain, first_len))
            rc = add_tok(b, br->domain, first_len, br, false);
    }
    fz_map_release(&keys);
    return rc;
}

/* The skeleton map, the length buckets and the trie. */
static fz_rc index_names(struct fz__url_brands *b)
{
    fz_rc rc = FZ_OK;
    size_t count[FZ__URL_LABEL_MAX + 2] = {0};
    for (size_t i = 0; i < b->ntok && !rc; i++) {
        struct fz__url_tok *t = &b->tok[i];
        if (!t->is_short && !t->is_affix && has_alpha(t->s, t->len)) {
            char sk[FZ__URL_LABEL_MAX];
            size_t n = fz__url_skeleton(t->s, t->len, sk, sizeof sk);
            if (!fz_map_get(&b->skel_map, sk, n))
                rc = fz_map_put(&b->skel_map, sk, n, t, NULL);
            if (!(t->flags & FZ__URL_BRAND_NOTYPO) && t->len >= 4)
                count[t->len + 1]++;
        }
        if (!rc)
            rc = trie_add(b, t->s, t->len, (uint32_t)i + 1, false);
    }
    for (const char *const *w = affix_words; *w && !rc; w++)
        rc = trie_add(b, *w, strlen(*w), 0, true);
    if (rc)
        return rc;
    for (size_t n = 1; n < FZ__URL_LABEL_MAX + 2; n++)
        b->len_start[n] = b->len_start[n - 1] + count[n];
    b->by_len = fz_mallocarray(b->len_start[FZ__URL_LABEL_MAX + 1] + 1, sizeof *b->by_len);
    if (!b->by_len)
        return FZ_E(FZ_ENOMEM);
    size_t fill[FZ__URL_LABEL_MAX + 1];
    memcpy(fill, b->len_start, sizeof fill);
    for (size_t i = 0; i < b->ntok; i++) {
        struct fz__url_tok *t = &b->tok[i];
        if (!t->is_short && !t->is_affix && has_alpha(t->s, t->len) &&
            !(t->flags & FZ__URL_BRAND_NOTYPO) && t->len >= 4)
            b->by_len[fill[t->len]++] = t;
    }
    return FZ_OK;
}

fz_rc fz__url_brands_init(struct fz__url_brands *b, const psl_ctx_t *psl, const char *txt,
                          size_t len, struct fz_err *err)
{
    memset(b, 0, sizeof *b);
    fz_map_init(&b->tok_map);
    fz_map_init(&b->skel_map);
    fz_map_init(&b->legit_map);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += txt[i] == '\n';
    b->text = fz_strndup(txt, len);
    b->brand = fz_calloc(lines, sizeof *b->brand);
    b->tok = fz_calloc(lines, 2 * sizeof *b->tok);
    b->trie_cap = 1024;
    b->trie = fz_mallocarray(b->trie_cap, sizeof *b->trie);
    fz_rc rc = b->text && b->brand && b->tok && b->trie ? FZ_OK : FZ_E(FZ_ENOMEM);
    if (!rc) {
        b->trie[0] = (struct fz__url_trie){0};
        b->ntrie = 1;
        rc = parse_brands(b, psl, err);
    }
    if (!rc)
        rc = index_brands(b);
    if (!rc)
        rc = index_names(b);
    if (rc == FZ_ENOMEM)
        fz_err_set(err, rc, "out of memory building the brand index");
    if (rc)
        fz__url_brands_release(b);
    return rc;
}

void fz__url_brands_release(struct fz__url_brands *b)
{
    if (!b)
        return;
    fz_map_release(&b->tok_map);
    fz_map_release(&b->skel_map);
    fz_map_release(&b->legit_map);
    fz_free(b->by_len);
    fz_free(b->trie);
    fz_free(b->tok);
    fz_free(b->brand);
    fz_free(b->text);
    memset(b, 0, sizeof *b);
}

/* ---- matching ------------------------------------------------------------------------- */

/* The longest brand registrable domain inside the host but outside its registrable domain,
 * followed by '.' or '-': www.icbc.com.cn.verify.xyz, paypal.com-secure.top. */
static const char *embedded_brand(const struct fz__url_brands *b, const char *host, size_t hlen,
                                  size_t reg_off)
{
    const struct fz__url_brand *best = NULL;
    for (size_t s = 0; s < reg_off;) {
        size_t e = s;
        while (e < hlen && host[e] != '.' && host[e] != '-')
            e++;
        const struct fz__url_tok *t = fz_map_get(&b->tok_map, host + s, e - s);
        for (const struct fz__url_brand *br = t ? t->embed : NULL; br; br = br->next_embed) {
            size_t end = s + br->reg_len;
            if (end < hlen && memcmp(host + s, br->reg, br->reg_len) == 0 &&
                (host[end] == '-' || (host[end] == '.' && end < reg_off)) &&
                (!best || br->reg_len > best->reg_len))
                best = br;
        }
        s = e + 1;
    }
    return best ? best->reg : NULL;
}

/* A subdomain label that is a brand name (amazon.xgkglm.bar), for names that are not short,
 * not affix words and not common inside other names. */
static const struct fz__url_tok *subdomain_brand(const struct fz__url_brands *b, const char *host,
                                                 size_t reg_off)
{
    for (size_t s = 0; s < reg_off;) {
        size_t e = s;
        while (e < reg_off && host[e] != '.')
            e++;
        const struct fz__url_tok *t = fz_map_get(&b->tok_map, host + s, e - s);
        if (t && !t->is_short && !t->is_affix && !(t->flags & FZ__URL_BRAND_NOAFFIX))
            return t;
        s = e + 1;
    }
    return NULL;
}

/* May a brand name match at label[i..j) of an n-byte label? Short names need a '-' or a
 * letter/digit change on both sides. */
static bool at_boundary(const char *label, size_t n, size_t k)
{
    return k == 0 || k == n || label[k - 1] == '-' || label[k] == '-' ||
           is_digit(label[k - 1]) != is_digit(label[k]);
}

/* Marks in reach[] the offsets after an affix word, a digit or '-' starting at i. */
static void mark_affixes(const struct fz__url_brands *b, const char *s, size_t n, size_t i,
                         bool *reach)
{
    if (is_digit(s[i]) || s[i] == '-')
        reach[i + 1] = true;
    uint32_t node = 0;
    for (size_t j = i; j < n && (node = trie_next(b, node, s[j])); j++)
        if (b->trie[node].affix)
            reach[j + 1] = true;
}

/* True when s[i..n) is made of affix words, digits and '-' only; tail[] holds the answers
 * for offsets after i. */
static bool affix_tail(const struct fz__url_brands *b, const char *s, size_t n, size_t i,
                       const bool *tail)
{
    if ((is_digit(s[i]) || s[i] == '-') && tail[i + 1])
        return true;
    uint32_t node = 0;
    for (size_t j = i; j < n && (node = trie_next(b, node, s[j])); j++)
        if (b->trie[node].affix && tail[j + 1])
            return true;
    return false;
}

/* The longest brand name N with s = A + N + B, A and B made of affix words, digits and '-',
 * not both empty: icbc-vip, myicbc, icbcbank, ccb-95533, vip-jd. */
static const struct fz__url_tok *affix_brand(const struct fz__url_brands *b, const char *s,
                                             size_t n)
{
    enum { N = FZ__URL_LABEL_MAX + 2 };
    if (n < 3 || n >= N)
        return NULL;
    bool head[N] = {true}, tail[N] = {false};
    for (size_t i = 0; i < n; i++)
        if (head[i])
            mark_affixes(b, s, n, i, head);
    tail[n] = true;
    for (size_t i = n; i-- > 0;)
        tail[i] = affix_tail(b, s, n, i, tail);
    const struct fz__url_tok *best = NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t node = 0;
        for (size_t j = i; head[i] && j < n && (node = trie_next(b, node, s[j])); j++) {
            uint32_t k = b->trie[node].tok;
            if (!k || !tail[j + 1] || (i == 0 && j + 1 == n))
                continue;
            const struct fz__url_tok *t = &b->tok[k - 1];
            if (t->is_affix || (t->flags & FZ__URL_BRAND_NOAFFIX))
                continue;
            if (t->is_short && !(at_boundary(s, n, i) && at_boundary(s, n, j + 1)))
                continue;
            if (!best || t->len > best->len)
                best = t;
        }
    }
    return best;
}

/* The brand whose skeleton s[0..n) has (paypa1 -> paypal), when s is not the name itself. */
static const struct fz__url_tok *swapped_brand(const struct fz__url_brands *b, const char *s,
                                               size_t n)
{
    char sk[FZ__URL_LABEL_MAX];
    if (n < 4 || n > FZ__URL_LABEL_MAX || !has_alpha(s, n))
        return NULL;
    size_t k = fz__url_skeleton(s, n, sk, sizeof sk);
    const struct fz__url_tok *t = fz_map_get(&b->skel_map, sk, k);
    return t && (t->len != n || memcmp(t->s, s, n) != 0) ? t : NULL;
}

/* s is t with one character doubled: icbcc, paypall. */
static bool doubled(const char *s, size_t n, const char *t, size_t m)
{
    if (n != m + 1)
        return false;
    for (size_t i = 0; i < n; i++)
        if (((i > 0 && s[i] == s[i - 1]) || (i + 1 < n && s[i] == s[i + 1])) &&
            memcmp(s, t, i) == 0 && memcmp(s + i + 1, t + i, n - i - 1) == 0)
            return true;
    return false;
}

/*
 * Is s a typo of brand name t? The first letter must match. Names of 4 letters allow only a
 * doubled letter (icbcc); 5-6 letters also a dropped letter or two swapped neighbours; 7-9
 * letters one edit; 10 or more two edits (optimal string alignment). Shorter names and
 * substitutions in short names match too many real words and names (city/citi, medex/fedex).
 */
static unsigned typo_distance(const char *s, size_t n, const struct fz__url_tok *t)
{
    size_t m = t->len;
    if (s[0] != t->s[0])
        return 3;
    if (doubled(s, n, t->s, m))
        return 1;
    if (m <= 4)
        return 3;
    if (m <= 6 && n > m)
        return 3;
    unsigned d = fz__url_osa(s, n, t->s, m, m >= 10 ? 2 : 1);
    if (m <= 6 && d == 1 && n == m) { /* a transposition, not a substitution */
        size_t i = 0;
        while (s[i] == t->s[i])
            i++;
        if (!(i + 1 < n && s[i] == t->s[i + 1] && s[i + 1] == t->s[i]))
            return 3;
    }
    return d;
}

/* The closest brand name open to typo matching (see typo_distance). */
static const struct fz__url_tok *typo_brand(const struct fz__url_brands *b, const char *s, size_t n)
{
    if (n < 4 || n > FZ__URL_LABEL_MAX || !has_alpha(s, n))
        return NULL;
    uint64_t cs = charset(s, n);
    const struct fz__url_tok *best = NULL;
    unsigned best_d = 3;
    for (size_t m = n > 6 ? n - 2 : 4; m <= n + 2 && m <= FZ__URL_LABEL_MAX; m++) {
        unsigned max = m >= 10 ? 2 : 1;
        if ((m > n ? m - n : n - m) > max)
            continue;
        for (size_t i = b->len_start[m]; i < b->len_start[m + 1]; i++) {
            const struct fz__url_tok *t = b->by_len[i];
            if ((unsigned)__builtin_popcountll(cs ^ t->charset) > 2 * max)
                continue;
            unsigned d = typo_distance(s, n, t);
            if (d > 0 && d <= max && d < best_d) {
                best = t;
                best_d = d;
            }
        }
    }
    return best;
}

/* Is s[0..n) an affix word? (The trie answers at query time; is_affix_word is for building.) */
static bool affix_word_in(const struct fz__url_brands *b, const char *s, size_t n)
{
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++)
        if (!(node = trie_next(b, node, s[i])))
            return false;
    return n && b->trie[node].affix;
}

/* Splits s on '-': each part that is a swapped or mistyped brand name, when every other part
 * is an affix word (paypa1-login, paypall-secure). */
static const struct fz__url_tok *part_brand(const struct fz__url_brands *b, const char *s, size_t n,
                                            bool typo, enum fz__url_look_kind *kind)
{
    if (!memchr(s, '-', n))
        return NULL;
    size_t nparts = 0, beg[4], len[4];
    for (size_t i = 0;;) {
        if (nparts == 4)
            return NULL;
        size_t j = i;
        while (j < n && s[j] != '-')
            j++;
        beg[nparts] = i;
        len[nparts++] = j - i;
        if (j == n)
            break;
        i = j + 1;
    }
    for (size_t p = 0; p < nparts; p++) {
        bool others_affix = true;
        for (size_t q = 0; q < nparts && others_affix; q++)
            others_affix =
                q == p || affix_word_in(b, s + beg[q], len[q]) || all_digits(s + beg[q], len[q]);
        const struct fz__url_tok *t = swapped_brand(b, s + beg[p], len[p]);
        if (t) {
            *kind = FZ__URL_LOOK_SWAP;
            return t;
        }
        if (typo && others_affix && len[p] >= 5 && (t = typo_brand(b, s + beg[p], len[p]))) {
            *kind = FZ__URL_LOOK_TYPO;
            return t;
        }
    }
    return NULL;
}

/* Label checks on an ASCII label (or the look of a decoded punycode label). same_ok: the
 * brand's own name under this suffix is not suspicious by itself (see fz__url_lookalike). */
static const struct fz__url_tok *label_brand(const struct fz__url_brands *b, const char *s,
                                             size_t n, bool same_ok, enum fz__url_look_kind *kind)
{
    const struct fz__url_tok *t = fz_map_get(&b->tok_map, s, n);
    if (t && same_ok)
        return NULL;
    if (t && !t->is_affix) {
        *kind = FZ__URL_LOOK_OTHER_TLD;
        return t;
    }
    if ((t = swapped_brand(b, s, n))) {
        *kind = FZ__URL_LOOK_SWAP;
        return t;
    }
    if ((t = affix_brand(b, s, n))) {
        *kind = FZ__URL_LOOK_AFFIX;
        return t;
    }
    if ((t = part_brand(b, s, n, false, kind)))
        return t;
    if ((t = typo_brand(b, s, n))) {
        *kind = FZ__URL_LOOK_TYPO;
        return t;
    }
    return part_brand(b, s, n, true, kind);
}

/* ---- punycode homographs -------------------------------------------------------------- */

/* The ASCII letter or digit cp looks like, '\0' to drop it (a combining mark, an invisible
 * character), or -1. The look-alikes are the text module's fold (NFKC, case fold and the
 * TR39 confusable skeletons of ICU, generated at build time), so URLs and message text
 * agree on what looks like what. */
static int confusable_of(uint32_t cp)
{
    if (cp < 0x80) {
        char c = lower((char)cp);
        return trie_sym(c) >= 0 ? c : -1;
    }
    char f[16];
    size_t n = fz_text_fold_char(cp, f);
    if (n == 0)
        return '\0';
    if (n == 1 && (unsigned char)f[0] < 0x80 && trie_sym(f[0]) >= 0)
        return f[0];
    return -1;
}

/* Writes into out the ASCII that the Unicode label u looks like; 0 when some character has
 * no ASCII look-alike (a Chinese label, for one). */
static size_t ascii_look(const char *u, char *out, size_t cap)
{
    const char *p = u, *end = u + strlen(u);
    size_t k = 0;
    while (p < end) {
        uint32_t cp;
        if (!fz_utf8_decode(&p, end, &cp))
            return 0;
        int c = confusable_of(cp);
        if (c < 0 || (c && k == cap))
            return 0;
        if (c)
            out[k++] = (char)c;
    }
    return k;
}

/* A punycode label whose letters look like a brand name (xn--pypal-4ve: pаypal). */
static const struct fz__url_tok *homograph_brand(const struct fz__url_brands *b, const char *label,
                                                 size_t n)
{
    char a[FZ__URL_LABEL_MAX + 1], look[FZ__URL_LABEL_MAX];
    memcpy(a, label, n);
    a[n] = '\0';
    char *u = NULL;
    if (idn2_to_unicode_8z8z(a, &u, 0) != IDN2_OK)
        return NULL;
    size_t k = ascii_look(u, look, sizeof look);
    idn2_free(u);
    if (!k)
        return NULL;
    enum fz__url_look_kind kind;
    const struct fz__url_tok *t = fz_map_get(&b->tok_map, look, k);
    return t && !t->is_affix ? t : label_brand(b, look, k, false, &kind);
}

bool fz__url_lookalike(const struct fz__url_brands *b, const char *host, size_t hlen,
                       size_t reg_off, bool same_ok, struct fz__url_look *out)
{
    *out = (struct fz__url_look){FZ__URL_LOOK_NONE, NULL};
    if (reg_off >= hlen)
        return false;
    const char *reg = host + reg_off, *dot = memchr(reg, '.', hlen - reg_off);
    if (!dot || fz_map_get(&b->legit_map, reg, hlen - reg_off))
        return false;
    if ((out->domain = embedded_brand(b, host, hlen, reg_off))) {
        out->kind = FZ__URL_LOOK_EMBED;
        return true;
    }
    size_t n = (size_t)(dot - reg);
    const struct fz__url_tok *t;
    if (n > 4 && memcmp(reg, "xn--", 4) == 0) {
        t = homograph_brand(b, reg, n);
        out->kind = t ? FZ__URL_LOOK_HOMOGRAPH : FZ__URL_LOOK_NONE;
    } else {
        t = label_brand(b, reg, n, same_ok, &out->kind);
    }
    if (!t && (t = subdomain_brand(b, host, reg_off)))
        out->kind = FZ__URL_LOOK_SUBLABEL;
    out->domain = t ? t->brand->primary->domain : NULL;
    return t != NULL;
}
