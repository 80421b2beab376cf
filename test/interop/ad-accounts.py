#!/usr/bin/python3
# test/interop/ad-accounts.py SMB_CONF PASSWORDS_FILE - the accounts of the
# Samba AD test domain (ad-realm.sh), and the authentication policy and
# silo that require FAST, written straight into the provisioned database
# in one process (one samba-tool call per account would take
# minutes for a user in 400 groups).  Samba's Python modules exist for
# Debian's /usr/bin/python3 only, hence the interpreter above.
# ad-accounts.py SMB_CONF PASSWORDS_FILE --set-password NAME sets NAME's
# password again: run under faketime(1) with a clock older than the
# domain's maximum password age, it leaves an expired password (Samba
# refuses any pwdLastSet but 0 and -1 written directly).
#
# PASSWORDS_FILE has one "name password" line per account to create, made
# by ad-realm.sh (the passwords are random per domain).
import sys

import ldb
from samba.auth import system_session
from samba.domain.models import AuthenticationPolicy, AuthenticationSilo, User
from samba.param import LoadParm
from samba.samdb import SamDB

# [MS-ADTS] 2.2.16 userAccountControl, [MS-KILE] 2.2.7 supported enctypes.
UF_ACCOUNTDISABLE = 0x2
UF_TRUSTED_FOR_DELEGATION = 0x80000
UF_TRUSTED_TO_AUTH_FOR_DELEGATION = 0x1000000
ENC_RC4 = 0x4
ENC_AES = 0x18

lp = LoadParm()
lp.load(sys.argv[1])
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
base = db.domain_dn()
dns = lp.get("realm").lower()
realm = lp.get("realm").upper()
pw = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[2], encoding="utf-8"))
if len(sys.argv) == 5 and sys.argv[3] == "--set-password":
    db.setpassword("(sAMAccountName=%s)" % ldb.binary_encode(sys.argv[4]), pw[sys.argv[4]])
    sys.exit(0)


def dn_of(name):
    res = db.search(base, scope=ldb.SCOPE_SUBTREE,
                    expression="(sAMAccountName=%s)" % ldb.binary_encode(name), attrs=[])
    return res[0].dn


def modify(name, **attrs):
    m = ldb.Message(dn_of(name))
    for attr, value in attrs.items():
        values = value if isinstance(value, list) else [value]
        m[attr] = ldb.MessageElement([str(v) for v in values], ldb.FLAG_MOD_REPLACE, attr)
    db.modify(m)


def uac_add(name, bits):
    res = db.search(dn_of(name), scope=ldb.SCOPE_BASE, attrs=["userAccountControl"])
    modify(name, userAccountControl=int(res[0]["userAccountControl"][0]) | bits)


def user(name, **attrs):
    db.newuser(name, pw[name])
    if attrs:
        modify(name, **attrs)


def service(name, spns, enctypes=ENC_AES):
    user(name, servicePrincipalName=spns, **{"msDS-SupportedEncryptionTypes": enctypes})


# Users.  carol's UPN has a suffix that is not the realm (an enterprise
# name, RFC 6806 §5); the suffix is made known to the forest as AD does.
# alice's department is the source of a client claim (ad-realm.sh creates
# the claim type): [MS-ADTS] 2.2.18, CLIENT_CLAIMS_INFO in her PAC.
user("alice", department="Engineering")
user("bob")
user("carol", userPrincipalName="carol.upn@upn.example.test")
m = ldb.Message(ldb.Dn(db, "CN=Partitions," + str(db.get_config_basedn())))
m["uPNSuffixes"] = ldb.MessageElement(["upn.example.test"], ldb.FLAG_MOD_ADD, "uPNSuffixes")
db.modify(m)
user("j\u00fcrgen")
user("rc4user", **{"msDS-SupportedEncryptionTypes": ENC_RC4})
user("mustchange", pwdLastSet=0)
user("expired")
user("pwchange")
user("disabled")
uac_add("disabled", UF_ACCOUNTDISABLE)
user("lockme")
# fastuser: an authentication policy, siluser: a silo's, each requiring a
# logon armored from a device (FAST, RFC 6113); ad-realm.sh makes both.
user("fastuser")
user("siluser")
user("many")
for i in range(400):
    db.newgroup("kssp-group-%03d" % i)
    db.add_remove_group_members("kssp-group-%03d" % i, ["many"], add_members_operation=True)
