/*
 * model/model.c: the model file (docs/model.md) and prediction.
 *
 * A model file is a 64-byte little-endian header, then the payload: the label and type names,
 * the operating points, biases and scales, and the 8-bit weights, checksummed with XXH3.
 * fz_model_open maps it read-only and checks everything before the first prediction, so a bad file
 * is an error, never a crash.
 */
#include "compat.h"

#include "model_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

FZ_LOG_MODULE(model);

static const char *const label_names[FZ_LABEL__COUNT] = {"ham", "spam", "fraud"};

const char *fz_label_name(enum fz_label l)
{
    return (unsigned)l < FZ_LABEL__COUNT ? label_names[l] : NULL;
}

static bool str_is(const char *s, size_t len, const char *lit)
{
    return strlen(lit) == len && !memcmp(s, lit, len);
}

bool fz_gold_parse(const char *s, size_t len, struct fz_gold *out)
{
    struct fz_gold g = {.type = -1, .has_spam_info = true};
    if (str_is(s, len, "ham")) {
        g.is_ham = true;
    } else if (str_is(s, len, "spam")) {
    } else if (str_is(s, len, "not_fraud")) {
        g.has_spam_info = false;
    } else if (str_is(s, len, "fraud")) {
        g.is_fraud = true;
    } else {
        g.type = fz_fraud_type_index(s, len);
        if (g.type < 0)
            return false;
        g.is_fraud = true;
    }
    *out = g;
    return true;
}

/* ---- encoding ------------------------------------------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static float getf(const unsigned char *p)
{
    uint32_t u = get32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static void putf(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    put32(p, u);
}

/* The names section: every label then every type name, NUL-terminated, padded to 64 bytes so
 * that the weight blocks after it start on a cache line. */
static size_t names_size(void)
{
    size_t n = 0;
    for (int i = 0; i < FZ_LABEL__COUNT; i++)
        n += strlen(label_names[i]) + 1;
    for (int i = 0; i < FZ_FRAUD_TYPE_COUNT; i++)
        n += strlen(fz_fraud_type_name((int)i)) + 1;
    return (n + 63) & ~(size_t)63;
}

/* The checksum: XXH3 of the payload, seeded with the XXH3 of the header's first 56 bytes, so
 * that a changed dimension or size is caught as well as a changed weight. */
static uint64_t checksum(const unsigned char *file, size_t payload)
{
    return fz_hash_seed(file + FZ_MODEL_HEADER_SIZE, payload, fz_hash(file, 56));
}

/* The floats after the names: thresholds [script][head], biases, scales. */
#define NFLOATS (2 * FZ_MODEL_SCRIPT_COUNT + 2 * FZ_MODEL_NOUT)

static size_t payload_size(size_t nnames, unsigned dim_bits)
{
    size_t dim = (size_t)1 << dim_bits;
    return nnames + 4 * NFLOATS + dim * FZ_MODEL_OUT_TYPE0 + dim * FZ_MODEL_TYPE_STRIDE;
}

static int8_t quantize(float w, float scale)
{
    float q = roundf(w / scale);
    return (int8_t)(q > FZ_MODEL_QMAX ? FZ_MODEL_QMAX : q < -FZ_MODEL_QMAX ? -FZ_MODEL_QMAX : q);
}

