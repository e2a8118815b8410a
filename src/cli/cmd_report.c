/*
 * fangzha report import: brings reports kept elsewhere (an older system, a hotline's
 * spreadsheet) into the platform with the times they really happened — when each was received,
 * triaged and decided — so the dashboard's days, the confirmed indicators per day and the time
 * to triage tell the true story. Each text is screened as POST /reports screens it
 * (fz_server_report_screen); each step is done through the store at its own time: the store's
 * clock is set to the step's time, so reports, audit records and indicator history carry it.
 * Steps run in time order over all rows. The CLI actor does them; the reports go to the centre.
 */
#include "compat.h"

#include "cli.h"

#include "fangzha/screen.h"
#include "fangzha/server.h"
#include "fangzha/store.h"

#include <getopt.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fangzha report import --db PATH [--rules DIR | --no-rules] [--model MODEL] [FILE | -]\n"
    "\n"
    "Imports reports from a TSV file (header line; \\t \\n \\\\ escaped in fields) with their\n"
    "history, each step at its own time (milliseconds since the epoch, not in the future):\n"
    "  received_ms   when the report was received (required)\n"
    "  channel       sms, call, chat, email, web, app or other (required)\n"
    "  text          what the resident reported (required)\n"
    "  loss_fen      money lost, in fen (optional)\n"
    "  fraud_type    a fraud type id; empty: the engine's guess (optional)\n"
    "  indicators    space-separated KIND:VALUE the reporter named, e.g. phone:17012345678\n"
    "  triaged_ms    when it was triaged; empty: never\n"
    "  outcome       confirmed, rejected or duplicate; empty: none yet (confirmed and rejected\n"
    "                need triaged_ms)\n"
    "  decided_ms    when the outcome was decided (with outcome)\n"
    "  reason        why it was rejected (with rejected)\n"
    "  into          with duplicate: the row number (1 = first data row) of the earlier\n"
    "                report it repeats\n"
    "Only the first three columns are required; any order. Every row is checked before anything\n"
    "is written. Texts are screened like POST /reports (--rules, --model as fangzha serve).\n"
    "Prints {\"reports\", \"triaged\", \"confirmed\", \"rejected\", \"duplicates\"}.\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure (some rows may be imported), 2 bad usage or a bad row\n"
    "(nothing imported).\n";

struct import_row {
    struct fz_report_new in;
    struct fz_report_value values[FZ_STORE_REPORT_VALUES_MAX];
    uint64_t dedupe;
    int64_t received_ms, triaged_ms, decided_ms;
    enum fz_report_status outcome; /* FZ_REPORT_NEW: none */
    const char *reason;
    size_t into; /* row number, 0 = none */
    int64_t id;
    int version;
};

/* One step of a row's history; steps sort by time, then row, then phase. */
enum step_phase { STEP_ADD, STEP_TRIAGE, STEP_DECIDE };
struct step {
    int64_t at_ms;
    size_t row; /* index into rows */
    enum step_phase phase;
};

struct import_run {
    const char *db, *rules, *model, *file;
    bool no_rules;
    struct import_row *rows;
    size_t nrows, cap;
    struct fz_arena strings;
    struct fz_url_ctx *uctx;
    struct fz_screen *screen;
    struct fz_screen_ctx *ctx;
    struct fz_model *model_obj;
    _Atomic int64_t now_ms; /* the store's clock: the time of the step being done */
    int64_t counts[FZ_REPORT__STATUSES];
};

static int64_t import_clock(void *ud)
{
    struct import_run *r = ud;
    return atomic_load(&r->now_ms);
}

static int64_t real_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- reading and checking rows ------------------------------------------------------------- */

struct cols {
    int received, channel, text, loss, fraud_type, indicators, triaged, outcome, decided, reason,
        into;
};

static bool row_error(const struct fz_tsv *t, const char *col, const char *why)
{
    cli_error("report import", "line %zu: '%s' %s", t->lines.lineno, col, why);
    return false;
}

/* The field of column c ("" when the file has no such column), copied into the arena. */
static const char *field(struct import_run *r, const struct fz_tsv *t, int c, size_t *len)
{
    *len = c < 0 ? 0 : t->field[c].len;
    return c < 0 ? "" : fz_arena_strndup(&r->strings, t->field[c].ptr, t->field[c].len);
}

/* An integer field; empty gives 0 (absent). */
static bool ms_field(const struct fz_tsv *t, int c, const char *name, int64_t min, int64_t max,
                     int64_t *out)
{
    *out = 0;
    if (c < 0 || t->field[c].len == 0)
        return true;
    char buf[24], *end;
    if (t->field[c].len >= sizeof buf)
        return row_error(t, name, "is not a number");
    memcpy(buf, t->field[c].ptr, t->field[c].len);
    buf[t->field[c].len] = '\0';
    long long v = strtoll(buf, &end, 10);
    if (*end || end == buf || v < min || v > max)
        return row_error(t, name, "is not a number in range");
    *out = v;
    return true;
}

