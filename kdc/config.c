/*
 * kdc/config.c - the krb5.conf profile parser and the lookups over it.
 *
 * The configuration is one tree: the root's children are the top-level
 * sections of every file, in load order; a section's children are its
 * relations and subsections.  Lookups walk every same-named node in order,
 * which gives MIT's merge rule (first value wins, lists concatenate) and
 * the final marker (a final node hides later same-named siblings).
 */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): the feature-test macro glibc defines for this use */
#include "kdc/config_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "creds/creds.h"

struct node {
	char *name;
	char *value;        /* NULL for a section or subsection */
	bool final;
	struct node *first; /* children */
	struct node *last;
	struct node *next;  /* sibling */
};

struct kssp_config {
	struct node root;
	int include_depth;
	int files_read; /* files opened by includes and the list, in all */
};

/* The state of parsing one file. */
struct parse {
	struct kssp_config *cfg;
	const char *file;
	unsigned line;
	struct node *stack[KSSP_CONFIG_MAX_NEST + 1]; /* [0]: the section */
	int depth;                                    /* open { } groups */
};

static void free_children(struct node *n)
{
	struct node *c = n->first, *next;

	while (c) {
		next = c->next;
		free_children(c);
		kssp_free(c);
		c = next;
	}
	n->first = n->last = NULL;
}

void kssp_config_free(struct kssp_config *cfg)
{
	if (!cfg)
		return;
	free_children(&cfg->root);
	kssp_free(cfg);
}

kssp_err kssp_config_new(struct kssp_config **out)
{
	*out = kssp_calloc(1, sizeof(**out));
	if (!*out)
		return kssp_fail(KSSP_ERR_NOMEM, "krb5.conf: out of memory");
	return KSSP_OK;
}

/* A node with copies of name and value (value may be NULL) in one block. */
static struct node *add_node(struct node *parent, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	size_t size = sizeof(struct node) + name_len + 1 + (value ? value_len + 1 : 0);
	struct node *n = kssp_calloc(1, size);

	if (!n)
		return NULL;
	n->name = (char *)(n + 1);
	memcpy(n->name, name, name_len);
	n->name[name_len] = '\0';
	if (value) {
		n->value = n->name + name_len + 1;
		memcpy(n->value, value, value_len);
		n->value[value_len] = '\0';
	}
	if (parent->last)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	return n;
}

