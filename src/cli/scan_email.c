/*
 * cli/scan_email: `fangzha scan --email FILE...`. Each file is one RFC 5322 message; its
 * text (src/mail) is screened through the scanner's own per-item function as a JSON Lines
 * item, so e-mail verdicts are rendered exactly like every other verdict.
 */
#include "compat.h"

#include "email.h"

#include "fangzha/mail.h"

#include <errno.h>
#include <string.h>

/* The JSON Lines item of one message into item. */
static fz_rc make_item(const char *id, const struct fz_buf *text, struct fz_buf *item)
{
    struct fz_json j;
    fz_buf_reset(item);
    fz_json_init(&j, item);
    fz_json_obj(&j);
    fz_json_key(&j, "id");
    fz_json_cstr(&j, id);
    fz_json_key(&j, "text");
    fz_json_str(&j, text->ptr ? text->ptr : "", text->len);
    fz_json_key(&j, "channel");
    fz_json_cstr(&j, "email");
    fz_json_obj_end(&j);
    return j.rc;
}

struct email_run {
    const struct cli_batch *b;
    struct fz_buf raw, text, item, out;
    size_t rejected;
    bool failed;
};

/* Screens the message in path ("-": stdin) as item number n. Returns false to stop. */
static bool one_message(struct email_run *r, const char *path, size_t n)
{
    const char *name = strcmp(path, "-") ? path : "(stdin)";
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_error("scan", "cannot open '%s': %s", path, strerror(errno));
        r->rejected++;
        return !r->b->strict;
    }
    struct fz_err err = {0};
    fz_buf_reset(&r->raw);
    fz_rc rc = fz_buf_read(&r->raw, f);
    if (f != stdin)
        fclose(f);
    if (rc == FZ_ETOOBIG)
        fz_err_set(&err, rc, "message over the limit of %zu bytes (10 MiB)",
                   (size_t)FZ_CAP_MAIL_MESSAGE);
    else if (rc)
        fz_err_set(&err, rc, "cannot read: %s", fz_strerror(rc));
    if (!rc)
        rc = fz_mail_text(r->raw.ptr ? r->raw.ptr : "", r->raw.len, &r->text, NULL, &err);
    if (!rc && (rc = make_item(path, &r->text, &r->item)))
        fz_err_set(&err, rc, "%s", fz_strerror(rc));
    if (!rc) {
        struct cli_item item = {{r->item.ptr, r->item.len}, n};
        fz_buf_reset(&r->out);
        rc = r->b->fn(r->b->ud, &item, &r->out, &err);
    }
    if (rc == FZ_ENOMEM) {
        cli_error("scan", "%s: out of memory", name);
        r->failed = true;
        return false;
    }
    if (rc) {
        cli_error("scan", "%s: %s", name, err.msg[0] ? err.msg : fz_strerror(rc));
        r->rejected++;
        return !r->b->strict;
    }
    if (fwrite(r->out.ptr, 1, r->out.len, stdout) != r->out.len || putchar('\n') == EOF) {
        cli_error("scan", "cannot write output: %s", strerror(errno));
        r->failed = true;
        return false;
    }
    return true;
}

int cli_scan_email(const struct cli_batch *b, bool *jsonl, int argc, char **argv)
{
    if (*jsonl || b->input == CLI_IN_TSV) {
        cli_error("scan", "--email excludes --jsonl and --tsv");
        return CLI_USAGE;
    }
    *jsonl = true;
    struct email_run r = {.b = b};
    fz_buf_init(&r.raw, FZ_CAP_MAIL_MESSAGE);
    fz_buf_init(&r.text, FZ_CAP_MAIL_TEXT);
    fz_buf_init(&r.item, FZ_CAP_JSON_DOC);
    fz_buf_init(&r.out, CLI_MAX_OUTPUT_LINE);
    if (argc == 0) {
        one_message(&r, "-", 1);
    } else {
        for (int i = 0; i < argc; i++)
            if (!one_message(&r, argv[i], (size_t)i + 1))
                break;
    }
    if (fflush(stdout) != 0 && !r.failed) {
        cli_error("scan", "cannot write output: %s", strerror(errno));
        r.failed = true;
    }
    fz_buf_release(&r.raw);
    fz_buf_release(&r.text);
    fz_buf_release(&r.item);
    fz_buf_release(&r.out);
    if (r.failed)
        return CLI_RUNTIME;
    return r.rejected ? CLI_USAGE : CLI_OK;
}
