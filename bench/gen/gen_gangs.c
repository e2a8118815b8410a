/*
 * gen_gangs: writes synthetic fraud cases with gangs as JSON Lines for fangzha link
 * (docs/link.md) and their ground truth (fangzha link --eval): the model is in gangs.h.
 * Usage: gen_gangs [--cases N] [--seed S] [--gang-share R] [--identifiers N] [--canonical]
 *        [--truth FILE]   (defaults 10000 cases, seed 1, 0.6 of them in gangs; cases on
 *        stdout; --identifiers adds one-off phones to reach about N identifiers in all)
 * Truth lines: "case<TAB>ID<TAB>GANG" (0: no gang), "organiser<TAB>GANG<TAB>KIND<TAB>VALUE".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gangs.h"

struct out {
    FILE *cases, *truth;
};

/* Writes s as a JSON string (the generator's values need no escapes but quotes and
 * backslashes are handled anyway). */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void on_case(void *ud, const struct gcase *c)
{
    struct out *o = ud;
    fprintf(o->cases,
            "{\"case_id\":\"%s\",\"fraud_type\":\"%s\",\"loss_fen\":%lld,\"identifiers\":[", c->id,
            gang_types[c->fraud_type], (long long)c->loss_fen);
    for (int i = 0; i < c->n; i++) {
        fprintf(o->cases, "%s{\"kind\":\"%s\",\"value\":", i ? "," : "",
                gk_names[c->ident[i].kind]);
        json_str(o->cases, c->ident[i].value);
        fputc('}', o->cases);
    }
    fputs("]}\n", o->cases);
    if (o->truth)
        fprintf(o->truth, "case\t%s\t%u\n", c->id, c->gang);
}

static void on_org(void *ud, uint32_t gang, int kind, const char *canon)
{
    struct out *o = ud;
    if (o->truth)
        fprintf(o->truth, "organiser\t%u\t%s\t%s\n", gang, gk_names[kind], canon);
}

int main(int argc, char **argv)
{
    struct gang_params p = {.seed = 1, .cases = 10000, .gang_share = 0.6};
    const char *truth = NULL;
    uint64_t want = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--cases") && v) {
            p.cases = (uint32_t)strtoul(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            p.seed = strtoull(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--gang-share") && v) {
            p.gang_share = strtod(v, NULL);
            i++;
        } else if (!strcmp(a, "--identifiers") && v) {
            want = strtoull(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--truth") && v) {
            truth = v;
            i++;
        } else if (!strcmp(a, "--canonical")) {
            p.canonical = true;
        } else {
            fprintf(stderr, "usage: gen_gangs [--cases N] [--seed S] [--gang-share R] "
                            "[--identifiers N] [--canonical] [--truth FILE]\n");
            return 2;
        }
    }
    if (p.gang_share < 0 || p.gang_share > 1) {
        fprintf(stderr, "gen_gangs: --gang-share must be in [0, 1]\n");
        return 2;
    }
    struct out o = {stdout, NULL};
    if (truth && !(o.truth = fopen(truth, "w"))) {
        perror(truth);
        return 1;
    }
    if (want)
        gang_fit_extra(&p, want);
    gang_generate(&p, on_case, on_org, &o);
    if ((o.truth && fclose(o.truth)) || fflush(stdout)) {
        fprintf(stderr, "gen_gangs: write error\n");
        return 1;
    }
    return 0;
}
