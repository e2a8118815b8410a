/*
 * fangzha link --eval: scores clusters against the ground truth of the synthetic gangs
 * (bench/gen/gen_gangs.c): ring recall, purity and the organiser-in-top-3 rate.
 */
#ifndef FZ_CLI_LINK_EVAL_H
#define FZ_CLI_LINK_EVAL_H

#include "fangzha/link.h"

/* Reads the truth file, prints one JSON object with the figures on stdout and returns the
 * exit code (2 for an unreadable or malformed truth file). load_s and link_s are the seconds
 * reading and linking took, reported as they are. */
int cli_link_eval(const char *truth, const struct fz_link_set *s, const struct fz_link_result *r,
                  double load_s, double link_s);

#endif
