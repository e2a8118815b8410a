/*
 * server/assets: the web pages (docs/web.md): every file under the web directory's portal/,
 * console/ and shared/ folders, plus the vendored scripts the pages import, read into memory
 * once at start. Only these files are ever served — a path is looked up in a table, never
 * joined to a directory — so no request can reach another file. Each has a content type from
 * its extension and an ETag (a hash of its bytes): browsers revalidate with If-None-Match and
 * get 304 without the body. Restart the server after changing the pages.
 */
#include "server_int.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

FZ_LOG_MODULE(server);

#define ASSETS_MAX_FILES 4096
#define ASSETS_MAX_BYTES ((size_t)64 << 20)

struct srv_asset {
    char *path; /* "/portal/app.js" */
    char *body;
    size_t len;
    const char *type;
    char etag[24];
};

struct srv_assets {
    struct srv_asset *items;
    size_t n, cap, bytes;
};

/* Files the pages import from npm packages, served under /vendor/. */
static const struct {
    const char *url, *file;
} vendored[] = {
    {"/vendor/echarts.esm.min.js", "node_modules/echarts/dist/echarts.esm.min.js"},
};

static const char *type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

static fz_rc add(struct srv_assets *a, const char *url, const char *file, struct fz_err *err)
{
    const char *type = type_of(file);
    if (!type)
        return FZ_OK; /* not a kind of file the pages use: not served */
    if (a->n == ASSETS_MAX_FILES)
        return fz_err_set(err, FZ_ETOOBIG, "web directory: more than %d files", ASSETS_MAX_FILES);
    FILE *f = fopen(file, "rb");
    if (!f)
        return fz_err_set(err, FZ_EIO, "web directory: cannot read '%s'", file);
    struct fz_buf b;
    fz_buf_init(&b, ASSETS_MAX_BYTES - a->bytes);
    fz_rc rc = fz_buf_read(&b, f);
    fclose(f);
    if (rc) {
        fz_buf_release(&b);
        return fz_err_set(err, rc, "web directory: '%s' cannot be read whole", file);
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        struct srv_asset *p = fz_realloc(a->items, cap * sizeof *p);
        if (!p) {
            fz_buf_release(&b);
            return FZ_E(FZ_ENOMEM);
        }
        a->items = p;
        a->cap = cap;
    }
    struct srv_asset *x = &a->items[a->n];
    size_t ul = strlen(url);
    x->path = fz_malloc(ul + 1);
    if (!x->path) {
        fz_buf_release(&b);
        return FZ_E(FZ_ENOMEM);
    }
    memcpy(x->path, url, ul + 1);
    x->len = b.len;
    x->body = b.ptr ? b.ptr : fz_calloc(1, 1); /* the buffer is handed over */
    x->type = type;
    snprintf(x->etag, sizeof x->etag, "\"%016llx\"", (unsigned long long)fz_hash(x->body, x->len));
    a->bytes += b.len;
    a->n++;
    return FZ_OK;
}

/* Adds every file below dir/sub (recursively) as /sub/... */
static fz_rc add_tree(struct srv_assets *a, const char *dir, const char *sub, int depth,
                      struct fz_err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return FZ_OK; /* a folder that is not there serves nothing */
    fz_rc rc = FZ_OK;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue; /* ., .., hidden files */
        char rel[768], full[1024];
        snprintf(rel, sizeof rel, "%s/%s", sub, e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, rel);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 8)
            rc = add_tree(a, dir, rel, depth + 1, err);
        else if (S_ISREG(st.st_mode)) {
            char url[800];
            snprintf(url, sizeof url, "/%s", rel);
            rc = add(a, url, full, err);
        }
    }
    closedir(d);
    return rc;
}

void srv_assets_free(struct srv_assets *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        fz_free(a->items[i].path);
        fz_free(a->items[i].body);
    }
    fz_free(a->items);
    fz_free(a);
}

fz_rc srv_assets_load(const char *dir, struct srv_assets **out, struct fz_err *err)
{
    struct srv_assets *a = fz_calloc(1, sizeof *a);
    if (!a)
        return FZ_E(FZ_ENOMEM);
    static const char *const trees[] = {"portal", "console", "shared"};
    fz_rc rc = FZ_OK;
    for (size_t i = 0; !rc && i < sizeof trees / sizeof trees[0]; i++)
        rc = add_tree(a, dir, trees[i], 0, err);
    for (size_t i = 0; !rc && i < sizeof vendored / sizeof vendored[0]; i++) {
        char file[1024];
        snprintf(file, sizeof file, "%s/%s", dir, vendored[i].file);
        struct stat st;
        if (stat(file, &st) == 0)
            rc = add(a, vendored[i].url, file, err);
        else
            fz_log(FZ_LOG_WARN, "web: %s is missing (npm ci in %s)", vendored[i].file, dir);
    }
    if (rc) {
        srv_assets_free(a);
        return rc;
    }
    *out = a;
    return FZ_OK;
}

/* "/" is the portal, "/console" and "/console/" the console. */
const struct srv_asset *srv_asset_find(const struct srv_assets *a, const char *path)
{
    if (!a)
        return NULL;
    if (!strcmp(path, "/"))
        path = "/portal/index.html";
    else if (!strcmp(path, "/console") || !strcmp(path, "/console/"))
        path = "/console/index.html";
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->items[i].path, path))
            return &a->items[i];
    return NULL;
}

const char *srv_asset_type(const struct srv_asset *x) { return x->type; }
const char *srv_asset_etag(const struct srv_asset *x) { return x->etag; }
const char *srv_asset_body(const struct srv_asset *x, size_t *len)
{
    *len = x->len;
    return x->body;
}
size_t srv_assets_count(const struct srv_assets *a) { return a ? a->n : 0; }
