/*
 * kdc/kdc.h - kdc/: krb5.conf, KDC location, the UDP/TCP transport,
 * recorded conversations, HTTP(S) requests, the AS and TGS exchanges, and the one ticket
 * workflow (getcreds) that the SSPI facade and the CLI both call.  The
 * only layer that opens sockets.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_KDC_KDC_H
#define KSSP_KDC_KDC_H

#include "kdc/config_int.h"
#include "kdc/ctx_int.h"
#include "kdc/getcreds_int.h"
#include "kdc/http_int.h"
#include "kdc/kpasswd_int.h"
#include "kdc/transport_int.h"

#endif
