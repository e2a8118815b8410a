/* core/alloc: the allocator hook and arenas. Everything in src/ allocates through here. */
#include "compat.h"

#include "fangzha/core.h"

#include <stdlib.h>
#include <string.h>

static void *std_malloc(void *ud, size_t n)
{
    (void)ud;
    return malloc(n ? n : 1);
}

static void *std_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return realloc(p, n ? n : 1);
}

static void std_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

/* The one process-wide hook, set before anything else runs (as libuv's and Lua's). */
static struct fz_allocator hook = {std_malloc, std_realloc, std_free, NULL};

void fz_set_allocator(const struct fz_allocator *a)
{
    if (a)
        hook = *a;
    else
        hook = (struct fz_allocator){std_malloc, std_realloc, std_free, NULL};
}

void *fz_malloc(size_t n) { return hook.malloc(hook.ud, n); }

void *fz_realloc(void *p, size_t n) { return hook.realloc(hook.ud, p, n); }

void fz_free(void *p)
{
    if (p)
        hook.free(hook.ud, p);
}

void *fz_mallocarray(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    return fz_malloc(nmemb * size);
}

void *fz_calloc(size_t nmemb, size_t size)
{
    void *p = fz_mallocarray(nmemb, size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

char *fz_strndup(const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = fz_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* ---- arena ---- */

#ifdef FZ_STRESS
#define ARENA_DEFAULT_CHUNK 64
#else
#define ARENA_DEFAULT_CHUNK 8192
#endif
#define ARENA_ALIGN 16

struct fz_arena_chunk {
    struct fz_arena_chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct fz_arena_defer {
    struct fz_arena_defer *next;
    void (*fn)(void *);
    void *p;
};

void fz_arena_init(struct fz_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->defers = NULL;
    a->chunk_size = chunk_size ? chunk_size : ARENA_DEFAULT_CHUNK;
    a->used = 0;
}

static struct fz_arena_chunk *chunk_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(struct fz_arena_chunk))
        return NULL;
    struct fz_arena_chunk *c = fz_malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *fz_arena_alloc(struct fz_arena *a, size_t n)
{
    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct fz_arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        /* Big requests get a chunk of their own behind the current one, so the current
         * chunk's free space is not wasted. */
        size_t size = need > a->chunk_size / 4 ? need : a->chunk_size;
        struct fz_arena_chunk *nc = chunk_new(size);
        if (!nc)
            return NULL;
        if (c && size == need) {
            nc->next = c->next;
            c->next = nc;
            nc->used = need;
            a->used += need;
            return nc->data;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used += need;
    return p;
}

void *fz_arena_calloc(struct fz_arena *a, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        return NULL;
    void *p = fz_arena_alloc(a, nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

char *fz_arena_strndup(struct fz_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = fz_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

fz_rc fz_arena_defer(struct fz_arena *a, void (*fn)(void *), void *p)
{
    struct fz_arena_defer *d = fz_arena_alloc(a, sizeof *d);
    if (!d)
        return FZ_E(FZ_ENOMEM);
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    return FZ_OK;
}

static void run_defers(struct fz_arena *a)
{
    /* A cleanup may not allocate from this arena; take the list first. */
    struct fz_arena_defer *d = a->defers;
    a->defers = NULL;
    for (; d; d = d->next)
        d->fn(d->p);
}

void fz_arena_reset(struct fz_arena *a)
{
    run_defers(a);
    struct fz_arena_chunk *keep = NULL;
    for (struct fz_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep && c->size == a->chunk_size) {
            keep = c;
            continue;
        }
        fz_free(c);
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->used = 0;
}

void fz_arena_release(struct fz_arena *a)
{
    if (!a)
        return;
    run_defers(a);
    for (struct fz_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        fz_free(c);
    }
    a->head = NULL;
    a->used = 0;
}
