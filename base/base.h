/*
 * base/base.h - base/, the bottom layer: error codes and failure reasons,
 * the bounded read cursor and the byte writer, secure zeroing, constant-time
 * compare and allocation, the clock / random / transport / trace hooks,
 * hex and base64, thread stripes and a reader-writer lock whose readers
 * share no cache line.  It knows nothing of the layers above it.
 *
 * Other layers include this header only; the parts it gathers are this
 * layer's own (*_int.h), each documenting its piece.
 */
#ifndef KSSP_BASE_BASE_H
#define KSSP_BASE_BASE_H

#include "base/bytes_int.h"
#include "base/err_int.h"
#include "base/hooks_int.h"
#include "base/lock_int.h"
#include "base/mem_int.h"
#include "base/text_int.h"

#endif
