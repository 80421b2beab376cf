/*
 * creds/creds.h - creds/: principal names, MIT keytabs, MIT FILE
 * credential caches (written under MIT's locking), one credential and the
 * in-memory credential set, MIT's shared replay cache file, and the file
 * helpers behind them.  It opens
 * files, never a socket.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_CREDS_CREDS_H
#define KSSP_CREDS_CREDS_H

#include "creds/ccache_int.h"
#include "creds/cred_int.h"
#include "creds/credset_int.h"
#include "creds/file_int.h"
#include "creds/keytab_int.h"
#include "creds/principal_int.h"
#include "creds/rcache_int.h"

#endif
