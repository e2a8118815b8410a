/*
 * model_int.h: what the files of src/model share: the model file layout (docs/model.md), the
 * loaded model and the feature hash.
 */
#ifndef FZ_MODEL_INT_H
#define FZ_MODEL_INT_H

#include "fangzha/model.h"

#define FZ_MODEL_MAGIC "FZMODEL\n"
#define FZ_MODEL_VERSION 3u
#define FZ_MODEL_HEADER_SIZE 64u
/* Outputs: the fraud head, the not-ham head, then one per fraud type. */
#define FZ_MODEL_OUT_FRAUD 0
#define FZ_MODEL_OUT_SPAM 1
#define FZ_MODEL_OUT_TYPE0 2
#define FZ_MODEL_NOUT (2 + FZ_FRAUD_TYPE_COUNT)
/* Bytes per slot of the type block: the 12 types padded to 16, so a row never straddles two
 * cache lines. */
#define FZ_MODEL_TYPE_STRIDE 16
/* The largest quantized weight: weights are round(w / scale), in [-127, 127]. */
#define FZ_MODEL_QMAX 127

/* A model: views into the mapped (or caller's) bytes, all validated by the loader. */
struct fz_model {
    const unsigned char *base;
    size_t len;
    bool is_mapped; /* base came from mmap and is unmapped on close */
    unsigned dim_bits;
    uint32_t type_mask;
    float threshold[FZ_MODEL_SCRIPT_COUNT][2]; /* [script][fraud, not-ham] */
    float bias[FZ_MODEL_NOUT];
    float scale[FZ_MODEL_NOUT]; /* weight = int8 * scale */
    const int8_t *heads;        /* [2^dim_bits][2]: fraud, not-ham (the hot block) */
    const int8_t *types;        /* [2^dim_bits][FZ_MODEL_TYPE_STRIDE] (read only for fraud) */
};

/* The parts of a model file to write. The weights must already be multiples of their output's
 * scale (the trainer quantizes before it measures the thresholds): the encoder rounds. */
struct fz__model_image {
    unsigned dim_bits;
    float threshold[FZ_MODEL_SCRIPT_COUNT][2];
    uint32_t type_mask;
    const float *bias;    /* [FZ_MODEL_NOUT] */
    const float *scale;   /* [FZ_MODEL_NOUT], > 0 */
    const float *weights; /* [2^dim_bits][FZ_MODEL_NOUT] */
};

/* Serialises img into a new buffer (freed with fz_free) of *len bytes. FZ_ENOMEM. */
fz_rc fz__model_encode(const struct fz__model_image *img, unsigned char **out, size_t *len);

/* Writes img to path through path.tmp and a rename. FZ_EIO, FZ_ENOMEM with err set. */
fz_rc fz__model_write(const struct fz__model_image *img, const char *path, struct fz_err *err);

/* fz_model_features, and the sums of the int8 weights of the fraud and not-ham heads over the
 * occurrences into sum[2], taken from heads ([2^dim_bits][2]) while each slot is at hand. */
void fz__model_features_heads(unsigned dim_bits, const struct fz_text *t,
                              const struct fz_entities *ents, struct fz_model_scratch *s,
                              const int8_t *heads, int32_t *sum);

/* The margins of every output for the features in s into out[FZ_MODEL_NOUT]. */
void fz__model_margins(const struct fz_model *m, const struct fz_model_scratch *s, float *out);

/* The seed of a feature family, added to every key of the family so that equal keys of two
 * families land apart. */
#define FZ__MODEL_SEED(family) ((uint64_t)(family)*0xD6E8FEB86659FD93u)

/* The multiplier of the feature hash. */
#define FZ__MODEL_MUL 0x9E3779B97F4A7C15u

/* The slot of feature key in the family of seed, in [0, 2^dim_bits): the key plus the seed,
 * times an odd constant, whose top bits are the slot (one multiplication; the keys are
 * distinct within a family). Being linear, it lets the text loop roll its n-gram hashes:
 * (a << 21 | b) * MUL = ((a * MUL) << 21) + b * MUL for b < 2^21. The same on every machine. */
static inline uint32_t fz__model_slot(uint64_t seed, uint64_t key, unsigned dim_bits)
{
    return (uint32_t)(((key + seed) * FZ__MODEL_MUL) >> (64 - dim_bits));
}

#endif
