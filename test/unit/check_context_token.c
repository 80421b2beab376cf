/*
 * test/unit/check_context_token.c - RFC 4121 and RFC 4757 per-message
 * tokens: header layouts, round trips in both layouts, RRC rotations, MIT's
 * tokens (fixtures/context/mit-*.txt, made by test/tools/capture_gss.sh),
 * and the malformed-token classes of MIT's t_invalid.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hooks_int.h"
#include "base/mem_int.h"
#include "context/token_int.h"
#include "crypto/crypto.h"
#include "kssp/kssp.h"
#include "sspi/status_int.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------ */

/* A deterministic random source: a counter, so runs repeat exactly. */
static kssp_err counter_random(void *arg, void *buf, size_t len)
{
	uint8_t *p = buf, *ctr = arg;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (*ctr)++;
	return KSSP_OK;
}

static uint8_t rnd_state;
static const struct kssp_hooks test_hooks = { .random = counter_random, .random_arg = &rnd_state };

static void make_key(struct kssp_key *k, int32_t enctype, uint8_t fill)
{
	uint8_t bytes[KSSP_CRYPTO_MAX_KEY];
	size_t len, i;

	ck_assert_int_eq(kssp_crypto_key_bytes(enctype, &len), KSSP_OK);
	for (i = 0; i < len; i++)
		bytes[i] = (uint8_t)(fill + i * 7);
	memset(k, 0, sizeof(*k));
	ck_assert_int_eq(kssp_crypto_key_init(k, enctype, bytes, len), KSSP_OK);
}

/* An initiator and an acceptor sharing keys; acceptor subkey optional. */
struct pair {
	struct kssp_token_ctx init, acc;
};

static void make_pair(struct pair *p, int32_t enctype, bool acc_subkey, uint32_t flags)
{
	struct kssp_key k, a;

	make_key(&k, enctype, 0x11);
	make_key(&a, enctype, 0x5a);
	ck_assert_int_eq(kssp_token_ctx_init(&p->init, &k, acc_subkey ? &a : NULL, true, flags,
	    100, 900, &test_hooks), KSSP_OK);
	ck_assert_int_eq(kssp_token_ctx_init(&p->acc, &k, acc_subkey ? &a : NULL, false, flags,
	    900, 100, &test_hooks), KSSP_OK);
	kssp_crypto_key_clear(&k);
	kssp_crypto_key_clear(&a);
}

static void clear_pair(struct pair *p)
{
	kssp_token_ctx_clear(&p->init);
	kssp_token_ctx_clear(&p->acc);
}

static const int32_t all_enctypes[] = { 17, 18, 19, 20, 23 };
static const int32_t cfx_enctypes[] = { 17, 18, 19, 20 };

static const char message[] = "a message of forty-one bytes, more or less";

/* Contiguous wrap of message from s; returns the token length. */
static size_t wrap_msg(struct kssp_token_ctx *s, bool conf, uint8_t *buf, size_t cap)
{
	struct kssp_wrap_sizes sz;
	size_t tl;

	ck_assert_int_eq(kssp_token_wrap_sizes(s, conf, sizeof(message), &sz), KSSP_OK);
	ck_assert_uint_le(sz.header + sizeof(message) + sz.trailer, cap);
	memcpy(buf + sz.header, message, sizeof(message));
	ck_assert_int_eq(kssp_token_wrap(s, conf, buf, cap, sizeof(message), &tl), KSSP_OK);
	ck_assert_uint_eq(tl, sz.header + sizeof(message) + sz.trailer);
	return tl;
}

static void expect_unwrap(struct kssp_token_ctx *r, uint8_t *tok, size_t len, bool conf)
{
	size_t off, dl;
	bool c;

	ck_assert_msg(kssp_token_unwrap(r, tok, len, &off, &dl, &c, NULL) == KSSP_OK,
	    "unwrap: %s", kssp_last_reason());
	ck_assert_uint_eq(dl, sizeof(message));
	ck_assert_mem_eq(tok + off, message, sizeof(message));
	ck_assert(c == conf);
}

/* Confounders: the hook's when one is set (two contexts on the same
 * counter state seal the same bytes); otherwise the thread's stream, so two
 * sealings differ and the context holds no generator of its own. */
START_TEST(confounders_from_the_hook_else_the_thread_stream)
{
	struct kssp_token_ctx s, r;
	struct kssp_key k;
	uint8_t a[256], b[256];
	size_t la, lb;

	make_key(&k, all_enctypes[_i], 0x31);
	ck_assert_int_eq(kssp_token_ctx_init(&s, &k, NULL, true, 0, 0, 0, NULL), KSSP_OK);
	ck_assert_int_eq(kssp_token_ctx_init(&r, &k, NULL, false, 0, 0, 0, NULL), KSSP_OK);
	la = wrap_msg(&s, true, a, sizeof(a));
	lb = wrap_msg(&s, true, b, sizeof(b));
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a + 16, b + 16, la - 16) != 0);
	expect_unwrap(&r, a, la, true);
	expect_unwrap(&r, b, lb, true);
	kssp_token_ctx_clear(&s);
	kssp_token_ctx_clear(&r);
	rnd_state = 7;
	ck_assert_int_eq(kssp_token_ctx_init(&s, &k, NULL, true, 0, 0, 0, &test_hooks), KSSP_OK);
	la = wrap_msg(&s, true, a, sizeof(a));
	kssp_token_ctx_clear(&s);
	rnd_state = 7;
	ck_assert_int_eq(kssp_token_ctx_init(&s, &k, NULL, true, 0, 0, 0, &test_hooks), KSSP_OK);
	lb = wrap_msg(&s, true, b, sizeof(b));
	kssp_token_ctx_clear(&s);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	kssp_crypto_key_clear(&k);
}
END_TEST

/* ---- layouts ------------------------------------------------------------ */

