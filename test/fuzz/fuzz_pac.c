/*
 * test/fuzz/fuzz_pac.c - libFuzzer target for the PAC parser and verifier
 * (context/pac.c, context/ndr.c).  Whatever parses must convert every
 * string and SID it decoded, and go through verification with a fixed
 * AES256 key (the key of fixtures/pac/aes256.pac, so the seeds reach the
 * client checks) without fault.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/mem_int.h"
#include "context/pac_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch_string(const struct kssp_pac_string *s)
{
	char *text = NULL;

	if (kssp_pac_string_utf8(s, &text) == KSSP_OK)
		kssp_free(text);
}

static void touch_sid(const struct kssp_pac_sid *sid)
{
	char text[KSSP_PAC_SID_TEXT_MAX];

	if (sid)
		kssp_pac_sid_text(sid, text);
}

static void touch_logon_info(const struct kssp_pac_logon_info *li)
{
	uint32_t i;

	touch_string(&li->effective_name);
	touch_string(&li->full_name);
	touch_string(&li->logon_domain_name);
	touch_sid(li->logon_domain_id);
	touch_sid(li->resource_group_domain_sid);
	for (i = 0; li->group_ids && i < li->group_count; i++)
		(void)li->group_ids[i].relative_id;
	for (i = 0; li->extra_sids && i < li->sid_count; i++)
		touch_sid(li->extra_sids[i].sid);
	for (i = 0; li->resource_group_ids && i < li->resource_group_count; i++)
		(void)li->resource_group_ids[i].attributes;
}

static void touch(const struct kssp_pac *pac)
{
	uint32_t i;

	if (pac->logon_info)
		touch_logon_info(pac->logon_info);
	if (pac->client_info)
		touch_string(&pac->client_info->name);
	if (pac->upn_dns_info) {
		touch_string(&pac->upn_dns_info->upn);
		touch_string(&pac->upn_dns_info->sam_name);
		touch_sid(pac->upn_dns_info->sid);
	}
	if (pac->delegation_info)
		for (i = 0; pac->delegation_info->transited_services &&
		    i < pac->delegation_info->transited_list_size; i++)
			touch_string(&pac->delegation_info->transited_services[i]);
	if (pac->device_info) {
		touch_sid(pac->device_info->account_domain_id);
		for (i = 0; pac->device_info->domain_groups &&
		    i < pac->device_info->domain_group_count; i++)
			touch_sid(pac->device_info->domain_groups[i].domain_id);
	}
	touch_sid(pac->requestor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const alice[] = { "alice" };
	struct kssp_principal *client = NULL;
	struct kssp_key key = { 0 };
	uint8_t bytes[32];
	struct kssp_pac pac;
	size_t i;

	if (kssp_pac_parse(data, size, &pac) == KSSP_OK) {
		touch(&pac);
		for (i = 0; i < sizeof(bytes); i++)
			bytes[i] = (uint8_t)(1 + i);
		if (kssp_crypto_key_init(&key, KSSP_ENCTYPE_AES256_CTS_HMAC_SHA1_96, bytes,
		    sizeof(bytes)) != KSSP_OK ||
		    kssp_principal_build(&client, KSSP_NT_PRINCIPAL, "AD.EXAMPLE.TEST", 1, alice) !=
		    KSSP_OK)
			abort();
		if (kssp_pac_verify(&pac, &key, client, 1700000000) == KSSP_OK &&
		    !pac.server_signature_verified)
			abort();
		kssp_principal_free(client);
		kssp_crypto_key_clear(&key);
	}
	kssp_pac_free(&pac);
	return 0;
}
