/* Helpers of the calls unit tests: one call applied from plain values, and a recorder of the
 * engine's events. */
#ifndef FZ_CALLTEST_H
#define FZ_CALLTEST_H

#include "support.h"

#include "fangzha/calls.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T0 1793491200 /* 2026-11-01 08:00 Beijing */

struct call {
    const char *caller, *callee;
    int64_t start;
    int32_t duration_s, ring_s;
    bool is_international;
    const char *imei;
};

static inline void apply(struct fz_calls *c, struct call k)
{
    struct fz_cdr cdr = {
        .caller = {k.caller, strlen(k.caller)},
        .callee = {k.callee, strlen(k.callee)},
        .start = k.start,
        .duration_s = k.duration_s,
        .ring_s = k.ring_s ? k.ring_s : -1,
        .is_international = k.is_international,
        .imei = {k.imei ? k.imei : "", k.imei ? strlen(k.imei) : 0},
    };
    struct fz_err err = {0};
    assert_int_equal(fz_calls_apply(c, &cdr, &err), FZ_OK);
}

/* A domestic voice call without an IMEI. */
static inline void dial(struct fz_calls *c, const char *caller, const char *callee, int64_t start,
                        int32_t duration_s, int32_t ring_s)
{
    apply(c, (struct call){caller, callee, start, duration_s, ring_s, false, NULL});
}

#define MAX_EVENTS 4096
struct recorder {
    int flagged, alerts;
    char flagged_numbers[64][24];
    uint32_t flagged_detectors[64];
    struct {
        char resident[24], number[24], id[17];
        enum fz_calls_grade grade;
        bool is_immediate;
        uint64_t talk;
    } alert[MAX_EVENTS];
};

static inline void record(void *ud, const struct fz_calls_event *ev)
{
    struct recorder *r = ud;
    if (ev->kind == FZ_CALLS_EV_FLAGGED && r->flagged < 64) {
        snprintf(r->flagged_numbers[r->flagged], 24, "%s", ev->verdict->number);
        r->flagged_detectors[r->flagged++] = ev->verdict->detectors;
    } else if (ev->kind == FZ_CALLS_EV_ALERT && r->alerts < MAX_EVENTS) {
        snprintf(r->alert[r->alerts].resident, 24, "%s", ev->alert->resident);
        snprintf(r->alert[r->alerts].number, 24, "%s", ev->alert->fraud_number);
        snprintf(r->alert[r->alerts].id, 17, "%s", ev->alert->alert_id);
        r->alert[r->alerts].grade = ev->alert->grade;
        r->alert[r->alerts].is_immediate = ev->alert->is_immediate;
        r->alert[r->alerts++].talk = ev->alert->total_talk_s;
    }
}

/* A mobile number "139000xxxxx" from i. */
static inline const char *mobile(char *buf, const char *prefix, int i)
{
    snprintf(buf, 24, "%s%05d", prefix, i);
    return buf;
}

/* The verdict of number (fails the test when it placed no call). */
struct find_ctx {
    const char *number;
    struct fz_calls_verdict v;
    bool found;
};
static inline void find_cb(void *ud, const struct fz_calls_verdict *v)
{
    struct find_ctx *f = ud;
    if (!strcmp(v->number, f->number)) {
        f->v = *v;
        f->found = true;
    }
}
static inline struct fz_calls_verdict verdict(struct fz_calls *c, const char *e164)
{
    struct find_ctx f = {.number = e164};
    fz_calls_each_verdict(c, find_cb, &f);
    if (!f.found)
        fail_msg("no verdict for %s", e164);
    return f.v;
}

#endif
