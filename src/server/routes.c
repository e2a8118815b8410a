/* server/routes: the route table (who may call what) and the path matcher. */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNED_IN (SRV_PARTNER | SRV_STAFF)
#define REPORTERS (SRV_ANON | SRV_PARTNER | SRV_OFFICER | SRV_ANALYST)
#define HANDLERS (SRV_OFFICER | SRV_ANALYST)
#define CHECK (SRV_INLINE | SRV_RATE_CHECK) /* the hot path: answered on the HTTP thread */
#define REWARD_READERS (SRV_ANALYST | SRV_AUDITOR | SRV_ADMIN)
#define CASE_READERS (HANDLERS | SRV_AUDITOR | SRV_ADMIN)

/* Who may do what (docs/api.md has the same table for people). The store checks again, per
 * object and organisation. */
const struct srv_route srv_routes[] = {
    {SRV_GET, "/healthz", srv_h_healthz, SRV_ANYONE, SRV_INLINE},
    {SRV_GET, "/metrics", srv_h_metrics, SRV_ANYONE, SRV_INLINE},
    {SRV_POST, "/api/v1/check/text", srv_h_check_text, SRV_ANYONE, CHECK | SRV_BODY_JSON},
    {SRV_GET, "/api/v1/check/number", srv_h_check_number, SRV_ANYONE, CHECK},
    {SRV_GET, "/api/v1/check/url", srv_h_check_url, SRV_ANYONE, CHECK},
    {SRV_GET, "/api/v1/check/account", srv_h_check_account, SRV_ANYONE, CHECK},
    {SRV_POST, "/api/v1/auth/login", srv_h_login, SRV_ANYONE,
     SRV_BODY_JSON | SRV_RATE_LOGIN | SRV_NO_CSRF},
    {SRV_POST, "/api/v1/auth/logout", srv_h_logout, SIGNED_IN, 0},
    {SRV_GET, "/api/v1/auth/me", srv_h_me, SIGNED_IN, 0},
    {SRV_POST, "/api/v1/reports", srv_h_report_add, REPORTERS, SRV_BODY_JSON | SRV_RATE_REPORT},
    {SRV_GET, "/api/v1/reports", srv_h_report_list, SIGNED_IN, 0},
    {SRV_GET, "/api/v1/reports/track/{code}", srv_h_report_track, SRV_ANYONE, SRV_RATE_CHECK},
    {SRV_GET, "/api/v1/reports/{id}", srv_h_report_get, SIGNED_IN, 0},
    {SRV_GET, "/api/v1/reports/{id}/history", srv_h_report_history, SRV_STAFF, 0},
    {SRV_POST, "/api/v1/reports/{id}/reveal", srv_h_report_reveal, HANDLERS, 0},
    {SRV_POST, "/api/v1/reports/{id}/triage", srv_h_report_triage, HANDLERS, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/reports/{id}/reject", srv_h_report_reject, HANDLERS, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/reports/{id}/merge", srv_h_report_merge, HANDLERS, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/reports/{id}/confirm", srv_h_report_confirm, SRV_ANALYST, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/indicators", srv_h_indicator_search, SIGNED_IN, 0},
    {SRV_POST, "/api/v1/indicators", srv_h_indicator_add, SRV_PARTNER | HANDLERS, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/indicators/{id}", srv_h_indicator_get, SIGNED_IN, 0},
    {SRV_PATCH, "/api/v1/indicators/{id}", srv_h_indicator_update, SRV_ANALYST, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/indicators/{id}/history", srv_h_indicator_history, SIGNED_IN, 0},
    {SRV_GET, "/api/v1/indicators/{id}/sightings", srv_h_sighting_list, SIGNED_IN, 0},
    {SRV_POST, "/api/v1/indicators/{id}/sightings", srv_h_sighting_add, SRV_PARTNER | HANDLERS,
     SRV_BODY_JSON},
    {SRV_GET, "/api/v1/audit", srv_h_audit_list, SRV_AUDITOR, 0},
    {SRV_POST, "/api/v1/reports/{id}/reward", srv_h_reward_propose, SRV_ANALYST, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/rewards", srv_h_reward_list, REWARD_READERS, 0},
    {SRV_GET, "/api/v1/rewards/budget", srv_h_budget_get, REWARD_READERS, 0},
    {SRV_PUT, "/api/v1/rewards/budget/{year}", srv_h_budget_set, SRV_ADMIN, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/rewards/ledger.csv", srv_h_ledger_csv, SRV_AUDITOR | SRV_ADMIN, 0},
    {SRV_GET, "/api/v1/rewards/ledger.xlsx", srv_h_ledger_xlsx, SRV_AUDITOR | SRV_ADMIN, 0},
    {SRV_GET, "/api/v1/rewards/{id}", srv_h_reward_get, REWARD_READERS, 0},
    {SRV_POST, "/api/v1/rewards/{id}/approve", srv_h_reward_approve, SRV_ANALYST | SRV_ADMIN,
     SRV_BODY_JSON},
    {SRV_POST, "/api/v1/rewards/{id}/pay", srv_h_reward_pay, SRV_ADMIN, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/rewards/{id}/cancel", srv_h_reward_cancel, SRV_ANALYST | SRV_ADMIN,
     SRV_BODY_JSON},
    {SRV_GET, "/api/v1/stats/dashboard", srv_h_dashboard, SRV_STAFF, 0},
    {SRV_GET, "/api/v1/cases/public", srv_h_case_public, SRV_ANYONE, SRV_RATE_CHECK},
    {SRV_GET, "/api/v1/cases", srv_h_case_list, CASE_READERS, 0},
    {SRV_POST, "/api/v1/cases", srv_h_case_add, HANDLERS, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/cases/{id}", srv_h_case_get, CASE_READERS, 0},
    {SRV_PATCH, "/api/v1/cases/{id}", srv_h_case_update, HANDLERS, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/cases/{id}/publish", srv_h_case_publish, HANDLERS, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/cases/{id}/withdraw", srv_h_case_withdraw, HANDLERS, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/orgs", srv_h_org_list, SRV_ADMIN | SRV_AUDITOR | SRV_ANALYST, 0},
    {SRV_POST, "/api/v1/orgs", srv_h_org_add, SRV_ADMIN, SRV_BODY_JSON},
    {SRV_GET, "/api/v1/users", srv_h_user_list, SRV_ADMIN | SRV_AUDITOR, 0},
    {SRV_POST, "/api/v1/users", srv_h_user_add, SRV_ADMIN, SRV_BODY_JSON},
    {SRV_POST, "/api/v1/users/{id}/disable", srv_h_user_disable, SRV_ADMIN, 0},
    {SRV_GET, "/api/v1/apikeys", srv_h_key_list, SRV_ADMIN | SRV_AUDITOR, 0},
    {SRV_POST, "/api/v1/apikeys", srv_h_key_create, SRV_ADMIN, SRV_BODY_JSON},
    {SRV_DELETE, "/api/v1/apikeys/{id}", srv_h_key_revoke, SRV_ADMIN, 0},
};
const size_t srv_nroutes = sizeof srv_routes / sizeof srv_routes[0];

bool srv_method_parse(const char *s, enum srv_method *out)
{
    static const char *const names[SRV__METHODS] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (int m = 0; m < SRV__METHODS; m++)
        if (!strcmp(s, names[m])) {
            *out = (enum srv_method)m;
            return true;
        }
    if (!strcmp(s, "HEAD")) { /* answered like GET; MHD drops the body */
        *out = SRV_GET;
        return true;
    }
    return false;
}

/* A positive decimal id of at most 18 digits. */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    if (!n || n > 18 || *s == '0')
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* A tracking code or similar: letters, digits, '-' and '_'. */
static bool parse_code(const char *s, size_t n, char *out)
{
    if (!n || n >= SRV_PARAM_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_'))
            return false;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* Does path match pattern? Fills r's parameters. */
static bool path_matches(struct srv_req *r, const char *pattern, const char *path)
{
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *qe = strchr(q, '/');
            size_t qn = qe ? (size_t)(qe - q) : strlen(q);
            bool ok = !strncmp(p, "{id}", 4) ? parse_id(q, qn, &r->id) : parse_code(q, qn, r->code);
            if (!pe || !ok)
                return false;
            p = pe + 1;
            q += qn;
            continue;
        }
        if (*p++ != *q++)
            return false;
    }
    return !*p && !*q;
}

const struct srv_route *srv_route_match(struct srv_req *r, enum srv_method m, const char *path,
                                        int *status)
{
    bool path_known = false;
    for (size_t i = 0; i < srv_nroutes; i++) {
        if (!path_matches(r, srv_routes[i].pattern, path))
            continue;
        if (srv_routes[i].method == m)
            return &srv_routes[i];
        path_known = true;
    }
    *status = path_known ? 405 : 404;
    return NULL;
}

void fz_server_print_routes(FILE *f)
{
    static const char *const methods[SRV__METHODS] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    static const char *const who[] = {"anon", "partner", "officer", "analyst", "auditor", "admin"};
    for (size_t i = 0; i < srv_nroutes; i++) {
        fprintf(f, "{\"method\":\"%s\",\"path\":\"%s\",\"who\":[", methods[srv_routes[i].method],
                srv_routes[i].pattern);
        const char *sep = "";
        for (unsigned b = 0; b < sizeof who / sizeof who[0]; b++)
            if (srv_routes[i].who & (1u << b)) {
                fprintf(f, "%s\"%s\"", sep, who[b]);
                sep = ",";
            }
        fputs("]}\n", f);
    }
}
