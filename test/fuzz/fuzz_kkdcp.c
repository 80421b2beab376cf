/*
 * test/fuzz/fuzz_kkdcp.c - libFuzzer target for what a KDC proxy sends
 * back (MS-KKDCP): the first input byte picks the reader:
 *   even  a KDC-PROXY-MESSAGE (kssp_kkdcp_decode)
 *   odd   an HTTP answer, then its body as a KDC-PROXY-MESSAGE
 *         (kssp_kkdcp_http_body, kssp_kkdcp_decode), as the transport reads it
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kdc/kkdcp_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kssp_der_bytes body, msg;

	if (size == 0)
		return 0;
	if (data[0] % 2 == 0) {
		if (kssp_kkdcp_decode(data + 1, size - 1, &msg) == KSSP_OK &&
		    (msg.data < data + 1 || msg.data + msg.len > data + size))
			abort();
		return 0;
	}
	if (kssp_kkdcp_http_body(data + 1, size - 1, &body) != KSSP_OK)
		return 0;
	if (body.data < data + 1 || body.data + body.len > data + size)
		abort();
	(void)kssp_kkdcp_decode(body.data, body.len, &msg);
	return 0;
}
