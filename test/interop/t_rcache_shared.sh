#!/usr/bin/env bash
# One replay cache file (MIT's file2) shared by four acceptors: two MIT
# gss-server processes (KRB5RCACHENAME=file2:FILE) and two kssp acceptors
# (kssp accept --rcache file2:FILE, a process per token, as a pre-forking
# server's children).  Each of N tokens with a fresh authenticator (kssp
# token --mutual) is sent at once to two of them (the six pairs in turn,
# four tokens in flight): exactly one accepts it (an AP-REP), the other
# refuses it as a replay (KRB_AP_ERR_REPEAT; from gss-server a KRB-ERROR
# token with error-code 34).  N is KSSP_RCACHE_TOKENS (default 1000).
set -euo pipefail
. "$KSSP_SRC/test/interop/context-lib.sh"
command -v gss-server >/dev/null || { echo "gss-server missing"; exit 77; }

s=$KSSP_TEST_SCRATCH
n=${KSSP_RCACHE_TOKENS:-1000}
cc=FILE:$s/cc
spn="HTTP/$KSSP_SERVICE_HOST@$KSSP_REALM"
rc=$s/shared.rcache2
printf '%s\n' "$KSSP_PASSWORD" | "$KSSP" kinit -f -c "$cc" "$KSSP_USER" >/dev/null
"$KSSP" kvno -c "$cc" "$spn" >/dev/null

pids=()
stop() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop EXIT
ports=()
for i in 0 1; do
	port=$("$KSSP_BUILD/test/freeport")
	KRB5RCACHENAME=file2:$rc gss-server -port "$port" -keytab "$KSSP_SERVICE_KEYTAB" \
		"HTTP@$KSSP_SERVICE_HOST" >"$s/gss-server-$i.log" 2>&1 &
	pids+=($!)
	ports+=("$port")
	wait_for_line "$s/gss-server-$i.log" starting || fail "gss-server $i did not start"
done

t0=$(date +%s.%N)
mkdir -p "$s/tok"
for i in $(seq "$n"); do
	"$KSSP" token -c "$cc" --mutual "$spn" >"$s/tok/$i"
done
t1=$(date +%s.%N)

python3 - "$KSSP" "$KSSP_SERVICE_KEYTAB" "$rc" "${ports[0]}" "${ports[1]}" "$s/tok" "$n" <<'PY'
import base64, concurrent.futures, itertools, socket, struct, subprocess, sys
kssp, keytab, rc, p0, p1, tokdir, n = sys.argv[1:]
n = int(n)
REPEAT = b"\xa6\x03\x02\x01\x22"  # KRB-ERROR error-code [6] INTEGER 34

def recv_exact(s, k):
    b = b""
    while len(b) < k:
        c = s.recv(k - len(b))
        if not c:
            return None
        b += c
    return b

def gss_server(port, raw):
    # MIT gss-sample framing: flags byte, 4-byte length, token
    with socket.create_connection(("127.0.0.1", int(port)), timeout=60) as s:
        s.sendall(struct.pack(">BI", 0x11, 0) + struct.pack(">BI", 0x02, len(raw)) + raw)
        hdr = recv_exact(s, 5)
        if hdr is None:
            return "closed"
        body = recv_exact(s, struct.unpack(">I", hdr[1:])[0]) or b""
    # GSS framing: 0x60 len, the krb5 OID (11 bytes), then TOK_ID
    tok_id = body[13:15] if body[1] < 0x80 else body[14:16]
    if tok_id == b"\x02\x00":
        return "accepted"
    if tok_id == b"\x03\x00" and REPEAT in body:
        return "replay"
    return "other: " + body.hex()

def kssp_accept(path):
    r = subprocess.run([kssp, "accept", "-k", keytab, "--rcache", "file2:" + rc, path],
                       capture_output=True, text=True, timeout=60)
    if r.returncode == 0 and "reply: " in r.stdout:
        return "accepted"
    if r.returncode != 0 and "KRB_AP_ERR_REPEAT" in r.stderr:
        return "replay"
    return "other: " + r.stderr.strip()

acceptors = [("gss-server 0", lambda t, p: gss_server(p0, t)),
             ("gss-server 1", lambda t, p: gss_server(p1, t)),
             ("kssp 0", lambda t, p: kssp_accept(p)),
             ("kssp 1", lambda t, p: kssp_accept(p))]
pairs = list(itertools.combinations(range(4), 2))
pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)

def one(i):
    path = "%s/%d" % (tokdir, i)
    raw = base64.b64decode(open(path).read())
    a, b = pairs[i % len(pairs)]
    fa = pool.submit(acceptors[a][1], raw, path)
    fb = pool.submit(acceptors[b][1], raw, path)
    return i, [(acceptors[a][0], fa.result()), (acceptors[b][0], fb.result())]

driver = concurrent.futures.ThreadPoolExecutor(max_workers=4)
bad = 0
wins = {}
for i, res in driver.map(one, range(1, n + 1)):
    got = sorted(r for _, r in res)
    if got != ["accepted", "replay"]:
        bad += 1
        if bad <= 5:
            print("token %d: %s" % (i, res), file=sys.stderr)
    else:
        w = [name for name, r in res if r == "accepted"][0]
        wins[w] = wins.get(w, 0) + 1
print("tokens %d, each to two acceptors: accepted once %d, otherwise %d; accepted by %s"
      % (n, n - bad, bad, dict(sorted(wins.items()))))
sys.exit(1 if bad or len(wins) < 4 else 0)
PY
t2=$(date +%s.%N)
printf 'rcache shared: %d tokens made in %.1f s, accepted (two acceptors each) in %.1f s\n' \
	"$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
pids=()
echo "shared replay cache: $n tokens, 2 MIT gss-server + 2 kssp acceptors: each accepted exactly once"
