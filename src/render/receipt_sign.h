/*
 * receipt_sign.h — genuine receipts: the QR of every receipt carries an Ed25519 signature of the
 * centre (libsodium crypto_sign_detached) over the application number, the acceptance date and
 * the fee paid, so that the tracking page can tell a scanned receipt "genuine receipt of this
 * centre" from "not issued by this centre".
 *
 * The QR payload is the tracking URL with one query parameter added:
 *
 *     <tracking URL>?r=<number>.<YYYYMMDD>.<fee_fen>.<signature>
 *     https://track.example.cn/t/WH26112900042L?r=WH26112900042L.20261129.3000.kQ3…(86 chars)
 *
 * ('&' instead of '?' when the URL already has a query.) <number> is the compact application
 * number (0-9 A-Z), <YYYYMMDD> the acceptance date in Asia/Shanghai, <fee_fen> the total fee in
 * fen as a decimal integer without leading zeros, and <signature> the 64-byte signature in
 * base64url without padding (RFC 4648 §5), always 86 characters. The signed message is the
 * canonical text
 *
 *     jingyou-receipt-v1|<number>|<YYYY-MM-DD>|<fee_fen>
 *
 * (the prefix keeps a receipt signature from being valid for any other use of the key). The
 * token is self-contained: a verifier needs only the centre's public key, not the database. The
 * URL before "r=" is not signed — it says where to check, not what is checked; the page that
 * verifies shows the signed number, date and fee so that the person compares them with the
 * paper.
 *
 * Keys: a pair in a directory kept outside the database, as two files of mode 0600:
 * JY_RECEIPT_KEY_SECRET_FILE (the 32-byte Ed25519 seed, 64 hex digits and a newline) and
 * JY_RECEIPT_KEY_PUBLIC_FILE (the 32-byte public key, likewise). A key is never overwritten.
 *
 * Thread-safe: the functions share no state; a loaded key may be read by many threads at once.
 */
#ifndef JY_RECEIPT_SIGN_H
#define JY_RECEIPT_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/date.h"
#include "../error.h"

#define JY_RECEIPT_KEY_SECRET_FILE "receipt_sign.key"
#define JY_RECEIPT_KEY_PUBLIC_FILE "receipt_sign.pub"

/* Sizes of an Ed25519 public key, secret key (libsodium's form: seed and public key) and
 * signature, in bytes. */
#define JY_RECEIPT_PUBLIC_KEY_BYTES 32
#define JY_RECEIPT_SECRET_KEY_BYTES 64
#define JY_RECEIPT_SIGNATURE_BYTES 64

/* The longest application number a token carries. */
#define JY_RECEIPT_NUMBER_MAX 32

/* A key pair in memory. Wipe it with jy_receipt_sign_key_clear() when done. */
struct jy_receipt_key {
    unsigned char public_key[JY_RECEIPT_PUBLIC_KEY_BYTES];
    unsigned char secret_key[JY_RECEIPT_SECRET_KEY_BYTES];
};

/*
 * Make sure `dir` (borrowed path) holds the centre's key pair, creating what is missing and
 * never overwriting anything: the directory (mode 0700) when absent; a new pair when neither
 * file exists; the public file, derived from the secret, when only it is missing. Each file is
 * written under a temporary name and linked into place, so a reader never sees half a key and
 * two processes racing end up with one pair. Sets `*ret_created` (may be NULL) to true when a
 * new pair was made.
 * Errors: JY_CONFLICT [secret_key_missing] a public key without its secret (restore the secret
 * from backup, or move both away), [key_mismatch] the two files do not belong together;
 * the errors of jy_receipt_sign_keys_load(); JY_TOO_LONG [path_too_long]; JY_IO [io_error];
 * JY_INTERNAL [sodium_init].
 */
enum jy_err jy_receipt_sign_keys_ensure(const char *dir, bool *ret_created, struct jy_error *err);

/*
 * Load the key pair from `dir` into `*ret` (caller-owned; untouched on failure).
 * Errors: JY_NOT_FOUND [key_missing] a file is absent; JY_IO [insecure_key_file] the secret
 * file is not a regular file of mode 0600 or stricter (readable by group or others),
 * [bad_key_file] a file is not 64 hex digits and a newline, [io_error];
 * JY_CONFLICT [key_mismatch] the public file is not the secret's public key.
 */
enum jy_err jy_receipt_sign_keys_load(const char *dir, struct jy_receipt_key *ret,
                                      struct jy_error *err);

/* Wipe `key` (sodium_memzero). Accepts NULL. */
void jy_receipt_sign_key_clear(struct jy_receipt_key *key);

/*
 * Write the QR payload for the receipt of application `number` (compact form, 1..
 * JY_RECEIPT_NUMBER_MAX characters 0-9 A-Z), accepted on `date` (Asia/Shanghai) with the total
 * fee `fee_fen` (0..10^12), signed with `key`, after `tracking_url` (printable ASCII, no '#', at
 * most JY_RECEIPT_URL_MAX_BYTES). `*ret` is allocated with malloc() and freed by the caller with
 * free(); at most JY_RECEIPT_PAYLOAD_MAX_BYTES bytes and a NUL.
 * Errors (`*ret` untouched): JY_INVALID [bad_number], [bad_date], [bad_url]; JY_RANGE
 * [bad_amount]; JY_TOO_LONG [too_long]; JY_NOMEM; JY_INTERNAL [sodium_init].
 */
enum jy_err jy_receipt_sign_payload(const struct jy_receipt_key *key, const char *tracking_url,
                                    const char *number, struct jy_date date, int64_t fee_fen,
                                    char **ret, struct jy_error *err);

/* What a scanned payload says. */
enum jy_receipt_verdict {
    JY_RECEIPT_GENUINE,       /* signed by this centre: the claim below is what it issued */
    JY_RECEIPT_BAD_SIGNATURE, /* well-formed, but not signed by this centre's key */
    JY_RECEIPT_MALFORMED,     /* no token, or a token not in the form above */
};

/* The signed fields of a payload. */
struct jy_receipt_claim {
    char number[JY_RECEIPT_NUMBER_MAX + 1];
    struct jy_date date;
    int64_t fee_fen;
};

/*
 * Check the payload `s` (`len` bytes, borrowed; the whole scanned text, or just the token after
 * "r=") against the centre's `public_key`. Sets `*ret_verdict`; `*ret_claim` (may be NULL) is
 * filled only for JY_RECEIPT_GENUINE. Any change of a byte of the token — number, date, fee or
 * signature, including a base64 character that decodes to the same bytes — gives
 * JY_RECEIPT_BAD_SIGNATURE or JY_RECEIPT_MALFORMED. Only the last "r=" parameter counts.
 * Errors: JY_TOO_LONG [too_long] beyond JY_RECEIPT_PAYLOAD_MAX_BYTES; JY_INTERNAL
 * [sodium_init]. A payload that does not verify is not an error.
 */
enum jy_err jy_receipt_sign_verify(const unsigned char public_key[JY_RECEIPT_PUBLIC_KEY_BYTES],
                                   const char *s, size_t len, enum jy_receipt_verdict *ret_verdict,
                                   struct jy_receipt_claim *ret_claim, struct jy_error *err);

#endif /* JY_RECEIPT_SIGN_H */