START_TEST(cfx_mic_header_layout)
{
	struct pair p;
	struct kssp_crypto_iov m = { (const uint8_t *)message, sizeof(message) };
	uint8_t tok[64];
	size_t len, want;

	make_pair(&p, 18, true, 0);
	ck_assert_int_eq(kssp_token_mic_len(&p.acc, &want), KSSP_OK);
	ck_assert_uint_eq(want, 16 + 12);
	ck_assert_int_eq(kssp_token_get_mic(&p.acc, &m, 1, tok, sizeof(tok), &len), KSSP_OK);
	ck_assert_uint_eq(len, 28);
	/* 04 04, SentByAcceptor | AcceptorSubkey, five FF, SND_SEQ 900 big-endian */
	ck_assert_mem_eq(tok, "\x04\x04\x05\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x03\x84", 16);
	ck_assert_int_eq(kssp_token_verify_mic(&p.init, &m, 1, tok, len, NULL), KSSP_OK);
	/* the next token carries the next number */
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, tok, sizeof(tok), &len), KSSP_OK);
	ck_assert_mem_eq(tok, "\x04\x04\x04\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x64", 16);
	clear_pair(&p);
}
END_TEST

START_TEST(cfx_wrap_header_layout)
{
	struct pair p;
	uint8_t tok[256];
	size_t len;

	make_pair(&p, 17, false, 0);
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	/* 05 04, Sealed, FF, EC 0, RRC 0, SND_SEQ 100; then 16 + 41 + 16 + 12 */
	ck_assert_mem_eq(tok, "\x05\x04\x02\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x64", 16);
	ck_assert_uint_eq(len, 16 + 16 + sizeof(message) + 16 + 12);
	expect_unwrap(&p.acc, tok, len, true);

	len = wrap_msg(&p.init, false, tok, sizeof(tok));
	/* integrity only: EC = checksum length 12, data in the clear */
	ck_assert_mem_eq(tok, "\x05\x04\x00\xff\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x65", 16);
	ck_assert_mem_eq(tok + 16, message, sizeof(message));
	ck_assert_uint_eq(len, 16 + sizeof(message) + 12);
	expect_unwrap(&p.acc, tok, len, false);
	clear_pair(&p);
}
END_TEST

START_TEST(rc4_header_layout)
{
	struct pair p;
	struct kssp_crypto_iov m = { (const uint8_t *)message, sizeof(message) };
	uint8_t tok[256];
	size_t len;

	make_pair(&p, 23, false, 0);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, tok, sizeof(tok), &len), KSSP_OK);
	ck_assert_uint_eq(len, 37);
	ck_assert_mem_eq(tok, "\x60\x23\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
	    "\x01\x01\x11\x00\xff\xff\xff\xff", 21);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, tok, len, NULL), KSSP_OK);

	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	ck_assert_uint_eq(len, 13 + 32 + sizeof(message) + 1);
	ck_assert_uint_eq(tok[0], 0x60);
	ck_assert_uint_eq(tok[1], 11 + 32 + sizeof(message) + 1);
	ck_assert_mem_eq(tok + 2, "\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
	    "\x02\x01\x11\x00\x10\x00\xff\xff", 19);
	expect_unwrap(&p.acc, tok, len, true);
	len = wrap_msg(&p.acc, false, tok, sizeof(tok));
	ck_assert_mem_eq(tok + 13, "\x02\x01\x11\x00\xff\xff\xff\xff", 8);
	expect_unwrap(&p.init, tok, len, false);
	clear_pair(&p);
}
END_TEST

/* ---- round trips -------------------------------------------------------- */

START_TEST(round_trip_every_enctype)
{
	int32_t et = all_enctypes[_i];
	struct kssp_crypto_iov m[2] = { { (const uint8_t *)message, 10 },
		{ (const uint8_t *)message + 10, sizeof(message) - 10 } };
	struct pair p;
	uint8_t tok[256];
	size_t len;
	int sub, conf;

	for (sub = 0; sub < 2; sub++) {
		make_pair(&p, et, sub && et != 23, KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE);
		for (conf = 0; conf < 2; conf++) {
			len = wrap_msg(&p.init, conf, tok, sizeof(tok));
			expect_unwrap(&p.acc, tok, len, conf);
			len = wrap_msg(&p.acc, conf, tok, sizeof(tok));
			expect_unwrap(&p.init, tok, len, conf);
		}
		ck_assert_int_eq(kssp_token_get_mic(&p.init, m, 2, tok, sizeof(tok), &len), KSSP_OK);
		ck_assert_int_eq(kssp_token_verify_mic(&p.acc, m, 2, tok, len, NULL), KSSP_OK);
		/* a repeat is a replay */
		ck_assert_int_eq(kssp_token_verify_mic(&p.acc, m, 2, tok, len, NULL),
		    KRB_AP_ERR_REPEAT);
		/* our own token comes back: wrong direction */
		ck_assert_int_eq(kssp_token_get_mic(&p.init, m, 2, tok, sizeof(tok), &len), KSSP_OK);
		ck_assert_int_ne(kssp_token_verify_mic(&p.init, m, 2, tok, len, NULL), KSSP_OK);
		clear_pair(&p);
	}
}
END_TEST

START_TEST(split_layout_every_enctype)
{
	int32_t et = all_enctypes[_i];
	struct kssp_wrap_sizes sz;
	struct pair p;
	uint8_t hdr[128], data[sizeof(message)], trl[8], joined[256];
	size_t hl, tl, pl;
	bool c;
	int conf;

	make_pair(&p, et, et != 23, 0);
	for (conf = 0; conf < 2; conf++) {
		ck_assert_int_eq(kssp_token_wrap_split_sizes(&p.acc, conf, sizeof(data), &sz),
		    KSSP_OK);
		memcpy(data, message, sizeof(data));
		ck_assert_int_eq(kssp_token_wrap_split(&p.acc, conf, hdr, sizeof(hdr), &hl, data,
		    sizeof(data), trl, sizeof(trl), &tl), KSSP_OK);
		ck_assert_uint_eq(hl, sz.header);
		ck_assert_uint_eq(tl, sz.trailer);
		if (conf)
			ck_assert(memcmp(data, message, sizeof(data)) != 0);
		/* header | data | trailer is a token any peer opens contiguously */
		memcpy(joined, hdr, hl);
		memcpy(joined + hl, data, sizeof(data));
		memcpy(joined + hl + sizeof(data), trl, tl);
		expect_unwrap(&p.init, joined, hl + sizeof(data) + tl, conf);
		/* and the split form opens in place */
		memcpy(data, message, sizeof(data));
		ck_assert_int_eq(kssp_token_wrap_split(&p.acc, conf, hdr, sizeof(hdr), &hl, data,
		    sizeof(data), trl, sizeof(trl), &tl), KSSP_OK);
		ck_assert_msg(kssp_token_unwrap_split(&p.init, hdr, hl, data, sizeof(data), trl, tl,
		    &pl, &c, NULL) == KSSP_OK, "%s", kssp_last_reason());
		ck_assert_uint_eq(pl, sizeof(message));
		ck_assert_mem_eq(data, message, sizeof(message));
		ck_assert(c == (bool)conf);
	}
	clear_pair(&p);
}
END_TEST