static kssp_err syntax(const struct parse *p, const char *what)
{
	return kssp_fail(KSSP_ERR_BAD_ENCODING, "%s:%u: %s", p->file, p->line, what);
}

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *end)
{
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

static kssp_err add_one_file(struct kssp_config *cfg, const char *path, bool must_exist,
    const char *from, unsigned from_line);

static kssp_err parse_section(struct parse *p, const char *s, const char *end)
{
	const char *close = memchr(s, ']', (size_t)(end - s));
	const char *rest;
	struct node *n;

	if (p->depth > 0)
		return syntax(p, "section header inside { }");
	if (!close)
		return syntax(p, "missing ']' in section header");
	if (close == s + 1)
		return syntax(p, "empty section name");
	n = add_node(&p->cfg->root, s + 1, (size_t)(close - s - 1), NULL, 0);
	if (!n)
		return kssp_fail(KSSP_ERR_NOMEM, "krb5.conf: out of memory");
	rest = close + 1;
	if (rest < end && *rest == '*') {
		n->final = true;
		rest++;
	}
	if (skip_space(rest, end) != end)
		return syntax(p, "text after section header");
	p->stack[0] = n;
	return KSSP_OK;
}

static kssp_err parse_close(struct parse *p, const char *s, const char *end)
{
	struct node *n;

	if (p->depth == 0)
		return syntax(p, "'}' without a matching '{'");
	n = p->stack[p->depth--];
	s++;
	if (s < end && *s == '*') {
		n->final = true;
		s++;
	}
	if (skip_space(s, end) != end)
		return syntax(p, "text after '}'");
	return KSSP_OK;
}

/* A "quoted string" with MIT's escapes, into buf (at most cap bytes). */
static kssp_err parse_quoted(struct parse *p, const char *s, const char *end, char *buf,
    size_t cap, size_t *len)
{
	size_t n = 0;

	for (s++; s < end && *s != '"'; s++) {
		char c = *s;

		if (c == '\\') {
			if (++s == end)
				return syntax(p, "unterminated escape in quoted value");
			switch (*s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			default: return syntax(p, "unknown escape in quoted value");
			}
		}
		if (n == cap)
			return syntax(p, "quoted value too long");
		buf[n++] = c;
	}
	if (s == end)
		return syntax(p, "missing closing '\"'");
	if (skip_space(s + 1, end) != end)
		return syntax(p, "text after quoted value");
	*len = n;
	return KSSP_OK;
}

static kssp_err parse_relation(struct parse *p, const char *s, const char *end)
{
	const char *eq = memchr(s, '=', (size_t)(end - s));
	const char *name_end, *v;
	struct node *parent, *n;

	if (!p->stack[0])
		return syntax(p, "relation outside any [section]");
	if (!eq)
		return syntax(p, "expected 'name = value'");
	name_end = trim_end(s, eq);
	if (name_end == s)
		return syntax(p, "relation without a name");
	parent = p->stack[p->depth];
	v = skip_space(eq + 1, end);
	end = trim_end(v, end);
	if (end - v == 1 && *v == '{') {
		if (p->depth == KSSP_CONFIG_MAX_NEST)
			return syntax(p, "{ } nested too deeply");
		n = add_node(parent, s, (size_t)(name_end - s), NULL, 0);
		if (!n)
			return kssp_fail(KSSP_ERR_NOMEM, "krb5.conf: out of memory");
		p->stack[++p->depth] = n;
		return KSSP_OK;
	}
	if (v < end && *v == '"') {
		char buf[1024];
		size_t len = 0;
		kssp_err e = parse_quoted(p, v, end, buf, sizeof(buf), &len);

		if (e)
			return e;
		n = add_node(parent, s, (size_t)(name_end - s), buf, len);
	} else {
		n = add_node(parent, s, (size_t)(name_end - s), v, (size_t)(end - v));
	}
	if (!n)
		return kssp_fail(KSSP_ERR_NOMEM, "krb5.conf: out of memory");
	return KSSP_OK;
}

/* includedir takes files named only [A-Za-z0-9_-], or ending in ".conf". */
static bool includable_name(const char *name)
{
	size_t len = strlen(name), i;

	if (name[0] == '.')
		return false;
	if (len > 5 && strcmp(name + len - 5, ".conf") == 0)
		return true;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '_')
			return false;
	return len > 0;
}

