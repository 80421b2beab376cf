/*
 * cli/cmd_demo.c - `kssp demo`: the whole product, leg by leg.
 *
 * Live (krb5kdc present): a throwaway loopback MIT realm from the test
 * harness (test/interop/realm.sh, started and stopped by PID); a password
 * logon through AcquireCredentialsHandle; InitializeSecurityContext (AS,
 * TGS, AP-REQ) against AcceptSecurityContext in a second process holding
 * the service keytab, the AP-REP back, SEC_E_OK on both sides, the
 * negotiated attributes, an EncryptMessage / DecryptMessage round trip;
 * then the same client against MIT's gss-server.
 * Offline (no KDC, or KSSP_DEMO_OFFLINE=1): the conversation recorded from
 * a live run (fixtures/demo/demo.rec) replayed through the same code.
 * The conversation itself goes through the public SSPI headers only.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kssp/kssp.h>
#include <kssp/sspi.h>

#include "cli/cli.h"
#include "cli/convo.h"
#include "cli/replay.h"

#define DEMO_MESSAGE "hello from kssp: sealed by EncryptMessage"
#define DEMO_SPN "HTTP/server.kssp.test"
/* MUTUAL_AUTH | REPLAY_DETECT | SEQUENCE_DETECT | CONFIDENTIALITY | INTEGRITY */
#define DEMO_FLAGS (ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | \
	ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY)

struct demo {
	const char *src;      /* the source tree (KSSP_SRCDIR) */
	char tmp[64];         /* the realm's folder and logs */
	int realm_up, verbose;
	const char *record;   /* --record FILE */
	KSSP_CONVERSATION *conv; /* the recording, while its legs run */
	int recording;
};

static int program_exists(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin",
		"/usr/local/bin", "/bin" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return 1;
	}
	return 0;
}

/*
 * Runs argv (no shell: paths are passed as they are) with the demo's
 * environment, its standard output (and error, when quiet) to /dev/null;
 * its exit status.
 */
static int run(char *const argv[], int quiet)
{
	pid_t pid;
	int st;

	kssp_convo_flush();
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || (quiet && !freopen("/dev/null", "w", stderr)))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* bash SRC/test/interop/realm.sh start|stop DIR */
static int realm_sh(const struct demo *d, const char *verb, const char *dir, int quiet)
{
	char script[PATH_MAX];
	char *argv[5];

	snprintf(script, sizeof(script), "%s/test/interop/realm.sh", d->src);
	argv[0] = "bash";
	argv[1] = script;
	argv[2] = (char *)verb;
	argv[3] = (char *)dir;
	argv[4] = NULL;
	return run(argv, quiet);
}

static void remove_tmp(const struct demo *d)
{
	char *argv[] = { "rm", "-rf", (char *)d->tmp, NULL };

	run(argv, 1);
}

/* Reads DIR/env.sh's "export NAME='VALUE'" lines into the environment. */
static int load_env(const char *dir)
{
	char path[PATH_MAX + 16], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/env.sh", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '='), *v, *end;

		if (strncmp(line, "export ", 7) != 0 || !eq)
			continue;
		*eq = '\0';
		v = eq + 1;
		end = v + strcspn(v, "\n");
		*end = '\0';
		if (*v == '\'' && end > v + 1 && end[-1] == '\'') {
			end[-1] = '\0';
			v++;
		}
		if (setenv(line + 7, v, 1) != 0) {
			(void)fclose(f); /* read only */
			return -1;
		}
	}
	(void)fclose(f); /* read only */
	return 0;
}

static void realm_stop(struct demo *d)
{
	char dir[PATH_MAX];

	if (!d->realm_up)
		return;
	snprintf(dir, sizeof(dir), "%s/realm", d->tmp);
	realm_sh(d, "stop", dir, 1);
	printf("\nrealm stopped (krb5kdc pid %s)\n", getenv("KSSP_KDC_PID"));
	d->realm_up = 0;
}

