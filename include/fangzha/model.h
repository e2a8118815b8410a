/*
 * fangzha model: a linear classifier over hashed features of one message (signal layer, above
 * text and extract).
 *
 * Features are character 1-3-grams of the normalized text (digit runs by shape), Latin words
 * and word pairs, entity and flag features from fz_extract and the bucketed obfuscation score,
 * hashed into 2^dim_bits slots (docs/internals/model.md). Three heads share them: fraud vs
 * rest, not-ham vs ham, and the fraud type. Models are trained with liblinear (fz_trainer),
 * quantized to 8 bits and written to a versioned, checksummed binary file (docs/model.md) that
 * fz_model_open maps read-only. Each head has an operating point per script of the message.
 */
#ifndef FANGZHA_MODEL_H
#define FANGZHA_MODEL_H

#include "fangzha/core.h"
#include "fangzha/extract.h"
#include "fangzha/text.h"

/* ---- labels -------------------------------------------------------------------------------- */

enum fz_label { FZ_LABEL_HAM, FZ_LABEL_SPAM, FZ_LABEL_FRAUD, FZ_LABEL__COUNT };

/* "ham", "spam", "fraud"; NULL outside the enum. */
const char *fz_label_name(enum fz_label l);

/*
 * What one canonical label says about a row. The layout's labels are ham, spam, not_fraud,
 * fraud and the fraud-type ids (which imply fraud). not_fraud tells fraud from the rest but
 * not spam from ham, so has_spam_info is false for it.
 */
struct fz_gold {
    bool is_fraud;
    bool has_spam_info; /* the row tells ham from not-ham (every label but not_fraud) */
    bool is_ham;        /* meaningful only when has_spam_info */
    int type;           /* 0..FZ_FRAUD_TYPE_COUNT-1, or -1 when the label names no type */
};

/* Parses a canonical label s[0..len) into *out. Returns false (out untouched) for an unknown
 * label. */
bool fz_gold_parse(const char *s, size_t len, struct fz_gold *out);

/* ---- features ------------------------------------------------------------------------------ */

/* The script class of a message, which picks the operating point: Han (Chinese) when its Han
 * characters are at least a quarter of its Latin letters, else other (English and the rest). */
enum fz_model_script { FZ_MODEL_SCRIPT_HAN, FZ_MODEL_SCRIPT_OTHER, FZ_MODEL_SCRIPT_COUNT };

/* "han", "other"; NULL outside the enum. */
const char *fz_model_script_name(enum fz_model_script s);

#define FZ_MODEL_DIM_BITS_MIN 10
#define FZ_MODEL_DIM_BITS_MAX 24
#define FZ_MODEL_DIM_BITS_DEFAULT 18
/* Distinct features kept per message (a few more may slip in); a longer text keeps its first
 * ones. */
#define FZ_MODEL_MAX_FEATURES 8192

/*
 * The caller-provided working memory of feature extraction and prediction, so that a
 * prediction allocates nothing. One per thread. After fz_model_features (or fz_model_predict)
 * it holds the message's features: the slots it has, in order of first occurrence (a feature
 * is present or not; one met twice or more adds a second feature, "repeated", of its own), all
 * worth the same value (binary features scaled to unit L2 norm), and the script.
 */
struct fz_model_scratch {
    uint32_t *slot; /* [cap + a few]: slots in [0, 2^dim_bits) */
    size_t nslot;
    float value; /* every feature's value: 1 / sqrt(nslot) (1 without features) */
    enum fz_model_script script;
    size_t cap;     /* FZ_MODEL_MAX_FEATURES */
    uint16_t *seen; /* slots met: a stamp per slot (mod 2^18), that of the message that met it */
    uint16_t stamp; /* the last message's stamp (even; + 1: met twice); cleared when it wraps */
};

/* Allocates the scratch. FZ_ENOMEM (s is then released and may be initialised again). */
fz_rc fz_model_scratch_init(struct fz_model_scratch *s);
/* Frees the scratch. NULL is fine. */
void fz_model_scratch_release(struct fz_model_scratch *s);

/*
 * Computes the features of one message into s: the slots in [0, 2^dim_bits) that it has, in
 * order of first occurrence (with the "repeated" slot of each feature met twice or more),
 * their common value 1 / sqrt(count) and the message's script class. ents may be NULL (no entity
 * features). Deterministic across runs and machines. Allocates nothing; the work is linear in the
 * text's length.
 */
void fz_model_features(unsigned dim_bits, const struct fz_text *t, const struct fz_entities *ents,
                       struct fz_model_scratch *s);

/* The seed and bucket count of the project's train/test split of the canonical files: a row is
 * a test row when fz_model_bucket(text, FZ_MODEL_SPLIT_SEED, FZ_MODEL_SPLIT_BUCKETS) == 0. */
#define FZ_MODEL_SPLIT_SEED 0x73706c6974ull
#define FZ_MODEL_SPLIT_BUCKETS 5

/* A stable bucket 0..n-1 of a normalized text, for deterministic train/test splits: the same
 * text always falls in the same bucket. n > 0. */
unsigned fz_model_bucket(const struct fz_text *t, uint64_t seed, unsigned n);

/* ---- the model file ----------------------------------------------------------------------- */

struct fz_model;

/* What the model file says about itself. */
struct fz_model_info {
    unsigned version;
    unsigned dim_bits;
    /* per script: the margin at or above which the fraud head says fraud */
    float fraud_threshold[FZ_MODEL_SCRIPT_COUNT];
    /* per script: the margin at or above which the not-ham head says not ham */
    float spam_threshold[FZ_MODEL_SCRIPT_COUNT];
    bool has_type[FZ_FRAUD_TYPE_COUNT]; /* the type head saw this type in training */
    size_t file_size;
};

