/*
 * test/bench/crypto_bench.c - `make bench`: kssp's encrypt and decrypt
 * against the raw Nettle cost of the same work, measured in one run.
 *
 * "Raw" is the enctype's cipher in plain CBC mode plus its MAC (HMAC or
 * CMAC) over the same bytes (confounder + message), keys already expanded,
 * no Kerberos framing: the floor any RFC 3961 implementation on Nettle
 * pays.  Ratio = kssp MB/s / raw MB/s (1.0 = framing costs nothing).
 * Each figure is the best of several short alternating rounds, so a busy
 * shared machine disturbs both sides alike.  Built with KSSP_BENCH_MIT
 * (mk/bench.mk does so when MIT's development files are installed), it
 * also measures MIT krb5's krb5_k_encrypt/krb5_k_decrypt on the same
 * messages; only this benchmark links MIT, never the library.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "crypto/crypto.h"
#include "test/bench/raw.h"

#ifdef KSSP_BENCH_MIT
#include <krb5/krb5.h>
static krb5_context mit_ctx;
#endif

#define ROUNDS 8
#define ROUND_NS 15000000.0 /* per side per round */

static const size_t sizes[] = { 64, 1024, 16384, 1 << 20 };
static const int32_t etypes[] = { 17, 18, 19, 20, 25, 26, 23 };

struct result {
	double ours, raw, mit; /* MB/s; mit 0 when not measured */
};

/* Runs f for about ROUND_NS and returns MB/s. */
#define TIMED(bytes, stmt) do {                                   \
		double t0 = now_ns(), t;                                  \
		size_t iters = 0;                                         \
		do {                                                      \
			stmt;                                                 \
			iters++;                                              \
			t = now_ns();                                         \
		} while (t - t0 < ROUND_NS);                              \
		mbps = (double)(bytes) * iters / ((t - t0) / 1e9) / 1e6;  \
	} while (0)

#ifdef KSSP_BENCH_MIT
/* MIT's best figures for the same key bytes and message, derived keys
 * cached in a krb5_key as kssp caches them. */
static int mit_measure(int32_t etype, const uint8_t *kb, size_t klen, const uint8_t *plain,
    size_t size, size_t clen, struct result *enc, struct result *dec)
{
	krb5_keyblock block = { 0, etype, (unsigned)klen, (krb5_octet *)kb };
	krb5_key key;
	krb5_data in = { 0, (unsigned)size, (char *)plain }, out;
	krb5_enc_data ct = { 0 };
	char *cbuf = malloc(clen), *pbuf = malloc(clen);
	krb5_error_code e = 0;
	double mbps;
	int round;

	if (!cbuf || !pbuf || krb5_k_create_key(mit_ctx, &block, &key))
		return 1;
	ct.enctype = etype;
	ct.ciphertext.data = cbuf;
	ct.ciphertext.length = (unsigned)clen;
	e = krb5_k_encrypt(mit_ctx, key, 24, NULL, &in, &ct);
	for (round = 0; round < ROUNDS && !e; round++) {
		TIMED(size, (ct.ciphertext.length = (unsigned)clen,
		    e |= krb5_k_encrypt(mit_ctx, key, 24, NULL, &in, &ct)));
		if (mbps > enc->mit)
			enc->mit = mbps;
		TIMED(size, (out.data = pbuf, out.length = (unsigned)clen,
		    e |= krb5_k_decrypt(mit_ctx, key, 24, NULL, &ct, &out)));
		if (mbps > dec->mit)
			dec->mit = mbps;
	}
	krb5_k_free_key(mit_ctx, key);
	free(cbuf);
	free(pbuf);
	return e != 0;
}
#endif

