/*
 * calls/detect: a number's window features and the detectors that read them. Each detector
 * gives a score in 0..1 and, from the same figures, a reason a person can check; a number's score
 * is its highest detector's. A number keeps the verdict of its highest score (what `cdr analyze`
 * prints) and the features of its busiest moment (what `cdr train` learns from).
 */
#include "compat.h"

#include "calls_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const detector_names[] = {
#define DET_NAME(name, id) id,
    FZ_CALLS_DETECTOR_MAP(DET_NAME)
#undef DET_NAME
};
static const char *const feature_names[] = {
#define FEAT_NAME(name, id) id,
    FZ_CALLS_FEATURE_MAP(FEAT_NAME)
#undef FEAT_NAME
};

const char *fz_calls_detector_name(enum fz_calls_detector d)
{
    return (unsigned)d < FZ_CALLS__DETECTORS ? detector_names[d] : NULL;
}

const char *fz_calls_feature_name(enum fz_calls_feature f)
{
    return (unsigned)f < FZ_CALLS__FEATURES ? feature_names[f] : NULL;
}

static float ratio(uint64_t a, uint64_t b) { return b ? (float)a / (float)b : 0.0f; }

static uint32_t numbers_on_imeis(const struct fz_calls *c, const struct fz__num *n)
{
    uint32_t most = 0;
    for (int i = 0; i < n->nimeis && i < NUM_IMEIS; i++) {
        const struct fz__imei *im = IMEI(c, n->imeis[i]);
        most = im->nnum > most ? im->nnum : most;
    }
    return most;
}

void fz__calls_features(const struct fz_calls *c, const struct fz__num *n, int64_t now, float *x)
{
    struct fz__sums h, d, w;
    fz__calls_window_sums(n, WIN_1H, now, &h);
    fz__calls_window_sums(n, WIN_24H, now, &d);
    fz__calls_window_sums(n, WIN_7D, now, &w);
    x[FZ_CALLS_F_CALLS_1H] = (float)h.out;
    x[FZ_CALLS_F_CALLS_24H] = (float)d.out;
    x[FZ_CALLS_F_CALLS_7D] = (float)w.out;
    x[FZ_CALLS_F_DISTINCT_1H] = (float)h.distinct;
    x[FZ_CALLS_F_DISTINCT_24H] = (float)d.distinct;
    x[FZ_CALLS_F_DISTINCT_7D] = (float)w.distinct;
    x[FZ_CALLS_F_SHORT_1H] = ratio(h.shrt, h.out);
    x[FZ_CALLS_F_SHORT_24H] = ratio(d.shrt, d.out);
    x[FZ_CALLS_F_ANSWER_24H] = ratio(d.answered, d.out);
    x[FZ_CALLS_F_CALLBACK_24H] = ratio(d.callbacks, d.distinct);
    x[FZ_CALLS_F_CALLBACK_7D] = ratio(w.callbacks, w.distinct);
    x[FZ_CALLS_F_NIGHT_24H] = ratio(d.night, d.out);
    x[FZ_CALLS_F_ONE_RING_24H] = ratio(d.one_ring, d.out);
    x[FZ_CALLS_F_MEAN_TALK_24H] = ratio(d.talk_s, d.answered);
    x[FZ_CALLS_F_IN_24H] = (float)d.in;
    x[FZ_CALLS_F_IN_OUT_7D] = ratio(w.in, w.out);
    x[FZ_CALLS_F_ODD_CALLEE_24H] = ratio(d.odd, d.out);
    x[FZ_CALLS_F_INTL_24H] = ratio(d.intl, d.out);
    x[FZ_CALLS_F_CELLS] = n->ncells;
    x[FZ_CALLS_F_IMEIS] = n->nimeis;
    x[FZ_CALLS_F_NUMBERS_ON_IMEI] = (float)numbers_on_imeis(c, n);
    x[FZ_CALLS_F_AGE_DAYS] = now > n->first_seen ? (float)(now - n->first_seen) / 86400.0f : 0;
    x[FZ_CALLS_F_IS_MOBILE] = n->cls == FZ_PHONE_MOBILE || n->cls == FZ_PHONE_MVNO;
    x[FZ_CALLS_F_IS_FOREIGN] = n->cls == FZ_PHONE_INTERNATIONAL;
}

/* ---- detectors ---------------------------------------------------------------------------- */

static double mass_dialler(const struct fz_calls_config *cfg, const float *x)
{
    bool busy = x[FZ_CALLS_F_CALLS_1H] > (float)cfg->dialler_calls_1h;
    bool half_busy = x[FZ_CALLS_F_CALLS_1H] > (float)cfg->dialler_calls_1h / 2;
    bool short_calls = x[FZ_CALLS_F_SHORT_1H] >= cfg->dialler_short_ratio;
    bool few_callbacks = x[FZ_CALLS_F_CALLBACK_24H] <= cfg->dialler_callback_ratio;
    if (busy && short_calls && few_callbacks)
        return 0.97;
    return half_busy && short_calls && few_callbacks ? 0.6 : 0;
}