/*
 * Maps the model file at path read-only and validates it whole (size, magic, version,
 * checksum, sections) before use. On success *out is the model (close with fz_model_close);
 * on failure *out is untouched and err says why: FZ_EIO when the file cannot be read,
 * FZ_EPARSE for a file that is not a valid model, FZ_ENOMEM. A model is immutable: share it
 * between threads.
 */
fz_rc fz_model_open(const char *path, struct fz_model **out, struct fz_err *err);

/*
 * Like fz_model_open over len bytes at p, which must stay valid and unchanged until the model
 * is closed and be 8-byte aligned (FZ_EINVAL otherwise). Nothing is copied.
 */
fz_rc fz_model_open_mem(const void *p, size_t len, struct fz_model **out, struct fz_err *err);

/* Unmaps and frees. NULL is fine. */
void fz_model_close(struct fz_model *m);

/* Fills *out with the model's version, dimension, thresholds and known types. */
void fz_model_get_info(const struct fz_model *m, struct fz_model_info *out);

/* The outcome for one message. Margins are the raw linear scores; the scores map them to
 * 0..1 with a logistic curve centred on the model's threshold for the message's script, so 0.5
 * is the operating point. */
struct fz_prediction {
    enum fz_model_script script; /* whose thresholds applied */
    enum fz_label label; /* fraud if the fraud head fires, else spam if the not-ham head does */
    float fraud_margin;  /* fraud head */
    float spam_margin;   /* not-ham head */
    float fraud_score;   /* 0..1, >= 0.5 exactly when the fraud head fires */
    float spam_score;    /* 0..1, >= 0.5 exactly when the not-ham head fires */
    int fraud_type;      /* for label fraud: the best type seen in training; else -1 */
    float type_margin;   /* its margin (0 when fraud_type is -1) */
};

/*
 * Predicts one message from its normalized text and entities (ents may be NULL), using s for
 * the features (left in s->feat). Allocates nothing; thread-safe with one scratch per thread.
 */
void fz_model_predict(const struct fz_model *m, const struct fz_text *t,
                      const struct fz_entities *ents, struct fz_model_scratch *s,
                      struct fz_prediction *out);

/*
 * The type head's answer for the features left in s by the last fz_model_predict: the best
 * type seen in training (other_fraud when the model knows none) and its margin. For callers
 * that judge fraud by other means (rules) and want a type anyway; fz_model_predict calls it
 * itself for label fraud. Reads 16 bytes of weights per feature, where the two other heads
 * read 2.
 */
void fz_model_fraud_type(const struct fz_model *m, const struct fz_model_scratch *s, int *type,
                         float *margin);

/* ---- training ------------------------------------------------------------------------------ */

struct fz_trainer;

struct fz_train_opts {
    unsigned dim_bits; /* 0: FZ_MODEL_DIM_BITS_DEFAULT */
    double max_fpr;    /* the thresholds' false-positive budget on the validation rows; 0: 0.005 */
    double c;          /* liblinear C; 0: chosen on the validation rows */
};

/* One head's training outcome, for the report. */
struct fz_train_head {
    double c;
    const char *solver; /* "logistic regression", "l2-loss svm" or "crammer-singer svm" */
    float threshold[FZ_MODEL_SCRIPT_COUNT];
    /* on the validation rows: over all, then per script at its own threshold */
    double f1, fpr;
    double script_f1[FZ_MODEL_SCRIPT_COUNT], script_fpr[FZ_MODEL_SCRIPT_COUNT];
    size_t script_rows[FZ_MODEL_SCRIPT_COUNT];
};

/* What training learned, for the report of `fangzha train`. */
struct fz_train_report {
    size_t rows, features_nnz;
    size_t rows_fraud, rows_spam, rows_ham, rows_not_fraud, rows_typed;
    size_t type_rows[FZ_FRAUD_TYPE_COUNT];
    size_t validation_rows;
    bool has_holdout;                 /* false: too few rows to hold any out, thresholds 0 */
    struct fz_train_head fraud, spam; /* the fraud and not-ham heads */
    double type_c;
    const char *type_solver;
    double type_macro_f1; /* on the validation rows */
};

/* A progress callback: what is being done and a fraction done (0..1). */
typedef void fz_train_progress_cb(void *ud, const char *stage, double done);

/* Creates a trainer. FZ_EINVAL for dim_bits out of range, FZ_ENOMEM. */
fz_rc fz_trainer_new(const struct fz_train_opts *opts, struct fz_trainer **out);
void fz_trainer_free(struct fz_trainer *tr);

/* Adds one labelled message (its features are computed and kept). FZ_ENOMEM. */
fz_rc fz_trainer_add(struct fz_trainer *tr, const struct fz_text *t, const struct fz_entities *ents,
                     const struct fz_gold *gold);

/*
 * Trains the three heads: holds out a tenth of the rows (by a hash of the text) to choose the
 * solver, C and the thresholds at max_fpr; the heads kept are those trained without the
 * held-out rows, so the thresholds hold for them. With fewer than 200 held-out rows every row
 * trains and the thresholds are 0. progress (may be NULL) is called between stages; report
 * gets what was learned. FZ_EINVAL when the rows cannot train a model (no fraud and no ham
 * rows), FZ_ENOMEM; err says why. docs/internals/model.md has the details.
 */
fz_rc fz_trainer_run(struct fz_trainer *tr, fz_train_progress_cb *progress, void *ud,
                     struct fz_train_report *report, struct fz_err *err);

/* Writes the trained model to path (through a temporary file and a rename). FZ_EIO. */
fz_rc fz_trainer_write(const struct fz_trainer *tr, const char *path, struct fz_err *err);

#endif
