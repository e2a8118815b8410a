/*
 * cdr.h: what the two files of `fangzha cdr` share — cmd_cdr.c (options, reading records into
 * the engine, analyze, stream) and cdr_eval.c (labels, train, eval).
 */
#ifndef FZ_CLI_CDR_H
#define FZ_CLI_CDR_H

#include "fangzha/calls.h"

#include <stdio.h>

/* cdr train: the share of the legitimate training numbers that may come near the flag
 * threshold on the model alone (the model's operating point; docs/cdr.md). */
#define MODEL_MAX_FPR 0.0

struct cdr_cli {
    const char *sub;
    struct fz_calls_config cfg;
    const char *model, *whitelist, *labels, *out, *victims, *alerts_path, *checkpoint;
    bool strict, flagged_only;
    uint64_t ck_rows;
    struct fz_calls *engine;
    FILE *alerts;          /* analyze/eval: --alerts */
    struct fz_map alerted; /* eval: "resident|number" → highest grade + 1 */
    uint64_t bad;
    bool failed; /* out of memory in a callback */
};

struct label {
    char number[24];
    char archetype[24];
    bool is_fraud, seen;
};

struct labels {
    struct label *v;
    size_t n;
    struct fz_map by_number; /* canonical number → struct label * */
};

/* Splits line into at most max comma-separated fields (no quoting: these are our own files). */
int cdr_split(char *line, char **f, int max);
/* The canonical text of a number (as the engine keeps it) into out; false when not a number. */
bool cdr_canonical(const char *s, char *out, size_t cap);
/* Opens k->engine (from the checkpoint when there is one) with model and whitelist; -1 to go on,
 * or an exit code. */
int cdr_open_engine(struct cdr_cli *k, uint64_t *skip);
/* Runs the engine over the file operand (or stdin) to its end; -1 to go on, or an exit code. */
int cdr_run_file(struct cdr_cli *k, int argc, char **argv);

/* cdr_eval.c */
int cdr_load_labels(const char *path, struct labels *l);
void cdr_labels_release(struct labels *l);
int cdr_train_model(struct cdr_cli *k, const struct labels *l, int argc, char **argv);
int cdr_evaluate(struct cdr_cli *k, struct labels *l);

#endif