/* Rewrites an RRC-0 token's body rotated right by rot with RRC field rrc. */
static void rerotate(uint8_t *tok, size_t len, size_t rot, uint16_t rrc)
{
	uint8_t tmp[512];
	size_t blen = len - 16, i;

	for (i = 0; i < blen; i++)
		tmp[(i + rot) % blen] = tok[16 + i];
	memcpy(tok + 16, tmp, blen);
	tok[6] = (uint8_t)(rrc >> 8);
	tok[7] = (uint8_t)rrc;
}

/*
 * Sealed tokens of the split and RPC layouts are encrypted and decrypted
 * where the data lies: for messages of odd sizes, what EncryptMessage's
 * layout seals (one data buffer, or three) opens as one contiguous
 * token, and a token sealed in one buffer opens in the split layout once
 * rotated as Windows sends it, on stream and DCE-style contexts.
 */
START_TEST(split_in_place_odd_sizes)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 31, 32, 33, 64 };
	static const uint32_t flags[] = { 0, KSSP_GSS_DCE_STYLE };
	int32_t et = all_enctypes[_i];
	struct kssp_wrap_sizes sz;
	struct kssp_token_seg seg[3];
	struct pair p;
	uint8_t msg[64], data[64], hdr[128], tok[256];
	size_t li, fi, l, hl, tl, off, dl, pl, len, rot, a, b;
	bool c;

	for (fi = 0; fi < 2; fi++) {
		make_pair(&p, et, true, flags[fi]);
		for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			l = lens[li];
			for (a = 0; a < l; a++)
				msg[a] = (uint8_t)(3 * a + l);
			/* one data buffer, then three, sealed in place; joined, they are a token */
			memcpy(data, msg, l);
			ck_assert_int_eq(kssp_token_wrap_split(&p.acc, true, hdr, sizeof(hdr), &hl, data,
			    l, NULL, 0, &tl), KSSP_OK);
			memcpy(tok, hdr, hl);
			memcpy(tok + hl, data, l);
			ck_assert_msg(kssp_token_unwrap(&p.init, tok, hl + l, &off, &dl, &c, NULL) ==
			    KSSP_OK, "enctype %d, %zu bytes: %s", (int)et, l, kssp_last_reason());
			ck_assert_uint_eq(dl, l);
			ck_assert_mem_eq(tok + off, msg, l);
			memcpy(data, msg, l);
			a = l / 3;
			b = l - a - l / 2;
			seg[0] = (struct kssp_token_seg){ data, a, false };
			seg[1] = (struct kssp_token_seg){ data + a, b, false };
			seg[2] = (struct kssp_token_seg){ data + a + b, l - a - b, false };
			ck_assert_int_eq(kssp_token_wrap_ex(&p.acc, true, hdr, sizeof(hdr), &hl, seg, 3,
			    NULL, 0, &tl), KSSP_OK);
			memcpy(tok, hdr, hl);
			memcpy(tok + hl, data, l);
			ck_assert_msg(kssp_token_unwrap(&p.init, tok, hl + l, &off, &dl, &c, NULL) ==
			    KSSP_OK, "enctype %d, %zu bytes in three: %s", (int)et, l,
			    kssp_last_reason());
			ck_assert_mem_eq(tok + off, msg, l);
			/* sealed in one buffer (RRC 0), rotated into the header buffer */
			ck_assert_int_eq(kssp_token_wrap_sizes(&p.acc, true, l, &sz), KSSP_OK);
			memcpy(tok + sz.header, msg, l);
			ck_assert_int_eq(kssp_token_wrap(&p.acc, true, tok, sizeof(tok), l, &len), KSSP_OK);
			rot = sz.trailer;
			rerotate(tok, len, rot, (uint16_t)rot);
			hl = len - l;
			ck_assert_msg(kssp_token_unwrap_split(&p.init, tok, hl, tok + hl, l, NULL, 0, &pl,
			    &c, NULL) == KSSP_OK, "enctype %d, %zu bytes rotated: %s", (int)et, l,
			    kssp_last_reason());
			ck_assert_uint_eq(pl, l);
			ck_assert_mem_eq(tok + hl, msg, l);
		}
		clear_pair(&p);
	}
}
END_TEST

START_TEST(any_rrc_is_accepted)
{
	static const uint16_t rrcs[] = { 0, 12, 28, 1, 7, 33, 45 };
	int32_t et = cfx_enctypes[_i];
	struct pair p;
	uint8_t tok[256];
	size_t len, i;
	int conf;

	make_pair(&p, et, true, 0);
	for (conf = 0; conf < 2; conf++)
		for (i = 0; i < sizeof(rrcs) / sizeof(rrcs[0]); i++) {
			len = wrap_msg(&p.init, conf, tok, sizeof(tok));
			rerotate(tok, len, rrcs[i], rrcs[i]);
			expect_unwrap(&p.acc, tok, len, conf);
		}
	clear_pair(&p);
}
END_TEST

/*
 * A Windows-style sealed token (MS-KILE 3.4.5.4.1): EC 16 filler bytes,
 * RRC 28, the body rotated by RRC + EC = 44.
 */
START_TEST(windows_rrc_plus_ec_rotation)
{
	struct pair p;
	struct kssp_key k;
	uint8_t plain[128], tok[256];
	size_t pl, cl;

	make_pair(&p, 18, true, 0);
	make_key(&k, 18, 0x5a); /* the acceptor subkey */
	memcpy(plain, message, sizeof(message));
	memset(plain + sizeof(message), 0xAA, 16);
	memcpy(tok, "\x05\x04\x07\xff\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x03\x84", 16);
	memcpy(plain + sizeof(message) + 16, tok, 16);
	pl = sizeof(message) + 32;
	ck_assert_int_eq(kssp_crypto_encrypt(&test_hooks, &k, KSSP_KU_GSS_ACCEPTOR_SEAL, plain, pl,
	    tok + 16, sizeof(tok) - 16, &cl), KSSP_OK);
	rerotate(tok, 16 + cl, 44, 28);
	expect_unwrap(&p.init, tok, 16 + cl, true);
	/* integrity only: EC 12 (the checksum), RRC 12, rotated by 24 */
	cl = wrap_msg(&p.acc, false, tok, sizeof(tok));
	rerotate(tok, cl, 24, 12);
	expect_unwrap(&p.init, tok, cl, false);
	kssp_crypto_key_clear(&k);
	clear_pair(&p);
}
END_TEST

