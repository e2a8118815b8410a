/*
 * Unit tests for src/rules/match.c: the table of messages (tests/data/rules/match.tsv) against
 * the shipped rule set, with every shipped rule hit by at least one row and ordinary messages
 * hitting nothing; spans in normalized and original offsets; each kind of entity condition on
 * hand-made entities; near:; and, when the canonical datasets are present, a report (not an
 * assertion) of how many fraud and ham rows hit a rule, and the time to match one SMS.
 */
#include "support.h"

#include "fangzha/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHIPPED FZ_TEST_DATA "/../../rules"

static struct fz_rules *shipped;
static struct fz_extractor *ex;

static int setup(void **state)
{
    (void)state;
    struct fz_err err = {0};
    if (fz_rules_load_dir(SHIPPED, NULL, &shipped, &err) != FZ_OK) {
        fprintf(stderr, "shipped rules: %s\n", err.msg);
        return -1;
    }
    return fz_extractor_new(&ex) == FZ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fz_rules_unref(shipped);
    fz_extractor_free(ex);
    return 0;
}

/* Everything one message needs, reused across messages. */
struct run {
    struct fz_text t;
    struct fz_arena a;
    struct fz_entities ents;
    struct fz_rules_scratch *s;
    const struct fz_rule_hit *hits;
    size_t nhits;
};

static void run_init(struct run *x, const struct fz_rules *r)
{
    memset(x, 0, sizeof *x);
    fz_text_init(&x->t);
    fz_arena_init(&x->a, 0);
    assert_int_equal(fz_rules_scratch_new(r, &x->s), FZ_OK);
}

static void run_release(struct run *x)
{
    fz_text_release(&x->t);
    fz_arena_release(&x->a);
    fz_rules_scratch_free(x->s);
}

static void run_msg(struct run *x, const struct fz_rules *r, const char *msg, size_t len)
{
    fz_arena_reset(&x->a);
    assert_int_equal(fz_text_normalize(msg, len, &x->t), FZ_OK);
    assert_int_equal(fz_extract(ex, &x->t, msg, len, &x->a, &x->ents), FZ_OK);
    assert_int_equal(fz_rules_match(r, x->s, &x->t, &x->ents, &x->hits, &x->nhits), FZ_OK);
}

static const struct fz_rule_hit *find_hit(const struct run *x, const char *id)
{
    for (size_t i = 0; i < x->nhits; i++)
        if (strcmp(x->hits[i].rule->id, id) == 0)
            return &x->hits[i];
    return NULL;
}

/* Hits are sane: one per rule, spans inside the normalized text. */
static void check_hits(const struct run *x)
{
    for (size_t i = 0; i < x->nhits; i++) {
        const struct fz_rule_hit *h = &x->hits[i];
        if (h->has_span) {
            assert_true(h->start < h->end);
            assert_true(h->end <= x->t.len);
        }
        for (size_t j = 0; j < i; j++)
            assert_ptr_not_equal(x->hits[j].rule, h->rule);
    }
}

/* The next space-separated word of *p (modified in place), or NULL at the end. */
static char *next_word(char **p)
{
    while (**p == ' ')
        (*p)++;
    if (**p == '\0')
        return NULL;
    char *w = *p;
    while (**p != '\0' && **p != ' ')
        (*p)++;
    if (**p == ' ')
        *(*p)++ = '\0';
    return w;
}

