/*
 * fangzha user add / fangzha apikey create|list|revoke / fangzha org add: accounts from the
 * command line — for the first admin, and for partner systems' keys. Each acts as the CLI
 * actor, which the audit log records as "cli".
 */
#include "compat.h"

#include "cli.h"

#include "fangzha/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char user_usage[] =
    "usage: fangzha user add NAME --role ROLE --org ORG --db PATH [--create-org KIND] [--centre]\n"
    "\n"
    "Adds a user; the password is read from stdin (one line; not echoed on a terminal) and must\n"
    "be at least 12 characters, not of one character class, not containing the name and not a\n"
    "common password. ROLE: admin, analyst, officer, partner, auditor. --create-org KIND\n"
    "creates ORG first (police, operator, bank, internet, community); --centre marks it the\n"
    "district anti-fraud centre, whose admins, analysts and auditors see every organisation.\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or a refused password.\n";

static const char key_usage[] =
    "usage: fangzha apikey create --org ORG --role ROLE [--name TEXT] [--expires-days N] --db "
    "PATH\n"
    "       fangzha apikey list --db PATH\n"
    "       fangzha apikey revoke ID --db PATH\n"
    "\n"
    "create prints the new key once on stdout (only its hash is stored): partner systems send\n"
    "it as 'Authorization: Bearer KEY'. list prints the keys as JSON Lines, without secrets.\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage.\n";

struct acct_args {
    const char *db, *org, *role, *name, *create_org;
    bool centre;
    long expires_days;
};

static int parse(int argc, char **argv, const char *cmd, const char *usage, struct acct_args *a)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'd'},
                                          {"org", required_argument, 0, 'o'},
                                          {"role", required_argument, 0, 'r'},
                                          {"name", required_argument, 0, 'n'},
                                          {"create-org", required_argument, 0, 'c'},
                                          {"centre", no_argument, 0, 'C'},
                                          {"expires-days", required_argument, 0, 'e'},
                                          {"help", no_argument, 0, 'h'},
                                          {0, 0, 0, 0}};
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'o': a->org = optarg; break;
        case 'r': a->role = optarg; break;
        case 'n': a->name = optarg; break;
        case 'c': a->create_org = optarg; break;
        case 'C': a->centre = true; break;
        case 'e':
            a->expires_days = strtol(optarg, &end, 10);
            if (*end || a->expires_days < 1 || a->expires_days > 3650) {
                cli_error(cmd, "--expires-days wants 1..3650, not '%s'", optarg);
                return CLI_USAGE;
            }
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (!a->db) {
        cli_error(cmd, "--db PATH is required");
        return CLI_USAGE;
    }
    return -1;
}

static int open_store(const char *cmd, const char *db, struct fz_store **st)
{
    struct fz_store_opts o = {.path = db};
    struct fz_err err = {0};
    if (fz_store_open(&o, st, &err) != FZ_OK) {
        cli_error(cmd, "database '%s': %s", db, err.msg);
        return CLI_RUNTIME;
    }
    return -1;
}

static const struct fz_actor cli_actor = {.kind = FZ_ACTOR_CLI};

/* The organisation named name, created first when kind is given. */
static int find_org(const char *cmd, struct fz_store *st, const struct acct_args *a, int64_t *id)
{
    struct fz_err err = {0};
    if (a->create_org) {
        enum fz_org_kind k;
        if (!fz_org_kind_parse(a->create_org, strlen(a->create_org), &k)) {
            cli_error(cmd, "unknown organisation kind '%s'", a->create_org);
            return CLI_USAGE;
        }
        if (fz_store_org_add(st, &cli_actor, a->org, k, a->centre, id, &err) == FZ_OK)
            return -1;
        if (err.code != FZ_ECONFLICT) {
            cli_error(cmd, "organisation: %s", err.msg);
            return err.code == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
        }
    }
    struct fz_arena ar;
    fz_arena_init(&ar, 1024);
    struct fz_org org;
    fz_rc rc = fz_store_org_find(st, &cli_actor, a->org, &ar, &org, &err);
    fz_arena_release(&ar);
    if (rc) {
        cli_error(cmd, "organisation '%s': %s%s", a->org, err.msg,
                  rc == FZ_ENOTFOUND ? " (create it with --create-org KIND)" : "");
        return rc == FZ_ENOTFOUND ? CLI_USAGE : CLI_RUNTIME;
    }
    *id = org.id;
    return -1;
}

static int need_role(const char *cmd, const char *s, enum fz_role *r)
{
    if (s && fz_role_parse(s, strlen(s), r) && *r != FZ_ROLE_NONE)
        return -1;
    cli_error(cmd, "--role wants admin, analyst, officer, partner or auditor");
    return CLI_USAGE;
}

