/*
 * extract/social: QQ numbers and WeChat IDs, which only mean something after their cue.
 *
 * A QQ number is 5 to 11 digits, not starting with 0, within FZ__SOCIAL_GAP bytes after a QQ
 * cue (qq, 扣扣, 企鹅, q号, ...). A WeChat ID is 6 to 20 characters of letters, digits, '_'
 * and '-', starting with a letter ("wxid_" IDs up to 32), within the same distance after a
 * WeChat cue (微信, vx, v信, 薇信, 加v, wx, weixin, ...). Words of letters only after an
 * English cue ("add me on wechat please") pass only when they are not common English words.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

static bool near(const struct fz__cue_hit *cue, enum fz__cue_kind kind, size_t s)
{
    return cue->kind == kind && s - cue->end <= FZ__SOCIAL_GAP;
}

/* The longest span of leading groups joined by spaces or dashes with 5-11 digits, ending
 * where the run may be split; 0 when there is none. */
static size_t qq_groups(const struct fz__run *r, size_t *ndigits)
{
    size_t n = 0, best = 0;
    for (size_t j = 0; j < r->ngroups; j++) {
        if (j > 0 && r->g[j].sep > FZ__SEP_DASH)
            break;
        n += r->g[j].end - r->g[j].start;
        if (n > 11)
            break;
        bool ends_ok = j + 1 == r->ngroups || fz__sep_splits(r->g[j + 1].sep);
        if (n >= 5 && ends_ok) {
            best = j + 1;
            *ndigits = n;
        }
    }
    return best;
}

fz_rc fz__extract_qq(struct fz__extract_state *st, struct fz__cand *c)
{
    const struct fz__run *r = c->r;
    if (!near(&c->cue, FZ__CUE_QQ, r->pre) || r->plus || c->glued_before || st->t[r->start] == '0')
        return FZ_OK;
    size_t n = 0, j = qq_groups(r, &n);
    if (j == 0 || fz__extract_tail_blocked(st, c, j))
        return FZ_OK;
    char qq[12];
    size_t len = 0;
    for (size_t k = 0; k < j; k++) {
        memcpy(qq + len, st->t + r->g[k].start, r->g[k].end - r->g[k].start);
        len += r->g[k].end - r->g[k].start;
    }
    return fz__extract_push(st, FZ_ENT_QQ, r->start, r->g[j - 1].end, qq, len, NULL);
}

/* ---- WeChat IDs ---- */

static bool id_char(char c) { return fz__is_alnum(c) || c == '_' || c == '-'; }

/* Common English words that follow "wechat" in a sentence and are no account. */
static bool stop_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "please",  "thanks",      "thank",   "friend",   "friends",  "account",
        "number",  "official",    "contact", "search",   "scanning", "group",
        "groups",  "customer",    "service", "support",  "message",  "messages",
        "instead", "through",     "payment", "details",  "today",    "directly",
        "now",     "first",       "pay",     "transfer", "chat",     "video",
        "call",    "immediately", "right",   "again",    "asap",     "later",
    };
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (strlen(words[k]) == n && !memcmp(words[k], w, n))
            return true;
    return false;
}

/* The word is itself a cue ("weixin", "wechat"). */
static bool is_cue_word(const char *w, size_t n)
{
    size_t ncues;
    const struct fz__cue *cues = fz__extract_cue_table(&ncues);
    for (size_t k = 0; k < ncues; k++)
        if (cues[k].len == n && !memcmp(cues[k].s, w, n))
            return true;
    return false;
}

/* Few enough letters between the cue and the word: "wechat id: abc123", "微信号是abc123". */
static bool gap_ok(const struct fz__extract_state *st, size_t from, size_t to)
{
    int letters = 0;
    for (size_t p = from; p < to; p++)
        letters += fz__is_alpha(st->t[p]);
    return to - from <= FZ__SOCIAL_GAP && letters <= 3;
}

/*
 * A quick gate before the cue lookup: what comes right before the word (past spaces and
 * punctuation) must be a Chinese character (a Chinese cue may end there) or an ASCII word that
 * is a WeChat cue or a filler such as "id" or "is". Most words of an English text stop here.
 */
static bool may_follow_cue(const struct fz__extract_state *st, size_t pos)
{
    static const struct {
        const char *s;
        size_t n;
    } words[] = {
        {"wechat", 6}, {"weixin", 6}, {"vx", 2}, {"wx", 2}, {"v", 1}, {"id", 2}, {"is", 2},
    };
    size_t p = pos;
    while (p > st->floor && pos - p < FZ__SOCIAL_GAP && !fz__is_alnum(st->t[p - 1]) &&
           (unsigned char)st->t[p - 1] < 0x80)
        p--;
    if (p == st->floor || fz__is_digit(st->t[p - 1]))
        return false;
    if ((unsigned char)st->t[p - 1] >= 0x80)
        return true;
    size_t w = p;
    while (w > st->floor && fz__is_alpha(st->t[w - 1]))
        w--;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (words[k].n == p - w && !memcmp(st->t + w, words[k].s, p - w))
            return true;
    return false;
}

static bool wechat_shape(const char *w, size_t n)
{
    if (!fz__is_alpha(w[0]) || n < 6)
        return false;
    if (n > 20)
        return n <= 32 && !memcmp(w, "wxid_", 5);
    return true;
}

static bool letters_only(const char *w, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!fz__is_alpha(w[k]))
            return false;
    return true;
}

/* A mask standing in for an ID ("xxxxxx", "XXX-XXXX"): no digit and one letter repeated.
 * Emitting it would tie unrelated messages to one made-up account. */
static bool placeholder(const char *w, size_t n)
{
    char first = fz__lower(w[0]);
    for (size_t k = 0; k < n; k++)
        if (fz__is_digit(w[k]) || (fz__is_alpha(w[k]) && fz__lower(w[k]) != first))
            return false;
    return true;
}

fz_rc fz__extract_word(struct fz__extract_state *st, size_t pos, size_t lim, size_t *next)
{
    size_t e = pos;
    while (e < lim && fz__is_alpha(st->t[e]))
        e++;
    size_t letters = e;
    while (e < lim && id_char(st->t[e]))
        e++;
    while (e > pos && st->t[e - 1] == '-')
        e--;
    *next = letters;
    const char *w = st->t + pos;
    size_t n = e - pos;
    if (pos > st->floor && id_char(st->t[pos - 1]))
        return FZ_OK; /* the middle of a token */
    if (!wechat_shape(w, n) || !may_follow_cue(st, pos))
        return FZ_OK;
    struct fz__cue_hit cue = fz__extract_cue_before(st, pos);
    if (cue.kind != FZ__CUE_WECHAT || !gap_ok(st, cue.end, pos) || is_cue_word(w, n))
        return FZ_OK;
    if ((letters_only(w, n) && stop_word(w, n)) || placeholder(w, n))
        return FZ_OK;
    char buf[33];
    for (size_t k = 0; k < n; k++)
        buf[k] = fz__lower(w[k]);
    *next = e;
    return fz__extract_push(st, FZ_ENT_WECHAT, pos, e, buf, n, NULL);
}