static double simbox(const struct fz_calls_config *cfg, const float *x)
{
    /* on a rack twice the size, one call is enough to tell a SIM of it */
    float on_imei = x[FZ_CALLS_F_NUMBERS_ON_IMEI], want = (float)cfg->simbox_numbers;
    if (on_imei < want || x[FZ_CALLS_F_CALLS_7D] < (on_imei >= 2 * want ? 1 : 3))
        return 0;
    /* a resident calling a missed call back is not the rack's incoming traffic */
    return x[FZ_CALLS_F_IN_OUT_7D] <= 0.1f ? 0.95 : 0.6;
}

static double wangiri(const struct fz_calls_config *cfg, const float *x)
{
    if (x[FZ_CALLS_F_CALLS_24H] < (float)cfg->wangiri_calls_24h ||
        x[FZ_CALLS_F_ONE_RING_24H] < cfg->wangiri_one_ring)
        return 0;
    return x[FZ_CALLS_F_IS_FOREIGN] > 0 || x[FZ_CALLS_F_INTL_24H] >= 0.5f ? 0.97 : 0.8;
}

static double spoofed(const struct fz__num *n)
{
    if (!n->spoofed)
        return 0;
    return n->cls == FZ_PHONE_SERVICE ? 0.99 : 0.95;
}

static void run_detectors(const struct fz_calls *c, const struct fz__num *n, const float *x,
                          float *s)
{
    memset(s, 0, sizeof(float) * FZ_CALLS__DETECTORS);
    if (n->flags & NUM_WHITELISTED)
        return;
    s[FZ_CALLS_MASS_DIALLER] = (float)mass_dialler(&c->cfg, x);
    s[FZ_CALLS_SIMBOX] = (float)simbox(&c->cfg, x);
    s[FZ_CALLS_WANGIRI] = (float)wangiri(&c->cfg, x);
    s[FZ_CALLS_SPOOFED] = (float)spoofed(n);
    s[FZ_CALLS_IOT_VOICE] = n->iot_voice ? 0.92f : 0;
    s[FZ_CALLS_MODEL] = c->has_model ? (float)fz_calls_model_score(&c->model, x) : 0;
}

static float highest(const float *s)
{
    float m = 0;
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++)
        m = s[d] > m ? s[d] : m;
    return m;
}

void fz__calls_evaluate(struct fz_calls *c, uint32_t id)
{
    struct fz__num *n = NUM(c, id);
    float x[FZ_CALLS__FEATURES], s[FZ_CALLS__DETECTORS];
    fz__calls_features(c, n, c->now, x);
    run_detectors(c, n, x, s);
    float score = highest(s);
    if (x[FZ_CALLS_F_CALLS_24H] >= n->busy_calls) {
        n->busy_calls = x[FZ_CALLS_F_CALLS_24H];
        memcpy(n->busy_feat, x, sizeof x);
    }
    /* The verdict keeps each detector's highest score; its figures are those of the latest
     * rise, so a dialler the model caught first still names the mass-dialler rule. */
    bool rose = score > n->peak_score || !n->peak_time;
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++) {
        rose |= s[d] > n->peak_scores[d];
        n->peak_scores[d] = s[d] > n->peak_scores[d] ? s[d] : n->peak_scores[d];
    }
    if (rose) {
        n->peak_score = highest(n->peak_scores);
        n->peak_time = (uint32_t)c->now;
        memcpy(n->peak_feat, x, sizeof x);
    }
    if (score < c->cfg.flag_threshold || (n->flags & NUM_FLAGGED))
        return;
    n->flags |= NUM_FLAGGED;
    c->stats.flagged++;
    if (c->cb) {
        struct fz_calls_verdict v;
        fz__calls_verdict_of(c, n, &v);
        c->cb(c->ud, &(struct fz_calls_event){.kind = FZ_CALLS_EV_FLAGGED, .verdict = &v});
    }
    fz__calls_raise_victims(c, id);
}

void fz__calls_verdict_of(const struct fz_calls *c, const struct fz__num *n,
                          struct fz_calls_verdict *v)
{
    v->number = n->text;
    v->score = n->peak_score;
    v->is_flagged = (n->flags & NUM_FLAGGED) != 0;
    v->is_presented = (n->flags & NUM_PRESENTED) != 0;
    v->time = n->peak_time;
    v->detectors = 0;
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++)
        if (n->peak_scores[d] >= c->cfg.warn_threshold)
            v->detectors |= 1u << d;
    memcpy(v->features, n->peak_score > 0 ? n->peak_feat : n->busy_feat, sizeof v->features);
    memcpy(v->scores, n->peak_scores, sizeof v->scores);
}

