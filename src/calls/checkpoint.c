/*
 * calls/checkpoint: the engine's whole state in one file, so `cdr stream` restarts where it was.
 * A header (magic, layout sizes, counts, settings) and then the arrays as they are in memory:
 * the file is for the same build of fangzha on the same machine, and says so when it is not.
 * Written to PATH.tmp, synced, renamed over PATH and the folder synced: a crash at any moment
 * leaves the previous checkpoint or the new one, never half of one.
 */
#include "compat.h"

#include "calls_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CK_MAGIC "FZCDRCK6"
#define CK_MAPS 6

struct ck_header {
    char magic[8];
    uint32_t num_size, contact_size, imei_size, config_size;
    uint64_t rows;
    int64_t now;
    struct fz_calls_stats stats;
    struct fz_calls_config cfg;
    struct fz_calls_model model;
    uint64_t has_model;
    uint64_t nums, contacts, imeis;
    uint64_t map_slots[CK_MAPS], map_count[CK_MAPS];
};

static struct fz__u64map *map_at(struct fz_calls *c, int i)
{
    struct fz__u64map *maps[CK_MAPS] = {&c->by_raw,   &c->by_text, &c->pairs,
                                        &c->imei_ids, &c->alerted, &c->presented};
    return maps[i];
}

static bool put(FILE *f, const void *p, size_t size, size_t n)
{
    return n == 0 || fwrite(p, size, n, f) == n;
}

static fz_rc write_all(const struct fz_calls *cc, FILE *f, uint64_t rows)
{
    struct fz_calls *c = (struct fz_calls *)cc; /* map_at does not modify */
    struct ck_header h = {.num_size = sizeof(struct fz__num),
                          .contact_size = sizeof(struct fz__contact),
                          .imei_size = sizeof(struct fz__imei),
                          .config_size = sizeof(struct fz_calls_config),
                          .rows = rows,
                          .now = c->now,
                          .stats = c->stats,
                          .cfg = c->cfg,
                          .model = c->model,
                          .has_model = c->has_model,
                          .nums = c->nums.len,
                          .contacts = c->contacts.len,
                          .imeis = c->imeis.len};
    memcpy(h.magic, CK_MAGIC, sizeof h.magic);
    for (int i = 0; i < CK_MAPS; i++) {
        const struct fz__u64map *m = map_at(c, i);
        h.map_slots[i] = m->slots ? m->mask + 1 : 0;
        h.map_count[i] = m->count;
    }
    bool ok = put(f, &h, sizeof h, 1) && put(f, c->nums.data, c->nums.size, c->nums.len) &&
              put(f, c->contacts.data, c->contacts.size, c->contacts.len) &&
              put(f, c->imeis.data, c->imeis.size, c->imeis.len);
    for (int i = 0; ok && i < CK_MAPS; i++) {
        const struct fz__u64map *m = map_at(c, i);
        ok = put(f, m->slots, sizeof *m->slots, h.map_slots[i]);
    }
    return ok && fflush(f) == 0 && fsync(fileno(f)) == 0 ? FZ_OK : FZ_E(FZ_EIO);
}

static void sync_dir(const char *path)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

fz_rc fz_calls_save(const struct fz_calls *c, const char *path, uint64_t rows, struct fz_err *err)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return fz_err_set(err, FZ_EINVAL, "checkpoint path too long");
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return fz_err_set(err, FZ_EIO, "cannot write checkpoint '%s': %s", tmp, strerror(errno));
    fz_rc rc = write_all(c, f, rows);
    if (fclose(f) != 0 && rc == FZ_OK)
        rc = FZ_E(FZ_EIO);
    if (rc == FZ_OK && rename(tmp, path) != 0)
        rc = FZ_E(FZ_EIO);
    if (rc != FZ_OK) {
        unlink(tmp);
        return fz_err_set(err, rc, "cannot write checkpoint '%s': %s", path, strerror(errno));
    }
    sync_dir(path);
    return FZ_OK;
}

/* Reads n elements into v (empty), as they were. */
static bool take_vec(FILE *f, struct fz__vec *v, uint64_t n)
{
    if (n == 0)
        return true;
    if (n > UINT32_MAX || fz__vec_reserve(v, (size_t)n) != FZ_OK)
        return false;
    v->len = (size_t)n;
    return fread(v->data, v->size, (size_t)n, f) == n;
}

/* Reads the arrays after the header into c. */
static bool read_arrays(FILE *f, const struct ck_header *h, struct fz_calls *c)
{
    if (!take_vec(f, &c->nums, h->nums) || !take_vec(f, &c->contacts, h->contacts) ||
        !take_vec(f, &c->imeis, h->imeis))
        return false;
    for (int i = 0; i < CK_MAPS; i++) {
        struct fz__u64map *m = map_at(c, i);
        uint64_t slots = h->map_slots[i];
        if (slots & (slots - 1))
            return false; /* not a power of two */
        m->count = (size_t)h->map_count[i];
        if (slots && (slots > SIZE_MAX / sizeof *m->slots || fz__u64map_alloc(m, slots) != FZ_OK ||
                      fread(m->slots, sizeof *m->slots, slots, f) != slots))
            return false;
    }
    return fgetc(f) == EOF; /* nothing after the last array */
}

static bool header_fits(const struct ck_header *h)
{
    return !memcmp(h->magic, CK_MAGIC, sizeof h->magic) && h->num_size == sizeof(struct fz__num) &&
           h->contact_size == sizeof(struct fz__contact) &&
           h->imei_size == sizeof(struct fz__imei) &&
           h->config_size == sizeof(struct fz_calls_config) && h->nums < UINT32_MAX &&
           h->contacts < UINT32_MAX && h->imeis < UINT32_MAX;
}

fz_rc fz_calls_load(const char *path, const struct fz_calls_config *cfg, struct fz_calls **out,
                    uint64_t *rows, struct fz_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fz_err_set(err, errno == ENOENT ? FZ_ENOTFOUND : FZ_EIO,
                          "cannot read checkpoint '%s': %s", path, strerror(errno));
    struct ck_header h;
    struct fz_calls *c = NULL;
    fz_rc rc = FZ_OK;
    if (fread(&h, sizeof h, 1, f) != 1 || !header_fits(&h)) {
        rc = fz_err_set(err, FZ_EINVAL,
                        "'%s' is not a checkpoint of this build of fangzha (or it is damaged)",
                        path);
    } else if ((rc = fz_calls_new(cfg ? cfg : &h.cfg, &c)) == FZ_OK) {
        c->now = h.now;
        c->stats = h.stats;
        c->model = h.model;
        c->has_model = h.has_model != 0;
        if (!read_arrays(f, &h, c))
            rc = fz_err_set(err, FZ_EINVAL, "checkpoint '%s' is truncated or damaged", path);
    }
    fclose(f);
    if (rc != FZ_OK) {
        fz_calls_free(c);
        return rc;
    }
    *rows = h.rows;
    *out = c;
    return FZ_OK;
}
