/*
 * extract/runs: digit runs, their groups, and how a run is cut into entities.
 *
 * The normalizer removes separators between digits, so "138 1234 5678" arrives as
 * "13812345678"; but it would also glue "13812345678 13912345678" into 22 digits. A run is
 * therefore split into groups wherever the original had something between two digits (or the
 * normalized text still has a separator), and each separator is classified from the original
 * bytes. Entities are then cut greedily, longest first, at group edges where a separator allows
 * it: a dot, a thousands comma or a colon binds digits into one number (3.14, 1,299, 13:45)
 * and is never a place to split. A run that is contiguous digits is never split at all: a phone
 * is never part of a longer digit run.
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

/* Separators of the normalized text that may sit between two groups of one run. */
static bool norm_sep(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == ',' || c == ':' || c == '/' || c == '(' ||
           c == ')';
}

static enum fz__sep sep_of_cp(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case 0xA0:
    case 0x3000: return FZ__SEP_SPACE;
    case '-':
    case '~':
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFF0D:
    case 0x30FC:
    case 0xFF5E: return FZ__SEP_DASH;
    case '(':
    case ')':
    case 0xFF08:
    case 0xFF09: return FZ__SEP_PAREN;
    case '.':
    case 0xFF0E:
    case 0xB7:
    case 0x30FB:
    case 0x2027: return FZ__SEP_DOT;
    case '/':
    case 0xFF0F:
    case '\\': return FZ__SEP_SLASH;
    case ',':
    case 0xFF0C: return FZ__SEP_COMMA;
    case 0x3001:
    case ';':
    case 0xFF1B:
    case 0x3002:
    case '\n':
    case '\r': return FZ__SEP_LIST;
    case ':':
    case 0xFF1A: return FZ__SEP_COLON;
    default: return FZ__SEP_OTHER;
    }
}

/* Classifies the original bytes between two digits by the strongest separator among them. */
static enum fz__sep classify(const struct fz__extract_state *st, size_t a, size_t b)
{
    if (b <= a || b > st->orig_len)
        return FZ__SEP_OTHER;
    if (b - a > 16)
        return FZ__SEP_BREAK;
    enum fz__sep best = FZ__SEP_NONE;
    const char *p = st->orig + a, *end = st->orig + b;
    while (p < end) {
        uint32_t cp;
        fz_utf8_decode(&p, end, &cp);
        if (fz__is_alnum(cp < 0x80 ? (char)cp : 0) || (cp >= 0x4E00 && cp <= 0x9FFF))
            return FZ__SEP_BREAK; /* letters or words between: two separate numbers */
        enum fz__sep s = sep_of_cp(cp);
        if (s > best)
            best = s;
    }
    return best == FZ__SEP_NONE ? FZ__SEP_OTHER : best;
}

static enum fz__sep sep_between(const struct fz__extract_state *st, size_t last, size_t next)
{
    return classify(st, st->norm->orig_end[last], st->norm->orig_start[next]);
}

/* Reads digits from *p, closing a group wherever the original had a gap. Returns false when
 * the run must end (no room for groups or a hard break). */
static bool scan_digits(const struct fz__extract_state *st, size_t *p, size_t lim,
                        struct fz__run *r)
{
    size_t i = *p;
    while (i < lim && fz__is_digit(st->t[i])) {
        if (i > *p && fz__extract_gap(st, i - 1)) {
            enum fz__sep s = sep_between(st, i - 1, i);
            r->g[r->ngroups - 1].end = i;
            if (s == FZ__SEP_BREAK || r->ngroups == FZ__RUN_GROUPS) {
                *p = i;
                return false;
            }
            r->g[r->ngroups++] = (struct fz__group){i, i, s};
        }
        i++;
    }
    r->g[r->ngroups - 1].end = i;
    *p = i;
    return true;
}

/* After a group: up to three separator bytes then a digit continue the run. */
static size_t next_group(const struct fz__extract_state *st, size_t p, size_t lim)
{
    size_t q = p;
    while (q < lim && q - p < 3 && norm_sep(st->t[q]))
        q++;
    if (q == p || q >= lim || !fz__is_digit(st->t[q]))
        return 0;
    return q;
}