/* MIT reads only regular files of an includedir (a FIFO there would block). */
static bool regular_file_in(const char *dir, const char *name)
{
	struct stat st;
	char path[4096];

	return (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path) &&
	    stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define INCLUDEDIR_MAX 256

/* Reads a directory's includable files in name order (MIT: readdir order). */
static kssp_err include_dir(struct parse *p, const char *dir)
{
	DIR *d = opendir(dir);
	char *names[INCLUDEDIR_MAX];
	size_t n = 0, i;
	struct dirent *ent;
	kssp_err e = KSSP_OK;

	if (!d)
		return kssp_fail(KSSP_ERR_IO, "%s:%u: includedir %s: %s", p->file, p->line, dir,
		    strerror(errno));
	while ((ent = readdir(d)) != NULL && !e) {
		if (!includable_name(ent->d_name) || !regular_file_in(dir, ent->d_name))
			continue;
		if (n == INCLUDEDIR_MAX)
			e = kssp_fail(KSSP_ERR_LIMIT, "%s:%u: includedir %s: more than %d files",
			    p->file, p->line, dir, INCLUDEDIR_MAX);
		else if (!(names[n] = kssp_malloc(strlen(dir) + strlen(ent->d_name) + 2)))
			e = kssp_fail(KSSP_ERR_NOMEM, "krb5.conf: out of memory");
		else /* sized just above: never cut */
			(void)snprintf(names[n++], strlen(dir) + strlen(ent->d_name) + 2, "%s/%s", dir,
			    ent->d_name);
	}
	(void)closedir(d); /* read-only: nothing to lose */
	qsort(names, n, sizeof(names[0]), compare_names);
	for (i = 0; i < n; i++) {
		if (!e)
			e = add_one_file(p->cfg, names[i], true, p->file, p->line);
		kssp_free(names[i]);
	}
	return e;
}

/* "include PATH" / "includedir PATH": returns true in *matched when it was one. */
static kssp_err parse_include(struct parse *p, const char *s, const char *end, bool *matched)
{
	static const struct { const char *word; bool dir; } words[] = {
		{ "includedir", true }, { "include", false },
	};
	char path[4096];
	size_t i, wl, pl;
	const char *v;

	*matched = false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		wl = strlen(words[i].word);
		if ((size_t)(end - s) > wl && memcmp(s, words[i].word, wl) == 0 &&
		    (s[wl] == ' ' || s[wl] == '\t'))
			break;
	}
	if (i == sizeof(words) / sizeof(words[0]))
		return KSSP_OK;
	*matched = true;
	if (p->depth > 0)
		return syntax(p, "include inside { }");
	v = skip_space(s + wl, end);
	pl = (size_t)(trim_end(v, end) - v);
	if (pl == 0 || pl >= sizeof(path))
		return syntax(p, "include needs a path");
	memcpy(path, v, pl);
	path[pl] = '\0';
	if (words[i].dir)
		return include_dir(p, path);
	return add_one_file(p->cfg, path, true, p->file, p->line);
}

static kssp_err parse_line(struct parse *p, const char *s, const char *end)
{
	bool matched;
	kssp_err e;

	s = skip_space(s, end);
	end = trim_end(s, end);
	if (s == end || *s == '#' || *s == ';')
		return KSSP_OK;
	if (*s == '[')
		return parse_section(p, s, end);
	if (*s == '}')
		return parse_close(p, s, end);
	e = parse_include(p, s, end, &matched);
	if (e || matched)
		return e;
	return parse_relation(p, s, end);
}

kssp_err kssp_config_add_text(struct kssp_config *cfg, const char *name, const char *text,
    size_t len)
{
	struct parse p;
	const char *s = text, *end = text + len;
	kssp_err e;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.file = name;
	while (s < end) {
		size_t rest = (size_t)(end - s);
		const char *nl = memchr(s, '\n', rest);
		size_t line_len = nl ? (size_t)(nl - s) : rest;

		p.line++;
		if (line_len > 0 && s[line_len - 1] == '\r')
			line_len--;
		if (strnlen(s, line_len) != line_len)
			return syntax(&p, "NUL byte in line");
		e = parse_line(&p, s, s + line_len);
		if (e)
			return e;
		s = nl ? nl + 1 : end;
	}
	if (p.depth > 0)
		return syntax(&p, "missing '}' at end of file");
	return KSSP_OK;
}

static kssp_err read_whole_file(const char *path, char **text, size_t *len, bool *missing)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer before fstat looks. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	kssp_err e;

	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0)
		return kssp_fail(KSSP_ERR_IO, "%s: %s", path, strerror(errno));
	/* A directory, FIFO or device is no configuration (and could block). */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		e = kssp_fail(KSSP_ERR_IO, "%s: not a regular file", path);
	else if ((uint64_t)st.st_size > KSSP_CONFIG_MAX_FILE)
		e = kssp_fail(KSSP_ERR_LIMIT, "%s: larger than %zu bytes", path,
		    KSSP_CONFIG_MAX_FILE);
	else
		e = kssp_creds_file_read_fd(fd, path, (uint8_t **)text, len);
	(void)close(fd); /* read-only */
	return e;
}