static void test_table(void **state)
{
    (void)state;
    size_t n = 0;
    struct fzt_row *rows = fzt_rows_load("rules/match.tsv", &n);
    size_t nrules = fz_rules_count(shipped);
    bool *covered = calloc(nrules, sizeof *covered);
    assert_non_null(covered);
    struct run x;
    run_init(&x, shipped);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        struct fzt_row *row = &rows[i];
        assert_true(row->nfields >= 2);
        const char *msg = row->field[0];
        run_msg(&x, shipped, msg, strlen(msg));
        check_hits(&x);
        if (strcmp(row->field[1], "-") == 0) {
            for (size_t k = 0; k < x.nhits; k++) {
                print_error("match.tsv:%zu: trap hit %s\n", row->line, x.hits[k].rule->id);
                failures++;
            }
            continue;
        }
        char want[512];
        snprintf(want, sizeof want, "%s", row->field[1]);
        char *cur = want;
        for (char *id = next_word(&cur); id != NULL; id = next_word(&cur)) {
            const struct fz_rule *ru = fz_rules_find(shipped, id);
            if (ru == NULL) {
                print_error("match.tsv:%zu: no rule %s\n", row->line, id);
                failures++;
            } else if (find_hit(&x, id) == NULL) {
                print_error("match.tsv:%zu: %s not hit by '%s' (normalized '%s')\n", row->line, id,
                            msg, x.t.ptr);
                failures++;
            } else {
                for (size_t k = 0; k < nrules; k++)
                    if (fz_rules_get(shipped, k) == ru)
                        covered[k] = true;
            }
        }
        if (row->nfields >= 3) {
            snprintf(want, sizeof want, "%s", row->field[2]);
            cur = want;
            for (char *id = next_word(&cur); id != NULL; id = next_word(&cur)) {
                if (find_hit(&x, id) != NULL) {
                    print_error("match.tsv:%zu: %s must not hit\n", row->line, id);
                    failures++;
                }
            }
        }
    }
    for (size_t k = 0; k < nrules; k++) {
        if (!covered[k]) {
            print_error("rule %s has no positive row in match.tsv\n", fz_rules_get(shipped, k)->id);
            failures++;
        }
    }
    run_release(&x);
    free(covered);
    fzt_rows_free(rows, n);
    assert_int_equal(failures, 0);
}

/* A pattern's span is in normalized offsets and maps back to the original. */
static void test_spans(void **state)
{
    (void)state;
    struct run x;
    run_init(&x, shipped);
    const char msg[] = "請您把錢轉入 安 全 帳 戶。";
    run_msg(&x, shipped, msg, strlen(msg));
    const struct fz_rule_hit *h = find_hit(&x, "authority.safe_account");
    assert_non_null(h);
    assert_true(h->has_span);
    assert_null(h->entity);
    assert_int_equal(h->end - h->start, strlen("安全帐户"));
    assert_memory_equal(x.t.ptr + h->start, "安全帐户", h->end - h->start);
    size_t os = 0, oe = 0;
    fz_text_span(&x.t, h->start, h->end, &os, &oe);
    assert_int_equal(os, strlen("請您把錢轉入 "));
    assert_int_equal(oe, strlen("請您把錢轉入 安 全 帳 戶"));

    /* a regex of many widths: its start comes from the rule's span database */
    const char cs[] = "淘宝客服:您的商品可以办理退款,谢谢";
    run_msg(&x, shipped, cs, strlen(cs));
    h = find_hit(&x, "cs.refund");
    assert_non_null(h);
    assert_true(h->has_span);
    assert_memory_equal(x.t.ptr + h->start, "客服:您的商品可以办理退款", h->end - h->start);
    assert_int_equal(h->end - h->start, strlen("客服:您的商品可以办理退款"));

    /* a regex of one width (连单|联单): start = end - width */
    const char linked[] = "系统触发了联单任务";
    run_msg(&x, shipped, linked, strlen(linked));
    h = find_hit(&x, "brush.linked_orders");
    assert_non_null(h);
    assert_int_equal(h->start, strlen("系统触发了"));
    assert_int_equal(h->end, strlen("系统触发了联单"));

    /* an entity-only rule carries the entity, whose span is in the original */
    const char url[] = "访问 www.icbc-vip.com 吧";
    run_msg(&x, shipped, url, strlen(url));
    h = find_hit(&x, "phish.lookalike_url");
    assert_non_null(h);
    assert_false(h->has_span);
    assert_non_null(h->entity);
    assert_int_equal(h->entity->start, strlen("访问 "));
    assert_int_equal(h->entity->end, strlen("访问 www.icbc-vip.com"));
    run_release(&x);
}

/* ---- conditions on hand-made entities ---- */