fz_rc fz__model_encode(const struct fz__model_image *img, unsigned char **out, size_t *len)
{
    size_t nnames = names_size(), dim = (size_t)1 << img->dim_bits;
    size_t payload = payload_size(nnames, img->dim_bits);
    unsigned char *buf = fz_calloc(1, FZ_MODEL_HEADER_SIZE + payload);
    if (!buf)
        return FZ_E(FZ_ENOMEM);
    unsigned char *p = buf + FZ_MODEL_HEADER_SIZE;
    for (int i = 0; i < FZ_LABEL__COUNT; i++) {
        size_t n = strlen(label_names[i]) + 1;
        memcpy(p, label_names[i], n);
        p += n;
    }
    for (int i = 0; i < FZ_FRAUD_TYPE_COUNT; i++) {
        size_t n = strlen(fz_fraud_type_name((int)i)) + 1;
        memcpy(p, fz_fraud_type_name((int)i), n);
        p += n;
    }
    p = buf + FZ_MODEL_HEADER_SIZE + nnames;
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++)
        for (int h = 0; h < 2; h++, p += 4)
            putf(p, img->threshold[sc][h]);
    for (int i = 0; i < FZ_MODEL_NOUT; i++, p += 4)
        putf(p, img->bias[i]);
    for (int i = 0; i < FZ_MODEL_NOUT; i++, p += 4)
        putf(p, img->scale[i]);
    /* img is slot-major over all outputs; the file has the two heads' block, then the types' */
    for (size_t j = 0; j < dim; j++)
        for (int k = 0; k < FZ_MODEL_OUT_TYPE0; k++)
            *p++ =
                (unsigned char)quantize(img->weights[j * FZ_MODEL_NOUT + (size_t)k], img->scale[k]);
    for (size_t j = 0; j < dim; j++, p += FZ_MODEL_TYPE_STRIDE)
        for (int k = 0; k < FZ_FRAUD_TYPE_COUNT; k++)
            p[k] = (unsigned char)quantize(
                img->weights[j * FZ_MODEL_NOUT + FZ_MODEL_OUT_TYPE0 + (size_t)k],
                img->scale[FZ_MODEL_OUT_TYPE0 + k]);
    memcpy(buf, FZ_MODEL_MAGIC, 8);
    put32(buf + 8, FZ_MODEL_VERSION);
    put32(buf + 12, FZ_MODEL_HEADER_SIZE);
    put32(buf + 16, img->dim_bits);
    put32(buf + 20, FZ_MODEL_NOUT);
    put32(buf + 24, img->type_mask);
    put32(buf + 28, (uint32_t)nnames);
    put64(buf + 32, payload);
    put64(buf + 56, checksum(buf, payload));
    *out = buf;
    *len = FZ_MODEL_HEADER_SIZE + payload;
    return FZ_OK;
}

fz_rc fz__model_write(const struct fz__model_image *img, const char *path, struct fz_err *err)
{
    unsigned char *buf;
    size_t len;
    if (fz__model_encode(img, &buf, &len) != FZ_OK)
        return fz_err_set(err, FZ_ENOMEM, "cannot encode the model: out of memory");
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fz_rc rc = FZ_OK;
    if (n < 0 || (size_t)n >= sizeof tmp) {
        rc = fz_err_set(err, FZ_EINVAL, "model path too long");
    } else {
        FILE *f = fopen(tmp, "wb");
        bool ok = f && fwrite(buf, 1, len, f) == len;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok || rename(tmp, path) != 0) {
            rc = fz_err_set(err, FZ_EIO, "cannot write '%s': %s", path, strerror(errno));
            unlink(tmp);
        }
    }
    fz_free(buf);
    return rc;
}

/* ---- loading ------------------------------------------------------------------------------- */

static fz_rc check_names(const unsigned char *p, size_t len, struct fz_err *err)
{
    size_t off = 0;
    for (int i = 0; i < FZ_LABEL__COUNT + FZ_FRAUD_TYPE_COUNT; i++) {
        const char *want =
            i < FZ_LABEL__COUNT ? label_names[i] : fz_fraud_type_name((int)(i - FZ_LABEL__COUNT));
        size_t n = strlen(want) + 1;
        if (off + n > len || memcmp(p + off, want, n) != 0)
            return fz_err_set(err, FZ_EPARSE,
                              "bad model file: name %d is not '%s' (model of another build)", i,
                              want);
        off += n;
    }
    for (; off < len; off++)
        if (p[off])
            return fz_err_set(err, FZ_EPARSE, "bad model file: garbage after the names");
    return FZ_OK;
}