for i in range(3):
    db.add_remove_group_members("kssp-group-%03d" % i, ["alice"], add_members_operation=True)

# Services.  web: AES; rc4web: RC4 only; front: constrained delegation
# (protocol transition) to back; kcd: constrained delegation to back,
# Kerberos only (no protocol transition: its S4U2Self tickets are not
# forwardable); rbcd: resource-based, front and kcd may act on its behalf
# (ad-realm.sh); uncon: trusted for (unconstrained) delegation.
service("websvc", ["HTTP/web.%s" % dns, "HTTP/web"])
service("rc4svc", ["HTTP/rc4.%s" % dns, "HTTP/rc4"], ENC_RC4)
service("frontsvc", ["HTTP/front.%s" % dns])
service("backsvc", ["HTTP/back.%s" % dns])
service("kcdsvc", ["HTTP/kcd.%s" % dns])
service("rbcdsvc", ["HTTP/rbcd.%s" % dns])
service("unconsvc", ["HTTP/uncon.%s" % dns])
# upnsvc: a service whose UPN has the foreign suffix, a target in UPN form.
service("upnsvc", ["HTTP/upnweb.%s" % dns])
modify("upnsvc", userPrincipalName="upnsvc.web@upn.example.test")
uac_add("frontsvc", UF_TRUSTED_TO_AUTH_FOR_DELEGATION)
modify("frontsvc", **{"msDS-AllowedToDelegateTo": ["HTTP/back.%s" % dns, "HTTP/back"]})
modify("kcdsvc", **{"msDS-AllowedToDelegateTo": ["HTTP/back.%s" % dns, "HTTP/back"]})
uac_add("unconsvc", UF_TRUSTED_FOR_DELEGATION)

# A computer: its key is salted the computer way ("host/ws1.dns@REALM").
db.newcomputer("ws1", service_principal_name_list=["host/ws1.%s" % dns, "HOST/WS1"])
db.setpassword("(sAMAccountName=ws1$)", pw["ws1$"])
# fasthost: the device whose TGT armors fastuser's and siluser's logons.
db.newcomputer("fasthost", service_principal_name_list=["host/fasthost.%s" % dns, "HOST/FASTHOST"])
db.setpassword("(sAMAccountName=fasthost$)", pw["fasthost$"])

# The policy and the silo that require armor: the user's policy (its silo's
# when it is in one, [MS-KILE] 3.3.5.5) names AllowedToAuthenticateFrom,
# which the AS exchange (3.3.5.6) checks against the armor TGT's client,
# the device: an unarmored logon has none and is refused.  kssp-fast admits
# any device; kssp-silo's policy only a device whose silo claim names the
# silo.  What samba-tool's domain auth policy/silo commands do, in this one
# process.
def device_policy(name, sddl):
    policy = AuthenticationPolicy(cn=name, enforced=True, user_allowed_to_authenticate_from=sddl)
    policy.save(db)
    return policy


fast = device_policy("kssp-fast", "O:SYD:(A;;CR;;;WD)")
user_fast = User.find(db, "fastuser")
user_fast.assigned_policy = fast.dn
user_fast.save(db)
in_silo = device_policy("kssp-silo-device",
                        'O:SYD:(XA;OICI;CR;;;WD;(@USER.ad://ext/AuthenticationSilo == "kssp-silo"))')
silo = AuthenticationSilo(cn="kssp-silo", enforced=True, user_authentication_policy=in_silo.dn)
silo.save(db)
for name in ("siluser", "fasthost$"):
    member = User.find(db, name)
    silo.grant(db, member)
    member.assigned_silo = silo.dn
    member.save(db)
print("accounts of %s created" % realm)