static const char cond_rules[] =
    "rule: c.mvno\ntype: fake_loan\nweight: 1\nzh: z\nen: e\nentity: phone.class=mvno\n"
    "rule: c.ip\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: phone.flag=had_ip_prefix\n"
    "rule: c.short\ntype: phishing\nweight: 1\nzh: z\nen: e\nentity: url.flag=shortener\n"
    "rule: c.card\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: bank_card\n"
    "rule: c.ge\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: amount>=100000\n"
    "rule: c.lt\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: amount<100\n"
    "rule: c.eq\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: amount=5000\n"
    "rule: c.gt\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: amount > 5000\n"
    "rule: c.le\ntype: other_fraud\nweight: 1\nzh: z\nen: e\nentity: amount<=5000\n"
    "rule: c.both\ntype: phishing\nweight: 1\nzh: z\nen: e\npattern: 转账\n"
    "entity: url.flag=lookalike\nentity: bank_card\n"
    "rule: c.near\ntype: fake_loan\nweight: 1\nzh: z\nen: e\npattern: 贷款\n"
    "entity: phone.class=mvno\nnear: 10\n"
    /* many widths and near: compiled with start of match in the shared database */
    "rule: c.nearvar\ntype: fake_loan\nweight: 1\nzh: z\nen: e\nregex: 贷款.{0,2}\n"
    "entity: phone.class=mvno\nnear: 10\n";

struct fixture {
    struct fz_entity phones[2], urls[1], cards[1], amounts[1];
    struct fz_entities ents;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->ents.items[FZ_ENT_PHONE] = f->phones;
    f->ents.items[FZ_ENT_URL] = f->urls;
    f->ents.items[FZ_ENT_BANK_CARD] = f->cards;
    f->ents.items[FZ_ENT_AMOUNT] = f->amounts;
    for (int i = 0; i < 2; i++)
        f->phones[i].kind = FZ_ENT_PHONE;
    f->urls[0].kind = FZ_ENT_URL;
    f->cards[0].kind = FZ_ENT_BANK_CARD;
    f->amounts[0].kind = FZ_ENT_AMOUNT;
}

static bool hit(struct fz_rules *r, struct fz_rules_scratch *s, const struct fz_text *t,
                const struct fz_entities *e, const char *id, const struct fz_entity **ent)
{
    const struct fz_rule_hit *hits = NULL;
    size_t n = 0;
    assert_int_equal(fz_rules_match(r, s, t, e, &hits, &n), FZ_OK);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(hits[i].rule->id, id) == 0) {
            if (ent != NULL)
                *ent = hits[i].entity;
            return true;
        }
    }
    return false;
}

