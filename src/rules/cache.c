/*
 * rules/cache.c: compiled Hyperscan databases kept on disk, so that a process loading the same
 * rules again deserializes them in milliseconds instead of compiling them for seconds.
 *
 * One file per key, `rules-<key>.hsdb`, written to a temporary name and renamed into place:
 *
 *   "FZHSDB1\n" | u64 key | u32 count | count × (u64 size | size bytes) | u64 XXH3 of all before
 *
 * (little-endian, as the host: a file from another machine fails its key check). The key
 * hashes Hyperscan's version and platform and every expression with its flags and id, so an
 * edited rule, another Hyperscan or another CPU is a miss, never a wrong database.
 */
#include "compat.h"

#include "rules_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

FZ_LOG_MODULE(rules);

static const char MAGIC[8] = {'F', 'Z', 'H', 'S', 'D', 'B', '1', '\n'};
#define CACHE_MAX_FILE ((size_t)512 << 20)
#define CACHE_KEEP_DAYS 30

static uint64_t mix(uint64_t h, const void *p, size_t len) { return fz_hash_seed(p, len, h); }

uint64_t fz__rules_cache_key(const struct fz__rules_exprs *sets, size_t nsets)
{
    const char *version = hs_version();
    uint64_t h = fz_hash(version, strlen(version));
    hs_platform_info_t plat;
    if (hs_populate_platform(&plat) == HS_SUCCESS) {
        h = mix(h, &plat.tune, sizeof plat.tune);
        h = mix(h, &plat.cpu_features, sizeof plat.cpu_features);
    }
    for (size_t s = 0; s < nsets; s++) {
        h = mix(h, &sets[s].n, sizeof sets[s].n);
        for (size_t i = 0; i < sets[s].n; i++) {
            h = mix(h, sets[s].expr[i], strlen(sets[s].expr[i]) + 1);
            h = mix(h, &sets[s].flags[i], sizeof sets[s].flags[i]);
            h = mix(h, &sets[s].ids[i], sizeof sets[s].ids[i]);
        }
    }
    return h;
}

static void path_of(char *out, size_t cap, const char *dir, uint64_t key)
{
    snprintf(out, cap, "%s/rules-%016llx.hsdb", dir, (unsigned long long)key);
}

/* A bounds-checked reader over the file's bytes. */
struct cursor {
    const unsigned char *p;
    size_t left;
};

static bool take(struct cursor *c, void *out, size_t n)
{
    if (c->left < n)
        return false;
    memcpy(out, c->p, n);
    c->p += n;
    c->left -= n;
    return true;
}

static bool parse(const unsigned char *buf, size_t len, uint64_t key, hs_database_t **dbs, size_t n)
{
    uint64_t sum, got_key;
    uint32_t count;
    if (len < sizeof MAGIC + sizeof sum)
        return false;
    memcpy(&sum, buf + len - sizeof sum, sizeof sum);
    if (fz_hash(buf, len - sizeof sum) != sum || memcmp(buf, MAGIC, sizeof MAGIC) != 0)
        return false;
    struct cursor c = {buf + sizeof MAGIC, len - sizeof MAGIC - sizeof sum};
    if (!take(&c, &got_key, sizeof got_key) || got_key != key || !take(&c, &count, sizeof count) ||
        count != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint64_t size;
        if (!take(&c, &size, sizeof size) || size > c.left)
            return false;
        if (size > 0 &&
            hs_deserialize_database((const char *)c.p, (size_t)size, &dbs[i]) != HS_SUCCESS)
            return false;
        c.p += size;
        c.left -= size;
    }
    return c.left == 0;
}

bool fz__rules_cache_load(const char *dir, uint64_t key, hs_database_t **dbs, size_t n)
{
    char path[4096];
    path_of(path, sizeof path, dir, key);
    for (size_t i = 0; i < n; i++)
        dbs[i] = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) /* not cached yet */
        return false;
    struct fz_buf buf;
    fz_buf_init(&buf, CACHE_MAX_FILE);
    bool ok = fz_buf_read(&buf, f) == FZ_OK &&
              parse((const unsigned char *)buf.ptr, buf.len, key, dbs, n);
    fclose(f);
    fz_buf_release(&buf);
    if (!ok) {
        for (size_t i = 0; i < n; i++) {
            hs_free_database(dbs[i]);
            dbs[i] = NULL;
        }
        fz_log(FZ_LOG_INFO, "cache file %s is stale or damaged; compiling", path);
        return false;
    }
    utimensat(AT_FDCWD, path, NULL, 0); /* still in use: keep it from being pruned */
    fz_log(FZ_LOG_INFO, "compiled rules loaded from %s", path);
    return true;
}

/* Creates dir and its missing parents (mode 0700: the cache is per user). */
static bool make_dirs(const char *dir)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return false;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(tmp, 0700) == 0 || errno == EEXIST;
}

static bool put(struct fz_buf *out, const void *p, size_t n)
{
    return fz_buf_add(out, p, n) == FZ_OK;
}

/* Serializes dbs into out (the whole file image, checksum included). */
static bool image(hs_database_t *const *dbs, size_t n, uint64_t key, struct fz_buf *out)
{
    uint32_t count = (uint32_t)n;
    bool ok = put(out, MAGIC, sizeof MAGIC) && put(out, &key, sizeof key) &&
              put(out, &count, sizeof count);
    for (size_t i = 0; ok && i < n; i++) {
        char *bytes = NULL;
        size_t len = 0;
        if (dbs[i] != NULL && hs_serialize_database(dbs[i], &bytes, &len) != HS_SUCCESS)
            return false;
        uint64_t size = len;
        ok = put(out, &size, sizeof size) && (len == 0 || put(out, bytes, len));
        free(bytes); /* NOLINT: allocated by Hyperscan with the C library's malloc */
    }
    uint64_t sum = ok ? fz_hash(out->ptr, out->len) : 0;
    return ok && put(out, &sum, sizeof sum);
}

static bool write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return false;
        }
        b += w;
        n -= (size_t)w;
    }
    return close(fd) == 0;
}

/* Removes other rules-*.hsdb files of dir not used for CACHE_KEEP_DAYS. */
static void prune(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    time_t cutoff = time(NULL) - (time_t)CACHE_KEEP_DAYS * 86400;
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "rules-", 6) != 0 || len < 11 ||
            strcmp(de->d_name + len - 5, ".hsdb") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (strcmp(path, keep) != 0 && stat(path, &st) == 0 && st.st_mtime < cutoff)
            unlink(path);
    }
    closedir(d);
}

void fz__rules_cache_store(const char *dir, uint64_t key, hs_database_t *const *dbs, size_t n)
{
    char path[4096], tmp[4160];
    path_of(path, sizeof path, dir, key);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    struct fz_buf out;
    fz_buf_init(&out, CACHE_MAX_FILE);
    bool ok = make_dirs(dir) && image(dbs, n, key, &out) && write_file(tmp, out.ptr, out.len) &&
              rename(tmp, path) == 0;
    fz_buf_release(&out);
    if (!ok) {
        unlink(tmp);
        fz_log(FZ_LOG_INFO, "cannot write the rules cache %s: %s", path, strerror(errno));
        return;
    }
    fz_log(FZ_LOG_INFO, "compiled rules written to %s", path);
    prune(dir, path);
}
