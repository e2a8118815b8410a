/*
 * fangzha link --eval: reads the ground truth of synthetic gangs (TSV, no header; lines
 * "case<TAB>CASE_ID<TAB>GANG", GANG 0 for a case of no gang, and
 * "organiser<TAB>GANG<TAB>KIND<TAB>CANONICAL_VALUE") and scores the clusters: ring recall (per
 * gang, the share of its cases in the cluster holding most of them, averaged over gangs),
 * purity (the share of clustered cases that belong to their cluster's majority gang; a case
 * of no gang is a gang of its own) and the share of gangs whose organiser is in the top 3 of
 * that best cluster (docs/link.md).
 */
#include "compat.h"

#include "cli.h"
#include "link_eval.h"

#include <errno.h>
#include <string.h>

struct truth {
    struct fz_map case_gang; /* case id -> gang + 1 (as a pointer) */
    uint32_t ngangs;         /* gangs are 1..ngangs */
    char **org;              /* per gang: "kind\tvalue", NULL when none */
};

static void truth_release(struct truth *t)
{
    fz_map_release(&t->case_gang);
    for (uint32_t g = 0; t->org && g <= t->ngangs; g++)
        fz_free(t->org[g]);
    fz_free(t->org);
}

static bool parse_gang(struct fz_str s, uint32_t *out)
{
    uint64_t v = 0;
    if (s.len == 0 || s.len > 7) /* gangs up to 9 999 999 */
        return false;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    *out = (uint32_t)v;
    return true;
}

/* Splits line at tabs into f[0..4); returns the field count. */
static size_t split(struct fz_str line, struct fz_str f[4])
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= line.len && n < 4; i++)
        if (i == line.len || line.ptr[i] == '\t') {
            f[n++] = (struct fz_str){line.ptr + start, i - start};
            start = i + 1;
        }
    return n;
}

/* Makes room for gang g in t->org. */
static fz_rc ensure_gang(struct truth *t, uint32_t g)
{
    if (t->org && g <= t->ngangs)
        return FZ_OK;
    uint32_t old = t->org ? t->ngangs + 1 : 0;
    uint32_t n = g + 1 > 2 * old ? g + 1 : 2 * old;
    char **p = fz_realloc(t->org, (size_t)n * sizeof *p);
    if (!p)
        return FZ_ENOMEM;
    for (uint32_t k = old; k < n; k++)
        p[k] = NULL;
    t->org = p;
    t->ngangs = n - 1;
    return FZ_OK;
}

static fz_rc set_org(struct truth *t, uint32_t g, struct fz_str kind, struct fz_str value)
{
    if (ensure_gang(t, g))
        return FZ_ENOMEM;
    fz_free(t->org[g]);
    t->org[g] = fz_malloc(kind.len + value.len + 2);
    if (!t->org[g])
        return FZ_ENOMEM;
    memcpy(t->org[g], kind.ptr, kind.len);
    t->org[g][kind.len] = '\t';
    memcpy(t->org[g] + kind.len + 1, value.ptr, value.len);
    t->org[g][kind.len + 1 + value.len] = '\0';
    return FZ_OK;
}

/* One truth line; false (after saying why) when it is malformed. */
static bool truth_line(struct truth *t, struct fz_str line, const char *path, size_t lineno)
{
    struct fz_str f[4];
    size_t n = split(line, f);
    uint32_t g;
    bool is_case = n == 3 && f[0].len == 4 && !memcmp(f[0].ptr, "case", 4);
    bool is_org = n == 4 && f[0].len == 9 && !memcmp(f[0].ptr, "organiser", 9);
    if ((!is_case && !is_org) || !parse_gang(is_case ? f[2] : f[1], &g)) {
        cli_error("link", "%s:%zu: not a truth line (case/organiser)", path, lineno);
        return false;
    }
    fz_rc rc = ensure_gang(t, g);
    if (rc == FZ_OK)
        rc = is_case
                 ? fz_map_put(&t->case_gang, f[1].ptr, f[1].len, (void *)(uintptr_t)(g + 1), NULL)
                 : set_org(t, g, f[2], f[3]);
    if (rc)
        cli_error("link", "%s: out of memory", path);
    return rc == FZ_OK;
}

static bool truth_read(const char *path, struct truth *t)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("link", "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    struct fz_lines lines;
    fz_lines_init(&lines, f, FZ_CAP_LINE);
    bool ok = true;
    struct fz_str line;
    struct fz_err err = {0};
    for (fz_rc rc; ok && (rc = fz_lines_next(&lines, &line, &err)) != FZ_EOF;) {
        if (rc) {
            cli_error("link", "%s:%zu: %s", path, lines.lineno, err.msg);
            ok = false;
        } else if (line.len) {
            ok = truth_line(t, line, path, lines.lineno);
        }
    }
    fz_lines_release(&lines);
    fclose(f);
    return ok;
}

struct scores {
    size_t gangs, clustered, majority, noise_clustered, org_top1, org_top3;
    double recall_sum;
};

