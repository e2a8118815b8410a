/* libFuzzer: any bytes as the configuration file of fangzha serve. Parsing never crashes,
 * and an error always names its line (when there is one) and says why. */
#include "fangzha/server.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_arena a;
    fz_arena_init(&a, 1024);
    struct fz_server_opts o = {0};
    struct fz_err err = {0};
    fz_rc rc = fz_server_config_parse((const char *)data, size, &o, &a, &err);
    if (rc != FZ_OK && !err.msg[0])
        abort();
    if (rc == FZ_OK && o.threads > 256)
        abort();
    fz_arena_release(&a);
    return 0;
}