static kssp_err add_one_file(struct kssp_config *cfg, const char *path, bool must_exist,
    const char *from, unsigned from_line)
{
	char *text;
	size_t len;
	bool missing;
	kssp_err e;

	if (cfg->include_depth >= KSSP_CONFIG_MAX_DEPTH)
		return kssp_fail(KSSP_ERR_LIMIT, "%s:%u: includes nested more than %d deep",
		    from ? from : path, from_line, KSSP_CONFIG_MAX_DEPTH);
	/* The depth bound leaves the fan-out free: bound what one load reads in all. */
	if (++cfg->files_read > KSSP_CONFIG_MAX_FILES)
		return kssp_fail(KSSP_ERR_LIMIT, "%s:%u: more than %d files read for one configuration",
		    from ? from : path, from_line, KSSP_CONFIG_MAX_FILES);
	e = read_whole_file(path, &text, &len, &missing);
	if (e) {
		if (missing && !must_exist)
			return KSSP_OK;
		if (from)
			return kssp_fail(e, "%s:%u: include %s: %s", from, from_line, path,
			    strerror(missing ? ENOENT : EIO));
		return e;
	}
	cfg->include_depth++;
	e = kssp_config_add_text(cfg, path, text, len);
	cfg->include_depth--;
	kssp_free(text);
	return e;
}

kssp_err kssp_config_add_files(struct kssp_config *cfg, const char *list)
{
	const char *s = list;

	while (*s) {
		const char *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		char path[4096];
		kssp_err e;

		if (n >= sizeof(path))
			return kssp_fail(KSSP_ERR_INVALID_ARG, "krb5.conf path too long");
		if (n > 0) {
			memcpy(path, s, n);
			path[n] = '\0';
			e = add_one_file(cfg, path, false, NULL, 0);
			if (e)
				return e;
		}
		s += n;
		if (*s == ':')
			s++;
	}
	return KSSP_OK;
}

kssp_err kssp_config_load(const char *path, struct kssp_config **out)
{
	const char *env = getenv("KRB5_CONFIG");
	kssp_err e = kssp_config_new(out);

	if (e)
		return e;
	if (!path)
		path = env ? env : "/etc/krb5.conf";
	e = kssp_config_add_files(*out, path);
	if (e) {
		kssp_config_free(*out);
		*out = NULL;
	}
	return e;
}

/* ---- lookups -------------------------------------------------------- */

struct collect {
	const char **out;
	size_t max;
	size_t count;
};

static void collect_value(struct collect *c, const char *v)
{
	if (c->count < c->max)
		c->out[c->count] = v;
	c->count++;
}

/*
 * Visits every node matching path below parent, in order; for the last
 * component, collects relation values.  A final node on the path hides
 * every later match of that path, in this file and the later ones, so
 * reaching one ends the whole walk (returns true).
 */
static bool walk(const struct node *parent, const char *const *path, struct collect *c)
{
	const struct node *n;

	for (n = parent->first; n; n = n->next) {
		if (strcmp(n->name, path[0]) != 0)
			continue;
		if (path[1] == NULL) {
			if (n->value)
				collect_value(c, n->value);
		} else if (!n->value && walk(n, path + 1, c)) {
			return true;
		}
		if (n->final)
			return true;
	}
	return false;
}

size_t kssp_config_get_all(const struct kssp_config *cfg, const char *const *path,
    const char **out, size_t max)
{
	struct collect c = { out, max, 0 };

	if (cfg && path[0])
		(void)walk(&cfg->root, path, &c);
	return c.count;
}

const char *kssp_config_get(const struct kssp_config *cfg, const char *const *path)
{
	const char *v = NULL;

	return kssp_config_get_all(cfg, path, &v, 1) ? v : NULL;
}

static bool collect_names(const struct node *parent, const char *const *path,
    struct collect *c)
{
	const struct node *n;
	size_t i;

	if (!path[0]) {
		for (n = parent->first; n; n = n->next) {
			for (i = 0; i < c->count && i < c->max; i++)
				if (strcmp(c->out[i], n->name) == 0)
					break;
			if (i == c->count || i == c->max)
				collect_value(c, n->name);
		}
		return false;
	}
	for (n = parent->first; n; n = n->next) {
		if (strcmp(n->name, path[0]) != 0 || n->value)
			continue;
		if (collect_names(n, path + 1, c) || n->final)
			return true;
	}
	return false;
}

