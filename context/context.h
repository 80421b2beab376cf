/*
 * context/context.h - context/: the krb5 GSS mechanism (RFC 4121,
 * RFC 4757): the AP exchange, the replay cache, sequence windows, MIC and
 * Wrap tokens, export and import, and the PAC (MS-PAC).  Pure: it is
 * handed tickets and keys and does no I/O.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_CONTEXT_CONTEXT_H
#define KSSP_CONTEXT_CONTEXT_H

#include "context/ap_int.h"
#include "context/pac_int.h"
#include "context/token_int.h"

#endif