static void test_conditions(void **state)
{
    (void)state;
    struct fz_rules_builder *b = NULL;
    struct fz_rules *r = NULL;
    struct fz_err err = {0};
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "c.rules", cond_rules, strlen(cond_rules), &err),
                     FZ_OK);
    assert_int_equal(fz_rules_build(b, &r, &err), FZ_OK);
    fz_rules_builder_free(b);
    struct fz_rules_scratch *s = NULL;
    assert_int_equal(fz_rules_scratch_new(r, &s), FZ_OK);
    struct fz_text t;
    fz_text_init(&t);
    /* "0123456789贷款" : 贷款 at original bytes 10..16 */
    const char msg[] = "0123456789贷款 转账";
    assert_int_equal(fz_text_normalize(msg, strlen(msg), &t), FZ_OK);
    struct fixture f;
    fixture_init(&f);
    const struct fz_entity *e = NULL;

    /* no entities at all: nothing */
    const struct fz_rule_hit *hits = NULL;
    size_t n = 9;
    assert_int_equal(fz_rules_match(r, s, &t, NULL, &hits, &n), FZ_OK);
    assert_int_equal(n, 0);

    f.ents.count[FZ_ENT_PHONE] = 2;
    f.phones[0].phone.cls = FZ_PHONE_MOBILE;
    f.phones[1].phone.cls = FZ_PHONE_MVNO;
    f.phones[1].phone.flags = FZ_PHONE_HAD_IP_PREFIX;
    f.phones[1].start = 30;
    f.phones[1].end = 41;
    assert_true(hit(r, s, &t, &f.ents, "c.mvno", &e));
    assert_ptr_equal(e, &f.phones[1]);
    assert_true(hit(r, s, &t, &f.ents, "c.ip", NULL));
    assert_false(hit(r, s, &t, &f.ents, "c.near", NULL)); /* 30 - 16 = 14 > 10 bytes */
    f.phones[1].start = 26;
    assert_true(hit(r, s, &t, &f.ents, "c.near", &e)); /* 26 - 16 = 10 */
    assert_ptr_equal(e, &f.phones[1]);
    const struct fz_rule_hit *hv = NULL;
    assert_int_equal(fz_rules_match(r, s, &t, &f.ents, &hits, &n), FZ_OK);
    for (size_t i = 0; i < n; i++)
        if (strcmp(hits[i].rule->id, "c.nearvar") == 0)
            hv = &hits[i];
    assert_non_null(hv);
    assert_int_equal(hv->start, 10);
    assert_int_equal(hv->end, 16);
    f.phones[1].start = 0; /* overlapping counts as near */
    f.phones[1].end = 12;
    assert_true(hit(r, s, &t, &f.ents, "c.near", NULL));
    f.phones[1].phone.cls = FZ_PHONE_MOBILE;
    assert_false(hit(r, s, &t, &f.ents, "c.mvno", NULL));
    assert_false(hit(r, s, &t, &f.ents, "c.near", NULL));

    f.ents.count[FZ_ENT_URL] = 1;
    f.urls[0].url.flags = FZ_URL_SHORTENER;
    assert_true(hit(r, s, &t, &f.ents, "c.short", NULL));
    assert_false(hit(r, s, &t, &f.ents, "c.both", NULL));
    f.urls[0].url.flags = FZ_URL_LOOKALIKE;
    assert_false(hit(r, s, &t, &f.ents, "c.short", NULL));
    assert_false(hit(r, s, &t, &f.ents, "c.both", NULL)); /* card missing */
    assert_false(hit(r, s, &t, &f.ents, "c.card", NULL));
    f.ents.count[FZ_ENT_BANK_CARD] = 1;
    assert_true(hit(r, s, &t, &f.ents, "c.card", NULL));
    assert_true(hit(r, s, &t, &f.ents, "c.both", &e));
    assert_ptr_equal(e, &f.urls[0]);

    f.ents.count[FZ_ENT_AMOUNT] = 1;
    static const struct {
        int64_t fen;
        bool ge, lt, eq, gt, le;
    } amounts[] = {
        {99, false, true, false, false, true},     {100, false, false, false, false, true},
        {5000, false, false, true, false, true},   {5001, false, false, false, true, false},
        {100000, true, false, false, true, false},
    };
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        f.amounts[0].amount_fen = amounts[i].fen;
        assert_int_equal(hit(r, s, &t, &f.ents, "c.ge", NULL), amounts[i].ge);
        assert_int_equal(hit(r, s, &t, &f.ents, "c.lt", NULL), amounts[i].lt);
        assert_int_equal(hit(r, s, &t, &f.ents, "c.eq", NULL), amounts[i].eq);
        assert_int_equal(hit(r, s, &t, &f.ents, "c.gt", NULL), amounts[i].gt);
        assert_int_equal(hit(r, s, &t, &f.ents, "c.le", NULL), amounts[i].le);
    }
    fz_text_release(&t);
    fz_rules_scratch_free(s);
    fz_rules_unref(r);
}

/* A scratch made for one set follows the set it is used with. */
static void test_scratch_moves(void **state)
{
    (void)state;
    struct fz_rules *other = NULL;
    const char one[] = "rule: o\ntype: spam\nweight: 1\nzh: z\nen: e\npattern: 安全账户\n";
    struct fz_rules_builder *b = NULL;
    assert_int_equal(fz_rules_builder_new(&b), FZ_OK);
    assert_int_equal(fz_rules_builder_add(b, "o.rules", one, strlen(one), NULL), FZ_OK);
    assert_int_equal(fz_rules_build(b, &other, NULL), FZ_OK);
    fz_rules_builder_free(b);
    struct run x;
    run_init(&x, other);
    const char msg[] = "转入安全账户,我是你领导";
    for (int i = 0; i < 3; i++) {
        run_msg(&x, other, msg, strlen(msg));
        assert_int_equal(x.nhits, 1);
        run_msg(&x, shipped, msg, strlen(msg));
        assert_non_null(find_hit(&x, "acq.leader"));
        assert_non_null(find_hit(&x, "authority.safe_account"));
    }
    /* the scratch keeps its set alive */
    fz_rules_unref(other);
    run_msg(&x, shipped, msg, strlen(msg));
    run_release(&x);
}

