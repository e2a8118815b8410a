/* fangzha normalize: prints the normalized text the engines see, one JSON object per line. */
#include "compat.h"

#include "cli.h"

#include <unistd.h>

static const char usage[] =
    "usage: fangzha normalize [--tsv] [--column NAME] [--format json|text] [--strict] [FILE | -]\n"
    "\n"
    "Reads one message per line (or the canonical TSV layout with --tsv) from FILE or stdin and\n"
    "prints {\"line\", \"text\", \"obfuscation\", \"undone\"} per message: the normalized text,\n"
    "the obfuscation score (0..1) and the counts of what the normalizer undid.\n"
    "\n"
    "options:\n"
    "  --tsv           input is TSV with a header (shared/data/canonical layout)\n"
    "  --column NAME   the TSV column with the text (default: text)\n"
    "  --format F      json (default: JSON Lines) or text (readable)\n"
    "  --strict        stop at the first rejected line\n"
    "  -h, --help      this help\n"
    "\n"
    "Lines over 1 MiB are rejected on stderr with their line number; the exit code is then 2.\n";

static void undone_json(struct fz_json *j, const struct fz_text_undone *u)
{
    const struct {
        const char *key;
        uint32_t v;
    } f[] = {{"fullwidth", u->fullwidth},
             {"confusables", u->confusables},
             {"traditional", u->traditional},
             {"cn_numerals", u->cn_numerals},
             {"separators", u->separators},
             {"zero_width", u->zero_width},
             {"emoji", u->emoji},
             {"invalid_utf8", u->invalid_utf8}};
    fz_json_key(j, "undone");
    fz_json_obj(j);
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        fz_json_key(j, f[i].key);
        fz_json_uint(j, f[i].v);
    }
    fz_json_obj_end(j);
}

struct normalize_run {
    struct fz_text text;
    enum cli_format format;
};

static fz_rc normalize_one(void *ud, const struct cli_item *item, struct fz_buf *out,
                           struct fz_err *err)
{
    struct normalize_run *r = ud;
    struct fz_text *t = &r->text;
    fz_rc rc = fz_text_normalize(item->text.ptr, item->text.len, t);
    if (rc)
        return fz_err_set(err, rc, "cannot normalize: %s", fz_strerror(rc));
    if (r->format == CLI_FMT_TEXT)
        return fz_buf_addf(out, "#%zu obfuscation %.2f | %.*s", item->line, t->obfuscation,
                           (int)t->len, t->ptr);
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "line");
    fz_json_uint(&j, item->line);
    fz_json_key(&j, "text");
    fz_json_str(&j, t->ptr, t->len);
    fz_json_key(&j, "obfuscation");
    fz_json_num(&j, t->obfuscation, 3);
    undone_json(&j, &t->undone);
    fz_json_obj_end(&j);
    return j.rc;
}

int cmd_normalize(int argc, char **argv)
{
    struct cli_batch b = {.cmd = "normalize", .fn = normalize_one};
    struct normalize_run r;
    int code = cli_text_batch_opts(argc, argv, usage, &b, &r.format);
    if (code >= 0)
        return code;
    fz_text_init(&r.text);
    b.ud = &r;
    code = cli_batch_run(&b, argc - optind, argv + optind);
    fz_text_release(&r.text);
    return code;
}