static fz_rc parse_header(struct fz_model *m, const unsigned char *p, size_t len,
                          struct fz_err *err)
{
    if (len < FZ_MODEL_HEADER_SIZE)
        return fz_err_set(err, FZ_EPARSE, "bad model file: %zu bytes, shorter than the header",
                          len);
    if (memcmp(p, FZ_MODEL_MAGIC, 8) != 0)
        return fz_err_set(err, FZ_EPARSE, "not a fangzha model file (bad magic)");
    uint32_t version = get32(p + 8);
    if (version != FZ_MODEL_VERSION)
        return fz_err_set(err, FZ_EPARSE,
                          "unsupported model file version %u (want %u): train it again", version,
                          FZ_MODEL_VERSION);
    if (get32(p + 12) != FZ_MODEL_HEADER_SIZE || get32(p + 20) != FZ_MODEL_NOUT ||
        get64(p + 40) != 0 || get64(p + 48) != 0)
        return fz_err_set(err, FZ_EPARSE, "bad model file: unexpected header layout");
    m->dim_bits = get32(p + 16);
    if (m->dim_bits < FZ_MODEL_DIM_BITS_MIN || m->dim_bits > FZ_MODEL_DIM_BITS_MAX)
        return fz_err_set(err, FZ_EPARSE, "bad model file: dim_bits %u out of range", m->dim_bits);
    m->type_mask = get32(p + 24);
    if (m->type_mask >> FZ_FRAUD_TYPE_COUNT)
        return fz_err_set(err, FZ_EPARSE, "bad model file: unknown fraud types in the mask");
    return FZ_OK;
}

/* Reads the thresholds, biases and scales at p; each must be finite, scales positive. */
static fz_rc parse_floats(struct fz_model *m, const unsigned char *p, struct fz_err *err)
{
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++)
        for (int h = 0; h < 2; h++, p += 4)
            if (!isfinite(m->threshold[sc][h] = getf(p)))
                return fz_err_set(err, FZ_EPARSE, "bad model file: thresholds are not finite");
    for (int i = 0; i < FZ_MODEL_NOUT; i++, p += 4)
        if (!isfinite(m->bias[i] = getf(p)))
            return fz_err_set(err, FZ_EPARSE, "bad model file: bias %d is not finite", i);
    for (int i = 0; i < FZ_MODEL_NOUT; i++, p += 4) {
        m->scale[i] = getf(p);
        if (!isfinite(m->scale[i]) || !(m->scale[i] > 0))
            return fz_err_set(err, FZ_EPARSE, "bad model file: scale %d is not a positive number",
                              i);
    }
    return FZ_OK;
}

static fz_rc parse(struct fz_model *m, const unsigned char *p, size_t len, struct fz_err *err)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    return fz_err_set(err, FZ_EPARSE, "model files are little-endian; this host is not");
#endif
    fz_rc rc = parse_header(m, p, len, err);
    if (rc)
        return rc;
    size_t nnames = get32(p + 28), dim = (size_t)1 << m->dim_bits;
    uint64_t payload = get64(p + 32);
    if (payload != len - FZ_MODEL_HEADER_SIZE)
        return fz_err_set(err, FZ_EPARSE,
                          "bad model file: %zu bytes, the header says %llu (truncated?)", len,
                          (unsigned long long)(payload + FZ_MODEL_HEADER_SIZE));
    if (nnames != names_size() || payload != payload_size(nnames, m->dim_bits))
        return fz_err_set(err, FZ_EPARSE, "bad model file: section sizes do not add up");
    if (checksum(p, payload) != get64(p + 56))
        return fz_err_set(err, FZ_EPARSE, "bad model file: checksum mismatch (corrupted)");
    const unsigned char *q = p + FZ_MODEL_HEADER_SIZE;
    rc = check_names(q, nnames, err);
    if (!rc)
        rc = parse_floats(m, q + nnames, err);
    if (rc)
        return rc;
    m->base = p;
    m->len = len;
    m->heads = (const int8_t *)(q + nnames + 4 * NFLOATS);
    m->types = m->heads + dim * FZ_MODEL_OUT_TYPE0;
    for (size_t j = 0; j < dim; j++)
        for (int k = FZ_FRAUD_TYPE_COUNT; k < FZ_MODEL_TYPE_STRIDE; k++)
            if (m->types[j * FZ_MODEL_TYPE_STRIDE + (size_t)k])
                return fz_err_set(err, FZ_EPARSE, "bad model file: padding is not zero");
    return FZ_OK;
}

fz_rc fz_model_open_mem(const void *p, size_t len, struct fz_model **out, struct fz_err *err)
{
    if (!p || ((uintptr_t)p & 7))
        return fz_err_set(err, FZ_EINVAL, "model bytes must be 8-byte aligned");
    struct fz_model tmp = {0};
    fz_rc rc = parse(&tmp, p, len, err);
    if (rc)
        return rc;
    struct fz_model *m = fz_malloc(sizeof *m);
    if (!m)
        return fz_err_set(err, FZ_ENOMEM, "cannot load the model: out of memory");
    *m = tmp;
    *out = m;
    return FZ_OK;
}

