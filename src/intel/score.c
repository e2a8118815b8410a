/*
 * intel/score.c: the risk 0-100 of an indicator from the evidence the store counted.
 *
 * Each independent report is a piece of evidence that the indicator is bad with a probability
 * q that depends on who reported it; the score is the chance that at least one of them is
 * right, 100 * (1 - prod(1 - q_i)), so more reports help with diminishing returns. Without a
 * confirmation it stays below the confirmed band; it halves every half_life_days after the
 * newest report. A confirmed indicator never drops below 80. docs/internals/intel.md.
 */
#include "compat.h"

#include "intel_int.h"

#include <math.h>

#define Q_RESIDENT 0.35 /* a tip from the public: often right, often not */
#define Q_PARTNER 0.6   /* a report from a partner organisation or staff */
#define Q_SIGHTING 0.2  /* a partner saw it in traffic: weaker than a report */
#define SUSPECTED_MAX 79.0
#define CONFIRMED_MIN 80
#define MS_PER_DAY 86400000.0

static int at_least_zero(int v) { return v > 0 ? v : 0; }

/* The chance that every report is wrong: prod(1 - q_i). */
static double all_wrong(const struct fz_ind_evidence *ev)
{
    int partner = at_least_zero(ev->partner_reports);
    int total = at_least_zero(ev->reports);
    int residents = total > partner ? total - partner : 0;
    return pow(1.0 - Q_RESIDENT, residents) * pow(1.0 - Q_PARTNER, partner) *
           pow(1.0 - Q_SIGHTING, at_least_zero(ev->sightings));
}

/* 2^(-age / half-life), or 1 without a newest report, a half-life, or a positive age. */
static double decay(int64_t last_ms, int64_t now_ms, int half_life_days)
{
    if (last_ms <= 0 || half_life_days <= 0 || now_ms <= last_ms)
        return 1.0;
    double age_days = ((double)now_ms - (double)last_ms) / MS_PER_DAY;
    return exp2(-age_days / half_life_days);
}

int fz_ind_score(const struct fz_ind_evidence *ev, int64_t now_ms, int half_life_days)
{
    if (ev == NULL)
        return 0;
    double s = 100.0 * (1.0 - all_wrong(ev));
    if (!ev->confirmed && s > SUSPECTED_MAX)
        s = SUSPECTED_MAX;
    s *= decay(ev->last_report_ms, now_ms, half_life_days);
    int score = (int)(s + 0.5);
    if (ev->confirmed && score < CONFIRMED_MIN)
        score = CONFIRMED_MIN;
    return score < 0 ? 0 : score > 100 ? 100 : score;
}

int fz_ind_score_now(const struct fz_ind_entry *e, int64_t now_ms, int half_life_days)
{
    if (e == NULL || e->status == FZ_IND_CLEARED)
        return 0;
    int score = (int)(e->score * decay(e->scored_ms, now_ms, half_life_days) + 0.5);
    if (e->status == FZ_IND_CONFIRMED && score < CONFIRMED_MIN)
        score = CONFIRMED_MIN;
    return score > 100 ? 100 : score;
}
