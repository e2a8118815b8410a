/*
 * fangzha extract: the entities of each message (phones, URLs, e-mails, bank cards, ID
 * numbers, QQ, WeChat, amounts) with byte offsets into the original line, as JSON Lines.
 */
#include "compat.h"

#include "cli.h"

#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: fangzha extract [--tsv] [--column NAME] [--format json|text] [--strict] [FILE | -]\n"
    "\n"
    "Reads one message per line (or the canonical TSV layout with --tsv) from FILE or stdin and\n"
    "prints one JSON object per message:\n"
    "  {\"line\", \"phones\", \"urls\", \"emails\", \"bank_cards\", \"id_numbers\", \"qq\",\n"
    "   \"wechat\", \"amounts_fen\", \"obfuscation\"}\n"
    "Each entity is {\"raw\", \"value\", \"start\", \"end\"} with byte offsets into the original\n"
    "line (end exclusive); phones add \"e164\" and \"class\", URLs add \"host\",\n"
    "\"registrable_domain\" and \"flags\"; amounts have the value in fen.\n"
    "\n"
    "options:\n"
    "  --tsv           input is TSV with a header (shared/data/canonical layout)\n"
    "  --column NAME   the TSV column with the text (default: text)\n"
    "  --format F      json (default: JSON Lines) or text (readable)\n"
    "  --strict        stop at the first rejected line\n"
    "  -h, --help      this help\n"
    "\n"
    "Lines over 1 MiB are rejected on stderr with their line number; the exit code is then 2.\n";

struct extract_run {
    struct fz_extractor *x;
    struct fz_text text;
    struct fz_arena arena;
    enum cli_format format;
};

static fz_rc entity_text(struct fz_buf *out, const struct fz_entity *e, const char *orig)
{
    static const char *const label[FZ_ENT__COUNT] = {
        [FZ_ENT_PHONE] = "电话 phone",    [FZ_ENT_URL] = "网址 url",
        [FZ_ENT_EMAIL] = "邮箱 email",    [FZ_ENT_BANK_CARD] = "银行卡 card",
        [FZ_ENT_ID_NUMBER] = "身份证 id", [FZ_ENT_QQ] = "QQ",
        [FZ_ENT_WECHAT] = "微信 wechat",  [FZ_ENT_AMOUNT] = "金额 amount"};
    fz_rc rc = fz_buf_adds(out, "\n    ");
    if (!rc)
        rc = cli_text_pad(out, label[e->kind], strlen(label[e->kind]), 14);
    if (!rc)
        rc = fz_buf_addf(out, " %.*s -> ", (int)(e->end - e->start), orig + e->start);
    if (rc)
        return rc;
    switch (e->kind) {
    case FZ_ENT_PHONE: return cli_text_phone(out, &e->phone);
    case FZ_ENT_URL: return cli_text_url(out, &e->url);
    case FZ_ENT_AMOUNT:
        return fz_buf_addf(out, "%lld.%02lld yuan", (long long)(e->amount_fen / 100),
                           (long long)(e->amount_fen % 100));
    default: return fz_buf_adds(out, e->value);
    }
}

static fz_rc extract_text(struct fz_buf *out, const struct cli_item *item,
                          const struct fz_entities *ents, double obfuscation)
{
    fz_rc rc = fz_buf_addf(out, "#%zu %.*s", item->line, (int)item->text.len, item->text.ptr);
    for (int k = 0; k < FZ_ENT__COUNT && !rc; k++)
        for (size_t i = 0; i < ents->count[k] && !rc; i++)
            rc = entity_text(out, &ents->items[k][i], item->text.ptr);
    if (!rc && obfuscation > 0)
        rc = fz_buf_addf(out, "\n    obfuscation %.2f", obfuscation);
    return rc;
}

static fz_rc extract_one(void *ud, const struct cli_item *item, struct fz_buf *out,
                         struct fz_err *err)
{
    struct extract_run *r = ud;
    fz_arena_reset(&r->arena);
    fz_rc rc = fz_text_normalize(item->text.ptr, item->text.len, &r->text);
    struct fz_entities ents;
    if (!rc)
        rc = fz_extract(r->x, &r->text, item->text.ptr, item->text.len, &r->arena, &ents);
    if (rc)
        return fz_err_set(err, rc, "cannot extract: %s", fz_strerror(rc));
    if (r->format == CLI_FMT_TEXT)
        return extract_text(out, item, &ents, r->text.obfuscation);
    struct fz_json j;
    fz_json_init(&j, out);
    fz_json_obj(&j);
    fz_json_key(&j, "line");
    fz_json_uint(&j, item->line);
    fz_entities_json(&j, &ents, item->text.ptr);
    fz_json_key(&j, "obfuscation");
    fz_json_num(&j, r->text.obfuscation, 3);
    fz_json_obj_end(&j);
    return j.rc;
}

int cmd_extract(int argc, char **argv)
{
    struct cli_batch b = {.cmd = "extract", .fn = extract_one};
    struct extract_run r;
    int code = cli_text_batch_opts(argc, argv, usage, &b, &r.format);
    if (code >= 0)
        return code;
    if (fz_extractor_new(&r.x) != FZ_OK) {
        cli_error("extract", "cannot set up the extractor: out of memory");
        return CLI_RUNTIME;
    }
    fz_text_init(&r.text);
    fz_arena_init(&r.arena, 0);
    b.ud = &r;
    code = cli_batch_run(&b, argc - optind, argv + optind);
    fz_arena_release(&r.arena);
    fz_text_release(&r.text);
    fz_extractor_free(r.x);
    return code;
}