static int measure(int32_t etype, size_t size, struct result *enc, struct result *dec)
{
	struct kssp_key key;
	struct raw raw;
	uint8_t kb[32] = { 7 };
	size_t klen, clen, n;
	uint8_t *plain, *ct, *out, *rin, *rout;
	const struct kssp_enctype_profile *p = kssp_crypto_profile(etype);
	int round;
	double mbps;
	kssp_err e = KSSP_OK;

	if (kssp_crypto_key_bytes(etype, &klen) || kssp_crypto_key_init(&key, etype, kb, klen) ||
	    kssp_crypto_encrypt_len(etype, size, &clen))
		return 1;
	raw_init(&raw, etype);
	plain = calloc(1, size);
	ct = calloc(1, clen);
	out = calloc(1, clen);
	rin = calloc(1, size + p->confounder_bytes);
	rout = calloc(1, size + p->confounder_bytes);
	if (!plain || !ct || !out || !rin || !rout)
		return 1;
	memset(enc, 0, sizeof(*enc));
	memset(dec, 0, sizeof(*dec));
	e = kssp_crypto_encrypt(NULL, &key, KSSP_KU_GSS_INITIATOR_SEAL, plain, size, ct, clen, &n);
#ifdef KSSP_BENCH_MIT
	if (!e && mit_measure(etype, kb, klen, plain, size, clen, enc, dec))
		e = KSSP_ERR_INTERNAL;
#endif
	for (round = 0; round < ROUNDS && !e; round++) {
		TIMED(size, e |= kssp_crypto_encrypt(NULL, &key, KSSP_KU_GSS_INITIATOR_SEAL, plain,
		    size, out, clen, &n));
		if (mbps > enc->ours)
			enc->ours = mbps;
		TIMED(size, raw_op(&raw, true, rin, rout, size + p->confounder_bytes));
		if (mbps > enc->raw)
			enc->raw = mbps;
		TIMED(size, e |= kssp_crypto_decrypt(&key, KSSP_KU_GSS_INITIATOR_SEAL, ct, clen,
		    out, clen, &n));
		if (mbps > dec->ours)
			dec->ours = mbps;
		TIMED(size, raw_op(&raw, false, rin, rout, size + p->confounder_bytes));
		if (mbps > dec->raw)
			dec->raw = mbps;
	}
	free(plain);
	free(ct);
	free(out);
	free(rin);
	free(rout);
	kssp_crypto_key_clear(&key);
	if (e)
		fprintf(stderr, "crypto_bench: %s: %s\n", kssp_err_name(e), kssp_last_reason());
	return e ? 1 : 0;
}

static const char *size_name(size_t s, char *buf, size_t cap)
{
	if (s >= (1 << 20))
		snprintf(buf, cap, "%zu MiB", s >> 20);
	else if (s >= 1024)
		snprintf(buf, cap, "%zu KiB", s >> 10);
	else
		snprintf(buf, cap, "%zu B", s);
	return buf;
}

int main(void)
{
	size_t i, j;
	int below = 0;
	double t0 = now_ns();

	printf("kssp crypto benchmark: MB/s (10^6 bytes of message per second), ratio = kssp / raw Nettle\n");
	printf("raw = the same cipher in CBC mode (RC4 for 23) + the same MAC over the same bytes\n");
	printf("kssp encrypt includes drawing the confounder from getrandom(2) per message\n\n");
#ifdef KSSP_BENCH_MIT
	setenv("KRB5_CONFIG", "/dev/null", 1);
	if (krb5_init_context(&mit_ctx))
		return 1;
	printf("mit = MIT krb5 krb5_k_encrypt/krb5_k_decrypt; vs mit = kssp / MIT\n\n");
#endif
	printf("%-28s %8s | %9s %9s %6s | %9s %9s %6s", "enctype", "size", "enc", "raw", "ratio",
	    "dec", "raw", "ratio");
#ifdef KSSP_BENCH_MIT
	printf(" | %9s %6s %9s %6s", "enc mit", "vs mit", "dec mit", "vs mit");
#endif
	printf("\n");
	for (i = 0; i < sizeof(etypes) / sizeof(etypes[0]); i++)
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			struct result enc, dec;
			char sb[32];

			if (measure(etypes[i], sizes[j], &enc, &dec))
				return 1;
			printf("%-28s %8s | %9.1f %9.1f %6.3f | %9.1f %9.1f %6.3f",
			    kssp_crypto_enctype_name(etypes[i]), size_name(sizes[j], sb, sizeof(sb)),
			    enc.ours, enc.raw, enc.ours / enc.raw, dec.ours, dec.raw, dec.ours / dec.raw);
#ifdef KSSP_BENCH_MIT
			printf(" | %9.1f %6.2f %9.1f %6.2f", enc.mit, enc.ours / enc.mit, dec.mit,
			    dec.ours / dec.mit);
#endif
			printf("\n");
			fflush(stdout);
			if (etypes[i] >= 17 && etypes[i] <= 20 && sizes[j] == 16384 &&
			    (enc.ours / enc.raw < 0.85 || dec.ours / dec.raw < 0.85))
				below++;
		}
	printf("\n16 KiB, enctypes 17-20, both directions >= 0.85 of raw Nettle: %s\n",
	    below ? "NO" : "yes");
	printf("run time %.1f s\n", (now_ns() - t0) / 1e9);
	return 0;
}