size_t kssp_config_names(const struct kssp_config *cfg, const char *const *path,
    const char **out, size_t max)
{
	struct collect c = { out, max, 0 };

	if (cfg)
		(void)collect_names(&cfg->root, path, &c);
	return c.count;
}

/* ---- value syntaxes -------------------------------------------------- */

bool kssp_config_parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "y", "yes", "true", "t", "1", "on" };
	static const char *const no[] = { "n", "no", "false", "nil", "0", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(text, yes[i]) == 0)
			return *out = true, true;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(text, no[i]) == 0)
			return *out = false, true;
	return false;
}

/* Reads a decimal number of at most 9 digits. */
static bool read_number(const char **s, int64_t *v)
{
	int digits = 0;

	*v = 0;
	while (isdigit((unsigned char)**s) && digits < 10) {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		digits++;
	}
	return digits > 0 && digits < 10;
}

/* "H:M" or "H:M:S" from s. */
static bool parse_clock_time(const char *s, int64_t *out)
{
	int64_t h, m, sec = 0;

	if (!read_number(&s, &h) || *s++ != ':' || !read_number(&s, &m) || m > 59)
		return false;
	if (*s == ':' && (s++, !read_number(&s, &sec) || sec > 59))
		return false;
	if (*s)
		return false;
	*out = h * 3600 + m * 60 + sec;
	return true;
}

bool kssp_config_parse_duration(const char *text, int64_t *out)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
	};
	const char *s = text;
	int64_t total = 0, v;
	size_t next_unit = 0, i;

	while (*s == ' ')
		s++;
	if (strchr(s, ':')) {
		const char *d = strchr(s, 'd');
		int64_t days = 0;

		if (d) {
			if (!read_number(&s, &days) || s != d)
				return false;
			s = d + 1;
			while (*s == ' ')
				s++;
		}
		if (!parse_clock_time(s, &v))
			return false;
		*out = days * 86400 + v;
		return true;
	}
	if (!*s)
		return false;
	while (*s) {
		if (!read_number(&s, &v))
			return false;
		if (!*s) {
			/* A bare number is seconds, but not after a unit ("1h30"). */
			if (next_unit != 0)
				return false;
			total += v;
			break;
		}
		for (i = next_unit; i < sizeof(units) / sizeof(units[0]); i++)
			if (*s == units[i].unit)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return false;
		total += v * units[i].secs;
		next_unit = i + 1;
		s++;
		while (*s == ' ')
			s++;
	}
	*out = total;
	return true;
}

/* MIT's names for enctypes and families (krb5.conf "Encryption types"). */
static const struct {
	const char *name;
	int32_t etypes[4];
} enctype_names[] = {
	{ "aes256-cts-hmac-sha1-96", { 18 } },
	{ "aes256-cts", { 18 } },
	{ "aes256-sha1", { 18 } },
	{ "aes128-cts-hmac-sha1-96", { 17 } },
	{ "aes128-cts", { 17 } },
	{ "aes128-sha1", { 17 } },
	{ "aes256-cts-hmac-sha384-192", { 20 } },
	{ "aes256-sha2", { 20 } },
	{ "aes128-cts-hmac-sha256-128", { 19 } },
	{ "aes128-sha2", { 19 } },
	{ "camellia256-cts-cmac", { 26 } },
	{ "camellia256-cts", { 26 } },
	{ "camellia128-cts-cmac", { 25 } },
	{ "camellia128-cts", { 25 } },
	{ "arcfour-hmac", { 23 } },
	{ "rc4-hmac", { 23 } },
	{ "arcfour-hmac-md5", { 23 } },
	{ "arcfour-hmac-exp", { 24 } },
	{ "rc4-hmac-exp", { 24 } },
	{ "aes", { 18, 17, 20, 19 } },
	{ "aes-sha1", { 18, 17 } },
	{ "aes-sha2", { 20, 19 } },
	{ "camellia", { 26, 25 } },
	{ "rc4", { 23 } },
	{ "DEFAULT", { 20, 19, 18, 17 } },
};

