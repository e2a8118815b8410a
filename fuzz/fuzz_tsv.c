/* libFuzzer driver for the canonical TSV reader (core/lines.c). Properties: never crashes or
 * reads out of bounds; every row has exactly the header's field count; line numbers grow; an
 * over-long line is reported, never truncated into a row. */
#include "compat.h"

#include "fangzha/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    struct fz_tsv t;
    struct fz_err err = {0};
    if (fz_tsv_open(&t, f, 256, &err) == FZ_OK) {
        size_t last = t.lines.lineno;
        fz_rc rc;
        while ((rc = fz_tsv_next(&t, &err)) != FZ_EOF) {
            if (rc == FZ_OK) {
                for (size_t i = 0; i < t.ncols; i++)
                    if (t.field[i].len > 256)
                        abort();
            } else if (rc != FZ_EPARSE && rc != FZ_ETOOBIG) {
                abort();
            }
            if (t.lines.lineno <= last)
                abort();
            last = t.lines.lineno;
        }
    }
    fz_tsv_release(&t);
    fclose(f);
    return 0;
}