static void scan_prefix(const struct fz__extract_state *st, struct fz__run *r)
{
    size_t s = r->start;
    r->pre = s;
    if (s > st->floor && st->t[s - 1] == '+') {
        r->plus = true;
        r->pre = s - 1;
    }
    bool paren = r->ngroups > 1 && r->g[1].sep == FZ__SEP_PAREN;
    if (paren && r->pre > st->floor && st->t[r->pre - 1] == '(')
        r->pre--;
}

void fz__extract_run_scan(const struct fz__extract_state *st, size_t pos, size_t lim,
                          struct fz__run *r)
{
    r->plus = false;
    r->start = pos;
    r->ngroups = 1;
    r->g[0] = (struct fz__group){pos, pos, FZ__SEP_NONE};
    size_t p = pos;
    while (scan_digits(st, &p, lim, r) && r->ngroups < FZ__RUN_GROUPS) {
        size_t q = next_group(st, p, lim);
        if (!q)
            break;
        enum fz__sep s = sep_between(st, p - 1, q);
        if (s == FZ__SEP_BREAK)
            break;
        r->g[r->ngroups++] = (struct fz__group){q, q, s};
        p = q;
    }
    r->end = r->g[r->ngroups - 1].end;
    /* a comma is a thousands separator only before exactly three digits */
    for (size_t k = 1; k < r->ngroups; k++)
        if (r->g[k].sep == FZ__SEP_COMMA && r->g[k].end - r->g[k].start != 3)
            r->g[k].sep = FZ__SEP_LIST;
    size_t e = r->end;
    r->x_suffix = e < lim && (st->t[e] == 'x' || st->t[e] == 'X') &&
                  (e + 1 >= st->len || !fz__is_alnum(st->t[e + 1]));
    scan_prefix(st, r);
}

/* ---- cutting a run into entities ---- */

/* Part of a letter token on the left: "abc13812345678", "user_138...", unless a cue word such
 * as "tel" or "qq" is what the digits are glued to. */
static bool glued_before(const struct fz__extract_state *st, const struct fz__run *r)
{
    size_t s = r->pre;
    if (s == 0 || s <= st->floor)
        return false;
    char c = st->t[s - 1];
    if (!fz__is_alpha(c) && c != '_')
        return false;
    if (fz__extract_gap(st, s - 1))
        return false; /* a space was removed between */
    return !fz__extract_cue_ends_at(st, s);
}

/* Part of a letter token on the right: "13812345678abc", unless the letters are a cue word
 * for the next contact ("13812345678QQ:123456789"). */
static bool glued_after(const struct fz__extract_state *st, size_t e)
{
    if (e >= st->len)
        return false;
    char c = st->t[e];
    return (fz__is_alpha(c) || c == '_') && !fz__extract_gap(st, e - 1) &&
           !fz__extract_contact_cue_at(st, e);
}

/* The spans starting at group i share their digits: they are copied once for the longest,
 * [i, jmax), and shorter spans cut that string. end[j] is the length of the digits of [i, j)
 * and sep[j] the strongest separator inside it. */
struct prefixes {
    size_t end[FZ__RUN_GROUPS + 1];
    enum fz__sep sep[FZ__RUN_GROUPS + 1];
};

static void cand_fill(const struct fz__extract_state *st, const struct fz__run *r, size_t i,
                      size_t jmax, struct fz__cand *c, struct prefixes *px)
{
    size_t n = 0;
    enum fz__sep max = FZ__SEP_NONE;
    if (i == 0 && r->plus)
        c->digits[n++] = '+';
    for (size_t k = i; k < jmax; k++) {
        size_t glen = r->g[k].end - r->g[k].start;
        memcpy(c->digits + n, st->t + r->g[k].start, glen);
        n += glen;
        if (k > i && r->g[k].sep > max)
            max = r->g[k].sep;
        px->end[k + 1] = n;
        px->sep[k + 1] = max;
    }
    c->i = i;
    c->s = i == 0 ? r->pre : r->g[i].start;
}

