/*
 * cli/batch: the loop every batch command shares. Items come from arguments, from lines of a
 * file or stdin, or from a column of the canonical TSV layout. Each item's JSON line goes to
 * stdout; a rejected item is reported on stderr with its line number and why, the batch goes
 * on (or stops with --strict), and the exit code is 2 if anything was rejected.
 */
#include "compat.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fangzha%s%s: ", cmd[0] ? " " : "", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Items gathered for the workers of a parallel batch: texts copied into one buffer. */
#define BLOCK_ITEMS 4096
#define MAX_WORKERS 64 /* the most jobs a command may ask for */
struct block {
    struct fz_buf texts;
    size_t n;
    size_t off[BLOCK_ITEMS], len[BLOCK_ITEMS], line[BLOCK_ITEMS];
    /* results, by item */
    fz_rc rc[BLOCK_ITEMS];
    struct fz_err err[BLOCK_ITEMS];
    size_t out_off[BLOCK_ITEMS], out_len[BLOCK_ITEMS];
};

struct worker {
    pthread_t thread;
    struct run *r;
    int index;
    struct fz_buf out;
};

struct run {
    const struct cli_batch *b;
    struct fz_buf out;
    size_t rejected;
    bool failed;  /* a runtime failure (out of memory, write error) */
    bool stopped; /* --strict met a rejected item */
    struct block *block;
    struct worker *workers;
};

static void reject(struct run *r, size_t line, const struct fz_err *err)
{
    r->rejected++;
    if (err->field[0])
        cli_error(r->b->cmd, "line %zu: field '%s': %s", line, err->field, err->msg);
    else
        cli_error(r->b->cmd, "line %zu: %s", line, err->msg);
}

static bool write_line(struct run *r, const char *p, size_t n)
{
    if (fwrite(p, 1, n, stdout) != n || putchar('\n') == EOF) {
        cli_error(r->b->cmd, "cannot write output: %s", strerror(errno));
        r->failed = true;
        return false;
    }
    return true;
}

/* Reports an item's result; returns false when the batch must stop. */
static bool settle(struct run *r, fz_rc rc, struct fz_err *err, size_t line)
{
    if (rc == FZ_ENOMEM) {
        cli_error(r->b->cmd, "line %zu: out of memory", line);
        r->failed = true;
        return false;
    }
    if (!err->msg[0])
        fz_err_set(err, rc, "%s", fz_strerror(rc));
    reject(r, line, err);
    r->stopped = r->b->strict;
    return !r->b->strict;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct block *bl = w->r->block;
    int jobs = w->r->b->jobs;
    fz_buf_reset(&w->out);
    /* A contiguous share of the block: workers never write next to each other's results. */
    size_t from = bl->n * (size_t)w->index / (size_t)jobs;
    size_t to = bl->n * (size_t)(w->index + 1) / (size_t)jobs;
    for (size_t i = from; i < to; i++) {
        struct cli_item item = {{bl->texts.ptr + bl->off[i], bl->len[i]}, bl->line[i]};
        size_t before = w->out.len;
        memset(&bl->err[i], 0, sizeof bl->err[i]);
        bl->rc[i] = w->r->b->fn(w->r->b->uds[w->index], &item, &w->out, &bl->err[i]);
        bl->out_off[i] = before;
        bl->out_len[i] = w->out.len - before;
    }
    return NULL;
}

/* Screens the gathered block on the workers, then writes the results in input order. */
static bool flush_block(struct run *r)
{
    struct block *bl = r->block;
    /* Workers 1.. run on threads, worker 0 on this one; a worker whose thread cannot start
     * is run here too. */
    int jobs = r->b->jobs;
    bool started[MAX_WORKERS] = {false};
    for (int i = 1; i < jobs; i++)
        started[i] = !pthread_create(&r->workers[i].thread, NULL, work, &r->workers[i]);
    work(&r->workers[0]);
    for (int i = 1; i < jobs; i++) {
        if (started[i])
            pthread_join(r->workers[i].thread, NULL);
        else
            work(&r->workers[i]);
    }
    bool go_on = true;
    for (size_t i = 0, w = 0; i < bl->n && go_on; i++) {
        while (i >= bl->n * (w + 1) / (size_t)jobs) /* the worker whose share holds i */
            w++;
        if (bl->rc[i])
            go_on = settle(r, bl->rc[i], &bl->err[i], bl->line[i]);
        else
            go_on = write_line(r, r->workers[w].out.ptr + bl->out_off[i], bl->out_len[i]);
    }
    bl->n = 0;
    fz_buf_reset(&bl->texts);
    return go_on;
}

/* Parallel mode: adds the item to the block, flushing it when full. */
static bool gather(struct run *r, struct fz_str text, size_t line)
{
    struct block *bl = r->block;
    if (bl->n == BLOCK_ITEMS || bl->texts.len + text.len > bl->texts.max - 1) {
        if (!flush_block(r))
            return false;
    }
    bl->off[bl->n] = bl->texts.len;
    bl->len[bl->n] = text.len;
    bl->line[bl->n] = line;
    if (fz_buf_add(&bl->texts, text.ptr, text.len)) {
        cli_error(r->b->cmd, "line %zu: out of memory", line);
        r->failed = true;
        return false;
    }
    bl->n++;
    return true;
}

/* Handles one item; returns false when the batch must stop. */
static bool one(struct run *r, struct fz_str text, size_t line)
{
    if (r->block)
        return gather(r, text, line);
    struct fz_err err = {0};
    struct cli_item item = {text, line};
    fz_buf_reset(&r->out);
    fz_rc rc = r->b->fn(r->b->ud, &item, &r->out, &err);
    if (rc)
        return settle(r, rc, &err, line);
    return write_line(r, r->out.ptr, r->out.len);
}