/* ---- MIT's tokens ------------------------------------------------------- */

struct fx_token {
	char sender[32], kind[32];
	uint8_t msg[128], tok[256];
	size_t msglen, toklen;
};

struct fixture {
	int protocol;
	struct kssp_key ctx_key, acc_subkey;
	struct fx_token tokens[8];
	size_t ntokens;
};

static size_t hex_field(const char *hex, uint8_t *out, size_t cap)
{
	return tu_hex(hex, out, cap);
}

static void load_fixture(const char *name, struct fixture *f)
{
	char line[4096], a[32], b[32], c[1024], d[1024];
	uint8_t kb[64];
	unsigned et;
	size_t kl;
	FILE *fp = fopen(tu_fixture(name), "r");

	ck_assert_msg(fp != NULL, "cannot open %s", tu_fixture(name));
	memset(f, 0, sizeof(*f));
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "protocol %d", &f->protocol) == 1)
			continue;
		if (sscanf(line, "ctx_key %u %1023s", &et, c) == 2) {
			kl = hex_field(c, kb, sizeof(kb));
			ck_assert_int_eq(kssp_crypto_key_init(&f->ctx_key, (int32_t)et, kb, kl), KSSP_OK);
		} else if (sscanf(line, "acceptor_subkey %u %1023s", &et, c) == 2) {
			kl = hex_field(c, kb, sizeof(kb));
			ck_assert_int_eq(kssp_crypto_key_init(&f->acc_subkey, (int32_t)et, kb, kl),
			    KSSP_OK);
		} else if (sscanf(line, "token %31s %31s %1023s %1023s", a, b, c, d) == 4) {
			struct fx_token *t = &f->tokens[f->ntokens++];

			ck_assert_uint_le(f->ntokens, 8);
			snprintf(t->sender, sizeof(t->sender), "%s", a);
			snprintf(t->kind, sizeof(t->kind), "%s", b);
			t->msglen = hex_field(c, t->msg, sizeof(t->msg));
			t->toklen = hex_field(d, t->tok, sizeof(t->tok));
		}
	}
	fclose(fp);
	ck_assert_uint_ge(f->ntokens, 6);
}

/* The receiving side for tokens from sender. */
static void receiver_for(const struct fixture *f, const char *sender, struct kssp_token_ctx *r)
{
	bool from_init = strcmp(sender, "init") == 0;

	ck_assert_int_eq(kssp_token_ctx_init(r, &f->ctx_key,
	    f->acc_subkey.enctype ? &f->acc_subkey : NULL, !from_init, KSSP_GSS_REPLAY, 0, 0,
	    &test_hooks), KSSP_OK);
}

static void verify_fx_token(struct kssp_token_ctx *r, struct fx_token *t)
{
	struct kssp_crypto_iov m = { t->msg, t->msglen };
	uint8_t copy[256];
	size_t off, dl, hl, pl;
	bool c;

	memcpy(copy, t->tok, t->toklen);
	if (strcmp(t->kind, "mic") == 0) {
		ck_assert_msg(kssp_token_verify_mic(r, &m, 1, copy, t->toklen, NULL) == KSSP_OK,
		    "MIT MIC from %s: %s", t->sender, kssp_last_reason());
		return;
	}
	if (strcmp(t->kind, "iov-conf") == 0) {
		/* header | data with the trailer rotated in: open it split too */
		hl = t->toklen - t->msglen;
		ck_assert_msg(kssp_token_unwrap_split(r, copy, hl, copy + hl, t->msglen, NULL, 0,
		    &pl, &c, NULL) == KSSP_OK, "MIT iov wrap from %s: %s", t->sender,
		    kssp_last_reason());
		ck_assert_uint_eq(pl, t->msglen);
		ck_assert_mem_eq(copy + hl, t->msg, t->msglen);
		ck_assert(c);
		return;
	}
	ck_assert_msg(kssp_token_unwrap(r, copy, t->toklen, &off, &dl, &c, NULL) == KSSP_OK,
	    "MIT %s from %s: %s", t->kind, t->sender, kssp_last_reason());
	ck_assert_uint_eq(dl, t->msglen);
	ck_assert_mem_eq(copy + off, t->msg, t->msglen);
	ck_assert(c == (strcmp(t->kind, "wrap-conf") == 0));
}

/* Every single-byte change of a token is rejected, never read past its end. */
static void reject_altered(struct kssp_token_ctx *r, const struct fx_token *t)
{
	struct kssp_crypto_iov m = { t->msg, t->msglen };
	uint8_t *copy;
	size_t i, off, dl;
	kssp_err e;

	for (i = 0; i < t->toklen; i++) {
		/* RFC 1964 §1.2.1.2: an unsealed RC4 token's sequence number is
		 * encrypted but not covered by the checksum, so changing its
		 * first four bytes yields another valid number (as with every
		 * RFC 4757 implementation); sealed tokens key the RC4 stream with
		 * it and do catch the change. */
		if (t->tok[0] == 0x60 && strcmp(t->kind, "wrap-conf") != 0 && i >= 21 && i < 25)
			continue;
		/* an exact-size heap copy so that ASan sees any overread */
		copy = malloc(t->toklen);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, t->tok, t->toklen);
		copy[i] ^= 0x01;
		if (strcmp(t->kind, "mic") == 0)
			e = kssp_token_verify_mic(r, &m, 1, copy, t->toklen, NULL);
		else
			e = kssp_token_unwrap(r, copy, t->toklen, &off, &dl, NULL, NULL);
		free(copy);
		/* RRC (bytes 6-7) only says where the body starts: a changed RRC
		 * is a different rotation of the same bytes, caught by the MAC. */
		ck_assert_msg(e != KSSP_OK, "%s %s: byte %zu altered but accepted", t->sender,
		    t->kind, i);
	}
}

