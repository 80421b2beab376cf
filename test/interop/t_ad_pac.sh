#!/usr/bin/env bash
# The PAC of Samba AD's tickets (MS-PAC) through `kssp accept`: for alice
# (3 groups, logged on as ALICE) and many (400 groups) the logon info's user
# SID, group SIDs, UPN and DNS domain equal what the directory holds (read
# with Samba's Python modules), the server signature verifies with an AES
# service key (websvc) and an RC4 one (rc4svc), and SECPKG_ATTR_NAMES gives
# KSSPAD\alice, the account's own spelling.
set -euo pipefail
export KRB5_CONFIG="$KSSP_AD_KRB5_CONFIG"
unset KRB5_KDC_PROFILE KRB5_KTNAME
s=$KSSP_TEST_SCRATCH
fail() { echo "t_ad_pac: $*" >&2; exit 1; }

# What the directory says of an account: objectSid, its groups' SIDs
# (primary group and direct memberships), UPN, as JSON.
directory() {	# account
	/usr/bin/python3 - "$AD_SMB_CONF" "$1" <<'PY'
import json, sys
import ldb
from samba.auth import system_session
from samba.dcerpc import security
from samba.ndr import ndr_unpack
from samba.param import LoadParm
from samba.samdb import SamDB

lp = LoadParm()
lp.load(sys.argv[1])
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
u = db.search(db.domain_dn(), scope=ldb.SCOPE_SUBTREE,
              expression="(sAMAccountName=%s)" % ldb.binary_encode(sys.argv[2]),
              attrs=["objectSid", "primaryGroupID", "memberOf", "userPrincipalName"])[0]
sid = str(ndr_unpack(security.dom_sid, u["objectSid"][0]))
domain = sid.rsplit("-", 1)[0]
groups = ["%s-%s" % (domain, u["primaryGroupID"][0].decode())]
for dn in u.get("memberOf", []):
    g = db.search(base=dn.decode() if isinstance(dn, bytes) else str(dn), scope=ldb.SCOPE_BASE,
                  attrs=["objectSid"])[0]
    groups.append(str(ndr_unpack(security.dom_sid, g["objectSid"][0])))
upn = u["userPrincipalName"][0].decode() if "userPrincipalName" in u else ""
print(json.dumps({"sid": sid, "groups": sorted(groups), "upn": upn}))
PY
}

# Compares accept's JSON PAC with the directory's account.
check() {	# label accept-output directory-json
	/usr/bin/python3 - "$1" "$2" "$3" "$AD_DNS_DOMAIN" "$AD_NETBIOS" <<'PY'
import json, sys
label, out, want, dns, netbios = sys.argv[1:]
pac = json.loads([l for l in open(out) if l.startswith("{")][0])
want = json.loads(want)
def need(cond, what):
    if not cond:
        sys.exit("%s: %s: %s" % (label, what, json.dumps(pac)[:2000]))
need(pac["server_signature"] == "verified", "server signature")
need(pac["kdc_signature"] == "present, not verified", "KDC signature state")
need(pac["user_sid"] == want["sid"], "user SID, directory has %s" % want["sid"])
groups = sorted(g["sid"] for g in pac["groups"])
need(groups == want["groups"], "groups, directory has %d: %s" % (len(want["groups"]), want["groups"][:5]))
need(pac["primary_group_sid"] in want["groups"], "primary group")
need(pac["logon_domain"] == netbios, "logon domain")
need(pac["dns_domain"].lower() == dns.lower(), "DNS domain")
if want["upn"]:
    need(pac["upn"] == want["upn"], "UPN, directory has %s" % want["upn"])
else:
    need(pac["upn"].lower().startswith(pac["account"].lower() + "@"), "constructed UPN")
print("%s: %d groups" % (label, len(groups)))
PY
}

alice=$(directory alice)
many=$(directory many)
[ "$(echo "$alice" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["groups"]))')" = 4 ] ||
	fail "the directory's alice: $alice"

# alice, logging on as ALICE, to the AES service and the RC4 one.
printf '%s\n' "$AD_PASSWORD_ALICE" | "$KSSP" kinit -c "FILE:$s/cc" ALICE >/dev/null
for svc in WEB RC4; do
	spn_var=AD_${svc}_SPN kt_var=AD_${svc}_KEYTAB
	"$KSSP" token -c "FILE:$s/cc" "${!spn_var}" >"$s/tok.$svc"
	"$KSSP" accept -k "${!kt_var}" --no-replay-cache --json "$s/tok.$svc" >"$s/accept.$svc" ||
		fail "accept $svc: $(cat "$s/accept.$svc")"
	check "alice/$svc" "$s/accept.$svc" "$alice" || fail "alice/$svc: $(cat "$s/accept.$svc")"
	grep -qx "name: $AD_NETBIOS\\\\alice" "$s/accept.$svc" || fail "NAMES: $(cat "$s/accept.$svc")"
	grep -qx "client: ALICE@$AD_REALM" "$s/accept.$svc" || fail "NATIVE_NAMES: $(cat "$s/accept.$svc")"
done
grep -q '"account":"alice"' "$s/accept.WEB" || fail "account spelling: $(cat "$s/accept.WEB")"

# The text form names the same things.
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache "$s/tok.WEB" >"$s/text" || fail "accept (text)"
grep -q '^pac: .* bytes, server signature verified, KDC signature present, not verified' "$s/text" ||
	fail "text: $(cat "$s/text")"
grep -qx "pac-user-sid: $(echo "$alice" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["sid"])')" \
	"$s/text" || fail "text SID: $(cat "$s/text")"
grep -qx 'pac-groups: 4' "$s/text" || fail "text groups: $(cat "$s/text")"

# many: 400 groups and the primary group.
printf '%s\n' "$AD_PASSWORD_MANY" | "$KSSP" kinit -c "FILE:$s/cc-many" many >/dev/null
"$KSSP" token -c "FILE:$s/cc-many" "$AD_WEB_SPN" >"$s/tok.many"
"$KSSP" accept -k "$AD_WEB_KEYTAB" --no-replay-cache --json "$s/tok.many" >"$s/accept.many" ||
	fail "accept many: $(head -c 2000 "$s/accept.many")"
check many "$s/accept.many" "$many" || fail "many"
echo "ad pac: SIDs, groups, UPN and DNS domain as the directory holds them; AES and RC4 server signatures verified; NAMES KSSPAD\\alice"
