/* libFuzzer driver for the JSON reader and writer (core/json.c). Properties: the reader never
 * crashes on any bytes; the writer always emits valid JSON (refused by the reader only for
 * NUL, which it escapes as \u0000), and a valid UTF-8 string written by it reads back
 * identical through jansson. */
#include "compat.h"

#include "fangzha/core.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    json_t *v = NULL;
    if (fz_json_parse(s, size, &v, NULL) == FZ_OK)
        json_decref(v);

    struct fz_buf b;
    fz_buf_init(&b, 1 << 20);
    struct fz_json j;
    fz_json_init(&j, &b);
    fz_json_arr(&j);
    fz_json_str(&j, s, size);
    fz_json_arr_end(&j);
    if (j.rc != FZ_OK)
        abort();
    /* The reader refuses \u0000 (C strings would lose what follows it), so only NUL-free
     * strings must read back. */
    bool has_nul = memchr(s, 0, size) != NULL;
    if (fz_json_parse(b.ptr, b.len, &v, NULL) != FZ_OK) {
        if (!has_nul)
            abort(); /* the writer produced invalid JSON */
        fz_buf_release(&b);
        return 0;
    }
    if (fz_utf8_valid(s, size)) {
        const char *back = json_string_value(json_array_get(v, 0));
        if (!back || strlen(back) != size || memcmp(back, s, size) != 0)
            abort();
    }
    json_decref(v);
    fz_buf_release(&b);
    return 0;
}