static const char *const fixture_names[] = {
	"context/mit-e17-mutual.txt", "context/mit-e17-nomutual.txt",
	"context/mit-e18-mutual.txt", "context/mit-e18-nomutual.txt",
	"context/mit-e19-mutual.txt", "context/mit-e19-nomutual.txt",
	"context/mit-e20-mutual.txt", "context/mit-e20-nomutual.txt",
	"context/mit-e23-mutual.txt", "context/mit-e23-nomutual.txt",
	"context/mit-e17-deleg.txt", "context/mit-e18-deleg.txt", "context/mit-e19-deleg.txt",
	"context/mit-e20-deleg.txt", "context/mit-e23-deleg.txt",
};

START_TEST(mit_tokens_verify_and_unwrap)
{
	struct fixture f;
	struct kssp_token_ctx from_init, from_acc;
	size_t i;

	load_fixture(fixture_names[_i], &f);
	receiver_for(&f, "init", &from_init);
	receiver_for(&f, "acc", &from_acc);
	for (i = 0; i < f.ntokens; i++)
		verify_fx_token(strcmp(f.tokens[i].sender, "init") == 0 ? &from_init : &from_acc,
		    &f.tokens[i]);
	/* Replayed: each was recorded (replay detection on). */
	ck_assert_int_eq(kssp_token_verify_mic(&from_init,
	    &(struct kssp_crypto_iov){ f.tokens[0].msg, f.tokens[0].msglen }, 1,
	    f.tokens[0].tok, f.tokens[0].toklen, NULL), KRB_AP_ERR_REPEAT);
	kssp_token_ctx_clear(&from_init);
	kssp_token_ctx_clear(&from_acc);
	for (i = 0; i < f.ntokens; i++) {
		/* a fresh receiver per token: only the alteration can fail it */
		struct kssp_token_ctx r;

		receiver_for(&f, f.tokens[i].sender, &r);
		reject_altered(&r, &f.tokens[i]);
		kssp_token_ctx_clear(&r);
	}
	kssp_crypto_key_clear(&f.ctx_key);
	kssp_crypto_key_clear(&f.acc_subkey);
}
END_TEST

/* ---- malformed tokens (MIT t_invalid.c classes) -------------------------- */

START_TEST(short_headers_rejected)
{
	struct pair p;
	uint8_t *tok;
	size_t n, off, dl;
	struct kssp_crypto_iov m = { (const uint8_t *)"", 0 };

	make_pair(&p, 17, false, 0);
	for (n = 0; n < 16; n++) {
		tok = malloc(n ? n : 1);
		memcpy(tok, "\x05\x04\x02\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", n);
		ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, n, &off, &dl, NULL, NULL),
		    KSSP_ERR_TRUNCATED);
		memcpy(tok, "\x04\x04\x00\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00", n);
		ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, tok, n, NULL),
		    KSSP_ERR_TRUNCATED);
		free(tok);
	}
	clear_pair(&p);

	/* RFC 4757: framing with 2..31 bytes of body (t_invalid: 2-24 and 16-23) */
	make_pair(&p, 23, false, 0);
	for (n = 2; n < 32; n++) {
		uint8_t buf[64];

		memset(buf, 0, sizeof(buf));
		memcpy(buf, "\x60\x00\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x02\x01\x11\x00"
		    "\x10\x00\xff\xff", 21);
		buf[1] = (uint8_t)(11 + n);
		tok = malloc(13 + n);
		memcpy(tok, buf, 13 + n);
		ck_assert_int_ne(kssp_token_unwrap(&p.acc, tok, 13 + n, &off, &dl, NULL, NULL),
		    KSSP_OK);
		tok[13] = 0x01; /* a MIC token of the same size */
		tok[14] = 0x01;
		ck_assert_int_ne(kssp_token_verify_mic(&p.acc, &m, 1, tok, 13 + n, NULL), KSSP_OK);
		free(tok);
	}
	clear_pair(&p);
}
END_TEST

START_TEST(ec_and_rrc_larger_than_token)
{
	struct pair p;
	uint8_t tok[256];
	size_t len, off, dl;

	make_pair(&p, 18, false, 0);
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	tok[4] = 0xFF; /* EC 0xff00 */
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	tok[6] = 0x7F; /* RRC 0x7f00 */
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	/* integrity only: EC past the body (CVE-2024-37371) */
	len = wrap_msg(&p.init, false, tok, sizeof(tok));
	tok[4] = 0x01;
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	/* EC within the body but not the checksum length */
	len = wrap_msg(&p.init, false, tok, sizeof(tok));
	tok[5] = 0x0d;
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	clear_pair(&p);
}
END_TEST

START_TEST(plaintext_ec_differs_from_encrypted)
{
	struct pair p;
	uint8_t tok[256];
	size_t len, off, dl;

	/* CVE-2024-37370: the EC in the clear is not the encrypted copy's. */
	make_pair(&p, 17, false, 0);
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	tok[5] = 0x05;
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KRB_AP_ERR_BAD_INTEGRITY);
	/* the same for the flags and the sequence number */
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	tok[15] ^= 1;
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KRB_AP_ERR_BAD_INTEGRITY);
	clear_pair(&p);
}
END_TEST

START_TEST(length_fields_past_buffer)
{
	struct pair p;
	uint8_t tok[256], *cut;
	size_t len, off, dl;
	struct kssp_crypto_iov m = { (const uint8_t *)message, sizeof(message) };

	make_pair(&p, 23, false, 0);
	len = wrap_msg(&p.init, true, tok, sizeof(tok));
	/* the framing claims more than there is (t_invalid: large ASN.1 wrapper) */
	tok[1] = 0x7F;
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	tok[1] = 0x84; /* four length bytes, none minimal */
	ck_assert_int_ne(kssp_token_unwrap(&p.acc, tok, len, &off, &dl, NULL, NULL), KSSP_OK);
	/* truncated encapsulations (t_invalid test_short_encapsulation) */
	cut = malloc(4);
	memcpy(cut, "\x60\x40\x06\x09", 4);
	for (len = 1; len <= 4; len++) {
		ck_assert_int_ne(kssp_token_unwrap(&p.acc, cut, len, &off, &dl, NULL, NULL),
		    KSSP_OK);
		ck_assert_int_ne(kssp_token_verify_mic(&p.acc, &m, 1, cut, len, NULL), KSSP_OK);
	}
	free(cut);
	clear_pair(&p);
}
END_TEST

