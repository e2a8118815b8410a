/*
 * model_int.h: what the files of src/model share: the model file layout (docs/model.md) and
 * the loaded model.
 */
#ifndef FZ_MODEL_INT_H
#define FZ_MODEL_INT_H

#include "fangzha/model.h"

#define FZ_MODEL_MAGIC "FZMODEL\n"
#define FZ_MODEL_VERSION 1u
#define FZ_MODEL_HEADER_SIZE 64u
/* Outputs per slot: the fraud head, the not-ham head, then one per fraud type. */
#define FZ_MODEL_OUT_FRAUD 0
#define FZ_MODEL_OUT_SPAM 1
#define FZ_MODEL_OUT_TYPE0 2
#define FZ_MODEL_NOUT (2 + FZ_FRAUD_TYPE_COUNT)

/* A model: views into the mapped (or caller's) bytes, all validated by the loader. */
struct fz_model {
    const unsigned char *base;
    size_t len;
    bool is_mapped; /* base came from mmap and is unmapped on close */
    unsigned dim_bits;
    float fraud_threshold, spam_threshold;
    uint32_t type_mask;
    const float *bias;  /* [FZ_MODEL_NOUT] */
    const float *heads; /* [2^dim_bits][2]: fraud, not-ham (the hot block, 8 bytes a slot) */
    const float *types; /* [2^dim_bits][FZ_FRAUD_TYPE_COUNT] (read only for fraud) */
};

/* The parts of a model file to write. */
struct fz__model_image {
    unsigned dim_bits;
    float fraud_threshold, spam_threshold;
    uint32_t type_mask;
    const float *bias;    /* [FZ_MODEL_NOUT] */
    const float *weights; /* [2^dim_bits][FZ_MODEL_NOUT] */
};

/* Serialises img into a new buffer (freed with fz_free) of *len bytes. FZ_ENOMEM. */
fz_rc fz__model_encode(const struct fz__model_image *img, unsigned char **out, size_t *len);

/* Writes img to path through path.tmp and a rename. FZ_EIO, FZ_ENOMEM with err set. */
fz_rc fz__model_write(const struct fz__model_image *img, const char *path, struct fz_err *err);

/* The margins of every output for features feat[0..n) into out[FZ_MODEL_NOUT]. */
void fz__model_margins(const struct fz_model *m, const struct fz_feature *feat, size_t n,
                       float *out);

#endif
