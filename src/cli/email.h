/*
 * cli/email: e-mail input for the commands (src/mail does the reading). scan_email.c runs
 * `fangzha scan --email`; email_rows.c lets train and eval read the e-mail TSV layout of
 * shared/data/spamassassin-email (gzip or not) as canonical rows.
 */
#ifndef FZ_CLI_EMAIL_H
#define FZ_CLI_EMAIL_H

#include "cli.h"

/*
 * fangzha scan --email: argv[0..argc) are files holding one RFC 5322 message each ("-" or
 * none: one message from stdin). Each message's text (fz_mail_text) goes to b->fn as one
 * JSON Lines item {"id": FILE, "text": ..., "channel": "email"} numbered from 1, so the
 * verdicts are those of every other scan; *jsonl is the scanner's JSON Lines switch, which
 * this turns on. A message that cannot be read is reported on stderr with its file name and
 * the rest go on (or stop with b->strict). Messages are screened one at a time (b->jobs is
 * not used). Returns the exit code: 0, 1 on a runtime failure, 2 on bad usage (--tsv or
 * --jsonl given too) or a rejected message.
 */
int cli_scan_email(const struct cli_batch *b, bool *jsonl, int argc, char **argv);

/*
 * Opens a labelled data file for train and eval. A file in the canonical TSV layout is
 * fopen'ed as is. A file whose header has the columns label and raw_message (the e-mail
 * layout: fields escaped as canonical, plus \xHH for raw bytes), gzip-compressed or not, is
 * converted into a temporary canonical file: one row "label, email, text of the message"
 * per message, in order. Any other gzip-compressed file is decompressed as is. Messages
 * that cannot be read are reported on stderr ("fangzha CMD: FILE:LINE: why"), counted in
 * *bad and left out. Returns the stream at its start (fclose it), or NULL with errno set
 * when the file cannot be opened (ENOENT, ...) or is not readable as such a file (EINVAL,
 * after saying why on stderr).
 */
FILE *cli_rows_fopen(const char *cmd, const char *file, size_t *bad);

#endif