START_TEST(rfc1964_token_on_cfx_context)
{
	struct pair p;
	uint8_t tok[37];
	size_t off, dl;
	struct kssp_crypto_iov m = { (const uint8_t *)"", 0 };

	/* t_invalid test_bogus_1964_token: 01 01 HMAC-MD5, SEAL none, zeros */
	memset(tok, 0, sizeof(tok));
	memcpy(tok, "\x60\x23\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
	    "\x01\x01\x11\x00\xff\xff\xff\xff", 21);
	make_pair(&p, 17, false, 0);
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, sizeof(tok), &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, tok, sizeof(tok), NULL),
	    KSSP_ERR_BAD_ENCODING);
	ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok + 13, 24, &off, &dl, NULL, NULL),
	    KSSP_ERR_BAD_ENCODING);
	clear_pair(&p);
}
END_TEST

START_TEST(ciphertext_shorter_than_confounder)
{
	struct pair p;
	uint8_t tok[64];
	size_t n, off, dl;

	make_pair(&p, 18, false, 0);
	for (n = 0; n < 40; n++) {
		memset(tok, 0x33, sizeof(tok));
		memcpy(tok, "\x05\x04\x02\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16);
		ck_assert_int_eq(kssp_token_unwrap(&p.acc, tok, 16 + n, &off, &dl, NULL, NULL),
		    KRB_AP_ERR_BAD_INTEGRITY);
	}
	clear_pair(&p);
}
END_TEST

START_TEST(padding_longer_than_data)
{
	/* MIT t_invalid.c's arcfour sample: a valid sealed token whose padding
	 * byte is 100 instead of 1. */
	static const char key_hex[] = "66644164557821D0D0FD056AFF6FE809";
	static const char tok_hex[] =
	    "603306092A864886F712010202020111001000FFFF35D479F38C478F6E236F3E"
	    "CC5E575C6A89F0A2034F0B5111EE897ED6F6B5D651";
	struct kssp_token_ctx r;
	struct kssp_key k;
	uint8_t kb[16], tok[64];
	size_t tl, off, dl;

	tu_hex(key_hex, kb, sizeof(kb));
	tl = tu_hex(tok_hex, tok, sizeof(tok));
	memset(&k, 0, sizeof(k));
	ck_assert_int_eq(kssp_crypto_key_init(&k, 23, kb, 16), KSSP_OK);
	ck_assert_int_eq(kssp_token_ctx_init(&r, &k, NULL, false, 0, 0, 0, &test_hooks), KSSP_OK);
	ck_assert_int_eq(kssp_token_unwrap(&r, tok, tl, &off, &dl, NULL, NULL),
	    KRB_AP_ERR_BAD_INTEGRITY);
	kssp_token_ctx_clear(&r);
	kssp_crypto_key_clear(&k);
}
END_TEST

START_TEST(mic_checksum_truncated)
{
	struct pair p;
	struct kssp_crypto_iov m = { (const uint8_t *)message, sizeof(message) };
	uint8_t tok[64], *cut;
	size_t len, n;

	make_pair(&p, 17, false, 0);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, tok, sizeof(tok), &len), KSSP_OK);
	for (n = 16; n < len; n++) {
		cut = malloc(n);
		memcpy(cut, tok, n);
		ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, cut, n, NULL),
		    KSSP_ERR_BAD_ENCODING);
		free(cut);
	}
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, tok, len, NULL), KSSP_OK);
	clear_pair(&p);
}
END_TEST

START_TEST(sequence_checks_through_tokens)
{
	struct pair p;
	struct kssp_crypto_iov m = { (const uint8_t *)message, sizeof(message) };
	uint8_t t1[64], t2[64], t3[64];
	size_t l1, l2, l3;
	unsigned st;

	make_pair(&p, 19, false, KSSP_GSS_REPLAY | KSSP_GSS_SEQUENCE);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, t1, sizeof(t1), &l1), KSSP_OK);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, t2, sizeof(t2), &l2), KSSP_OK);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &m, 1, t3, sizeof(t3), &l3), KSSP_OK);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, t2, l2, &st), KSSP_OK);
	ck_assert_uint_eq(st, KSSP_SEQ_GAP);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, t1, l1, NULL), KRB_AP_ERR_BADORDER);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, t1, l1, &st), KSSP_OK);
	ck_assert_uint_eq(st, KSSP_SEQ_DUPLICATE);
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, t3, l3, &st), KSSP_OK);
	ck_assert_uint_eq(st, KSSP_SEQ_OK);
	/* a forged token never moves the window */
	t3[l3 - 1] ^= 1;
	ck_assert_int_eq(kssp_token_verify_mic(&p.acc, &m, 1, t3, l3, &st),
	    KRB_AP_ERR_BAD_INTEGRITY);
	clear_pair(&p);
}
END_TEST

/*
 * The codes the malformed-token tests expect surface through the SSPI
 * facade as SEC_E_INVALID_TOKEN (malformed) or SEC_E_MESSAGE_ALTERED
 * (integrity), as MIT's GSS_S_DEFECTIVE_TOKEN / GSS_S_BAD_SIG would.
 */
START_TEST(malformed_token_statuses)
{
	static const kssp_err malformed[] = { KSSP_ERR_TRUNCATED, KSSP_ERR_BAD_ENCODING,
		KSSP_ERR_LIMIT };
	size_t i;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		ck_assert_int_eq(kssp_sspi_status(malformed[i], KSSP_PHASE_MESSAGE),
		    SEC_E_INVALID_TOKEN);
	ck_assert_int_eq(kssp_sspi_status(KRB_AP_ERR_BAD_INTEGRITY, KSSP_PHASE_MESSAGE),
	    SEC_E_MESSAGE_ALTERED);
	ck_assert_int_eq(kssp_sspi_status(KRB_AP_ERR_BADDIRECTION, KSSP_PHASE_MESSAGE),
	    SEC_E_MESSAGE_ALTERED);
}
END_TEST

/* A context never set up, or cleared, has no token family: every entry
 * point refuses its empty key instead of calling through nothing. */
