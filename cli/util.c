/* cli/util.c - input reading and failure printing for the subcommands. */
#include "cli/cli.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/base.h"

kssp_err kssp_cli_read_file(const char *path, uint8_t **data, size_t *len)
{
	/* Decided once: whether f is ours to close does not hang on comparing it to stdin. */
	bool own = strcmp(path, "-") != 0;
	FILE *f = own ? fopen(path, "rb") : stdin;
	struct kssp_writer w;
	kssp_err e;

	if (!f)
		return kssp_fail(KSSP_ERR_IO, "%s: %s", path, strerror(errno));
	kssp_writer_init_growable(&w, KSSP_CLI_INPUT_MAX + 1);
	for (;;) {
		uint8_t chunk[8192];
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		kssp_writer_put_bytes(&w, chunk, n);
		if (n < sizeof(chunk) || kssp_writer_status(&w))
			break;
	}
	if (ferror(f) && !kssp_writer_status(&w))
		w.err = kssp_fail(KSSP_ERR_IO, "%s: read error", path);
	if (own)
		(void)fclose(f); /* read only: nothing buffered to lose */
	kssp_writer_put_u8(&w, 0);
	e = kssp_writer_detach(&w, data, len);
	if (e)
		return e == KSSP_ERR_LIMIT ? kssp_fail(e, "%s: larger than %zu bytes", path,
		    KSSP_CLI_INPUT_MAX) : e;
	(*len)--;
	return KSSP_OK;
}

static bool is_b64_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_hex_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	    c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips an optional "Authorization:" and "Negotiate " prefix of an HTTP value. */
static size_t http_prefix_len(const uint8_t *t, size_t len)
{
	static const char *const prefixes[] = { "Authorization:", "WWW-Authenticate:", "Negotiate" };
	size_t at = 0, i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		while (at < len && (t[at] == ' ' || t[at] == '\t'))
			at++;
		if (len - at >= n && strncasecmp((const char *)t + at, prefixes[i], n) == 0)
			at += n;
	}
	while (at < len && (t[at] == ' ' || t[at] == '\t'))
		at++;
	return at;
}

kssp_err kssp_cli_token_bytes(const uint8_t *text, size_t len, uint8_t **out, size_t *out_len)
{
	struct kssp_writer w;
	bool hex = true, b64 = true;
	size_t skip = http_prefix_len(text, len), i;
	kssp_err e;

	for (i = skip; i < len; i++) {
		hex = hex && is_hex_char(text[i]);
		b64 = b64 && is_b64_char(text[i]);
	}
	kssp_writer_init_growable(&w, KSSP_CLI_INPUT_MAX);
	/* Hex digits are also base64 letters: an even run of them is taken as hex. */
	if (len > skip && hex)
		e = kssp_hex_decode(&w, (const char *)text + skip, len - skip);
	else if (len > skip && b64)
		e = kssp_base64_decode(&w, (const char *)text + skip, len - skip);
	else
		kssp_writer_put_bytes(&w, text, len), e = KSSP_OK;
	if (e) {
		kssp_writer_free(&w);
		return e;
	}
	return kssp_writer_detach(&w, out, out_len);
}

int kssp_cli_fail(const char *cmd, kssp_err e)
{
	const char *reason = kssp_last_error() == e ? kssp_last_reason() : "";

	fprintf(stderr, "kssp: %s: %s (code %d): %s%s%s\n", cmd, kssp_err_name(e), (int)e,
	    kssp_err_text(e), *reason ? ": " : "", reason);
	return KSSP_EXIT_FAIL;
}

int kssp_cli_usage_error(const char *cmd, const char *message)
{
	fprintf(stderr, "kssp: %s: %s\nTry 'kssp help %s'.\n", cmd, message, cmd);
	return KSSP_EXIT_USAGE;
}

char *kssp_cli_base64_line(const char *prefix, const void *data, size_t len, const char *suffix)
{
	struct kssp_writer w;
	uint8_t *s = NULL;
	size_t n = 0;

	kssp_writer_init_growable(&w, 0);
	kssp_writer_put_bytes(&w, prefix, strlen(prefix));
	kssp_base64_encode(&w, (const uint8_t *)data, len);
	kssp_writer_put_bytes(&w, suffix, strlen(suffix) + 1);
	return kssp_writer_detach(&w, &s, &n) == KSSP_OK ? (char *)s : NULL;
}

int kssp_cli_print_base64(const char *prefix, const void *data, size_t len)
{
	char *line = kssp_cli_base64_line(prefix, data, len, "");

	if (line == NULL)
		return KSSP_EXIT_FAIL;
	printf("%s\n", line);
	free(line);
	return KSSP_EXIT_OK;
}

kssp_err kssp_cli_read_password(const char *file, const char *prompt, const char *name, char *buf,
    size_t cap, size_t *len)
{
	FILE *f = file ? fopen(file, "r") : stdin;
	struct termios old, quiet;
	bool tty = !file && isatty(STDIN_FILENO);
	char *ok;

	if (!f)
		return kssp_fail(KSSP_ERR_IO, "%s: cannot open", file);
	if (tty) {
		fprintf(stderr, "%s%s: ", prompt, name);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)cap, f);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (file)
		(void)fclose(f); /* read-only stream */
	if (!ok)
		return kssp_fail(KSSP_ERR_NO_CREDENTIALS, "no password given");
	*len = strcspn(buf, "\r\n");
	buf[*len] = '\0';
	return KSSP_OK;
}
