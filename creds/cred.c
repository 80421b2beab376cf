/* creds/cred.c - one cached credential: copy, free, configuration entries, flags. */
#include "creds/cred_int.h"

#include <string.h>

#include "base/base.h"

static void typed_list_free(struct kssp_cred_typed_data *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		kssp_free(list[i].value.data);
	kssp_free(list);
}

void kssp_cred_clear(struct kssp_cred *c)
{
	kssp_principal_free(c->client);
	kssp_principal_free(c->server);
	kssp_free_secret(c->keyvalue.data, c->keyvalue.length);
	typed_list_free(c->addresses, c->n_addresses);
	typed_list_free(c->authdata, c->n_authdata);
	kssp_free(c->ticket.data);
	kssp_free(c->second_ticket.data);
	memset(c, 0, sizeof(*c));
}

kssp_err kssp_cred_data_set(struct kssp_cred_data *d, const void *data, size_t len)
{
	uint8_t *p = kssp_memdup(data, len);

	if (!p)
		return kssp_fail(KSSP_ERR_NOMEM, "credential: out of memory");
	/* The old value may have been a session key. */
	kssp_free_secret(d->data, d->length);
	d->data = p;
	d->length = len;
	return KSSP_OK;
}

static kssp_err typed_list_copy(const struct kssp_cred_typed_data *in, size_t n,
    struct kssp_cred_typed_data **out)
{
	size_t i;
	kssp_err e = KSSP_OK;

	*out = NULL;
	if (!n)
		return KSSP_OK;
	*out = kssp_calloc(n, sizeof(**out));
	if (!*out)
		return kssp_fail(KSSP_ERR_NOMEM, "credential: out of memory");
	for (i = 0; !e && i < n; i++) {
		(*out)[i].type = in[i].type;
		e = kssp_cred_data_set(&(*out)[i].value, in[i].value.data, in[i].value.length);
	}
	return e;
}

kssp_err kssp_cred_copy(const struct kssp_cred *in, struct kssp_cred *out)
{
	kssp_err e;

	memset(out, 0, sizeof(*out));
	out->keytype = in->keytype;
	out->authtime = in->authtime;
	out->starttime = in->starttime;
	out->endtime = in->endtime;
	out->renew_till = in->renew_till;
	out->is_skey = in->is_skey;
	out->ticket_flags = in->ticket_flags;
	out->n_addresses = in->n_addresses;
	out->n_authdata = in->n_authdata;
	e = kssp_principal_copy(in->client, &out->client);
	if (!e)
		e = kssp_principal_copy(in->server, &out->server);
	if (!e)
		e = kssp_cred_data_set(&out->keyvalue, in->keyvalue.data, in->keyvalue.length);
	if (!e)
		e = typed_list_copy(in->addresses, in->n_addresses, &out->addresses);
	if (!e)
		e = typed_list_copy(in->authdata, in->n_authdata, &out->authdata);
	if (!e)
		e = kssp_cred_data_set(&out->ticket, in->ticket.data, in->ticket.length);
	if (!e)
		e = kssp_cred_data_set(&out->second_ticket, in->second_ticket.data,
		    in->second_ticket.length);
	if (e)
		kssp_cred_clear(out);
	return e;
}

bool kssp_cred_is_config(const struct kssp_cred *c)
{
	return c->server && kssp_principal_realm_is(c->server, KSSP_CACHECONF_REALM) &&
	    c->server->n_name_string >= 2 &&
	    strcmp(c->server->name_string[0].data, KSSP_CACHECONF_NAME) == 0;
}

void kssp_cred_flags_string(uint32_t flags, char *buf, size_t cap)
{
	/* The letters and order of MIT's klist -f. */
	static const struct { uint32_t bit; char letter; } letters[] = {
		{ KSSP_TKT_FLG_FORWARDABLE, 'F' }, { KSSP_TKT_FLG_FORWARDED, 'f' },
		{ KSSP_TKT_FLG_PROXIABLE, 'P' }, { KSSP_TKT_FLG_PROXY, 'p' },
		{ KSSP_TKT_FLG_MAY_POSTDATE, 'D' }, { KSSP_TKT_FLG_POSTDATED, 'd' },
		{ KSSP_TKT_FLG_INVALID, 'i' }, { KSSP_TKT_FLG_RENEWABLE, 'R' },
		{ KSSP_TKT_FLG_INITIAL, 'I' }, { KSSP_TKT_FLG_HW_AUTHENT, 'H' },
		{ KSSP_TKT_FLG_PRE_AUTHENT, 'A' }, { KSSP_TKT_FLG_TRANSIT_POLICY_CHECKED, 'T' },
		{ KSSP_TKT_FLG_OK_AS_DELEGATE, 'O' }, { KSSP_TKT_FLG_ANONYMOUS, 'a' },
	};
	size_t i, n = 0;

	if (!cap)
		return;
	for (i = 0; i < sizeof(letters) / sizeof(letters[0]) && n + 1 < cap; i++)
		if (flags & letters[i].bit)
			buf[n++] = letters[i].letter;
	buf[n] = 0;
}