START_TEST(cleared_context_refuses_tokens)
{
	struct kssp_crypto_iov part = { (const uint8_t *)message, sizeof(message) };
	struct kssp_wrap_sizes ws;
	struct pair p;
	uint8_t buf[256];
	size_t n;

	memset(&p.init, 0, sizeof(p.init));
	ck_assert_int_eq(kssp_token_mic_len(&p.init, &n), KDC_ERR_ETYPE_NOSUPP);
	make_pair(&p, all_enctypes[_i], false, 0);
	clear_pair(&p);
	ck_assert_int_eq(kssp_token_mic_len(&p.init, &n), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_token_wrap_split_sizes(&p.init, true, 10, &ws), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_token_get_mic(&p.init, &part, 1, buf, sizeof(buf), &n),
	    KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_token_wrap(&p.acc, true, buf, sizeof(buf), 10, &n),
	    KDC_ERR_ETYPE_NOSUPP);
}
END_TEST

/* ---- RPC layouts (GSS_WrapEx, MS-KILE 3.4.5.4.1) ------------------------- */

/* An RPC message as DCE/RPC with header signing passes it: PDU header and
 * auth trailer sign-only around the PDU body (MS-RPCE 2.2.2.11). */
struct rpc {
	uint8_t hdr[16], body[45], trl[8], head[128], pad[8];
	struct kssp_token_seg seg[3];
	size_t hlen, tlen;
};

static const int32_t rpc_enctypes[] = { 17, 18, 23 };

static void rpc_fill(struct rpc *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < sizeof(m->hdr); i++)
		m->hdr[i] = (uint8_t)(0x40 + i);
	memcpy(m->body, message, sizeof(message));
	memset(m->trl, 0x0A, sizeof(m->trl));
	m->seg[0] = (struct kssp_token_seg){ m->hdr, sizeof(m->hdr), true };
	m->seg[1] = (struct kssp_token_seg){ m->body, sizeof(m->body), false };
	m->seg[2] = (struct kssp_token_seg){ m->trl, sizeof(m->trl), true };
}

/* Wraps m from s (_i / 2: the enctype; odd _i: DCE style). */
static void rpc_wrap(struct kssp_token_ctx *s, bool conf, struct rpc *m)
{
	rpc_fill(m);
	ck_assert_msg(kssp_token_wrap_ex(s, conf, m->head, sizeof(m->head), &m->hlen, m->seg, 3,
	    m->pad, sizeof(m->pad), &m->tlen) == KSSP_OK, "wrap_ex: %s", kssp_last_reason());
}

