/*
 * calls/alert: early warning (预警劝阻). When a number is flagged, every resident it reached in
 * the last contact_days (or who called it back) is graded by what happened between them: talked
 * long → high, answered briefly → medium, rang only → low. Later calls between them raise the
 * grade as they happen. Each (resident, number) is raised once per grade, highest last.
 */
#include "compat.h"

#include "calls_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *fz_calls_grade_name(enum fz_calls_grade g)
{
    static const char *const names[] = {"low", "medium", "high"};
    return (unsigned)g <= FZ_CALLS_HIGH ? names[g] : NULL;
}

bool fz__calls_is_resident(const struct fz__num *n)
{
    if (n->flags & (NUM_WHITELISTED | NUM_FLAGGED))
        return false;
    return n->cls == FZ_PHONE_MOBILE || n->cls == FZ_PHONE_MVNO || n->cls == FZ_PHONE_LANDLINE;
}

/* Adds contact kid (either direction) into the alert's totals. */
static void add_contact(const struct fz_calls *c, uint32_t kid, struct fz_calls_alert *a)
{
    if (!kid)
        return;
    const struct fz__contact *k = CONTACT(c, kid);
    if (!a->calls || k->first < a->first_contact)
        a->first_contact = k->first;
    if (k->last > a->last_contact)
        a->last_contact = k->last;
    a->calls += k->calls;
    a->answered += k->answered;
    a->total_talk_s += k->talk_s;
}

/* What passed between resident r and number f, graded; false when nothing did. */
static bool grade_pair(const struct fz_calls *c, uint32_t r, uint32_t f, struct fz_calls_alert *a)
{
    memset(a, 0, sizeof *a);
    add_contact(c, fz__u64map_get(&c->pairs, (uint64_t)f << 32 | r), a);
    add_contact(c, fz__u64map_get(&c->pairs, (uint64_t)r << 32 | f), a);
    if (!a->calls)
        return false;
    a->grade = a->total_talk_s >= (uint64_t)c->cfg.long_talk_s ? FZ_CALLS_HIGH
               : a->answered                                   ? FZ_CALLS_MEDIUM
                                                               : FZ_CALLS_LOW;
    a->resident = NUM(c, r)->text;
    a->fraud_number = NUM(c, f)->text;
    fz__calls_verdict_of(c, NUM(c, f), &a->fraud);
    char key[2 * FZ_PHONE_E164_MAX + 4];
    int n = snprintf(key, sizeof key, "%s|%s|%d", a->resident, a->fraud_number, (int)a->grade);
    snprintf(a->alert_id, sizeof a->alert_id, "%016llx",
             (unsigned long long)fz_hash(key, (size_t)n));
    return true;
}

void fz__calls_check_contact(struct fz_calls *c, uint32_t resident, uint32_t fraud,
                             bool is_immediate)
{
    if (!fz__calls_is_resident(NUM(c, resident)))
        return;
    struct fz_calls_alert a;
    if (!grade_pair(c, resident, fraud, &a))
        return;
    uint64_t key = (uint64_t)resident << 32 | fraud;
    if (fz__u64map_get(&c->alerted, key) >= (uint32_t)a.grade + 1)
        return;
    if (fz__u64map_put(&c->alerted, key, (uint32_t)a.grade + 1) != FZ_OK)
        return; /* out of memory: raised again next time */
    a.is_immediate = is_immediate && a.grade == FZ_CALLS_HIGH;
    c->stats.alerts++;
    if (c->cb)
        c->cb(c->ud, &(struct fz_calls_event){.kind = FZ_CALLS_EV_ALERT, .alert = &a});
}

/* Calls fn(c, resident, fraud, ud) for every resident number f reached or that called it within
 * contact_days, each once. */
static void each_contact(const struct fz_calls *c, uint32_t f,
                         void (*fn)(const struct fz_calls *, uint32_t, uint32_t, void *), void *ud)
{
    int64_t since = c->now - (int64_t)c->cfg.contact_days * 86400;
    for (uint32_t k = NUM(c, f)->out_head; k; k = CONTACT(c, k)->next_out)
        if (CONTACT(c, k)->last >= since)
            fn(c, CONTACT(c, k)->callee, f, ud);
    for (uint32_t k = NUM(c, f)->in_head; k; k = CONTACT(c, k)->next_in) {
        const struct fz__contact *in = CONTACT(c, k);
        uint32_t out = fz__u64map_get(&c->pairs, (uint64_t)f << 32 | in->caller);
        bool seen = out && CONTACT(c, out)->last >= since; /* met in the first loop */
        if (in->last >= since && !seen)
            fn(c, in->caller, f, ud);
    }
}

