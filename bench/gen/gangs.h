/*
 * gangs: the deterministic model of fraud gangs shared by gen_gangs (JSON Lines + ground
 * truth) and bench_link (in memory). Each gang has an organiser identifier (the boss's phone,
 * WeChat or collection account) in about 70% of its cases, callers' phones, a pool of mule
 * accounts, phishing domains, a QQ group, and soft traces (devices, IPs, a script); one case
 * in ten has only the soft traces. Confusion on purpose: one gang in 33 shares a mule account
 * with the previous gang, and 2% of cases carry a device of the previous gang. Noise cases
 * belong to no gang. Hubs touch cases of every gang: a bank's service number and a few
 * public Wi-Fi addresses. Same seed, same cases.
 */
#ifndef FZ_BENCH_GANGS_H
#define FZ_BENCH_GANGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rnd.h"

enum { GK_PHONE, GK_ACCOUNT, GK_URL, GK_DOMAIN, GK_WECHAT, GK_QQ, GK_DEVICE, GK_IP, GK_SCRIPT };
static const char *const gk_names[] = {"phone", "account", "url", "domain", "wechat",
                                       "qq",    "device",  "ip",  "script"};

#define GANG_MAX_IDENTS 24
#define GANG_VALUE_MAX 96

struct gident {
    int kind;
    char value[GANG_VALUE_MAX]; /* as a victim would report it (or canonical) */
    char canon[GANG_VALUE_MAX]; /* canonical (phones, accounts, wechat) */
};

struct gcase {
    char id[24];
    uint32_t gang;  /* 0: no gang */
    int fraud_type; /* index into gang_types */
    int64_t loss_fen;
    int n;
    struct gident ident[GANG_MAX_IDENTS];
};

static const char *const gang_types[] = {"fake_investment", "fake_customer_service",
                                         "order_brushing",  "impersonate_authority",
                                         "fake_loan",       "romance"};

struct gang_params {
    uint64_t seed;
    uint32_t cases;     /* about this many cases in all */
    double gang_share;  /* of them in gangs (the rest noise) */
    bool canonical;     /* write canonical values (no spelling variants, no urls) */
    uint32_t extra_pct; /* one-off phones per case, in percent (150: one, and a second half
                           the time): to reach a count of identifiers */
};

typedef void gang_case_fn(void *ud, const struct gcase *c);
typedef void gang_org_fn(void *ud, uint32_t gang, int kind, const char *canon);

/* A bijection of 0..10^digits-1 (odd multiplier, not a multiple of 5), so counters give
 * distinct values that do not look sequential. */
static uint64_t gang_scramble(uint64_t x, uint64_t mod)
{
    return (x * 2654435761ull + 12345) % mod;
}

struct gang_gen {
    struct gang_params p;
    uint64_t phones, accounts, domains, wechats, qqs, devices, ips, cases;
    uint64_t prev_mule0, prev_dev0; /* the previous gang's first mule and device */
};

static struct gident *gang_add(struct gcase *c, int kind)
{
    if (c->n >= GANG_MAX_IDENTS)
        return NULL;
    struct gident *g = &c->ident[c->n++];
    g->kind = kind;
    g->canon[0] = '\0';
    return g;
}

/* Identifier makers: each writes value (and canon) into g. */
static void gang_phone(struct gang_gen *s, struct gident *g, uint64_t k)
{
    unsigned long long d = (unsigned long long)gang_scramble(k, 1000000000ull);
    snprintf(g->canon, sizeof g->canon, "+8613%09llu", d);
    if (s->p.canonical) {
        memcpy(g->value, g->canon, sizeof g->value);
        return;
    }
    switch (rnd() % 4) {
    case 0: snprintf(g->value, sizeof g->value, "13%09llu", d); break;
    case 1:
        snprintf(g->value, sizeof g->value, "+86 13%01llu-%04llu-%04llu", d / 100000000,
                 d / 10000 % 10000, d % 10000);
        break;
    case 2: snprintf(g->value, sizeof g->value, "0086 13%09llu", d); break;
    default: snprintf(g->value, sizeof g->value, "+8613%09llu", d); break;
    }
}

