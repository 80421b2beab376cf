/*
 * test/fuzz/fuzz_kdc.c - libFuzzer target for what kdc/ reads from files
 * and the network.  The first input byte picks the reader:
 *   0  krb5.conf text (kssp_config_add_text) and the lookups over it
 *   1  a DNS SRV reply (kssp_locate_parse_srv_reply)
 *   2  a recorded conversation (kssp_recording_parse)
 *   3  a KDC's answer to an AS-REQ (kssp_as_get_tgt with the input as
 *      every reply: KRB-ERROR handling, ETYPE-INFO2 hints, AS-REP checks)
 *   4  the transport's first look at a reply (kssp_transport_reply_type)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem_int.h"
#include "creds/principal_int.h"
#include "kdc/as_int.h"
#include "kdc/config_int.h"
#include "kdc/locate_int.h"
#include "kdc/transport_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void config(const uint8_t *data, size_t size)
{
	struct kssp_config *cfg;
	const char *kdcs[4], *path[4];
	int32_t e[KSSP_CONFIG_MAX_ETYPES];

	if (kssp_config_new(&cfg) != KSSP_OK)
		return;
	(void)kssp_config_add_text(cfg, "fuzz.conf", (const char *)data, size);
	(void)kssp_config_realm_kdcs(cfg, "KSSP.TEST", kdcs, 4);
	(void)kssp_config_tkt_enctypes(cfg, e, KSSP_CONFIG_MAX_ETYPES);
	(void)kssp_config_ticket_lifetime(cfg);
	(void)kssp_config_host_realm(cfg, "a.b.kssp.test");
	(void)kssp_config_capath(cfg, "A", "B", path, 4);
	kssp_config_free(cfg);
}

static void srv(const uint8_t *data, size_t size)
{
	struct kssp_kdc_servers *l = kssp_calloc(1, sizeof(*l));

	if (l)
		(void)kssp_locate_parse_srv_reply(data, size, KSSP_KDC_PROTO_UDP, NULL, l);
	kssp_free(l);
}

static void recording(const uint8_t *data, size_t size)
{
	struct kssp_recording *rec;

	if (kssp_recording_parse((const char *)data, size, &rec) == KSSP_OK)
		kssp_recording_free(rec);
}

struct canned {
	const uint8_t *data;
	size_t size;
};

static kssp_err canned_reply(void *arg, const char *realm, const uint8_t *req, size_t len,
    int flags, uint8_t **reply, size_t *reply_len)
{
	const struct canned *c = arg;

	(void)realm;
	(void)req;
	(void)len;
	(void)flags;
	*reply = kssp_malloc(c->size ? c->size : 1);
	if (!*reply)
		return KSSP_ERR_NOMEM;
	memcpy(*reply, c->data, c->size);
	*reply_len = c->size;
	return KSSP_OK;
}

static kssp_err fixed_time(void *arg, struct kssp_time *now)
{
	(void)arg;
	now->sec = 1795000000;
	now->usec = 0;
	return KSSP_OK;
}

static void as_reply(const uint8_t *data, size_t size)
{
	static const char conf[] = "[libdefaults]\n allow_rc4 = true\n";
	static const int32_t rc4[] = { 23 };
	struct canned c = { data, size };
	struct kssp_hooks h;
	struct kssp_config *cfg;
	struct kssp_kdc_ctx ctx;
	struct kssp_principal *client;
	struct kssp_as_opts o;
	struct kssp_cred tgt;

	if (size == 0 || kssp_config_new(&cfg) != KSSP_OK)
		return;
	if (kssp_config_add_text(cfg, "f.conf", conf, sizeof(conf) - 1) != KSSP_OK ||
	    kssp_principal_parse("alice@KSSP.TEST", 0, NULL, &client) != KSSP_OK) {
		kssp_config_free(cfg);
		return;
	}
	memset(&h, 0, sizeof(h));
	h.clock = fixed_time;
	h.transport = canned_reply;
	h.transport_arg = &c;
	kssp_kdc_ctx_init(&ctx, cfg, &h);
	kssp_as_opts_init(&o);
	o.client = client;
	o.password = "pw";
	o.password_len = 2;
	o.etypes = rc4;
	o.n_etypes = 1;
	if (kssp_as_get_tgt(&ctx, &o, &tgt) == KSSP_OK)
		kssp_cred_clear(&tgt);
	kssp_kdc_ctx_free(&ctx);
	kssp_principal_free(client);
	kssp_config_free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int32_t code;

	if (size == 0)
		return 0;
	switch (data[0] % 5) {
	case 0: config(data + 1, size - 1); break;
	case 1: srv(data + 1, size - 1); break;
	case 2: recording(data + 1, size - 1); break;
	case 3: as_reply(data + 1, size - 1); break;
	default: (void)kssp_transport_reply_type(data + 1, size - 1, &code); break;
	}
	return 0;
}