fz_rc fz_model_open(const char *path, struct fz_model **out, struct fz_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fz_err_set(err, FZ_EIO, "cannot open model '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fz_err_set(err, FZ_EIO, "model '%s' is not a regular file", path);
    }
    size_t len = (size_t)st.st_size;
    if (len < FZ_MODEL_HEADER_SIZE) {
        close(fd);
        return fz_err_set(err, FZ_EPARSE, "bad model file '%s': %zu bytes, shorter than the header",
                          path, len);
    }
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE; /* fault the pages in now, not during the first predictions */
#endif
    void *map = mmap(NULL, len, PROT_READ, flags, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fz_err_set(err, FZ_EIO, "cannot map model '%s': %s", path, strerror(errno));
    fz_rc rc = fz_model_open_mem(map, len, out, err);
    if (rc) {
        munmap(map, len);
        return rc;
    }
    (*out)->is_mapped = true;
    return FZ_OK;
}

void fz_model_close(struct fz_model *m)
{
    if (!m)
        return;
    if (m->is_mapped)
        munmap((void *)(uintptr_t)m->base, m->len);
    fz_free(m);
}

void fz_model_get_info(const struct fz_model *m, struct fz_model_info *out)
{
    memset(out, 0, sizeof *out);
    out->version = FZ_MODEL_VERSION;
    out->dim_bits = m->dim_bits;
    for (int sc = 0; sc < FZ_MODEL_SCRIPT_COUNT; sc++) {
        out->fraud_threshold[sc] = m->threshold[sc][0];
        out->spam_threshold[sc] = m->threshold[sc][1];
    }
    for (int t = 0; t < FZ_FRAUD_TYPE_COUNT; t++)
        out->has_type[t] = (m->type_mask >> t) & 1;
    out->file_size = m->len;
}

/* ---- prediction ---------------------------------------------------------------------------- */

/* The margins of the fraud and not-ham heads for the features in s into acc[2]: the weights
 * are summed as integers, then scaled once by the features' common value and the head's
 * scale. */
static void head_margins(const struct fz_model *m, const struct fz_model_scratch *s, float *acc)
{
    int32_t f = 0, sp = 0;
    for (size_t i = 0; i < s->nslot; i++) {
        const int8_t *w = m->heads + (size_t)s->slot[i] * FZ_MODEL_OUT_TYPE0;
        f += w[0];
        sp += w[1];
    }
    acc[FZ_MODEL_OUT_FRAUD] =
        m->bias[FZ_MODEL_OUT_FRAUD] + (float)f * s->value * m->scale[FZ_MODEL_OUT_FRAUD];
    acc[FZ_MODEL_OUT_SPAM] =
        m->bias[FZ_MODEL_OUT_SPAM] + (float)sp * s->value * m->scale[FZ_MODEL_OUT_SPAM];
}

/* Rows summed in 16-bit lanes before they move to 32 bits: 256 * 127 < 2^15. */
#define TYPE_BATCH 256

#ifdef __SSE2__
/* The type rows of the features summed 16 bytes at a time: each row is sign-extended into two
 * vectors of eight 16-bit lanes, which go into 32-bit totals every TYPE_BATCH rows. */
static void type_sums(const struct fz_model *m, const struct fz_model_scratch *s, int32_t *sum)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i t0 = zero, t1 = zero, t2 = zero, t3 = zero;
    for (size_t i = 0; i < s->nslot;) {
        size_t end = s->nslot - i > TYPE_BATCH ? i + TYPE_BATCH : s->nslot;
        __m128i lo = zero, hi = zero;
        for (; i < end; i++) {
            __m128i w = _mm_loadu_si128(
                (const __m128i *)(const void *)(m->types +
                                                (size_t)s->slot[i] * FZ_MODEL_TYPE_STRIDE));
            /* each byte twice in a 16-bit lane, shifted down: sign-extended */
            __m128i l = _mm_srai_epi16(_mm_unpacklo_epi8(w, w), 8);
            __m128i h = _mm_srai_epi16(_mm_unpackhi_epi8(w, w), 8);
            lo = _mm_add_epi16(lo, l);
            hi = _mm_add_epi16(hi, h);
        }
        __m128i slo = _mm_cmpgt_epi16(zero, lo), shi = _mm_cmpgt_epi16(zero, hi);
        t0 = _mm_add_epi32(t0, _mm_unpacklo_epi16(lo, slo));
        t1 = _mm_add_epi32(t1, _mm_unpackhi_epi16(lo, slo));
        t2 = _mm_add_epi32(t2, _mm_unpacklo_epi16(hi, shi));
        t3 = _mm_add_epi32(t3, _mm_unpackhi_epi16(hi, shi));
    }
    _mm_storeu_si128((__m128i *)(void *)sum, t0);
    _mm_storeu_si128((__m128i *)(void *)(sum + 4), t1);
    _mm_storeu_si128((__m128i *)(void *)(sum + 8), t2);
    _mm_storeu_si128((__m128i *)(void *)(sum + 12), t3);
}
#else
static void type_sums(const struct fz_model *m, const struct fz_model_scratch *s, int32_t *sum)
{
    memset(sum, 0, FZ_MODEL_TYPE_STRIDE * sizeof *sum);
    for (size_t i = 0; i < s->nslot; i++) {
        const int8_t *w = m->types + (size_t)s->slot[i] * FZ_MODEL_TYPE_STRIDE;
        for (int k = 0; k < FZ_FRAUD_TYPE_COUNT; k++)
            sum[k] += w[k];
    }
}
#endif