/* "phone:170... url:https://..." → normalized values of the row. */
static bool listed_values(struct import_run *r, const struct fz_tsv *t, int c,
                          struct import_row *row)
{
    size_t len;
    const char *s = field(r, t, c, &len);
    if (!s)
        return row_error(t, "indicators", "cannot be copied (out of memory)");
    while (len > 0) {
        size_t n = 0;
        while (n < len && s[n] != ' ')
            n++;
        const char *colon = memchr(s, ':', n);
        enum fz_ind_kind k;
        const char *canon;
        struct fz_err err = {0};
        if (n > 0 && (!colon || !fz_ind_kind_parse(s, (size_t)(colon - s), &k)))
            return row_error(t, "indicators", "wants KIND:VALUE with a known kind");
        if (n > 0 && fz_ind_normalize(r->uctx, k, colon + 1, (size_t)(s + n - colon - 1),
                                      &r->strings, &canon, NULL, &err) != FZ_OK)
            return row_error(t, "indicators", err.msg);
        if (n > 0)
            fz_server_report_value(&row->in, row->values, k, canon);
        s += n < len ? n + 1 : n;
        len -= n < len ? n + 1 : n;
    }
    return true;
}

/* The workflow columns: times in order, an outcome the workflow allows. */
static bool history(struct import_run *r, const struct fz_tsv *t, const struct cols *c,
                    struct import_row *row)
{
    int64_t now = real_now_ms(), into = 0;
    size_t len;
    if (!ms_field(t, c->triaged, "triaged_ms", row->received_ms, now, &row->triaged_ms) ||
        !ms_field(t, c->decided, "decided_ms", row->received_ms, now, &row->decided_ms) ||
        !ms_field(t, c->into, "into", 1, (int64_t)r->nrows - 1, &into))
        return false;
    const char *outcome = field(r, t, c->outcome, &len);
    row->outcome = FZ_REPORT_NEW;
    if (len && (!fz_report_status_parse(outcome, len, &row->outcome) ||
                row->outcome == FZ_REPORT_NEW || row->outcome == FZ_REPORT_TRIAGED))
        return row_error(t, "outcome", "must be confirmed, rejected, duplicate or empty");
    bool decided = row->outcome != FZ_REPORT_NEW;
    if (decided != (row->decided_ms != 0))
        return row_error(t, "decided_ms", "goes with an outcome, and only with one");
    if (decided && row->outcome != FZ_REPORT_DUPLICATE && !row->triaged_ms)
        return row_error(t, "triaged_ms", "is needed before confirmed or rejected");
    if (decided && row->decided_ms < row->triaged_ms)
        return row_error(t, "decided_ms", "is before triaged_ms");
    row->reason = field(r, t, c->reason, &len);
    if ((row->outcome == FZ_REPORT_REJECTED) != (len > 0))
        return row_error(t, "reason", "goes with rejected, and only with it");
    if ((row->outcome == FZ_REPORT_DUPLICATE) != (into > 0))
        return row_error(t, "into", "goes with duplicate, and only with it");
    row->into = (size_t)into;
    if (into && r->rows[into - 1].received_ms > row->decided_ms)
        return row_error(t, "into", "names a report received after this one was merged");
    return true;
}

static bool read_row(struct import_run *r, const struct fz_tsv *t, const struct cols *c,
                     struct import_row *row)
{
    size_t len;
    memset(row, 0, sizeof *row);
    row->in.fraud_type = -1;
    if (!ms_field(t, c->received, "received_ms", 1, real_now_ms(), &row->received_ms) ||
        !ms_field(t, c->loss, "loss_fen", 0, 1000000000000000, &row->in.loss_fen))
        return false;
    if (!row->received_ms)
        return row_error(t, "received_ms", "is required");
    const char *ch = field(r, t, c->channel, &len);
    enum fz_report_channel channel;
    if (!ch || !fz_report_channel_parse(ch, len, &channel))
        return row_error(t, "channel", "must be sms, call, chat, email, web, app or other");
    row->in.channel = channel;
    row->in.text = field(r, t, c->text, &row->in.text_len);
    if (!row->in.text || row->in.text_len == 0)
        return row_error(t, "text", "is required");
    const char *ft = field(r, t, c->fraud_type, &len);
    if (len && (row->in.fraud_type = fz_fraud_type_index(ft, len)) < 0)
        return row_error(t, "fraud_type", "is not a known fraud type");
    return listed_values(r, t, c->indicators, row) && history(r, t, c, row);
}

