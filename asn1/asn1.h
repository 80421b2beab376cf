/*
 * asn1/asn1.h - asn1/: the strict DER reader and writer, the arena
 * decoded messages live in, one codec per RFC 4120 type, GSS framing
 * (RFC 2743 §3.1) and SPNEGO (RFC 4178).  It knows no keys, sockets or
 * files.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_ASN1_ASN1_H
#define KSSP_ASN1_ASN1_H

#include "asn1/arena_int.h"
#include "asn1/der_int.h"
#include "asn1/gss_int.h"
#include "asn1/krb5_int.h"

#endif