static void run_lines(struct run *r, FILE *f)
{
    struct fz_lines lines;
    fz_lines_init(&lines, f, FZ_CAP_LINE);
    for (;;) {
        struct fz_str line;
        struct fz_err err = {0};
        fz_rc rc = fz_lines_next(&lines, &line, &err);
        if (rc == FZ_EOF)
            break;
        if (rc == FZ_ETOOBIG || rc == FZ_EPARSE) {
            reject(r, err.line, &err);
            if (r->b->strict)
                break;
            continue;
        }
        if (rc) {
            cli_error(r->b->cmd, "line %zu: %s", err.line, err.msg);
            r->failed = true;
            break;
        }
        if (!one(r, line, lines.lineno))
            break;
    }
    fz_lines_release(&lines);
}

static void run_tsv(struct run *r, FILE *f)
{
    struct fz_tsv t;
    struct fz_err err = {0};
    fz_rc rc = fz_tsv_open(&t, f, FZ_CAP_LINE, &err);
    int col = rc ? -1 : fz_tsv_col(&t, r->b->tsv_column);
    if (!rc && col < 0)
        rc = fz_err_setloc(&err, FZ_EPARSE, 1, r->b->tsv_column, "header has no '%s' column",
                           r->b->tsv_column);
    if (rc) {
        reject(r, err.line, &err);
        fz_tsv_release(&t);
        return;
    }
    while ((rc = fz_tsv_next(&t, &err)) != FZ_EOF) {
        if (rc == FZ_EPARSE || rc == FZ_ETOOBIG) {
            reject(r, err.line, &err);
            if (r->b->strict)
                break;
            continue;
        }
        if (rc) {
            cli_error(r->b->cmd, "line %zu: %s", err.line, err.msg);
            r->failed = true;
            break;
        }
        if (!one(r, t.field[col], t.lines.lineno))
            break;
    }
    fz_tsv_release(&t);
}

static bool run_file(struct run *r, const char *path)
{
    FILE *f = stdin;
    if (strcmp(path, "-") != 0 && !(f = fopen(path, "r"))) {
        cli_error(r->b->cmd, "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    if (r->b->input == CLI_IN_TSV)
        run_tsv(r, f);
    else
        run_lines(r, f);
    if (f != stdin)
        fclose(f);
    return true;
}

/* Sets up the block and workers of a parallel batch. */
static bool parallel_init(struct run *r)
{
    if (!(r->block = fz_calloc(1, sizeof *r->block)) ||
        !(r->workers = fz_calloc((size_t)r->b->jobs, sizeof *r->workers))) {
        cli_error(r->b->cmd, "out of memory");
        return false;
    }
    fz_buf_init(&r->block->texts, 64 * FZ_CAP_LINE);
    for (int i = 0; i < r->b->jobs; i++) {
        r->workers[i].r = r;
        r->workers[i].index = i;
        fz_buf_init(&r->workers[i].out, (size_t)-1 / 2);
    }
    return true;
}

static void parallel_release(struct run *r)
{
    if (r->workers)
        for (int i = 0; i < r->b->jobs; i++)
            fz_buf_release(&r->workers[i].out);
    if (r->block)
        fz_buf_release(&r->block->texts);
    fz_free(r->workers);
    fz_free(r->block);
}

int cli_batch_run(const struct cli_batch *b, int argc, char **argv)
{
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    struct run r = {.b = b};
    fz_buf_init(&r.out, CLI_MAX_OUTPUT_LINE);
    if (b->jobs > MAX_WORKERS) {
        cli_error(b->cmd, "at most %d jobs", MAX_WORKERS);
        return CLI_USAGE;
    }
    if (b->jobs > 1 && !parallel_init(&r)) {
        parallel_release(&r);
        return CLI_RUNTIME;
    }
    int code = CLI_OK;
    if (b->input == CLI_IN_ARGS && !(argc == 1 && !strcmp(argv[0], "-")) && argc > 0) {
        for (int i = 0; i < argc; i++)
            if (!one(&r, (struct fz_str){argv[i], strlen(argv[i])}, (size_t)i + 1))
                break;
    } else if (argc > 1) {
        cli_error(b->cmd, "expected at most one FILE, got %d", argc);
        code = CLI_USAGE;
    } else if (!run_file(&r, argc ? argv[0] : "-")) {
        code = CLI_RUNTIME;
    }
    if (r.block && r.block->n && !r.failed && !r.stopped)
        flush_block(&r);
    parallel_release(&r);
    if (fflush(stdout) != 0 && !r.failed) {
        cli_error(b->cmd, "cannot write output: %s", strerror(errno));
        r.failed = true;
    }
    fz_buf_release(&r.out);
    if (r.failed)
        return CLI_RUNTIME;
    if (code)
        return code;
    return r.rejected ? CLI_USAGE : CLI_OK;
}

int cli_text_batch_opts(int argc, char **argv, const char *usage, struct cli_batch *b,
                        enum cli_format *format)
{
    static const struct option opts[] = {
        {"tsv", no_argument, NULL, 't'},          {"column", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'}, {"strict", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0}};
    b->input = CLI_IN_LINES;
    b->tsv_column = "text";
    *format = CLI_FMT_JSON;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        switch (c) {
        case 't': b->input = CLI_IN_TSV; break;
        case 'c': b->tsv_column = optarg; break;
        case 'f':
            if (!cli_parse_format(b->cmd, optarg, format))
                return CLI_USAGE;
            break;
        case 's': b->strict = true; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    return -1;
}