static int read_rows(struct import_run *r, FILE *f)
{
    struct fz_tsv t;
    struct fz_err err = {0};
    if (fz_tsv_open(&t, f, FZ_CAP_LINE, &err) != FZ_OK) {
        cli_error("report import", "header: %s", err.msg);
        return CLI_USAGE;
    }
    struct cols c = {
        fz_tsv_col(&t, "received_ms"), fz_tsv_col(&t, "channel"),    fz_tsv_col(&t, "text"),
        fz_tsv_col(&t, "loss_fen"),    fz_tsv_col(&t, "fraud_type"), fz_tsv_col(&t, "indicators"),
        fz_tsv_col(&t, "triaged_ms"),  fz_tsv_col(&t, "outcome"),    fz_tsv_col(&t, "decided_ms"),
        fz_tsv_col(&t, "reason"),      fz_tsv_col(&t, "into")};
    int code = CLI_OK;
    if (c.received < 0 || c.channel < 0 || c.text < 0) {
        cli_error("report import", "the header needs received_ms, channel and text");
        code = CLI_USAGE;
    }
    fz_rc rc;
    while (code == CLI_OK && (rc = fz_tsv_next(&t, &err)) != FZ_EOF) {
        if (rc != FZ_OK) {
            cli_error("report import", "line %zu: %s", err.line, err.msg);
            code = rc == FZ_EPARSE || rc == FZ_ETOOBIG ? CLI_USAGE : CLI_RUNTIME;
            break;
        }
        if (r->nrows == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 256;
            void *p = fz_realloc(r->rows, cap * sizeof *r->rows);
            if (!p) {
                cli_error("report import", "out of memory");
                code = CLI_RUNTIME;
                break;
            }
            r->rows = p;
            r->cap = cap;
        }
        r->nrows++; /* "into" names one of the rows before: 1..nrows - 1 */
        if (!read_row(r, &t, &c, &r->rows[r->nrows - 1]))
            code = CLI_USAGE;
    }
    fz_tsv_release(&t);
    return code;
}

/* ---- screening and writing ------------------------------------------------------------------ */

static int setup_engine(struct import_run *r)
{
    struct fz_err err = {0};
    struct fz_rules *rules = NULL;
    char cache[4096];
    if (fz_url_ctx_new(&r->uctx) != FZ_OK) {
        cli_error("report import", "out of memory");
        return CLI_RUNTIME;
    }
    if (r->model && fz_model_open(r->model, &r->model_obj, &err) != FZ_OK) {
        cli_error("report import", "model '%s': %s", r->model, err.msg);
        return CLI_RUNTIME;
    }
    if (!r->no_rules &&
        fz_rules_load_dir(r->rules, cli_cache_dir(cache, sizeof cache), &rules, &err) != FZ_OK) {
        cli_error("report import", "rules '%s': %s", r->rules, err.msg);
        return CLI_RUNTIME;
    }
    fz_rc rc = fz_screen_new(NULL, r->model_obj, rules, &r->screen);
    fz_rules_unref(rules);
    if (!rc)
        rc = fz_screen_ctx_new(r->screen, &r->ctx);
    if (rc) {
        cli_error("report import", "engine: %s", fz_strerror(rc));
        return CLI_RUNTIME;
    }
    return CLI_OK;
}

static int cmp_steps(const void *x, const void *y)
{
    const struct step *a = x, *b = y;
    if (a->at_ms != b->at_ms)
        return a->at_ms < b->at_ms ? -1 : 1;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return (int)a->phase - (int)b->phase;
}

/* Does one step through the store at its time. */
static fz_rc do_step(struct import_run *r, struct fz_store *st, const struct step *s,
                     struct fz_arena *ar, struct fz_err *err)
{
    static const struct fz_actor cli = {.kind = FZ_ACTOR_CLI};
    struct import_row *row = &r->rows[s->row];
    atomic_store(&r->now_ms, s->at_ms);
    if (s->phase == STEP_ADD) {
        struct fz_report_ref ref;
        row->in.values = row->values; /* rows moved while they were read */
        fz_rc rc =
            fz_server_report_screen(r->screen, r->ctx, &row->in, row->values, &row->dedupe, ar);
        if (!rc)
            rc = fz_store_report_add(st, &cli, &row->in, &ref, err);
        row->id = ref.id;
        row->version = 1;
        return rc;
    }
    if (s->phase == STEP_TRIAGE)
        return fz_store_report_triage(st, &cli, row->id, row->version, &row->version, err);
    switch (row->outcome) {
    case FZ_REPORT_CONFIRMED: {
        struct fz_report_confirm c;
        struct fz_ind_change *changes;
        size_t n;
        fz_report_confirm_init(&c);
        return fz_store_report_confirm(st, &cli, row->id, row->version, &c, ar, &changes, &n, err);
    }
    case FZ_REPORT_REJECTED:
        return fz_store_report_reject(st, &cli, row->id, row->version, row->reason, &row->version,
                                      err);
    default:
        return fz_store_report_merge(st, &cli, row->id, row->version, r->rows[row->into - 1].id,
                                     &row->version, err);
    }
}