/* One line from stdin, without echo when stdin is a terminal. */
static bool read_password(char *buf, size_t cap)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fputs("password: ", stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    bool ok = fgets(buf, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok;
}

static int user_add(int argc, char **argv)
{
    struct acct_args a = {0};
    int rc = parse(argc, argv, "user", user_usage, &a);
    if (rc >= 0)
        return rc;
    enum fz_role role;
    if (optind + 1 != argc || !a.org) {
        fputs(user_usage, stderr);
        return CLI_USAGE;
    }
    if ((rc = need_role("user", a.role, &role)) >= 0)
        return rc;
    char pw[1100];
    struct fz_err err = {0};
    if (!read_password(pw, sizeof pw)) {
        cli_error("user", "no password on stdin");
        return CLI_USAGE;
    }
    if (fz_password_check(argv[optind], pw, &err) != FZ_OK) {
        cli_error("user", "password refused: %s", err.msg);
        return CLI_USAGE;
    }
    struct fz_store *st;
    if ((rc = open_store("user", a.db, &st)) >= 0)
        return rc;
    struct fz_user_new u = {.name = argv[optind], .password = pw, .role = role};
    int64_t id = 0;
    rc = find_org("user", st, &a, &u.org_id);
    if (rc < 0 && fz_store_user_add(st, &cli_actor, &u, &id, &err) != FZ_OK) {
        cli_error("user", "%s", err.msg);
        rc = err.code == FZ_EINVAL || err.code == FZ_ECONFLICT ? CLI_USAGE : CLI_RUNTIME;
    }
    memset(pw, 0, sizeof pw);
    fz_store_close(st);
    if (rc >= 0)
        return rc;
    printf("{\"id\":%lld,\"name\":\"%s\",\"role\":\"%s\"}\n", (long long)id, u.name,
           fz_role_name(role));
    return CLI_OK;
}

int cmd_user(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return user_add(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(user_usage, stdout);
        return CLI_OK;
    }
    fputs(user_usage, stderr);
    return CLI_USAGE;
}

static int key_create(struct fz_store *st, const struct acct_args *a)
{
    struct fz_apikey_new k = {.name = a->name ? a->name : a->org};
    int rc = need_role("apikey", a->role, &k.role);
    if (rc < 0 && !a->org) {
        cli_error("apikey", "--org ORG is required");
        rc = CLI_USAGE;
    }
    if (rc < 0)
        rc = find_org("apikey", st, a, &k.org_id);
    if (rc >= 0)
        return rc;
    if (a->expires_days)
        k.expires_ms = fz_store_now_ms(st) + a->expires_days * 86400000LL;
    char key[FZ_STORE_APIKEY_SIZE];
    struct fz_err err = {0};
    if (fz_store_apikey_create(st, &cli_actor, &k, NULL, key, &err) != FZ_OK) {
        cli_error("apikey", "%s", err.msg);
        return err.code == FZ_EINVAL ? CLI_USAGE : CLI_RUNTIME;
    }
    puts(key);
    return CLI_OK;
}

static int key_list(struct fz_store *st)
{
    struct fz_arena ar;
    fz_arena_init(&ar, 4096);
    struct fz_apikey *keys;
    size_t n;
    struct fz_err err = {0};
    if (fz_store_apikey_list(st, &cli_actor, &ar, &keys, &n, &err) != FZ_OK) {
        fz_arena_release(&ar);
        cli_error("apikey", "%s", err.msg);
        return CLI_RUNTIME;
    }
    struct fz_buf b;
    fz_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        struct fz_json j;
        fz_buf_reset(&b);
        fz_json_init(&j, &b);
        fz_json_obj(&j);
        fz_json_key(&j, "id");
        fz_json_int(&j, keys[i].id);
        fz_json_key(&j, "public_id");
        fz_json_cstr(&j, keys[i].public_id);
        fz_json_key(&j, "org_id");
        fz_json_int(&j, keys[i].org_id);
        fz_json_key(&j, "role");
        fz_json_cstr(&j, fz_role_name(keys[i].role));
        fz_json_key(&j, "name");
        fz_json_cstr(&j, keys[i].name);
        fz_json_key(&j, "revoked");
        fz_json_bool(&j, keys[i].revoked_ms != 0);
        fz_json_obj_end(&j);
        puts(b.ptr);
    }
    fz_buf_release(&b);
    fz_arena_release(&ar);
    return CLI_OK;
}

static int key_revoke(struct fz_store *st, const char *id_s)
{
    char *end;
    long long id = strtoll(id_s, &end, 10);
    struct fz_err err = {0};
    if (*end || id <= 0) {
        cli_error("apikey", "revoke wants a key id, not '%s'", id_s);
        return CLI_USAGE;
    }
    if (fz_store_apikey_revoke(st, &cli_actor, id, &err) != FZ_OK) {
        cli_error("apikey", "%s", err.msg);
        return err.code == FZ_ENOTFOUND ? CLI_USAGE : CLI_RUNTIME;
    }
    return CLI_OK;
}

int cmd_apikey(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
        fputs(key_usage, stdout);
        return CLI_OK;
    }
    bool create = !strcmp(sub, "create"), list = !strcmp(sub, "list"),
         revoke = !strcmp(sub, "revoke");
    if (!create && !list && !revoke) {
        fputs(key_usage, stderr);
        return CLI_USAGE;
    }
    struct acct_args a = {0};
    int rc = parse(argc - 1, argv + 1, "apikey", key_usage, &a);
    if (rc >= 0)
        return rc;
    int want_args = revoke ? 1 : 0;
    if (argc - 1 - optind != want_args) {
        fputs(key_usage, stderr);
        return CLI_USAGE;
    }
    struct fz_store *st;
    if ((rc = open_store("apikey", a.db, &st)) >= 0)
        return rc;
    rc = create ? key_create(st, &a) : list ? key_list(st) : key_revoke(st, argv[1 + optind]);
    fz_store_close(st);
    return rc;
}