/* MIT's default list (without the Camellia pair after them, which MIT adds). */
static const char default_enctypes[] =
    "aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 "
    "aes128-cts-hmac-sha256-128 camellia256-cts-cmac camellia128-cts-cmac";

int32_t kssp_config_enctype_number(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(enctype_names) / sizeof(enctype_names[0]); i++)
		if (strcasecmp(enctype_names[i].name, name) == 0 && !enctype_names[i].etypes[1])
			return enctype_names[i].etypes[0];
	return 0;
}

static size_t list_add(int32_t *out, size_t n, size_t max, int32_t e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i] == e)
			return n;
	if (n < max)
		out[n++] = e;
	return n;
}

static size_t list_remove(int32_t *out, size_t n, int32_t e)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++)
		if (out[i] != e)
			out[j++] = out[i];
	return j;
}

size_t kssp_config_parse_enctypes(const char *text, bool allow_rc4, int32_t *out, size_t max)
{
	size_t n = 0;
	const char *s = text;

	while (*s) {
		char word[64];
		size_t len = strcspn(s, " \t,"), i, k;
		bool remove = false;
		const char *w = word;

		if (len == 0) {
			s++;
			continue;
		}
		if (len < sizeof(word)) {
			memcpy(word, s, len);
			word[len] = '\0';
			if (*w == '-' || *w == '+')
				remove = *w++ == '-';
			for (i = 0; i < sizeof(enctype_names) / sizeof(enctype_names[0]); i++)
				if (strcasecmp(enctype_names[i].name, w) == 0)
					break;
			for (k = 0; i < sizeof(enctype_names) / sizeof(enctype_names[0]) && k < 4 &&
			     enctype_names[i].etypes[k]; k++) {
				int32_t e = enctype_names[i].etypes[k];

				n = remove ? list_remove(out, n, e) : list_add(out, n, max, e);
			}
			if (isdigit((unsigned char)*w) && strspn(w, "0123456789") == strlen(w) &&
			    strlen(w) < 6)
				n = remove ? list_remove(out, n, (int32_t)strtol(w, NULL, 10))
					   : list_add(out, n, max, (int32_t)strtol(w, NULL, 10));
		}
		s += len;
	}
	if (!allow_rc4) {
		n = list_remove(out, n, 23);
		n = list_remove(out, n, 24);
	}
	return n;
}

/* ---- the honoured relations ------------------------------------------ */

static const char *libdefault(const struct kssp_config *cfg, const char *name)
{
	const char *path[] = { "libdefaults", name, NULL };

	return kssp_config_get(cfg, path);
}

static bool libdefault_bool(const struct kssp_config *cfg, const char *name, bool dflt)
{
	const char *v = libdefault(cfg, name);
	bool b;

	return v && kssp_config_parse_bool(v, &b) ? b : dflt;
}

static int64_t libdefault_duration(const struct kssp_config *cfg, const char *name,
    int64_t dflt)
{
	const char *v = libdefault(cfg, name);
	int64_t d;

	return v && kssp_config_parse_duration(v, &d) ? d : dflt;
}

/*
 * The [libdefaults] relations read as they stand, each with the default
 * config_int.h gives (MIT's, but for enforce_ok_as_delegate).
 */