static void gang_account(struct gang_gen *s, struct gident *g, uint64_t k)
{
    unsigned long long d = (unsigned long long)gang_scramble(k, 1000000000000000ull);
    snprintf(g->canon, sizeof g->canon, "6222%015llu", d);
    if (!s->p.canonical && rnd() % 3 == 0)
        snprintf(g->value, sizeof g->value, "6222 %04llu %04llu %04llu %03llu", d / 100000000000,
                 d / 10000000 % 10000, d / 1000 % 10000, d % 1000);
    else
        memcpy(g->value, g->canon, sizeof g->value);
}

static void gang_b36(char *o, uint64_t x)
{
    char t[16];
    int n = 0;
    do {
        t[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[x % 36];
        x /= 36;
    } while (x);
    while (n)
        *o++ = t[--n];
    *o = '\0';
}

static void gang_domain_name(char o[40], uint64_t k)
{
    static const char *const tld[] = {"top", "xyz", "vip", "cc"};
    char b[16];
    gang_b36(b, gang_scramble(k, 60466176ull) + 60466176ull); /* 6 base-36 digits */
    snprintf(o, 40, "pay-%s.%s", b, tld[k % 4]);
}

/* A phishing link on domain k (a url; canonical mode: the domain itself). */
static void gang_link(struct gang_gen *s, struct gcase *c, uint64_t k)
{
    char dom[40];
    gang_domain_name(dom, k);
    struct gident *g = gang_add(c, s->p.canonical ? GK_DOMAIN : GK_URL);
    if (!g)
        return;
    if (s->p.canonical)
        snprintf(g->value, sizeof g->value, "%s", dom);
    else
        snprintf(g->value, sizeof g->value, "http://%s/v/%08x", dom, rnd());
    snprintf(g->canon, sizeof g->canon, "%s", dom);
}

static void gang_wechat(struct gang_gen *s, struct gident *g, uint64_t k)
{
    char b[16];
    gang_b36(b, gang_scramble(k, 2176782336ull));
    snprintf(g->canon, sizeof g->canon, "wx_%s", b);
    snprintf(g->value, sizeof g->value, "%s%s", !s->p.canonical && k % 2 ? "WX_" : "wx_", b);
}

static void gang_simple(struct gident *g, int kind, uint64_t k)
{
    switch (kind) {
    case GK_QQ:
        snprintf(g->value, sizeof g->value, "%llu",
                 (unsigned long long)(1000000000ull + gang_scramble(k, 1000000000ull)));
        break;
    case GK_DEVICE:
        snprintf(g->value, sizeof g->value, "dev-%012llx",
                 (unsigned long long)gang_scramble(k, 1ull << 48));
        break;
    case GK_IP:
        snprintf(g->value, sizeof g->value, "10.%u.%u.%u", (unsigned)(k >> 16) & 255,
                 (unsigned)(k >> 8) & 255, (unsigned)k & 255);
        break;
    default: break;
    }
    memcpy(g->canon, g->value, sizeof g->canon);
}

static void gang_new_case(struct gang_gen *s, struct gcase *c, uint32_t gang, int type)
{
    snprintf(c->id, sizeof c->id, "C%08llu", (unsigned long long)++s->cases);
    c->gang = gang;
    c->fraud_type = type;
    c->loss_fen = (int64_t)(rnd() % 50000 + 100) * 100;
    c->n = 0;
}

/* Hubs any case may touch: the bank's number (3%), one of 10 public Wi-Fi IPs (10%); and
 * the extra one-off phones of p.extra_pct. */
static void gang_hubs(struct gang_gen *s, struct gcase *c)
{
    struct gident *g;
    uint32_t extra =
        s->p.extra_pct / 100 + (s->p.extra_pct % 100 && rnd() % 100 < s->p.extra_pct % 100);
    for (uint32_t k = 0; k < extra && (g = gang_add(c, GK_PHONE)); k++)
        gang_phone(s, g, s->phones++);
    if (rnd() % 100 < 3 && (g = gang_add(c, GK_PHONE))) {
        snprintf(g->value, sizeof g->value, "%s", "95588");
        memcpy(g->canon, g->value, sizeof g->canon);
    }
    if (rnd() % 10 == 0 && (g = gang_add(c, GK_IP))) {
        snprintf(g->value, sizeof g->value, "114.114.0.%u", rnd() % 10 + 1);
        memcpy(g->canon, g->value, sizeof g->canon);
    }
}

static void gang_script(struct gang_gen *s, struct gident *g, uint32_t gang)
{
    if (s->p.canonical)
        snprintf(g->value, sizeof g->value, "t%016llx",
                 (unsigned long long)gang_scramble(gang, 1ull << 60));
    else
        snprintf(g->value, sizeof g->value,
                 "您好，我是客服专员%u号，您的账户需要验证，请按提示操作", gang);
    memcpy(g->canon, g->value, sizeof g->canon);
}

/* A gang's infrastructure: its organiser, and where its callers', mules', domains', devices'
 * and addresses' numbers start. */
struct gang_infra {
    int org_kind;
    uint64_t org, call0, mule0, dom0, dev0, ip0, qq;
    uint32_t ncall, nmule, ndom;
};

/* The hard identifiers of case i of a gang. */
static void gang_hard(struct gang_gen *s, struct gcase *c, uint32_t gang, uint32_t i,
                      const struct gang_infra *h, gang_org_fn *on_org, void *ud)
{
    struct gident *g;
    if ((i == 0 || rnd() % 10 < 7) && (g = gang_add(c, h->org_kind))) {
        if (h->org_kind == GK_PHONE)
            gang_phone(s, g, h->org);
        else if (h->org_kind == GK_WECHAT)
            gang_wechat(s, g, h->org);
        else
            gang_account(s, g, h->org);
        if (i == 0)
            on_org(ud, gang, h->org_kind, g->canon);
    }
    if (rnd() % 10 < 6 && (g = gang_add(c, GK_PHONE)))
        gang_phone(s, g, h->call0 + rnd() % h->ncall);
    if ((g = gang_add(c, GK_ACCOUNT)))
        gang_account(s, g, h->mule0 + rnd() % h->nmule);
    if (rnd() % 10 < 3 && (g = gang_add(c, GK_ACCOUNT)))
        gang_account(s, g, h->mule0 + rnd() % h->nmule);
    /* A mule sold to two gangs: one gang in 33 pays into the previous gang's first mule. */
    if (i == 1 && gang > 1 && gang % 33 == 0 && (g = gang_add(c, GK_ACCOUNT)))
        gang_account(s, g, s->prev_mule0);
    if (rnd() % 10 < 4)
        gang_link(s, c, h->dom0 + rnd() % h->ndom);
    if (rnd() % 10 < 2 && (g = gang_add(c, GK_QQ)))
        gang_simple(g, GK_QQ, h->qq);
}

/* One gang of size cases. */
static void gang_one(struct gang_gen *s, uint32_t gang, uint32_t size, gang_case_fn *on_case,
                     gang_org_fn *on_org, void *ud)
{
    int type = (int)(rnd() % (sizeof gang_types / sizeof *gang_types));
    struct gang_infra h = {.org_kind = gang % 3 == 0   ? GK_PHONE
                                       : gang % 3 == 1 ? GK_WECHAT
                                                       : GK_ACCOUNT};
    h.org = h.org_kind == GK_PHONE    ? s->phones++
            : h.org_kind == GK_WECHAT ? s->wechats++
                                      : s->accounts++;
    h.ncall = 1 + size / 6;
    h.nmule = 1 + size / 4;
    h.ndom = 1 + size / 15;
    h.call0 = s->phones;
    h.mule0 = s->accounts;
    h.dom0 = s->domains;
    h.dev0 = s->devices;
    h.ip0 = s->ips;
    h.qq = s->qqs++;
    s->phones += h.ncall;
    s->accounts += h.nmule;
    s->domains += h.ndom;
    s->devices += 2;
    s->ips += 2;
    struct gcase c;
    struct gident *g;
    for (uint32_t i = 0; i < size; i++) {
        gang_new_case(s, &c, gang, type);
        /* One case in ten reached the victim only through the gang's devices, addresses and
         * script: only soft links tie it to the gang. */
        bool soft_only = i > 0 && rnd() % 10 == 0;
        if (!soft_only)
            gang_hard(s, &c, gang, i, &h, on_org, ud);
        if ((soft_only || rnd() % 4 == 0) && (g = gang_add(&c, GK_DEVICE)))
            gang_simple(g, GK_DEVICE, h.dev0 + rnd() % 2);
        if ((soft_only || rnd() % 4 == 0) && (g = gang_add(&c, GK_IP)))
            gang_simple(g, GK_IP, h.ip0 + rnd() % 2);
        if (rnd() % 10 < (soft_only ? 6 : 3) && (g = gang_add(&c, GK_SCRIPT)))
            gang_script(s, g, gang);
        /* A second-hand phone: a device of the previous gang (2%). */
        if (gang > 1 && rnd() % 50 == 0 && (g = gang_add(&c, GK_DEVICE)))
            gang_simple(g, GK_DEVICE, s->prev_dev0);
        if (rnd() % 2 == 0 && (g = gang_add(&c, GK_ACCOUNT))) /* a one-off mule */
            gang_account(s, g, s->accounts++);
        if (rnd() % 2 == 0 && (g = gang_add(&c, GK_IP))) /* the victim's own address */
            gang_simple(g, GK_IP, s->ips++);
        gang_hubs(s, &c);
        on_case(ud, &c);
    }
    s->prev_mule0 = h.mule0;
    s->prev_dev0 = h.dev0;
}

/* A case of no gang: its own phone and account, sometimes its own site. */
static void gang_noise(struct gang_gen *s, gang_case_fn *on_case, void *ud)
{
    struct gcase c;
    struct gident *g;
    gang_new_case(s, &c, 0, (int)(rnd() % (sizeof gang_types / sizeof *gang_types)));
    if ((g = gang_add(&c, GK_PHONE)))
        gang_phone(s, g, s->phones++);
    if (rnd() % 2 == 0 && (g = gang_add(&c, GK_ACCOUNT)))
        gang_account(s, g, s->accounts++);
    if (rnd() % 5 == 0)
        gang_link(s, &c, s->domains++);
    if (rnd() % 2 == 0 && (g = gang_add(&c, GK_IP)))
        gang_simple(g, GK_IP, s->ips++);
    gang_hubs(s, &c);
    on_case(ud, &c);
}

/* Generates p->cases cases (give or take a gang), interleaving gangs and noise. */
static void gang_generate(const struct gang_params *p, gang_case_fn *on_case, gang_org_fn *on_org,
                          void *ud)
{
    struct gang_gen s = {.p = *p};
    s.ips = 1 << 8; /* 10.0.1.0 and up */
    rnd_seed(p->seed);
    uint64_t target_gang = (uint64_t)((double)p->cases * p->gang_share), in_gangs = 0;
    uint32_t gang = 0;
    while (s.cases < p->cases) {
        bool want_gang = in_gangs < target_gang &&
                         (s.cases - in_gangs >= p->cases - target_gang || rnd() % 2 == 0);
        if (want_gang) {
            uint32_t size = 5 + rnd() % 31;
            gang_one(&s, ++gang, size, on_case, on_org, ud);
            in_gangs += size;
        } else {
            for (int i = 0; i < 20 && s.cases < p->cases; i++)
                gang_noise(&s, on_case, ud);
        }
    }
}

static void gang_count(void *ud, const struct gcase *c) { *(uint64_t *)ud += (uint64_t)c->n; }
static void gang_no_org(void *ud, uint32_t gang, int kind, const char *canon)
{
    (void)ud, (void)gang, (void)kind, (void)canon;
}

/* Sets p->extra_pct so that p's cases hold about want identifiers (a counting pass). */
static void gang_fit_extra(struct gang_params *p, uint64_t want)
{
    uint64_t have = 0;
    p->extra_pct = 0;
    gang_generate(p, gang_count, gang_no_org, &have);
    if (want > have && p->cases)
        p->extra_pct = (uint32_t)((want - have) * 100 / p->cases);
}

#endif