/* Is the planted organiser "kind\tvalue" among the first k organisers of cluster i? */
static bool org_in_top(const struct fz_link_result *r, size_t i, const char *want, size_t k)
{
    const struct fz_link_organiser *o;
    size_t n = fz_link_result_organisers(r, i, &o);
    const char *tab = strchr(want, '\t');
    for (size_t j = 0; j < n && j < k; j++) {
        struct fz_link_ident id = fz_link_result_ident(r, o[j].ident);
        const char *kind = fz_link_kind_name((enum fz_link_kind)id.kind);
        if (strlen(kind) == (size_t)(tab - want) && !memcmp(kind, want, (size_t)(tab - want)) &&
            !strcmp(id.value, tab + 1))
            return true;
    }
    return false;
}

/* gang[c] for every case; best[g] the cluster holding most of gang g (SIZE_MAX: none). */
static void score_clusters(const struct fz_link_result *r, const uint32_t *gang, uint32_t ng,
                           uint32_t *cnt, uint32_t *best_n, size_t *best, struct scores *sc)
{
    for (size_t i = 0; i < fz_link_result_nclusters(r); i++) {
        const uint32_t *cases;
        size_t n = fz_link_result_cases(r, i, &cases);
        uint32_t major = 1;
        for (size_t k = 0; k < n; k++) {
            uint32_t g = gang[cases[k]];
            sc->noise_clustered += g == 0;
            if (g && ++cnt[g] > major)
                major = cnt[g];
        }
        for (size_t k = 0; k < n; k++) {
            uint32_t g = gang[cases[k]];
            if (g && g <= ng && cnt[g] > best_n[g]) {
                best_n[g] = cnt[g];
                best[g] = i;
            }
            if (g)
                cnt[g] = 0;
        }
        sc->clustered += n;
        sc->majority += major;
    }
}

static int print_scores(const struct scores *sc, const struct fz_link_set *s,
                        const struct fz_link_result *r, double load_s, double link_s)
{
    struct fz_buf out;
    struct fz_json j;
    fz_buf_init(&out, 4096);
    fz_json_init(&j, &out);
    fz_json_obj(&j);
    fz_json_key(&j, "cases");
    fz_json_uint(&j, fz_link_set_ncases(s));
    fz_json_key(&j, "gangs");
    fz_json_uint(&j, sc->gangs);
    fz_json_key(&j, "clusters");
    fz_json_uint(&j, fz_link_result_nclusters(r));
    fz_json_key(&j, "ring_recall");
    fz_json_num(&j, sc->gangs ? sc->recall_sum / (double)sc->gangs : 0, 4);
    fz_json_key(&j, "purity");
    fz_json_num(&j, sc->clustered ? (double)sc->majority / (double)sc->clustered : 0, 4);
    fz_json_key(&j, "organiser_top1");
    fz_json_num(&j, sc->gangs ? (double)sc->org_top1 / (double)sc->gangs : 0, 4);
    fz_json_key(&j, "organiser_top3");
    fz_json_num(&j, sc->gangs ? (double)sc->org_top3 / (double)sc->gangs : 0, 4);
    fz_json_key(&j, "noise_cases_clustered");
    fz_json_uint(&j, sc->noise_clustered);
    fz_json_key(&j, "load_s");
    fz_json_num(&j, load_s, 3);
    fz_json_key(&j, "link_s");
    fz_json_num(&j, link_s, 3);
    fz_json_obj_end(&j);
    if (j.rc == FZ_OK)
        printf("%s\n", out.ptr);
    fz_buf_release(&out);
    return j.rc ? CLI_RUNTIME : CLI_OK;
}

int cli_link_eval(const char *truth, const struct fz_link_set *s, const struct fz_link_result *r,
                  double load_s, double link_s)
{
    struct truth t = {0};
    fz_map_init(&t.case_gang);
    if (!truth_read(truth, &t)) {
        truth_release(&t);
        return CLI_USAGE;
    }
    size_t n = fz_link_set_ncases(s);
    uint32_t ng = t.ngangs, *gang = fz_calloc(n ? n : 1, sizeof *gang);
    uint32_t *size = fz_calloc(ng + 1, sizeof *size), *cnt = fz_calloc(ng + 1, sizeof *cnt);
    uint32_t *best_n = fz_calloc(ng + 1, sizeof *best_n);
    size_t *best = fz_calloc(ng + 1, sizeof *best);
    int code = CLI_RUNTIME;
    if (!gang || !size || !cnt || !best_n || !best) {
        cli_error("link", "out of memory");
        goto out;
    }
    for (size_t c = 0; c < n; c++) {
        const char *id = fz_link_set_case_id(s, (uint32_t)c);
        uintptr_t v = (uintptr_t)fz_map_get(&t.case_gang, id, strlen(id));
        gang[c] = v > 1 && v - 1 <= ng ? (uint32_t)(v - 1) : 0;
        size[gang[c]]++;
    }
    struct scores sc = {0};
    score_clusters(r, gang, ng, cnt, best_n, best, &sc);
    for (uint32_t g = 1; g <= ng; g++) {
        if (size[g] < 2)
            continue; /* a gang of one case is not a ring */
        sc.gangs++;
        sc.recall_sum += (double)best_n[g] / (double)size[g];
        if (best_n[g] && t.org[g]) {
            sc.org_top1 += org_in_top(r, best[g], t.org[g], 1);
            sc.org_top3 += org_in_top(r, best[g], t.org[g], 3);
        }
    }
    code = print_scores(&sc, s, r, load_s, link_s);
out:
    fz_free(gang);
    fz_free(size);
    fz_free(cnt);
    fz_free(best_n);
    fz_free(best);
    truth_release(&t);
    return code;
}
