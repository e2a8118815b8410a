/*
 * fangzha scan: screens messages and prints one verdict per message (JSON Lines): score,
 * label, fraud type, action, the reasons with spans into the original text, and the entities.
 */
#include "compat.h"

#include "cli.h"
#include "email.h" /* scan --email: scan_email.c */

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#ifndef FZ_DEFAULT_RULES_DIR
#define FZ_DEFAULT_RULES_DIR "rules"
#endif

static const char usage[] =
    "usage: fangzha scan [--model MODEL] [--rules DIR | --no-rules] [--jsonl | --tsv]\n"
    "                    [--column NAME] [--format json|text] [--strict] [FILE | -]\n"
    "\n"
    "Screens one message per line (or JSON Lines {\"id\", \"text\", \"channel\", \"sender\"}\n"
    "with --jsonl, or the canonical TSV layout with --tsv) and prints one verdict per message:\n"
    "  {\"id\", \"score\" (0-100), \"label\" (fraud|spam|ham), \"fraud_type\", \"action\"\n"
    "   (allow|warn|block), \"reasons\": [{\"rule\" | \"signal\", \"weight\", \"description_zh\",\n"
    "   \"description_en\", \"span\": [start, end]}], \"entities\": {...as fangzha extract...}}\n"
    "Spans are byte offsets into the original message. id is the input's id, else its line.\n"
    "\n"
    "options:\n"
    "  --model MODEL   a model file from fangzha train (without one: rules and entities only)\n"
    "  --rules DIR     the *.rules files to use (default: " FZ_DEFAULT_RULES_DIR ")\n"
    "  --no-rules      no rules (model and entities only)\n"
    "  --jsonl         input is JSON Lines with \"text\" (and optional \"id\")\n"
    "  --tsv           input is TSV with a header (shared/data/canonical layout)\n"
    "  --column NAME   the TSV column with the text (default: text)\n"
    "  --email         each FILE (or stdin) is one RFC 5322 e-mail; id is the file name\n"
    "  --format F      json (default) or text (readable)\n"
    "  --strict        stop at the first rejected line\n"
    "  -j, --jobs N    screen on N threads (1-64, default 1); output stays in input order\n"
    "  -h, --help      this help\n"
    "\n"
    "Compiled rules are cached in $FANGZHA_CACHE_DIR (\"\" turns it off), else\n"
    "$XDG_CACHE_HOME/fangzha, else ~/.cache/fangzha: the first run compiles (seconds), later\n"
    "runs with the same rules load in milliseconds.\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure (unreadable model or rules), 2 bad usage or a\n"
    "rejected line (reported on stderr with its line number).\n";

struct scan_run {
    struct fz_screen *screen;
    struct fz_screen_ctx *ctx;
    enum cli_format format;
    bool jsonl;
};

#define MAX_JOBS 64

static fz_rc verdict_json(struct fz_buf *out, const char *id, size_t line,
                          const struct fz_verdict *v, const char *orig)
{
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    if (id)
        fz_json_cstr(&j, id);
    else
        fz_json_uint(&j, line);
    fz_verdict_json(&j, v, orig);
    fz_json_obj_end(&j);
    return j.rc;
}

/* The text on one line for people: line breaks and tabs as spaces, at most TEXT_SHOWN bytes
 * (cut at a character boundary, then "…"). */
#define TEXT_SHOWN 240
static fz_rc one_line(struct fz_buf *out, struct fz_str text)
{
    size_t n = text.len;
    if (n > TEXT_SHOWN) {
        n = TEXT_SHOWN;
        while (n > 0 && ((unsigned char)text.ptr[n] & 0xC0) == 0x80)
            n--;
    }
    fz_rc rc = FZ_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char c = text.ptr[i];
        rc = fz_buf_addc(out, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    return !rc && n < text.len ? fz_buf_adds(out, "…") : rc;
}

static fz_rc verdict_text(struct fz_buf *out, const char *id, size_t line,
                          const struct fz_verdict *v, struct fz_str text)
{
    fz_rc rc = id ? fz_buf_addf(out, "#%s ", id) : fz_buf_addf(out, "#%zu ", line);
    if (!rc)
        rc = fz_buf_addf(out, "%-5s %3d %-5s %s | ", fz_action_name(v->action), v->score,
                         fz_label_name(v->label),
                         v->fraud_type >= 0 ? fz_fraud_type_name(v->fraud_type) : "-");
    if (!rc)
        rc = one_line(out, text);
    for (size_t i = 0; i < v->nreasons && !rc; i++) {
        const struct fz_verdict_reason *r = &v->reasons[i];
        rc = fz_buf_addf(out, "\n    +%-3d %s", r->weight, r->zh);
        if (!rc && r->has_span)
            rc = fz_buf_addf(out, "「%.*s」", (int)(r->end - r->start), text.ptr + r->start);
    }
    return rc;
}

/* What one input line says: the text, and from JSON Lines an id and a sender (strings owned by
 * the parsed document). */
struct scan_input {
    struct fz_str text;
    const char *id;       /* or NULL: the line number */
    struct fz_str sender; /* ptr NULL: none */
};

/* An optional string member; FZ_EINVAL with the field when it is there and not a string. */
static fz_rc opt_string(json_t *doc, const char *key, size_t line, struct fz_str *out,
                        struct fz_err *err)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        return FZ_OK;
    if (!json_is_string(v))
        return fz_err_setloc(err, FZ_EINVAL, line, key, "\"%s\" must be a string", key);
    *out = (struct fz_str){json_string_value(v), json_string_length(v)};
    return FZ_OK;
}

