/*
 * fangzha audit verify: walks the hash chain of the audit log and says whether a record was
 * changed, removed or inserted behind the platform's back.
 */
#include "compat.h"

#include "cli.h"

#include "fangzha/store.h"

#include <string.h>

static const char usage[] =
    "usage: fangzha audit verify --db PATH\n"
    "\n"
    "Checks the audit log's hash chain (each record's hash covers the previous one). Prints\n"
    "{\"records\", \"intact\"} and, when broken, the first record that does not match.\n"
    "\n"
    "Exit codes: 0 intact, 1 broken or a runtime failure, 2 bad usage.\n";

int cmd_audit(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc != 4 || strcmp(argv[1], "verify") || strcmp(argv[2], "--db")) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    struct fz_store_opts o = {.path = argv[3]};
    struct fz_store *st;
    struct fz_err err = {0};
    if (fz_store_open(&o, &st, &err) != FZ_OK) {
        cli_error("audit", "database '%s': %s", argv[3], err.msg);
        return CLI_RUNTIME;
    }
    const struct fz_actor cli = {.kind = FZ_ACTOR_CLI};
    int64_t checked = 0, bad = 0;
    fz_rc rc = fz_store_audit_verify(st, &cli, &checked, &bad, &err);
    fz_store_close(st);
    if (rc && rc != FZ_ECONFLICT) {
        cli_error("audit", "%s", err.msg);
        return CLI_RUNTIME;
    }
    if (rc == FZ_ECONFLICT) {
        printf("{\"records\":%lld,\"intact\":false,\"first_bad\":%lld}\n", (long long)checked,
               (long long)bad);
        cli_error("audit", "%s", err.msg);
        return CLI_RUNTIME;
    }
    printf("{\"records\":%lld,\"intact\":true}\n", (long long)checked);
    return CLI_OK;
}