/* ---- the canonical datasets: a report, not an assertion ---- */

static bool is_fraud_label(const char *l)
{
    return strcmp(l, "ham") != 0 && strcmp(l, "spam") != 0 && strcmp(l, "not_fraud") != 0;
}

static void report_file(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/canonical/%s", FZ_SHARED_DATA, name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        print_message("    %s: not present, skipped\n", name);
        return;
    }
    struct fz_tsv tsv;
    assert_int_equal(fz_tsv_open(&tsv, fp, FZ_CAP_LINE, NULL), FZ_OK);
    int cl = fz_tsv_col(&tsv, "label"), ct = fz_tsv_col(&tsv, "text");
    assert_true(cl >= 0 && ct >= 0);
    struct run x;
    run_init(&x, shipped);
    size_t fraud = 0, fraud_hit = 0, spam = 0, spam_hit = 0, clean = 0, clean_fraud_hit = 0;
    size_t nrules = fz_rules_count(shipped);
    struct {
        char name[40];
        size_t n, hit;
    } labels[16] = {{{0}, 0, 0}};
    size_t nlabels = 0;
    size_t *clean_hits = calloc(nrules, sizeof *clean_hits);
    assert_non_null(clean_hits);
    fz_rc rc;
    while ((rc = fz_tsv_next(&tsv, NULL)) != FZ_EOF) {
        if (rc != FZ_OK)
            continue;
        const char *label = tsv.field[cl].ptr;
        run_msg(&x, shipped, tsv.field[ct].ptr, tsv.field[ct].len);
        bool any = x.nhits > 0, any_fraud = false;
        for (size_t i = 0; i < x.nhits; i++)
            any_fraud |= strcmp(x.hits[i].rule->type, "spam") != 0;
        if (!is_fraud_label(label) && strcmp(label, "spam") != 0) {
            for (size_t i = 0; i < x.nhits; i++)
                for (size_t k = 0; k < nrules; k++)
                    clean_hits[k] += fz_rules_get(shipped, k) == x.hits[i].rule;
        }
        if (is_fraud_label(label)) {
            fraud++;
            fraud_hit += any;
            size_t l = 0;
            while (l < nlabels && strcmp(labels[l].name, label) != 0)
                l++;
            if (l == nlabels && nlabels < sizeof labels / sizeof labels[0])
                snprintf(labels[nlabels++].name, sizeof labels[0].name, "%s", label);
            if (l < nlabels) {
                labels[l].n++;
                labels[l].hit += any;
            }
        } else if (strcmp(label, "spam") == 0) {
            spam++;
            spam_hit += any;
        } else {
            clean++;
            clean_fraud_hit += any_fraud;
        }
    }
    print_message("    %s: fraud rows hitting any rule %zu/%zu (%.1f%%); spam rows hitting any "
                  "rule %zu/%zu (%.1f%%); %s rows hitting a fraud rule %zu/%zu (%.2f%%)\n",
                  name, fraud_hit, fraud, fraud ? 100.0 * (double)fraud_hit / (double)fraud : 0,
                  spam_hit, spam, spam ? 100.0 * (double)spam_hit / (double)spam : 0,
                  strstr(name, "fraud") ? "not_fraud" : "ham", clean_fraud_hit, clean,
                  clean ? 100.0 * (double)clean_fraud_hit / (double)clean : 0);
    for (size_t l = 0; l < nlabels; l++)
        print_message("      %-30s %zu/%zu rows hit (%.1f%%)\n", labels[l].name, labels[l].hit,
                      labels[l].n, 100.0 * (double)labels[l].hit / (double)labels[l].n);
    /* the rules that fire most on clean rows, worst first */
    for (int top = 0; top < 8; top++) {
        size_t best = 0;
        for (size_t k = 1; k < nrules; k++)
            best = clean_hits[k] > clean_hits[best] ? k : best;
        if (clean_hits[best] == 0)
            break;
        print_message("      on clean rows: %-32s %zu\n", fz_rules_get(shipped, best)->id,
                      clean_hits[best]);
        clean_hits[best] = 0;
    }
    free(clean_hits);
    run_release(&x);
    fz_tsv_release(&tsv);
    fclose(fp);
}

