/*
 * demo.h — the demo city: a whole Wuhan-sized deployment to try jingyou on.
 *
 * Everything it makes is synthetic and marked so (branches.demo = 1, demo mode on every
 * response), except the name of the 彭刘杨路 branch, which the service's own example uses.
 */
#ifndef JY_DEMO_H
#define JY_DEMO_H

#include <stddef.h>

#include <jansson.h>

#include "core/catalog.h"
#include "core/date.h"

#include "service/service.h"

/* The password of every demo login. */
#define JY_DEMO_PASSWORD "jingyou-demo"

/* One demo login, for printing at start. */
struct jy_demo_login {
    const char *username;
    const char *role;
    const char *what; /* who it is, in Chinese */
};

/* The demo logins worth printing (static table); `*ret_n` gets their number. */
const struct jy_demo_login *jy_demo_logins(size_t *ret_n);

/* Fill an empty database with the demo city: the centre's settings (code WH, an EMS item-number
 * range), 160 branches over Wuhan's 13 districts with coordinates, a clerk at 彭刘杨路 and at a
 * few other branches, 20 operators over the stations, police, a manager, logistics and an admin;
 * then 40 applications of most business types taken over the last six days by the demo clerks
 * through the real intake (jy_intake_at), all queued at their first station, with synthetic
 * applicants whose ID numbers, VINs and credit codes carry valid check characters. Without
 * holiday data for those days the city starts without applications. Does nothing and returns JY_OK
 * when the database already has users. The reference data, users and intakes are written in one
 * transaction (on failure none of it is); then the back office moves the applications along
 * their routes, each step a use case of its own, so that every state has examples. */
enum jy_err jy_demo_seed(struct jy_service *svc, struct jy_error *err);

/* Only the city of jy_demo_seed(): the centre's settings, the 160 branches and the users, with
 * `password_hash` (an argon2id hash, jy_auth_hash_password(), borrowed) for every login, in one
 * transaction — no applications. For the city simulator, which brings its own. Errors:
 * JY_CONFLICT "not_empty" when the database already has users; store errors (nothing written). */
enum jy_err jy_demo_seed_city(struct jy_service *svc, const char *password_hash,
                              struct jy_error *err);

/* The intake body (the JSON of POST /api/v1/applications; caller owns it, json_decref) of
 * synthetic application `k` of business type `t` (not counter-only) accepted on `today`: an
 * applicant whose resident ID number carries a valid check character, a vehicle with a valid
 * VIN or a licence as the type requires, every required document. The same `k` gives the same
 * body. NULL when out of memory. */
json_t *jy_demo_intake_body(unsigned k, const struct jy_business_type *t, struct jy_date today);
/* demo_custody.c: inside the seeding transaction on `conn`, allocate the demo centre its EMS
 * item-number range (EA 10000000 .. 10099999 CN). */
enum jy_err jy_demo_s10_range(struct jy_service *svc, struct jy_store_conn *conn,
                              struct jy_error *err);

/* demo_custody.c: once the demo applications have moved along, close the bag of each demo
 * clerk's branch, receive the first bag whole at the centre and the second with one file
 * missing (an open discrepancy), leave the others in transit, and close a dispatch batch of the
 * sealed envelopes. Each step is the real use case. */
enum jy_err jy_demo_custody(struct jy_service *svc, struct jy_error *err);

/* The demo city's penalty decisions (demo_fines.c): 36 synthetic decisions whose deadlines lie
 * from 10 days ahead to 100 days past today, eight paid today at two branches by the demo
 * clerks through jy_fines_pay(), one of them reversed by the police. Called by jy_demo_seed(). */
enum jy_err jy_demo_fines_seed(struct jy_service *svc, struct jy_error *err);

/* The demo hall (demo_hall.c): five windows with their priorities, a clerk for each
 * ("window1" … "window5", password hash `password_hash`), and a morning of tickets taken, some
 * called and served, through the hall's use cases. Called by jy_demo_seed() once the city is
 * there. */
enum jy_err jy_demo_hall(struct jy_service *svc, const char *password_hash, struct jy_error *err);

#endif /* JY_DEMO_H */
