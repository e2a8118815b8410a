/*
 * fangzha check number|url: normalize and judge phone numbers or URLs given as arguments or
 * one per line, one JSON object per input.
 */
#include "compat.h"

#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: fangzha check number [--format json|text] [--strict] [NUMBER... | -]\n"
    "       fangzha check url [--format json|text] [--strict] [URL... | -]\n"
    "\n"
    "Reads the arguments, or one item per line from stdin when there are none or the only\n"
    "argument is '-', and prints one JSON object per item:\n"
    "  number: {\"input\", \"valid\", \"e164\", \"class\", \"country_code\", \"flags\", \"risk\",\n"
    "           \"reasons\"}\n"
    "  url:    {\"input\", \"valid\", \"url\", \"host\", \"registrable_domain\", \"flags\",\n"
    "           \"lookalike_of\", \"risk\", \"reasons\"}\n"
    "An item that is not a number or URL is an answer (\"valid\": false), not an error; lines\n"
    "over 1 MiB are rejected on stderr with their line number.\n"
    "\n"
    "options:\n"
    "  --format F   json (default: JSON Lines) or text (one readable line per item)\n"
    "  --strict     stop at the first rejected line\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or a rejected line.\n";

static fz_rc check_number(void *ud, const struct cli_item *item, struct fz_buf *out,
                          struct fz_err *err)
{
    const enum cli_format *format = ud;
    struct fz_phone p;
    fz_rc rc = fz_phone_normalize(item->text.ptr, item->text.len, &p);
    if (rc == FZ_ETOOBIG)
        return fz_err_set(err, rc, "number of %zu bytes is too long to be a phone number",
                          item->text.len);
    if (*format == CLI_FMT_TEXT) {
        rc = cli_text_pad(out, item->text.ptr, item->text.len, 24);
        if (!rc)
            rc = fz_buf_adds(out, " -> ");
        return rc ? rc : cli_text_phone(out, &p);
    }
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "input");
    fz_json_str(&j, item->text.ptr, item->text.len);
    fz_phone_json(&j, &p);
    fz_json_obj_end(&j);
    return j.rc;
}

struct url_run {
    struct fz_url_ctx *ctx;
    struct fz_arena arena;
    enum cli_format format;
};

static fz_rc check_url(void *ud, const struct cli_item *item, struct fz_buf *out,
                       struct fz_err *err)
{
    struct url_run *u = ud;
    fz_arena_reset(&u->arena);
    struct fz_url url;
    fz_rc rc = fz_url_analyze(u->ctx, item->text.ptr, item->text.len, &u->arena, &url);
    if (rc == FZ_ETOOBIG)
        return fz_err_set(err, rc, "URL of %zu bytes is too long", item->text.len);
    if (rc)
        return rc;
    if (u->format == CLI_FMT_TEXT) {
        rc = cli_text_pad(out, item->text.ptr, item->text.len, 34);
        if (!rc)
            rc = fz_buf_adds(out, " -> ");
        return rc ? rc : cli_text_url(out, &url);
    }
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "input");
    fz_json_str(&j, item->text.ptr, item->text.len);
    fz_url_json_fields(&j, &url);
    fz_json_obj_end(&j);
    return j.rc;
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"strict", no_argument, NULL, 's'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    bool strict = false;
    enum cli_format format = CLI_FMT_JSON;
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    const char *what = argv[1];
    argc--, argv++;
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
        if (c == 's') {
            strict = true;
        } else if (c == 'f') {
            if (!cli_parse_format("check", optarg, &format))
                return CLI_USAGE;
        } else if (c == 'h') {
            fputs(usage, stdout);
            return CLI_OK;
        } else {
            fputs(usage, stderr);
            return CLI_USAGE;
        }
    }
    struct cli_batch b = {.input = CLI_IN_ARGS, .strict = strict};
    if (!strcmp(what, "number")) {
        b.cmd = "check number";
        b.fn = check_number;
        b.ud = &format;
        return cli_batch_run(&b, argc - optind, argv + optind);
    }
    if (strcmp(what, "url") != 0) {
        cli_error("check", "unknown kind '%s': expected number or url", what);
        return CLI_USAGE;
    }
    struct url_run u;
    if (fz_url_ctx_new(&u.ctx) != FZ_OK) {
        cli_error("check url", "cannot load the URL lists: out of memory");
        return CLI_RUNTIME;
    }
    fz_arena_init(&u.arena, 0);
    u.format = format;
    b.cmd = "check url";
    b.fn = check_url;
    b.ud = &u;
    int code = cli_batch_run(&b, argc - optind, argv + optind);
    fz_arena_release(&u.arena);
    fz_url_ctx_free(u.ctx);
    return code;
}