static int write_rows(struct import_run *r, struct fz_store *st)
{
    struct step *steps = fz_mallocarray(r->nrows * 3 + 1, sizeof *steps);
    if (!steps) {
        cli_error("report import", "out of memory");
        return CLI_RUNTIME;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct import_row *row = &r->rows[i];
        steps[n++] = (struct step){row->received_ms, i, STEP_ADD};
        if (row->triaged_ms)
            steps[n++] = (struct step){row->triaged_ms, i, STEP_TRIAGE};
        if (row->outcome != FZ_REPORT_NEW)
            steps[n++] = (struct step){row->decided_ms, i, STEP_DECIDE};
    }
    qsort(steps, n, sizeof *steps, cmp_steps);
    struct fz_arena ar;
    fz_arena_init(&ar, 0);
    int code = CLI_OK;
    for (size_t i = 0; i < n && code == CLI_OK; i++) {
        struct fz_err err = {0};
        fz_rc rc = do_step(r, st, &steps[i], &ar, &err);
        fz_arena_reset(&ar);
        if (rc) {
            cli_error("report import", "row %zu: %s", steps[i].row + 1,
                      err.msg[0] ? err.msg : fz_strerror(rc));
            code = CLI_RUNTIME;
        } else if (steps[i].phase == STEP_ADD) {
            r->counts[FZ_REPORT_NEW]++;
        } else if (steps[i].phase == STEP_TRIAGE) {
            r->counts[FZ_REPORT_TRIAGED]++;
        } else {
            r->counts[r->rows[steps[i].row].outcome]++;
        }
    }
    fz_arena_release(&ar);
    fz_free(steps);
    return code;
}

/* ---- the command ---------------------------------------------------------------------------- */

static int parse_args(int argc, char **argv, struct import_run *r)
{
    static const struct option longs[] = {
        {"db", required_argument, 0, 'd'}, {"rules", required_argument, 0, 'r'},
        {"no-rules", no_argument, 0, 'N'}, {"model", required_argument, 0, 'm'},
        {"help", no_argument, 0, 'h'},     {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'd': r->db = optarg; break;
        case 'r': r->rules = optarg; break;
        case 'N': r->no_rules = true; break;
        case 'm': r->model = optarg; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (!r->db || argc - optind > 1) {
        cli_error("report import", "%s", !r->db ? "--db PATH is required" : "one FILE at most");
        return CLI_USAGE;
    }
    r->file = optind < argc ? argv[optind] : "-";
    return -1;
}

static int import(struct import_run *r)
{
    FILE *f = strcmp(r->file, "-") ? fopen(r->file, "rb") : stdin;
    if (!f) {
        cli_error("report import", "cannot open '%s'", r->file);
        return CLI_RUNTIME;
    }
    int code = setup_engine(r);
    if (code == CLI_OK)
        code = read_rows(r, f);
    if (f != stdin)
        fclose(f);
    if (code != CLI_OK)
        return code;
    struct fz_store_opts o = {.path = r->db, .clock = import_clock, .clock_ud = r};
    struct fz_store *st;
    struct fz_err err = {0};
    atomic_store(&r->now_ms, real_now_ms());
    if (fz_store_open(&o, &st, &err) != FZ_OK) {
        cli_error("report import", "database '%s': %s", r->db, err.msg);
        return CLI_RUNTIME;
    }
    code = write_rows(r, st);
    fz_store_close(st);
    printf("{\"reports\":%lld,\"triaged\":%lld,\"confirmed\":%lld,\"rejected\":%lld,"
           "\"duplicates\":%lld}\n",
           (long long)r->counts[FZ_REPORT_NEW], (long long)r->counts[FZ_REPORT_TRIAGED],
           (long long)r->counts[FZ_REPORT_CONFIRMED], (long long)r->counts[FZ_REPORT_REJECTED],
           (long long)r->counts[FZ_REPORT_DUPLICATE]);
    return code;
}

int cmd_report(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "import")) {
        bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
        fputs(usage, help ? stdout : stderr);
        return help ? CLI_OK : CLI_USAGE;
    }
    struct import_run r = {.rules = FZ_DEFAULT_RULES_DIR};
    fz_arena_init(&r.strings, 1 << 16);
    int code = parse_args(argc - 1, argv + 1, &r);
    if (code < 0)
        code = import(&r);
    fz_screen_ctx_free(r.ctx);
    fz_screen_free(r.screen);
    fz_model_close(r.model_obj);
    fz_url_ctx_free(r.uctx);
    fz_free(r.rows);
    fz_arena_release(&r.strings);
    return code;
}