static kssp_err rpc_unwrap(struct kssp_token_ctx *r, struct rpc *m, size_t *strip, bool *conf)
{
	return kssp_token_unwrap_ex(r, m->head, m->hlen, m->seg, 3, m->pad, m->tlen, strip, conf,
	    NULL);
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Round trips both ways, sealed and signed, with the Wrap parameters
 * Windows uses: sealed RFC 4121 tokens EC 16 (DCE style) or 0 and RRC 28
 * in a 76- or 60-byte header (MS-KILE 3.4.5.4.1), signed ones EC = RRC =
 * 12; RFC 4757 tokens of DCE-style contexts a 45-byte header whose
 * framing covers it alone, and no padding. */
START_TEST(rpc_layout_round_trips)
{
	int32_t et = rpc_enctypes[_i / 2];
	bool dce = _i % 2, conf;
	struct kssp_wrap_sizes ws;
	struct pair p;
	struct rpc m;
	size_t strip = 0;
	bool c = false;
	int k;

	make_pair(&p, et, et != 23, KSSP_GSS_CONF | (dce ? KSSP_GSS_DCE_STYLE : 0));
	for (k = 0; k < 4; k++) {
		struct kssp_token_ctx *s = k % 2 ? &p.acc : &p.init, *r = k % 2 ? &p.init : &p.acc;

		conf = k < 2;
		rpc_wrap(s, conf, &m);
		ck_assert_int_eq(kssp_token_wrap_split_sizes(s, conf, sizeof(m.body), &ws), KSSP_OK);
		ck_assert_uint_eq(m.hlen, ws.header);
		ck_assert_uint_eq(m.tlen, ws.trailer);
		if (et != 23) {
			ck_assert_uint_eq(be16_at(m.head + 4), conf ? (dce ? 16 : 0) : 12);
			ck_assert_uint_eq(be16_at(m.head + 6), conf ? 28 : 12);
			ck_assert_uint_eq(m.hlen, conf ? (dce ? 76u : 60u) : 28u);
		} else {
			ck_assert_uint_eq(m.hlen, 45);
			ck_assert_uint_eq(m.head[1], dce ? 0x2b : 0x2b + sizeof(m.body) + 1);
			ck_assert_uint_eq(m.tlen, dce ? 0 : 1);
		}
		ck_assert_int_eq(memcmp(m.body, message, sizeof(message)) != 0, conf);
		ck_assert_msg(rpc_unwrap(r, &m, &strip, &c) == KSSP_OK, "unwrap_ex: %s",
		    kssp_last_reason());
		ck_assert_uint_eq(strip, 0);
		ck_assert(c == conf);
		ck_assert_mem_eq(m.body, message, sizeof(message));
		ck_assert_uint_eq(m.hdr[15], 0x4F);
	}
	clear_pair(&p);
}
END_TEST

/* An altered sign-only byte (header or trailer) fails the integrity check
 * (SEC_E_MESSAGE_ALTERED) and leaves no plaintext in the data buffer. */
START_TEST(rpc_altered_sign_only_refused)
{
	int32_t et = rpc_enctypes[_i / 2];
	bool dce = _i % 2;
	struct pair p;
	struct rpc m;
	size_t strip;
	int k;

	make_pair(&p, et, false, KSSP_GSS_CONF | (dce ? KSSP_GSS_DCE_STYLE : 0));
	for (k = 0; k < 4; k++) {
		rpc_wrap(&p.init, k < 2, &m);
		if (k % 2)
			m.trl[7] ^= 0x01;
		else
			m.hdr[0] ^= 0x80;
		ck_assert_int_eq(rpc_unwrap(&p.acc, &m, &strip, NULL), KRB_AP_ERR_BAD_INTEGRITY);
		ck_assert_int_eq(kssp_sspi_status(KRB_AP_ERR_BAD_INTEGRITY, KSSP_PHASE_MESSAGE),
		    SEC_E_MESSAGE_ALTERED);
		if (k < 2)
			ck_assert(memcmp(m.body, message, sizeof(message)) != 0);
	}
	clear_pair(&p);
}
END_TEST

/* The header fields and buffers that place the token's parts: a wrong EC,
 * a wrong RRC, a header buffer cut short (the rotated trailer truncated),
 * a missing pad are malformed tokens (SEC_E_INVALID_TOKEN), never
 * believed. */
START_TEST(rpc_misplaced_parts_refused)
{
	int32_t et = rpc_enctypes[_i / 2];
	bool dce = _i % 2;
	struct pair p;
	struct rpc m;
	size_t strip;
	kssp_err e;

	make_pair(&p, et, false, KSSP_GSS_CONF | (dce ? KSSP_GSS_DCE_STYLE : 0));
	if (et != 23) {
		/* EC: 16 <-> 0 */
		rpc_wrap(&p.init, true, &m);
		m.head[5] ^= 0x10;
		e = rpc_unwrap(&p.acc, &m, &strip, NULL);
		ck_assert_int_eq(kssp_sspi_status(e, KSSP_PHASE_MESSAGE), SEC_E_INVALID_TOKEN);
		/* RRC neither the rotation nor the rotation less EC */
		rpc_wrap(&p.init, true, &m);
		m.head[7] = 27;
		ck_assert_int_eq(rpc_unwrap(&p.acc, &m, &strip, NULL), KSSP_ERR_BAD_ENCODING);
		/* the signed token's checksum not rotated whole into the header */
		rpc_wrap(&p.init, false, &m);
		m.head[7] = 0;
		ck_assert_int_eq(rpc_unwrap(&p.acc, &m, &strip, NULL), KSSP_ERR_BAD_ENCODING);
		/* with EC 16, RRC 44 (the rotation itself, RFC 4121) is accepted */
		if (dce) {
			rpc_wrap(&p.init, true, &m);
			m.head[7] = 44;
			ck_assert_msg(rpc_unwrap(&p.acc, &m, &strip, NULL) == KSSP_OK, "%s",
			    kssp_last_reason());
		}
	} else {
		/* a pad where the context has none, or none where it has one */
		rpc_wrap(&p.init, true, &m);
		m.tlen = dce ? 1 : 0;
		e = rpc_unwrap(&p.acc, &m, &strip, NULL);
		ck_assert_int_eq(kssp_sspi_status(e, KSSP_PHASE_MESSAGE), SEC_E_INVALID_TOKEN);
	}
	/* truncated: the header buffer one byte short */
	rpc_wrap(&p.init, true, &m);
	m.hlen--;
	e = rpc_unwrap(&p.acc, &m, &strip, NULL);
	ck_assert_int_eq(kssp_sspi_status(e, KSSP_PHASE_MESSAGE), SEC_E_INVALID_TOKEN);
	clear_pair(&p);
}
END_TEST

/* Sign-only data inside a sealed RFC 8009 token (its MAC covers the
 * ciphertext) is not defined: a clear error, not a token. */
START_TEST(rpc_sign_only_needs_plaintext_mac)
{
	struct pair p;
	struct rpc m;

	make_pair(&p, 20, false, KSSP_GSS_CONF);
	rpc_fill(&m);
	ck_assert_int_eq(kssp_token_wrap_ex(&p.init, true, m.head, sizeof(m.head), &m.hlen, m.seg,
	    3, m.pad, sizeof(m.pad), &m.tlen), KDC_ERR_ETYPE_NOSUPP);
	ck_assert_int_eq(kssp_token_wrap_ex(&p.init, false, m.head, sizeof(m.head), &m.hlen,
	    m.seg, 3, m.pad, sizeof(m.pad), &m.tlen), KSSP_OK);
	clear_pair(&p);
}
END_TEST

Suite *kssp_suite_context_token(void);
Suite *kssp_suite_context_token(void)
{
	Suite *s = suite_create("context_token");
	TCase *tc = tcase_create("layout");
	TCase *mit = tcase_create("mit");
	TCase *bad = tcase_create("malformed");
	TCase *rpc = tcase_create("rpc");

	tcase_add_test(tc, cfx_mic_header_layout);
	tcase_add_test(tc, cfx_wrap_header_layout);
	tcase_add_test(tc, rc4_header_layout);
	tcase_add_loop_test(tc, round_trip_every_enctype, 0, 5);
	tcase_add_loop_test(tc, confounders_from_the_hook_else_the_thread_stream, 0, 5);
	tcase_add_loop_test(tc, split_layout_every_enctype, 0, 5);
	tcase_add_loop_test(tc, split_in_place_odd_sizes, 0, 4);
	tcase_add_loop_test(tc, any_rrc_is_accepted, 0, 4);
	tcase_add_test(tc, windows_rrc_plus_ec_rotation);
	tcase_add_test(tc, sequence_checks_through_tokens);
	tcase_add_loop_test(tc, cleared_context_refuses_tokens, 0, 5);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(mit, mit_tokens_verify_and_unwrap, 0, 15);
	tcase_set_timeout(mit, 30);
	suite_add_tcase(s, mit);
	tcase_add_test(bad, short_headers_rejected);
	tcase_add_test(bad, ec_and_rrc_larger_than_token);
	tcase_add_test(bad, plaintext_ec_differs_from_encrypted);
	tcase_add_test(bad, length_fields_past_buffer);
	tcase_add_test(bad, rfc1964_token_on_cfx_context);
	tcase_add_test(bad, ciphertext_shorter_than_confounder);
	tcase_add_test(bad, padding_longer_than_data);
	tcase_add_test(bad, mic_checksum_truncated);
	tcase_add_test(bad, malformed_token_statuses);
	suite_add_tcase(s, bad);
	tcase_add_loop_test(rpc, rpc_layout_round_trips, 0, 6);
	tcase_add_loop_test(rpc, rpc_altered_sign_only_refused, 0, 6);
	tcase_add_loop_test(rpc, rpc_misplaced_parts_refused, 0, 6);
	tcase_add_test(rpc, rpc_sign_only_needs_plaintext_mac);
	suite_add_tcase(s, rpc);
	return s;
}