static int realm_start(struct demo *d)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/realm", d->tmp);
	printf("1. a throwaway MIT realm on loopback (test/interop/realm.sh)\n");
	kssp_convo_flush();
	if (realm_sh(d, "start", dir, 0) != 0 ||
	    load_env(dir) != 0) {
		fprintf(stderr, "kssp: demo: the realm did not start (see above)\n");
		return -1;
	}
	d->realm_up = 1;
	printf("  krb5kdc pid %s on 127.0.0.1:%s, realm %s, user %s, service %s@%s\n",
	    getenv("KSSP_KDC_PID"), getenv("KSSP_KDC_PORT"), getenv("KSSP_REALM"),
	    getenv("KSSP_USER"), DEMO_SPN, getenv("KSSP_REALM"));
	return 0;
}

/* ---- recording a live run --------------------------------------------- */

static int record_begin(struct demo *d)
{
	char kt[PATH_MAX + 16], conf[PATH_MAX + 16], flags[16];
	const char *keys[10][2];
	size_t i, n = 0;

	snprintf(flags, sizeof(flags), "%lx", (unsigned long)DEMO_FLAGS);
	if (kssp_conversation_record(NULL, &d->conv) != SEC_E_OK ||
	    kssp_convo_copy_beside(getenv("KSSP_SERVICE_KEYTAB"), d->record, ".keytab", kt, sizeof(kt)) ||
	    kssp_convo_copy_beside(getenv("KRB5_CONFIG"), d->record, ".conf", conf, sizeof(conf)) ||
	    kssp_conversation_set_meta(d->conv, "kind", "demo") != SEC_E_OK ||
	    kssp_convo_record_sources(d->conv, 1) != 0) {
		fprintf(stderr, "kssp: demo: --record %s: cannot start the recording\n", d->record);
		return -1;
	}
	d->recording = 1;
	keys[n][0] = "client"; keys[n++][1] = getenv("KSSP_USER");
	keys[n][0] = "password"; keys[n++][1] = getenv("KSSP_PASSWORD");
	keys[n][0] = "service"; keys[n++][1] = DEMO_SPN;
	keys[n][0] = "package"; keys[n++][1] = "Kerberos";
	keys[n][0] = "flags"; keys[n++][1] = flags;
	keys[n][0] = "message"; keys[n++][1] = DEMO_MESSAGE;
	keys[n][0] = "keytab"; keys[n++][1] = kt;
	keys[n][0] = "krb5.conf"; keys[n++][1] = conf;
	for (i = 0; i < n; i++)
		if (!keys[i][1] ||
		    kssp_conversation_set_meta(d->conv, keys[i][0], keys[i][1]) != SEC_E_OK)
			return -1;
	return 0;
}

/* ---- the legs --------------------------------------------------------- */

/* One side's auth data: the recording's clock and seed_key's stream while recording. */
static int auth_data_init(struct demo *d, const char *seed_key, KSSP_AUTH_DATA *ad)
{
	memset(ad, 0, sizeof(*ad));
	ad->Version = KSSP_AUTH_DATA_VERSION_1;
	ad->Length = sizeof(*ad);
	ad->Krb5Conf = getenv("KRB5_CONFIG");
	kssp_cli_trace_from_env(ad);
	if (d->recording && kssp_conversation_hooks(d->conv, seed_key, ad) != SEC_E_OK) {
		fprintf(stderr, "kssp: demo: recording: %s\n", kssp_status_reason());
		return -1;
	}
	return 0;
}

/* The second process: AcceptSecurityContext with the service keytab. */
static int server_process(struct demo *d, int fd)
{
	KSSP_AUTH_DATA ad;
	CredHandle cred;
	SECURITY_STATUS st;
	int rc;

	if (auth_data_init(d, "acceptor-seed", &ad) != 0)
		return KSSP_EXIT_FAIL;
	ad.Keytab = getenv("KSSP_SERVICE_KEYTAB");
	ad.Transport = NULL; /* the acceptor has its keys: it never asks a KDC */
	st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, &ad, NULL, NULL,
	    &cred, NULL);
	printf("  server  AcquireCredentialsHandle(Kerberos, INBOUND, keytab) %s  [pid %ld]\n",
	    kssp_status_name(st), (long)getpid());
	kssp_convo_flush();
	if (st != SEC_E_OK)
		return kssp_convo_fail("server: AcquireCredentialsHandle", st);
	rc = kssp_convo_serve(fd, &cred, d->verbose);
	FreeCredentialsHandle(&cred);
	return rc;
}

