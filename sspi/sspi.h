/*
 * sspi/sspi.h - sspi/ for the kssp tool's diagnostic commands: the
 * public API (kssp/sspi.h, kssp/kssp.h) and the one status table that maps
 * kssp_err and Kerberos error codes to SECURITY_STATUS.  Applications and
 * the tool's SSPI commands include the public headers only.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_SSPI_SSPI_H
#define KSSP_SSPI_SSPI_H

#include "kssp/kssp.h"
#include "kssp/sspi.h"
#include "sspi/status_int.h"

#endif
