/*
 * intel/kinds.c: the names of indicator kinds, statuses and TLP sharing levels.
 *
 * The names are the stable ids used in JSON and in the database, so the store and the server
 * call these to turn rows and requests into enums and back. Tables only; no allocation.
 */
#include "compat.h"

#include "intel_int.h"

#include <string.h>

static const char *const kind_names[FZ_IND__COUNT] = {
#define FZ__IND_KIND_NAME(name, id) id,
    FZ_IND_KIND_MAP(FZ__IND_KIND_NAME)
#undef FZ__IND_KIND_NAME
};

static const char *const status_names[FZ_IND__STATUSES] = {"suspected", "confirmed", "cleared"};

static const char *const tlp_names[FZ_TLP__COUNT] = {"clear", "green", "amber", "red"};

/* The index of s[0..len) in names[0..n), or -1. */
static int find_name(const char *const *names, int n, const char *s, size_t len)
{
    if (s == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    }
    return -1;
}

const char *fz_ind_kind_name(enum fz_ind_kind k)
{
    return (unsigned)k < FZ_IND__COUNT ? kind_names[k] : NULL;
}

const char *fz_ind_status_name(enum fz_ind_status s)
{
    return (unsigned)s < FZ_IND__STATUSES ? status_names[s] : NULL;
}

const char *fz_tlp_name(enum fz_tlp t) { return (unsigned)t < FZ_TLP__COUNT ? tlp_names[t] : NULL; }

bool fz_ind_kind_parse(const char *s, size_t len, enum fz_ind_kind *out)
{
    int i = find_name(kind_names, FZ_IND__COUNT, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_ind_kind)i;
    return true;
}

bool fz_ind_status_parse(const char *s, size_t len, enum fz_ind_status *out)
{
    int i = find_name(status_names, FZ_IND__STATUSES, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_ind_status)i;
    return true;
}

bool fz_tlp_parse(const char *s, size_t len, enum fz_tlp *out)
{
    static const char prefix[] = "tlp:";
    const size_t plen = sizeof prefix - 1;
    if (s != NULL && len > plen && memcmp(s, prefix, plen) == 0) {
        s += plen;
        len -= plen;
    }
    int i = find_name(tlp_names, FZ_TLP__COUNT, s, len);
    if (i < 0)
        return false;
    *out = (enum fz_tlp)i;
    return true;
}
