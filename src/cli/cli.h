/*
 * The fangzha command line: shared pieces of the subcommands. Only src/cli/ may print to
 * stderr or exit; everything below returns fz_rc.
 */
#ifndef FZ_CLI_H
#define FZ_CLI_H

#include "fangzha/fz.h"

/* Exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad usage or input. */
enum { CLI_OK = 0, CLI_RUNTIME = 1, CLI_USAGE = 2 };

/* Where a batch command's items come from. */
enum cli_input { CLI_IN_LINES, CLI_IN_TSV, CLI_IN_ARGS };

/* One item of a batch: its text and the line it came from (1-based; for arguments, the
 * argument's position). */
struct cli_item {
    struct fz_str text;
    size_t line;
};

/* The most one item's output line may hold (a verdict of a message with tens of thousands of
 * entities); an item over it is rejected with its line number, the same at any -j. */
#define CLI_MAX_OUTPUT_LINE ((size_t)16 << 20)

/* A subcommand's per-item work: render item into out (one JSON object, no newline). Returns
 * FZ_OK, or an error that rejects this item (err says why). */
typedef fz_rc cli_item_fn(void *ud, const struct cli_item *item, struct fz_buf *out,
                          struct fz_err *err);

/* A batch: reads items from args, a file or stdin, calls fn for each, writes the JSON lines to
 * stdout, and reports rejected items on stderr with their line number. */
struct cli_batch {
    const char *cmd; /* "extract", "check number", ... for messages */
    enum cli_input input;
    bool strict;            /* stop at the first rejected item */
    const char *tsv_column; /* TSV: the column holding the text ("text") */
    cli_item_fn *fn;
    void *ud;
    /* Parallel mode (jobs > 1): items are read in blocks and worker i calls fn with uds[i];
     * the output keeps the input order. */
    int jobs;
    void **uds;
};

/* Runs the batch over argv[0..argc) (CLI_IN_ARGS: the items themselves, "-" alone means stdin
 * lines; otherwise at most one FILE or "-"). Returns the exit code. */
int cli_batch_run(const struct cli_batch *b, int argc, char **argv);

/* The directory for caches (compiled rules): $FANGZHA_CACHE_DIR ("" turns caching off), else
 * $XDG_CACHE_HOME/fangzha, else $HOME/.cache/fangzha; NULL when none applies. May use buf. */
const char *cli_cache_dir(char *buf, size_t cap);

/* Prints "fangzha CMD: MESSAGE" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) FZ_PRINTF(2, 3);

/* Output formats: JSON Lines for tools (default), text for people. */
enum cli_format { CLI_FMT_JSON, CLI_FMT_TEXT };
/* Parses "json" or "text"; false for anything else (after printing why). */
bool cli_parse_format(const char *cmd, const char *s, enum cli_format *out);

/* One-line summaries for --format text (appended to out). */
fz_rc cli_text_phone(struct fz_buf *out, const struct fz_phone *p);
fz_rc cli_text_url(struct fz_buf *out, const struct fz_url *u);
/* Appends s[0..len) padded with spaces to width terminal columns (CJK counts two). */
fz_rc cli_text_pad(struct fz_buf *out, const char *s, size_t len, size_t width);
fz_rc cli_text_flags(struct fz_buf *out, uint32_t flags, const char *(*name)(uint32_t));

/* Parses the options shared by the commands that read messages (--tsv, --column, --format,
 * --strict, --help) into b and *format, leaving optind at the first operand. Returns -1 to go
 * on, or the exit code to return (after --help or a bad option). */
int cli_text_batch_opts(int argc, char **argv, const char *usage, struct cli_batch *b,
                        enum cli_format *format);

/* Subcommands: each parses its own options (argv[0] is the command name). */
int cmd_cdr(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