/* Makes the candidate the span [c->i, j), j no longer than the last span made. */
static void cand_cut(const struct fz__run *r, struct fz__cand *c, const struct prefixes *px,
                     size_t j)
{
    c->j = j;
    c->digits[px->end[j]] = '\0';
    c->ndigits = px->end[j] - (c->i == 0 && r->plus);
    c->max_sep = px->sep[j];
    c->e = r->g[j - 1].end;
}

bool fz__extract_tail_blocked(const struct fz__extract_state *st, struct fz__cand *c, size_t j)
{
    if (j != c->r->ngroups)
        return false;
    if (c->glued_after)
        return true;
    if (c->unit_after < 0)
        c->unit_after = fz__extract_unit_after(st, c->r->end);
    if (c->unit_after || c->cue.kind != FZ__CUE_NONE)
        return c->unit_after;
    if (c->code_after < 0)
        c->code_after = fz__extract_code_after(st, c->r->end);
    return c->code_after;
}

/* Tries groups [i, j) as an ID, a card, then a phone. */
static fz_rc try_span(struct fz__extract_state *st, struct fz__cand *c, bool *done)
{
    fz_rc rc = fz__extract_id(st, c, done);
    if (rc == FZ_OK && !*done)
        rc = fz__extract_card(st, c, done);
    if (rc == FZ_OK && !*done)
        rc = fz__extract_phone(st, c, done);
    return rc;
}

/* The last group j (exclusive) that keeps the span [i, j) within 20 digits. */
static size_t span_limit(const struct fz__run *r, size_t i)
{
    size_t n = 0, j = i;
    while (j < r->ngroups && n + (r->g[j].end - r->g[j].start) <= 20) {
        n += r->g[j].end - r->g[j].start;
        j++;
    }
    return j;
}

/* Cuts entities from the groups starting at i; *next gets the first group not used. */
static fz_rc cut_at(struct fz__extract_state *st, struct fz__cand *c, size_t i, size_t *next)
{
    const struct fz__run *r = c->r;
    size_t jmax = span_limit(r, i);
    struct prefixes px;
    cand_fill(st, r, i, jmax, c, &px);
    for (size_t j = jmax; j > i; j--) {
        if (j < r->ngroups && !fz__sep_splits(r->g[j].sep))
            continue;
        cand_cut(r, c, &px, j);
        bool done = false;
        fz_rc rc = try_span(st, c, &done);
        if (rc != FZ_OK)
            return rc;
        if (done) {
            *next = j;
            return FZ_OK;
        }
    }
    *next = i + 1;
    return FZ_OK;
}

/* Tries an amount at group i; *next is the first group after it, or i when there is none. */
static fz_rc amount_at(struct fz__extract_state *st, const struct fz__run *r, size_t i,
                       size_t *next, size_t *resume)
{
    size_t end;
    *next = i;
    fz_rc rc = fz__extract_amount(st, r->g[i].start, false, &end);
    if (rc != FZ_OK || end == r->g[i].start)
        return rc;
    size_t k = i + 1;
    while (k < r->ngroups && r->g[k].start < end)
        k++;
    *next = k;
    if (end > *resume)
        *resume = end;
    return FZ_OK;
}

fz_rc fz__extract_run(struct fz__extract_state *st, const struct fz__run *r, size_t *resume)
{
    struct fz__cand c = {.r = r};
    c.cue = fz__extract_cue_before(st, r->pre);
    *resume = r->end;
    c.glued_before = glued_before(st, r);
    c.glued_after = glued_after(st, r->end);
    c.unit_after = -1;
    c.code_after = -1;
    fz_rc rc = fz__extract_qq(st, &c);
    size_t i = 0;
    while (rc == FZ_OK && i < r->ngroups) {
        if (i > 0 && !fz__sep_splits(r->g[i].sep)) {
            i++;
            continue;
        }
        size_t next;
        rc = amount_at(st, r, i, &next, resume);
        if (rc != FZ_OK || next > i) {
            i = next;
            continue;
        }
        /* only the first group has a cue or a left neighbour; the rest follow a separator */
        if (i > 0) {
            c.glued_before = false;
            c.cue = (struct fz__cue_hit){FZ__CUE_NONE, r->g[i].start, r->g[i].start};
        }
        rc = cut_at(st, &c, i, &i);
    }
    return rc;
}