static void raise_one(const struct fz_calls *cc, uint32_t r, uint32_t f, void *ud)
{
    (void)cc;
    fz__calls_check_contact(ud, r, f, false);
}

void fz__calls_raise_victims(struct fz_calls *c, uint32_t fraud)
{
    each_contact(c, fraud, raise_one, c);
}

struct victims_ctx {
    fz_calls_alert_cb *fn;
    void *ud;
};

static void list_one(const struct fz_calls *c, uint32_t r, uint32_t f, void *ud)
{
    struct victims_ctx *v = ud;
    struct fz_calls_alert a;
    if (fz__calls_is_resident(NUM(c, r)) && grade_pair(c, r, f, &a))
        v->fn(v->ud, &a);
}

fz_rc fz_calls_victims(struct fz_calls *c, const char *number, size_t len, fz_calls_alert_cb *fn,
                       void *ud)
{
    uint32_t id = fz__calls_find(c, number, len);
    if (!id)
        return FZ_E(FZ_ENOTFOUND);
    struct victims_ctx v = {fn, ud};
    each_contact(c, id, list_one, &v);
    uint32_t presented = fz__u64map_get(&c->presented, id); /* and as the gateway showed it */
    if (presented)
        each_contact(c, presented, list_one, &v);
    return FZ_OK;
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void iso_time(struct fz_json *j, int64_t t)
{
    time_t local = (time_t)(t + 8 * 3600);
    struct tm tm;
    char s[40];
    gmtime_r(&local, &tm);
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    fz_json_cstr(j, s);
}

static void grade_reason(struct fz_json *j, const struct fz_calls_alert *a)
{
    char zh[200], en[200];
    if (a->grade == FZ_CALLS_HIGH) {
        snprintf(zh, sizeof zh, "已接通并通话%llu秒（%u次通话）",
                 (unsigned long long)a->total_talk_s, a->calls);
        snprintf(en, sizeof en, "answered and talked %llu s in all (%u calls)",
                 (unsigned long long)a->total_talk_s, a->calls);
    } else if (a->grade == FZ_CALLS_MEDIUM) {
        snprintf(zh, sizeof zh, "已接通%u次，通话共%llu秒", a->answered,
                 (unsigned long long)a->total_talk_s);
        snprintf(en, sizeof en, "answered %u times, %llu s in all", a->answered,
                 (unsigned long long)a->total_talk_s);
    } else {
        snprintf(zh, sizeof zh, "来电%u次，均未接通", a->calls);
        snprintf(en, sizeof en, "rang %u times, never answered", a->calls);
    }
    fz_json_obj(j);
    fz_json_key(j, "code");
    fz_json_cstr(j, a->is_immediate ? "long_call_just_ended" : fz_calls_grade_name(a->grade));
    fz_json_key(j, "description_zh");
    fz_json_cstr(j, zh);
    fz_json_key(j, "description_en");
    fz_json_cstr(j, en);
    fz_json_obj_end(j);
}

void fz_calls_alert_json(struct fz_json *j, const struct fz_calls_alert *a)
{
    char zh[256], en[256];
    fz_json_obj(j);
    fz_json_key(j, "alert_id");
    fz_json_cstr(j, a->alert_id);
    fz_json_key(j, "grade");
    fz_json_cstr(j, fz_calls_grade_name(a->grade));
    fz_json_key(j, "resident");
    fz_json_cstr(j, a->resident);
    fz_json_key(j, "fraud_number");
    fz_json_cstr(j, a->fraud_number);
    fz_json_key(j, "reasons");
    fz_json_arr(j);
    grade_reason(j, a);
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++) {
        if (!(a->fraud.detectors & (1u << d)))
            continue;
        fz_calls_reason(&a->fraud, (enum fz_calls_detector)d, true, zh, sizeof zh);
        fz_calls_reason(&a->fraud, (enum fz_calls_detector)d, false, en, sizeof en);
        fz_json_obj(j);
        fz_json_key(j, "code");
        fz_json_cstr(j, fz_calls_detector_name((enum fz_calls_detector)d));
        fz_json_key(j, "description_zh");
        fz_json_cstr(j, zh);
        fz_json_key(j, "description_en");
        fz_json_cstr(j, en);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
    fz_json_key(j, "first_contact");
    iso_time(j, a->first_contact);
    fz_json_key(j, "last_contact");
    iso_time(j, a->last_contact);
    fz_json_key(j, "total_talk_s");
    fz_json_uint(j, a->total_talk_s);
    fz_json_key(j, "calls");
    fz_json_uint(j, a->calls);
    fz_json_key(j, "answered");
    fz_json_uint(j, a->answered);
    fz_json_key(j, "immediate");
    fz_json_bool(j, a->is_immediate);
    fz_json_obj_end(j);
}