#define LIBDEFAULT(type, reader, relation, dflt)                   \
	type kssp_config_##relation(const struct kssp_config *cfg) \
	{                                                          \
		return reader(cfg, #relation, dflt);               \
	}
LIBDEFAULT(bool, libdefault_bool, dns_lookup_kdc, true)
LIBDEFAULT(bool, libdefault_bool, kdc_timesync, true)
LIBDEFAULT(int64_t, libdefault_duration, clockskew, 300)
LIBDEFAULT(bool, libdefault_bool, forwardable, false)
LIBDEFAULT(bool, libdefault_bool, proxiable, false)
LIBDEFAULT(bool, libdefault_bool, canonicalize, false)
LIBDEFAULT(bool, libdefault_bool, kssp_require_fast, false)
LIBDEFAULT(bool, libdefault_bool, enforce_ok_as_delegate, true)
LIBDEFAULT(int64_t, libdefault_duration, ticket_lifetime, 86400)
LIBDEFAULT(int64_t, libdefault_duration, renew_lifetime, 0)
#undef LIBDEFAULT

const char *kssp_config_default_realm(const struct kssp_config *cfg)
{
	return libdefault(cfg, "default_realm");
}

size_t kssp_config_udp_preference_limit(const struct kssp_config *cfg)
{
	const char *v = libdefault(cfg, "udp_preference_limit");
	int64_t n;

	if (!v || !read_number(&v, &n) || *v)
		return 1465;
	/* MIT caps the limit at the largest UDP payload. */
	return n > 32700 ? 32700 : (size_t)n;
}

/* allow_rc4 or allow_weak_crypto */
static bool rc4_allowed(const struct kssp_config *cfg)
{
	return libdefault_bool(cfg, "allow_rc4", false) ||
	    libdefault_bool(cfg, "allow_weak_crypto", false);
}

int64_t kssp_config_request_timeout(const struct kssp_config *cfg)
{
	int64_t t = libdefault_duration(cfg, "request_timeout", 0);

	return t > 0 ? t : 30;
}

size_t kssp_config_permitted_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max)
{
	const char *v = libdefault(cfg, "permitted_enctypes");

	return kssp_config_parse_enctypes(v ? v : default_enctypes, rc4_allowed(cfg),
	    out, max);
}

/* A list relation, kept to what permitted_enctypes allows. */
static size_t permitted_list(const struct kssp_config *cfg, const char *name, int32_t *out,
    size_t max)
{
	int32_t permitted[KSSP_CONFIG_MAX_ETYPES];
	size_t np = kssp_config_permitted_enctypes(cfg, permitted, KSSP_CONFIG_MAX_ETYPES);
	const char *v = libdefault(cfg, name);
	size_t n, i, j, k = 0;

	if (!v)
		v = libdefault(cfg, "permitted_enctypes");
	n = kssp_config_parse_enctypes(v ? v : default_enctypes, rc4_allowed(cfg),
	    out, max);
	for (i = 0; i < n; i++) {
		for (j = 0; j < np; j++)
			if (permitted[j] == out[i])
				break;
		if (j < np)
			out[k++] = out[i];
	}
	return k;
}

size_t kssp_config_tkt_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max)
{
	return permitted_list(cfg, "default_tkt_enctypes", out, max);
}

size_t kssp_config_tgs_enctypes(const struct kssp_config *cfg, int32_t *out, size_t max)
{
	return permitted_list(cfg, "default_tgs_enctypes", out, max);
}

size_t kssp_config_realm_kdcs(const struct kssp_config *cfg, const char *realm,
    const char **out, size_t max)
{
	const char *path[] = { "realms", realm, "kdc", NULL };

	return kssp_config_get_all(cfg, path, out, max);
}

size_t kssp_config_realm_master_kdcs(const struct kssp_config *cfg, const char *realm,
    const char **out, size_t max)
{
	const char *path[] = { "realms", realm, "master_kdc", NULL };

	return kssp_config_get_all(cfg, path, out, max);
}

const char *kssp_config_host_realm(const struct kssp_config *cfg, const char *host)
{
	const char *path[] = { "domain_realm", host, NULL };
	const char *r = kssp_config_get(cfg, path), *dot;

	/* RFC 4120 §1.3 style mapping: exact host, then each enclosing domain. */
	for (dot = host; !r && (dot = strchr(dot, '.')) != NULL; dot++) {
		path[1] = dot;
		r = kssp_config_get(cfg, path);
	}
	return r;
}

size_t kssp_config_capath(const struct kssp_config *cfg, const char *client_realm,
    const char *server_realm, const char **out, size_t max)
{
	const char *path[] = { "capaths", client_realm, server_realm, NULL };
	const char *vals[32];
	size_t n = kssp_config_get_all(cfg, path, vals, 32), i, k = 0;

	if (n == 0)
		return (size_t)-1;
	for (i = 0; i < n && i < 32; i++) {
		if (strcmp(vals[i], ".") == 0)
			continue;
		if (k < max)
			out[k] = vals[i];
		k++;
	}
	return k;
}