static int client_credential(struct demo *d, CredHandle *cred)
{
	KSSP_AUTH_DATA ad;
	SECURITY_STATUS st;

	if (auth_data_init(d, "seed", &ad) != 0)
		return KSSP_EXIT_FAIL;
	ad.Principal = getenv("KSSP_USER");
	ad.Password = getenv("KSSP_PASSWORD");
	st = AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &ad, NULL, NULL,
	    cred, NULL);
	printf("  client  AcquireCredentialsHandle(Kerberos, OUTBOUND, password of %s) %s\n",
	    ad.Principal, kssp_status_name(st));
	kssp_convo_flush();
	return st == SEC_E_OK ? 0 : kssp_convo_fail("AcquireCredentialsHandle", st);
}

static int converse(struct demo *d, int fd)
{
	struct kssp_convo c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.package = "Kerberos";
	c.req = DEMO_FLAGS;
	c.spn = DEMO_SPN;
	c.message = DEMO_MESSAGE;
	c.verbose = d->verbose;
	c.conv = d->recording ? d->conv : NULL;
	c.recording = d->recording;
	kssp_convo_socket_peer(&c.peer, &fd);
	if (client_credential(d, &c.cred) != 0)
		return KSSP_EXIT_FAIL;
	if (kssp_convo_send(fd, KSSP_GSS_TOKEN_NOOP | KSSP_GSS_TOKEN_CONTEXT_NEXT, NULL, 0) != 0)
		rc = KSSP_EXIT_FAIL;
	else
		rc = kssp_convo_run(&c);
	FreeCredentialsHandle(&c.cred);
	return rc;
}

static int kssp_to_kssp(struct demo *d)
{
	int sv[2], rc, st;
	pid_t pid;

	printf("\n2. kssp client -> kssp server (AcceptSecurityContext in a second process)\n");
	kssp_convo_flush();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return KSSP_EXIT_FAIL;
	pid = fork();
	if (pid < 0)
		return KSSP_EXIT_FAIL;
	if (pid == 0) {
		close(sv[0]);
		rc = server_process(d, sv[1]);
		kssp_convo_flush();
		_exit(rc);
	}
	close(sv[1]);
	rc = converse(d, sv[0]);
	close(sv[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = KSSP_EXIT_FAIL;
	return rc;
}

static int kssp_to_gss_server(struct demo *d)
{
	char log[PATH_MAX], line[512];
	int sv[2], fd, rc, st;
	FILE *f;
	pid_t pid;

	printf("\n3. kssp client -> MIT gss-server (interop)\n");
	kssp_convo_flush();
	if (!program_exists("gss-server")) {
		printf("  SKIPPED: gss-server is not installed (Debian package krb5-gss-samples)\n");
		return KSSP_EXIT_OK;
	}
	snprintf(log, sizeof(log), "%s/gss-server.log", d->tmp);
	/*
	 * gss-server -inetd serves the one connection on its standard input:
	 * a socket pair, so the demo itself opens no network socket (only
	 * kdc/ does).
	 */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return KSSP_EXIT_FAIL;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return KSSP_EXIT_FAIL;
	}
	if (pid == 0) {
		close(sv[0]);
		if (dup2(sv[1], 0) != 0)
			_exit(127);
		execlp("gss-server", "gss-server", "-inetd", "-logfile", log, "-keytab",
		    getenv("KSSP_SERVICE_KEYTAB"), "HTTP@server.kssp.test", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	fd = sv[0];
	printf("  gss-server pid %ld on a socket pair (-inetd), keytab of HTTP/server.kssp.test\n",
	    (long)pid);
	rc = converse(d, fd);
	close(fd);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = KSSP_EXIT_FAIL;
	f = fopen(log, "r");
	/* Its flags and verdicts; the PAC attribute dump is left out. */
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "context flag", 12) == 0 || strncmp(line, "Accepted", 8) == 0 ||
		    strncmp(line, "Received", 8) == 0)
			printf("  gss-server says: %s", line);
	if (f)
		(void)fclose(f); /* read only */
	unlink(log);
	return rc;
}

static int demo_offline(struct demo *d, const char *why)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/fixtures/demo/demo.rec", d->src);
	printf("kssp demo: OFFLINE REPLAY (%s).\n"
	       "This is not a live KDC: the conversation recorded from a live run in\n"
	       "fixtures/demo/demo.rec is driven through the same code with its recorded clock,\n"
	       "random stream and KDC replies; every request and token must come out\n"
	       "byte-identical.  Set up MIT's krb5-kdc (make demo as root installs it) for the\n"
	       "live demo.\n\n",
	    why);
	return kssp_replay_run(path, d->verbose);
}

