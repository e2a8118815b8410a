/* libFuzzer: any bytes as the title or text of a typical case about to be published. The search
 * for personal data never crashes, and what it finds lies inside the text. */
#include "fangzha/extract.h"
#include "fangzha/server.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fz_extractor *x;
    if (!x && fz_extractor_new(&x) != FZ_OK)
        abort();
    struct fz_arena a;
    fz_arena_init(&a, 4096);
    struct fz_server_personal p;
    fz_rc rc = fz_server_personal_find(x, (const char *)data, size, &a, &p);
    if (rc == FZ_OK && p.kind && p.start >= size)
        abort();
    if (rc == FZ_OK && !p.kind && p.start != size)
        abort();
    fz_arena_release(&a);
    return 0;
}
