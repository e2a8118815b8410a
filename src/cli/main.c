/*
 * fangzha: the command-line entry point. Parses global options, installs the log sink, and
 * dispatches to one file per subcommand (cmd_*.c).
 */
#include "compat.h"

#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: fangzha [--debug=MODULES] [--verbose] COMMAND [ARGS]\n"
    "\n"
    "fangzha (防诈) screens text, numbers and URLs for telecom and online fraud.\n"
    "\n"
    "commands:\n"
    "  check number [NUMBER... | -]   normalize and classify phone numbers (JSON Lines)\n"
    "  check url [URL... | -]         parse and judge URLs (JSON Lines)\n"
    "  extract [--tsv] [FILE | -]     extract phones, URLs, cards, IDs, QQ, WeChat, amounts\n"
    "  normalize [--tsv] [FILE | -]   show the normalized text the engines see\n"
    "  scan [--model M] [FILE | -]    screen messages: score, label, type, action, reasons\n"
    "  scan --email [FILE... | -]     screen e-mail messages (RFC 5322, MIME, HTML)\n"
    "  train --data FILES --out MODEL train the classifier on canonical TSV files\n"
    "  eval --model MODEL --data FILE precision, recall, F1 of a model on a labelled file\n"
    "  cdr analyze|stream|train|eval  call records: fraud numbers, warnings (docs/cdr.md)\n"
    "  serve [--db PATH] [--listen A:P] run the HTTP API (docs/api.md)\n"
    "  user add NAME --role R --org O add a user (password from stdin)\n"
    "  apikey create --org O --role R a key for a partner system (printed once)\n"
    "  audit verify --db PATH         check the audit log's hash chain\n"
    "  trace --tx FILE --victim A:L:T follow victims' money: flow tree, freeze list, refunds\n"
    "  trace mules --tx FILE          rank accounts as likely money mules, with reasons\n"
    "  link [FILE | -]                link fraud cases into suspected gangs (JSON Lines)\n"
    "  report import --db PATH FILE   import reports with their history, each step at its time\n"
    "\n"
    "options:\n"
    "  --debug=MODULES   debug log per module: text,phone,url,extract or all,-text\n"
    "  --verbose         info-level log on stderr\n"
    "  -h, --help        this help; 'fangzha COMMAND --help' for a command\n"
    "  --version         print the version\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or rejected input.\n";

static void log_to_stderr(void *ud, enum fz_log_level level, const char *module, const char *msg)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    (void)ud;
    fprintf(stderr, "fangzha[%s] %s: %s\n", module, names[level], msg);
}

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"cdr", cmd_cdr},         {"check", cmd_check},         {"eval", cmd_eval},
    {"extract", cmd_extract}, {"normalize", cmd_normalize}, {"scan", cmd_scan},
    {"serve", cmd_serve},     {"train", cmd_train},         {"user", cmd_user},
    {"apikey", cmd_apikey},   {"audit", cmd_audit},         {"trace", cmd_trace},
    {"link", cmd_link},       {"report", cmd_report},
};

int main(int argc, char **argv)
{
    enum fz_log_level level = FZ_LOG_WARN;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--version")) {
            puts("fangzha " FZ_VERSION);
            return CLI_OK;
        } else if (!strcmp(a, "--verbose")) {
            level = FZ_LOG_INFO;
        } else if (!strncmp(a, "--debug=", 8)) {
            if (fz_log_set_debug(a + 8) != FZ_OK) {
                cli_error("", "--debug list too long");
                return CLI_USAGE;
            }
            level = FZ_LOG_DEBUG;
        } else {
            cli_error("", "unknown option '%s'\n%s", a, usage);
            return CLI_USAGE;
        }
    }
    fz_log_set(log_to_stderr, NULL, level);
    if (i == argc) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].run(argc - i, argv + i);
    cli_error("", "unknown command '%s' (see fangzha --help)", argv[i]);
    return CLI_USAGE;
}