static fz_rc jsonl_item(const struct cli_item *item, json_t **doc, struct scan_input *in,
                        struct fz_err *err)
{
    fz_rc rc = fz_json_parse(item->text.ptr, item->text.len, doc, err);
    if (rc)
        return rc;
    json_t *t = json_object_get(*doc, "text");
    if (!json_is_object(*doc) || !json_is_string(t))
        return fz_err_setloc(err, FZ_EINVAL, item->line, "text",
                             "expected an object with a string \"text\"");
    in->text = (struct fz_str){json_string_value(t), json_string_length(t)};
    struct fz_str id = {NULL, 0}, channel = {NULL, 0};
    if ((rc = opt_string(*doc, "id", item->line, &id, err)) ||
        (rc = opt_string(*doc, "sender", item->line, &in->sender, err)) ||
        (rc = opt_string(*doc, "channel", item->line, &channel, err)))
        return rc;
    in->id = id.ptr;
    static const char *const channels[] = {"sms", "chat", "email", "call", "other"};
    bool known = channel.ptr == NULL;
    for (size_t i = 0; i < sizeof channels / sizeof *channels && !known; i++)
        known = !strcmp(channel.ptr, channels[i]);
    if (!known)
        return fz_err_setloc(err, FZ_EINVAL, item->line, "channel",
                             "\"channel\" must be sms, chat, email, call or other");
    if (in->sender.ptr && in->sender.len > 256)
        return fz_err_setloc(err, FZ_EINVAL, item->line, "sender", "\"sender\" is over 256 bytes");
    return FZ_OK;
}

static fz_rc scan_one(void *ud, const struct cli_item *item, struct fz_buf *out, struct fz_err *err)
{
    struct scan_run *r = ud;
    struct scan_input in = {item->text, NULL, {NULL, 0}};
    json_t *doc = NULL;
    fz_rc rc = r->jsonl ? jsonl_item(item, &doc, &in, err) : FZ_OK;
    struct fz_str text = in.text;
    const char *id = in.id;
    struct fz_verdict v;
    if (!rc && (rc = fz_screen_message_from(r->screen, r->ctx, text.ptr, text.len, in.sender.ptr,
                                            in.sender.len, &v)))
        fz_err_set(err, rc, "cannot screen: %s", fz_strerror(rc));
    size_t before = out->len;
    if (!rc)
        rc = r->format == CLI_FMT_TEXT ? verdict_text(out, id, item->line, &v, text)
                                       : verdict_json(out, id, item->line, &v, text.ptr);
    if (rc == FZ_ETOOBIG || (!rc && out->len - before > CLI_MAX_OUTPUT_LINE)) {
        size_t n = 0;
        for (int k = 0; k < FZ_ENT__COUNT; k++)
            n += v.entities.count[k];
        out->len = before;
        rc = fz_err_set(err, FZ_ETOOBIG,
                        "the verdict is over the %zu MiB output limit (%zu entities)",
                        CLI_MAX_OUTPUT_LINE >> 20, n);
    }
    json_decref(doc);
    return rc;
}

struct scan_opts {
    const char *model, *rules;
    bool no_rules;
    bool email; /* --email: cli_scan_email in scan_email.c */
};