static void test_dataset_report(void **state)
{
    (void)state;
    report_file("telecom-fraud-texts-cn.tsv");
    report_file("cn-spam-sms.tsv");
}

/* ---- speed: a report ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Best of 5 timed runs over the messages of one class, in ns per message. */
static double time_matches(struct fz_rules_scratch *s, struct fz_text *texts,
                           struct fz_entities *ents, const bool *pick, size_t n, bool want,
                           size_t *hits_out, size_t *count_out)
{
    const struct fz_rule_hit *hits = NULL;
    size_t nhits = 0, rounds = 500, total = 0, count = 0;
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        total = count = 0;
        double t0 = now_s();
        for (size_t k = 0; k < rounds; k++) {
            for (size_t i = 0; i < n; i++) {
                if (pick[i] != want)
                    continue;
                assert_int_equal(fz_rules_match(shipped, s, &texts[i], &ents[i], &hits, &nhits),
                                 FZ_OK);
                total += nhits;
                count++;
            }
        }
        double t = now_s() - t0;
        best = t < best ? t : best;
    }
    *hits_out = total / rounds;
    *count_out = count / rounds;
    return count > 0 ? best * 1e9 / (double)count : 0;
}

/* Times matching alone (text normalized and entities extracted beforehand) on the positive
 * rows of match.tsv and, apart, on the traps, which hit nothing like most real traffic. */
static void test_speed(void **state)
{
    (void)state;
    size_t n = 0;
    struct fzt_row *rows = fzt_rows_load("rules/match.tsv", &n);
    struct fz_text *texts = calloc(n, sizeof *texts);
    struct fz_entities *ents = calloc(n, sizeof *ents);
    bool *is_trap = calloc(n, sizeof *is_trap);
    assert_non_null(texts);
    assert_non_null(ents);
    assert_non_null(is_trap);
    struct fz_arena a;
    fz_arena_init(&a, 0);
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        fz_text_init(&texts[i]);
        const char *m = rows[i].field[0];
        assert_int_equal(fz_text_normalize(m, strlen(m), &texts[i]), FZ_OK);
        assert_int_equal(fz_extract(ex, &texts[i], m, strlen(m), &a, &ents[i]), FZ_OK);
        bytes += texts[i].len;
        is_trap[i] = strcmp(rows[i].field[1], "-") == 0;
    }
    struct fz_rules_scratch *s = NULL;
    assert_int_equal(fz_rules_scratch_new(shipped, &s), FZ_OK);
    size_t hits_pos = 0, hits_trap = 0, npos = 0, ntrap = 0;
    fzt_fail_alloc_after(0, false); /* counts allocations: matching must make none */
    double pos = time_matches(s, texts, ents, is_trap, n, false, &hits_pos, &npos);
    double trap = time_matches(s, texts, ents, is_trap, n, true, &hits_trap, &ntrap);
    assert_int_equal(fzt_alloc_count(), 0);
    fzt_alloc_restore();
    print_message("    match (%zu rules, messages of %.0f bytes on average, 0 allocations):\n"
                  "      %.0f ns per message that hits nothing (%zu traps)\n"
                  "      %.0f ns per message that hits (%zu positive rows, %zu hits)\n",
                  fz_rules_count(shipped), (double)bytes / (double)n, trap, ntrap, pos, npos,
                  hits_pos);
    assert_int_equal(hits_trap, 0);
    fz_rules_scratch_free(s);
    for (size_t i = 0; i < n; i++)
        fz_text_release(&texts[i]);
    free(texts);
    free(ents);
    free(is_trap);
    fz_arena_release(&a);
    fzt_rows_free(rows, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),          cmocka_unit_test(test_spans),
        cmocka_unit_test(test_conditions),     cmocka_unit_test(test_scratch_moves),
        cmocka_unit_test(test_dataset_report), cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