static void type_margins(const struct fz_model *m, const struct fz_model_scratch *s, float *acc)
{
    int32_t sum[FZ_MODEL_TYPE_STRIDE];
    type_sums(m, s, sum);
    for (int k = 0; k < FZ_FRAUD_TYPE_COUNT; k++)
        acc[k] = m->bias[FZ_MODEL_OUT_TYPE0 + k] +
                 (float)sum[k] * s->value * m->scale[FZ_MODEL_OUT_TYPE0 + k];
}

void fz__model_margins(const struct fz_model *m, const struct fz_model_scratch *s, float *out)
{
    head_margins(m, s, out);
    type_margins(m, s, out + FZ_MODEL_OUT_TYPE0);
}

static float centred_logistic(float margin, float threshold)
{
    return 1.0f / (1.0f + expf(-4.0f * (margin - threshold)));
}

void fz_model_fraud_type(const struct fz_model *m, const struct fz_model_scratch *s, int *type,
                         float *margin)
{
    float acc[FZ_FRAUD_TYPE_COUNT];
    type_margins(m, s, acc);
    *type = FZ_FRAUD_TYPE_COUNT - 1; /* other_fraud when the head knows no type */
    *margin = 0;
    bool found = false;
    for (int k = 0; k < FZ_FRAUD_TYPE_COUNT; k++) {
        if (!((m->type_mask >> k) & 1))
            continue;
        if (!found || acc[k] > *margin) {
            *type = k;
            *margin = acc[k];
            found = true;
        }
    }
}

void fz_model_predict(const struct fz_model *m, const struct fz_text *t,
                      const struct fz_entities *ents, struct fz_model_scratch *s,
                      struct fz_prediction *out)
{
    float margin[FZ_MODEL_OUT_TYPE0];
    int32_t sum[2];
    fz__model_features_heads(m->dim_bits, t, ents, s, m->heads, sum);
    for (int k = 0; k < FZ_MODEL_OUT_TYPE0; k++)
        margin[k] = m->bias[k] + (float)sum[k] * s->value * m->scale[k];
    const float *thr = m->threshold[s->script];
    out->script = s->script;
    out->fraud_margin = margin[FZ_MODEL_OUT_FRAUD];
    out->spam_margin = margin[FZ_MODEL_OUT_SPAM];
    out->fraud_score = centred_logistic(out->fraud_margin, thr[0]);
    out->spam_score = centred_logistic(out->spam_margin, thr[1]);
    if (out->fraud_margin >= thr[0])
        out->label = FZ_LABEL_FRAUD;
    else if (out->spam_margin >= thr[1])
        out->label = FZ_LABEL_SPAM;
    else
        out->label = FZ_LABEL_HAM;
    out->fraud_type = -1;
    out->type_margin = 0;
    if (out->label == FZ_LABEL_FRAUD)
        fz_model_fraud_type(m, s, &out->fraud_type, &out->type_margin);
}