static int parse(int argc, char **argv, struct cli_batch *b, struct scan_run *r,
                 struct scan_opts *o)
{
    static const struct option opts[] = {
        {"model", required_argument, NULL, 'm'},  {"rules", required_argument, NULL, 'r'},
        {"no-rules", no_argument, NULL, 'n'},     {"jsonl", no_argument, NULL, 'J'},
        {"tsv", no_argument, NULL, 't'},          {"email", no_argument, NULL, 'E'},
        {"column", required_argument, NULL, 'c'}, {"format", required_argument, NULL, 'f'},
        {"strict", no_argument, NULL, 's'},       {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0}};
    optind = 0;
    for (int c; (c = getopt_long(argc, argv, "hj:", opts, NULL)) != -1;) {
        switch (c) {
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) {
                cli_error("scan", "--jobs wants a number from 1 to 64, not '%s'", optarg);
                return CLI_USAGE;
            }
            b->jobs = (int)n;
            break;
        }
        case 'm': o->model = optarg; break;
        case 'r': o->rules = optarg; break;
        case 'n': o->no_rules = true; break;
        case 'J': r->jsonl = true; break;
        case 't': b->input = CLI_IN_TSV; break;
        case 'E': o->email = true; break;
        case 'c': b->tsv_column = optarg; break;
        case 'f':
            if (!cli_parse_format("scan", optarg, &r->format))
                return CLI_USAGE;
            break;
        case 's': b->strict = true; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (r->jsonl && b->input == CLI_IN_TSV) {
        cli_error("scan", "--jsonl and --tsv exclude each other");
        return CLI_USAGE;
    }
    return -1;
}

/* Loads the model and rules the options name and creates the engine. */
static int setup(const struct scan_opts *o, struct fz_model **model, struct scan_run *r)
{
    struct fz_err err = {0};
    struct fz_rules *rules = NULL;
    if (o->model && fz_model_open(o->model, model, &err) != FZ_OK) {
        cli_error("scan", "model '%s': %s", o->model, err.msg);
        return CLI_RUNTIME;
    }
    char cache[4096];
    if (!o->no_rules &&
        fz_rules_load_dir(o->rules, cli_cache_dir(cache, sizeof cache), &rules, &err) != FZ_OK) {
        if (err.line)
            cli_error("scan", "rules: line %zu: %s", err.line, err.msg);
        else
            cli_error("scan", "rules '%s': %s", o->rules, err.msg);
        return CLI_RUNTIME;
    }
    fz_rc rc = fz_screen_new(NULL, *model, rules, &r->screen);
    fz_rules_unref(rules);
    if (!rc)
        rc = fz_screen_ctx_new(r->screen, &r->ctx);
    if (rc) {
        cli_error("scan", "cannot set up the screening engine: %s", fz_strerror(rc));
        return CLI_RUNTIME;
    }
    return -1;
}

/* One run state (and screening context) per job; run[0] is the sequential one. */
static int make_jobs(struct cli_batch *b, struct scan_run *run, void **uds)
{
    int jobs = b->jobs > 1 ? b->jobs : 1;
    for (int i = 0; i < jobs; i++) {
        if (i > 0) {
            run[i] = run[0];
            run[i].ctx = NULL;
            if (fz_screen_ctx_new(run[0].screen, &run[i].ctx) != FZ_OK) {
                cli_error("scan", "out of memory");
                return CLI_RUNTIME;
            }
        }
        uds[i] = &run[i];
    }
    b->ud = &run[0];
    b->uds = uds;
    return -1;
}

int cmd_scan(int argc, char **argv)
{
    struct cli_batch b = {
        .cmd = "scan", .input = CLI_IN_LINES, .tsv_column = "text", .fn = scan_one, .jobs = 1};
    static struct scan_run run[MAX_JOBS];
    void *uds[MAX_JOBS];
    run[0] = (struct scan_run){.format = CLI_FMT_JSON};
    struct scan_opts o = {.rules = FZ_DEFAULT_RULES_DIR};
    int code = parse(argc, argv, &b, &run[0], &o);
    if (code >= 0)
        return code;
    struct fz_model *model = NULL;
    code = setup(&o, &model, &run[0]);
    if (code < 0)
        code = make_jobs(&b, run, uds);
    if (code < 0)
        code = o.email ? cli_scan_email(&b, &run[0].jsonl, argc - optind, argv + optind)
                       : cli_batch_run(&b, argc - optind, argv + optind);
    for (int i = 0; i < b.jobs; i++)
        fz_screen_ctx_free(run[i].ctx);
    fz_screen_free(run[0].screen);
    fz_model_close(model);
    return code;
}
