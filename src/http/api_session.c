/*
 * api_session.c — logging in and out.
 *
 *   POST   /api/v1/session {username, password}  → 200 {user, csrf_token, branch} + cookie
 *   GET    /api/v1/session                       → 200 {user}
 *   DELETE /api/v1/session                       → 204, cookie cleared
 */
#include "api.h"

#include <stdio.h>

#include "http/json.h"
#include "limits.h"
#include "service/auth.h"
#include "../banned.h"

void jy_api_session_create(struct jy_http_request *req, struct jy_http_response *res)
{
    json_t *body = jy_api_body(req, res);
    if (!body)
        return;
    static const char *const allowed[] = {"username", "password", NULL};
    struct jy_error err;
    const char *username = NULL, *password = NULL;
    if (jy_json_check_keys(body, "", allowed, &err) != JY_OK ||
        jy_json_get_string(body, "username", true, 64, &username, &err) != JY_OK ||
        jy_json_get_string(body, "password", true, JY_PASSWORD_MAX_BYTES, &password, &err) !=
            JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    struct jy_auth_login login;
    int64_t retry = 0;
    if (jy_auth_login(jy_api_service(req), username, password, jy_http_request_client(req), &login,
                      &retry, &err) != JY_OK) {
        if (err.code == JY_RATE_LIMITED && retry > 0) {
            char value[24];
            struct jy_error ignored;
            snprintf(value, sizeof(value), "%lld", (long long)retry);
            jy_http_response_header(res, "Retry-After", value, &ignored);
        }
        jy_http_response_error(res, &err);
        return;
    }
    if (jy_http_response_set_session(res, login.token, JY_SESSION_IDLE_SECONDS, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    json_t *out = json_pack("{s:o, s:s}", "user", jy_api_actor_json(&login.actor), "csrf_token",
                            login.csrf_token);
    if (login.branch_code[0])
        json_object_set_new(out, "branch",
                            json_pack("{s:I, s:s, s:s}", "id", (json_int_t)login.actor.branch_id,
                                      "code", login.branch_code, "name_zh", login.branch_name));
    jy_http_response_json(res, 200, out);
}

void jy_api_session_get(struct jy_http_request *req, struct jy_http_response *res)
{
    const struct jy_actor *a = jy_api_actor(req);
    json_t *out = json_pack("{s:o, s:b}", "user", jy_api_actor_json(a), "demo",
                            jy_service_demo(jy_api_service(req)));
    jy_http_response_json(res, 200, out);
}

void jy_api_session_delete(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    const char *token = jy_http_request_cookie(req, JY_SESSION_COOKIE);
    if (jy_auth_logout(jy_api_service(req), token, &err) != JY_OK ||
        jy_http_response_clear_session(res, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_empty(res, 204);
}