static int demo_live(struct demo *d)
{
	int rc;

	if (!mkdtemp(strcpy(d->tmp, "/tmp/kssp-demo-XXXXXX"))) {
		fprintf(stderr, "kssp: demo: cannot make a temporary folder\n");
		return KSSP_EXIT_FAIL;
	}
	if (realm_start(d) != 0) {
		remove_tmp(d);
		if (d->record)
			return KSSP_EXIT_FAIL;
		return demo_offline(d, "the live realm could not start");
	}
	rc = KSSP_EXIT_OK;
	if (d->record && record_begin(d) != 0)
		rc = KSSP_EXIT_FAIL;
	if (rc == KSSP_EXIT_OK)
		rc = kssp_to_kssp(d);
	if (rc == KSSP_EXIT_OK && d->recording) {
		SECURITY_STATUS st = kssp_conversation_end(d->conv, d->record);

		if (st != SEC_E_OK)
			rc = kssp_convo_fail("demo: recording", st);
		else
			printf("  recorded to %s (kssp replay %s)\n", d->record, d->record);
	}
	/* The gss-server leg runs on the real clock and random source. */
	d->recording = 0;
	if (rc == KSSP_EXIT_OK)
		rc = kssp_to_gss_server(d);
	realm_stop(d);
	remove_tmp(d);
	return rc;
}

static int run_demo(int argc, char **argv)
{
	struct demo d;
	const char *off = getenv("KSSP_DEMO_OFFLINE");
	int i, rc, offline = off && strcmp(off, "1") == 0;
	time_t start = time(NULL);

	memset(&d, 0, sizeof(d));
	d.src = getenv("KSSP_SRCDIR") ? getenv("KSSP_SRCDIR") : ".";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			d.verbose = 1;
		else if (strcmp(argv[i], "--offline") == 0)
			offline = 1;
		else if (strcmp(argv[i], "--record") == 0 && i + 1 < argc)
			d.record = argv[++i];
		else
			return kssp_cli_usage_error("demo", "unknown option");
	}
	if (offline)
		rc = demo_offline(&d, off ? "KSSP_DEMO_OFFLINE=1" : "--offline");
	else if (!program_exists("krb5kdc") || !program_exists("kdb5_util") ||
	    !program_exists("kadmin.local"))
		rc = demo_offline(&d, "MIT's krb5kdc is not installed");
	else
		rc = demo_live(&d);
	kssp_conversation_free(d.conv);
	printf("\nkssp demo: %s in %lds\n", rc == KSSP_EXIT_OK ? "every step passed" : "FAILED",
	    (long)(time(NULL) - start));
	return rc;
}

const struct kssp_cli_command kssp_cmd_demo = {
	"demo", "show the whole stack working, leg by leg (live KDC or replay)",
	"usage: kssp demo [-v] [--offline] [--record FILE]\n"
	"\n"
	"With MIT's krb5kdc installed: starts a throwaway realm on loopback\n"
	"(test/interop/realm.sh under KSSP_SRCDIR, default .), logs on with a password\n"
	"through AcquireCredentialsHandle, runs InitializeSecurityContext (AS, TGS,\n"
	"AP-REQ) against AcceptSecurityContext in a second process holding the\n"
	"service keytab, returns the AP-REP, shows the negotiated attributes and\n"
	"seals a message with EncryptMessage that the server opens with\n"
	"DecryptMessage; then the same client against MIT's gss-server.  Each step\n"
	"prints its SSPI status and token size.  The realm is stopped by its PID.\n"
	"\n"
	"Without krb5kdc, with --offline or KSSP_DEMO_OFFLINE=1: replays\n"
	"fixtures/demo/demo.rec (recorded from a live run) and says so.\n"
	"  -v             decode every token as `kssp decode` does\n"
	"  --record FILE  record the kssp-to-kssp leg (fixed clock, seeded random\n"
	"                 streams) to FILE, with FILE's .keytab and .conf beside it\n",
	run_demo,
};