/* ---- reasons and JSON --------------------------------------------------------------------- */

static int pct(float r) { return (int)lroundf(r * 100); }

void fz_calls_reason(const struct fz_calls_verdict *v, enum fz_calls_detector d, bool zh, char *out,
                     size_t cap)
{
    const float *x = v->features;
    switch (d) {
    case FZ_CALLS_MASS_DIALLER:
        snprintf(out, cap,
                 zh ? "群呼：1小时内外呼%.0f次，%d%%不足10秒，%d%%的被叫回拨"
                    : "mass dialling: %.0f calls in an hour, %d%% under 10 s, %d%% called back",
                 x[FZ_CALLS_F_CALLS_1H], pct(x[FZ_CALLS_F_SHORT_1H]),
                 pct(x[FZ_CALLS_F_CALLBACK_24H]));
        break;
    case FZ_CALLS_SIMBOX:
        snprintf(out, cap,
                 zh ? "猫池/SIM盒：同一设备(IMEI)上出现%.0f个号码，7天内来电%.0f%%"
                    : "SIM box: %.0f numbers on one device (IMEI); incoming/outgoing %.0f%% in 7 d",
                 x[FZ_CALLS_F_NUMBERS_ON_IMEI], x[FZ_CALLS_F_IN_OUT_7D] * 100);
        break;
    case FZ_CALLS_WANGIRI:
        snprintf(out, cap,
                 zh ? "响一声：24小时内外呼%.0f次，%d%%响铃即挂%s"
                    : "one-ring (Wangiri): %.0f calls in 24 h, %d%% rang once and hung up%s",
                 x[FZ_CALLS_F_CALLS_24H], pct(x[FZ_CALLS_F_ONE_RING_24H]),
                 x[FZ_CALLS_F_IS_FOREIGN] > 0 ? (zh ? "，境外号码" : ", a foreign number") : "");
        break;
    case FZ_CALLS_SPOOFED:
        snprintf(
            out, cap,
            zh ? "改号：经国际关口局呼入却显示境内号码"
               : "spoofed caller ID: a domestic number presented on the international gateway");
        break;
    case FZ_CALLS_IOT_VOICE:
        snprintf(out, cap,
                 zh ? "物联网/上网专用号码拨打语音电话"
                    : "an IoT or data-only number placing voice calls");
        break;
    case FZ_CALLS_MODEL:
        snprintf(out, cap,
                 zh ? "模型：通话特征综合评分%.2f（24小时外呼%.0f次，平均通话%.0f秒，来电%.0f次）"
                    : "model: %.2f from the window features (%.0f calls in 24 h, mean talk %.0f "
                      "s, %.0f incoming)",
                 v->scores[FZ_CALLS_MODEL], x[FZ_CALLS_F_CALLS_24H], x[FZ_CALLS_F_MEAN_TALK_24H],
                 x[FZ_CALLS_F_IN_24H]);
        break;
    default: snprintf(out, cap, "?");
    }
}

void fz_calls_verdict_json(struct fz_json *j, const struct fz_calls_verdict *v)
{
    char zh[256], en[256];
    fz_json_key(j, "number");
    fz_json_cstr(j, v->number);
    fz_json_key(j, "score");
    fz_json_num(j, v->score, 3);
    fz_json_key(j, "flagged");
    fz_json_bool(j, v->is_flagged);
    if (v->is_presented) {
        fz_json_key(j, "presented_on_international_trunk");
        fz_json_bool(j, true);
    }
    fz_json_key(j, "at");
    fz_json_int(j, v->time);
    fz_json_key(j, "detectors");
    fz_json_arr(j);
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++)
        if (v->detectors & (1u << d))
            fz_json_cstr(j, detector_names[d]);
    fz_json_arr_end(j);
    fz_json_key(j, "reasons");
    fz_json_arr(j);
    for (int d = 0; d < FZ_CALLS__DETECTORS; d++) {
        if (!(v->detectors & (1u << d)))
            continue;
        fz_calls_reason(v, (enum fz_calls_detector)d, true, zh, sizeof zh);
        fz_calls_reason(v, (enum fz_calls_detector)d, false, en, sizeof en);
        fz_json_obj(j);
        fz_json_key(j, "detector");
        fz_json_cstr(j, detector_names[d]);
        fz_json_key(j, "score");
        fz_json_num(j, v->scores[d], 3);
        fz_json_key(j, "description_zh");
        fz_json_cstr(j, zh);
        fz_json_key(j, "description_en");
        fz_json_cstr(j, en);
        fz_json_obj_end(j);
    }
    fz_json_arr_end(j);
    fz_json_key(j, "features");
    fz_json_obj(j);
    for (int f = 0; f < FZ_CALLS__FEATURES; f++) {
        fz_json_key(j, feature_names[f]);
        fz_json_num(j, v->features[f], 3);
    }
    fz_json_obj_end(j);
}
