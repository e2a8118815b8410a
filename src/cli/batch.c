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

struct run {
    const struct cli_batch *b;
    struct fz_buf out;
    size_t rejected;
    bool failed; /* a runtime failure (out of memory, write error) */
};

static void reject(struct run *r, size_t line, const struct fz_err *err)
{
    r->rejected++;
    if (err->field[0])
        cli_error(r->b->cmd, "line %zu: field '%s': %s", line, err->field, err->msg);
    else
        cli_error(r->b->cmd, "line %zu: %s", line, err->msg);
}

/* Handles one item; returns false when the batch must stop. */
static bool one(struct run *r, struct fz_str text, size_t line)
{
    struct fz_err err = {0};
    struct cli_item item = {text, line};
    fz_buf_reset(&r->out);
    fz_rc rc = r->b->fn(r->b->ud, &item, &r->out, &err);
    if (rc == FZ_ENOMEM) {
        cli_error(r->b->cmd, "line %zu: out of memory", line);
        r->failed = true;
        return false;
    }
    if (rc) {
        if (!err.msg[0])
            fz_err_set(&err, rc, "%s", fz_strerror(rc));
        reject(r, line, &err);
        return !r->b->strict;
    }
    if (fz_buf_addc(&r->out, '\n') || fwrite(r->out.ptr, 1, r->out.len, stdout) != r->out.len) {
        cli_error(r->b->cmd, "cannot write output: %s", strerror(errno));
        r->failed = true;
        return false;
    }
    return true;
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

int cli_batch_run(const struct cli_batch *b, int argc, char **argv)
{
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    struct run r = {.b = b};
    fz_buf_init(&r.out, FZ_CAP_LINE * 8);
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
