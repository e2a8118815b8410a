/*
 * server/xlsx: the rewards ledger as an Excel workbook (libxlsxwriter), for auditors who work
 * in a spreadsheet. libxlsxwriter 1.1 writes to a file only: the workbook goes to a private
 * temporary file that is read back and removed. Amounts are numbers (yuan, two decimals), times
 * are Beijing time text, and every text is written as a string, never as a formula.
 */
#include "server_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

FZ_LOG_MODULE(server);

struct sheet {
    lxw_worksheet *ws;
    lxw_format *money;
    lxw_row_t row;
};

static const char *const headers[] = {"编号 id",        "时间 time (UTC+8)", "单位 org",
                                      "奖励 reward",    "线索 report",       "动作 action",
                                      "金额 yuan (元)", "经办 actor",        "说明 reference"};

static void beijing_time(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000 + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static int add_row(void *ud, const struct fz_reward_ledger_row *w)
{
    struct sheet *s = ud;
    lxw_row_t r = ++s->row;
    char at[32];
    beijing_time(w->at_ms, at);
    worksheet_write_number(s->ws, r, 0, (double)w->id, NULL);
    worksheet_write_string(s->ws, r, 1, at, NULL);
    worksheet_write_number(s->ws, r, 2, (double)w->org_id, NULL);
    if (w->reward_id)
        worksheet_write_number(s->ws, r, 3, (double)w->reward_id, NULL);
    if (w->report_id)
        worksheet_write_number(s->ws, r, 4, (double)w->report_id, NULL);
    worksheet_write_string(s->ws, r, 5, w->action, NULL);
    /* fen to yuan: exact for any amount the store allows (< 2^53 fen) */
    worksheet_write_number(s->ws, r, 6, (double)w->amount_fen / 100.0, s->money);
    worksheet_write_string(s->ws, r, 7, w->actor ? w->actor : "", NULL);
    if (w->reference)
        worksheet_write_string(s->ws, r, 8, w->reference, NULL);
    return r >= 1000000 ? 1 : 0; /* Excel's row limit, far beyond a year's ledger */
}

static void header(lxw_workbook *wb, struct sheet *s)
{
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (lxw_col_t c = 0; c < sizeof headers / sizeof headers[0]; c++)
        worksheet_write_string(s->ws, 0, c, headers[c], bold);
    worksheet_set_column(s->ws, 1, 1, 20, NULL);
    worksheet_set_column(s->ws, 6, 6, 14, NULL);
    worksheet_set_column(s->ws, 7, 8, 24, NULL);
    worksheet_freeze_panes(s->ws, 1, 0);
}

fz_rc srv_ledger_xlsx(struct srv_req *r, int64_t org, int year, struct fz_err *err)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/fangzha-ledger-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return fz_err_set(err, FZ_EIO, "cannot create a temporary file: %s", strerror(errno));
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    struct sheet s = {0};
    if (wb) {
        s.ws = workbook_add_worksheet(wb, "ledger");
        s.money = workbook_add_format(wb);
        format_set_num_format(s.money, "#,##0.00");
        header(wb, &s);
    }
    fz_rc rc = wb ? fz_store_reward_ledger(r->srv->store, &r->actor, org, year, add_row, &s, err)
                  : FZ_ENOMEM;
    if (wb && workbook_close(wb) != LXW_NO_ERROR && !rc)
        rc = fz_err_set(err, FZ_EIO, "cannot write the workbook");
    if (!rc) {
        FILE *f = fopen(path, "rb");
        fz_buf_reset(&r->out);
        rc = f ? fz_buf_read(&r->out, f) : FZ_EIO;
        if (f)
            fclose(f);
    }
    unlink(path);
    if (rc && !err->msg[0])
        fz_err_set(err, rc, "cannot export the ledger");
    return rc;
}
