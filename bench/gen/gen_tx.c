/*
 * gen_tx: a deterministic bank-transactions generator for the fund-tracing benchmark and tests
 * (docs/trace.md format). Ordinary traffic between a million-odd accounts (a fifth of it to
 * merchants) over 30 days, with fraud woven in: each victim pays a first-layer mule, which
 * forwards within minutes in two or three parts to the next layer, four to six layers deep,
 * then to cash-out accounts. Mules come from a shared pool, so victims share mule accounts,
 * and mules also take part in ordinary traffic. Rows come out in time order.
 *
 * usage: gen_tx ROWS SEED [VICTIMS_FILE] > tx.csv
 * VICTIMS_FILE gets one "ACCOUNT:LOSS_FEN:TIME" per victim (fangzha trace --victim).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"

#define START 1772294400 /* 2026-03-01T00:00:00+08:00 */
#define SPAN (30 * 86400)
#define N_BANKS 8
static const char *const banks[N_BANKS] = {"ICBC",  "CCB", "ABC",  "BOC",
                                           "BOCOM", "CMB", "PSBC", "CMBC"};

struct row {
    int64_t time;
    uint32_t from, to; /* account numbers */
    int64_t amount;
};

struct plan {
    struct row *rows;
    size_t n, cap;
};

static uint32_t n_ordinary, n_merchants, n_mules, n_victims;

/* Account number k as a 16-digit card number; the kind decides the prefix. */
static void account_id(uint32_t k, char out[24])
{
    snprintf(out, 24, "62%02u%012u", (unsigned)(k % 97), (unsigned)k);
}

static uint32_t mule(uint32_t i) { return n_ordinary + n_merchants + i; }
static uint32_t victim(uint32_t i) { return n_ordinary + n_merchants + n_mules + i; }

static void add(struct plan *p, int64_t t, uint32_t from, uint32_t to, int64_t amount)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->rows = realloc(p->rows, p->cap * sizeof *p->rows);
        if (!p->rows) {
            fputs("gen_tx: out of memory\n", stderr);
            exit(1);
        }
    }
    p->rows[p->n++] = (struct row){t, from, to, amount};
}

/* Forwards `amount` from account `from` at time t through `layers` more layers of mules. */
static void layer(struct plan *p, uint32_t from, int64_t amount, int64_t t, int layers)
{
    if (layers == 0 || amount < 200) { /* cash out: one of the last hundred mules */
        add(p, t + 60 + rnd() % 600, from, mule(n_mules - 1 - rnd() % 100), amount);
        return;
    }
    int parts = 2 + (int)(rnd() % 2);
    int64_t left = amount - amount / 50; /* a mule keeps about 2% */
    for (int i = 0; i < parts; i++) {
        int64_t a = i == parts - 1 ? left : left / parts;
        left -= a;
        uint32_t to = mule(rnd() % (n_mules - 100));
        if (to == from)
            to = mule((to - mule(0) + 1) % (n_mules - 100));
        int64_t tt = t + 60 + rnd() % 900; /* within minutes */
        add(p, tt, from, to, a);
        layer(p, to, a, tt, layers - 1);
    }
}

static void plan_fraud(struct plan *p, FILE *victims)
{
    for (uint32_t v = 0; v < n_victims; v++) {
        int64_t t = START + (int64_t)(rnd() % (SPAN - 3 * 86400));
        int64_t loss = (int64_t)(1 + rnd() % 500) * 10000; /* 100 to 50,000 yuan */
        uint32_t first = mule(rnd() % (n_mules - 100));
        add(p, t, victim(v), first, loss);
        layer(p, first, loss, t, 4 + (int)(rnd() % 3));
        if (victims) {
            char id[24];
            account_id(victim(v), id);
            fprintf(victims, "%s:%lld:%lld\n", id, (long long)loss, (long long)t);
        }
    }
}

static int cmp_row(const void *a, const void *b)
{
    int64_t x = ((const struct row *)a)->time, y = ((const struct row *)b)->time;
    return (x > y) - (x < y);
}

static uint32_t ordinary_account(void)
{
    return (rnd() % 20 == 0) ? mule(rnd() % n_mules) : rnd() % n_ordinary;
}

static void emit(const struct row *r, uint64_t id)
{
    char from[24], to[24];
    account_id(r->from, from);
    account_id(r->to, to);
    printf("T%010llu,%lld,%s,%s,%lld,%s,%s,%s\n", (unsigned long long)id, (long long)r->time, from,
           to, (long long)r->amount, r->amount % 10000 ? "mobile" : "online",
           banks[r->from % N_BANKS], banks[r->to % N_BANKS]);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: gen_tx ROWS SEED [VICTIMS_FILE] > tx.csv\n", stderr);
        return 2;
    }
    uint64_t rows = strtoull(argv[1], NULL, 10);
    rnd_seed(strtoull(argv[2], NULL, 10));
    n_ordinary = (uint32_t)(rows / 10 + 100);
    n_merchants = (uint32_t)(rows / 10000 + 10);
    n_mules = (uint32_t)(rows / 5000 + 200);
    n_victims = (uint32_t)(rows / 10000 + 5);
    FILE *vf = argc > 3 ? fopen(argv[3], "w") : NULL;
    if (argc > 3 && !vf) {
        perror(argv[3]);
        return 1;
    }
    struct plan p = {0};
    plan_fraud(&p, vf);
    if (vf)
        fclose(vf);
    qsort(p.rows, p.n, sizeof *p.rows, cmp_row);
    puts("id,time,from,to,amount_fen,channel,from_bank,to_bank");
    uint64_t ordinary = rows > p.n ? rows - p.n : 0, id = 0;
    size_t k = 0;
    for (uint64_t i = 0; i < ordinary; i++) {
        struct row r = {START + (int64_t)(i * SPAN / ordinary), ordinary_account(), 0, 0};
        r.to = rnd() % 5 == 0 ? n_ordinary + rnd() % n_merchants : ordinary_account();
        if (r.to == r.from)
            r.to = (r.from + 1) % n_ordinary;
        r.amount = rnd() % 4 == 0 ? (int64_t)(1 + rnd() % 50) * 10000 : 100 + rnd() % 200000;
        while (k < p.n && p.rows[k].time <= r.time)
            emit(&p.rows[k++], id++);
        emit(&r, id++);
    }
    while (k < p.n)
        emit(&p.rows[k++], id++);
    free(p.rows);
    return 0;
}
