/* libFuzzer driver for the model file loader (model/model.c). Properties: arbitrary bytes
 * never crash or read out of bounds; a rejected file is FZ_EPARSE with a message; a file that
 * loads predicts a finite, consistent result. */
#include "compat.h"

#include "fangzha/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the loader wants 8-byte aligned bytes, as mmap gives */
    void *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct fz_model *m = NULL;
    struct fz_err err = {0};
    fz_rc rc = fz_model_open_mem(buf, size, &m, &err);
    if (rc != FZ_OK) {
        if (rc != FZ_EPARSE || !err.msg[0])
            abort();
    } else {
        struct fz_model_scratch s;
        struct fz_text t;
        fz_text_init(&t);
        if (fz_model_scratch_init(&s) == FZ_OK &&
            fz_text_normalize("转账到安全账户 http://x.cn", 29, &t) == FZ_OK) {
            struct fz_prediction p;
            fz_model_predict(m, &t, NULL, &s, &p);
            if ((p.label == FZ_LABEL_FRAUD) != (fz_fraud_type_name(p.fraud_type) != NULL))
                abort();
            if (isfinite(p.fraud_margin) && (p.label == FZ_LABEL_FRAUD) != (p.fraud_score >= 0.5f))
                abort();
        }
        fz_model_scratch_release(&s);
        fz_text_release(&t);
        fz_model_close(m);
    }
    free(buf);
    return 0;
}
