#!/usr/bin/python3
"""test/tools/mkpac.py - the unsigned body of the PAC fixture, marshalled by
Samba's NDR code (an encoder independent of kssp's parser).

Writes a PAC_DATA with KERB_VALIDATION_INFO (3 groups, 2 extra SIDs, 2
resource groups), UPN_DNS_INFO with the SAM name and SID, S4U_DELEGATION_INFO,
PAC_ATTRIBUTES_INFO, PAC_REQUESTOR and PAC_DEVICE_INFO.  test/tools/mkpac.c
then adds PAC_CLIENT_INFO and the signatures with MIT's krb5_pac_sign.
Run with /usr/bin/python3 (Samba's modules live there):
    /usr/bin/python3 test/tools/mkpac.py OUT
"""
import sys

from samba.dcerpc import krb5pac, lsa, netlogon, samr, security
from samba.ndr import ndr_pack

DOMAIN_SID = "S-1-5-21-1111111111-2222222222-3333333333"
RESOURCE_SID = "S-1-5-21-1444444444-555555555-666666666"


def lstr(text, large=False):
    s = lsa.StringLarge() if large else lsa.String()
    s.string = text
    return s


def rids(pairs):
    arr = samr.RidWithAttributeArray()
    out = []
    for rid, attrs in pairs:
        r = samr.RidWithAttribute()
        r.rid = rid
        r.attributes = attrs
        out.append(r)
    arr.count = len(out)
    arr.rids = out
    return arr


def logon_info():
    base = netlogon.netr_SamBaseInfo()
    base.logon_time = 133000000000000000
    base.logoff_time = 0x7fffffffffffffff
    base.kickoff_time = 0x7fffffffffffffff
    base.last_password_change = 132900000000000000
    base.allow_password_change = 132900864000000000
    base.force_password_change = 0x7fffffffffffffff
    base.account_name = lstr("alice")
    base.full_name = lstr("Alice Émile Liddell")
    base.logon_script = lstr("")
    base.profile_path = lstr("")
    base.home_directory = lstr("")
    base.home_drive = lstr("")
    base.logon_count = 7
    base.bad_password_count = 1
    base.rid = 1105
    base.primary_gid = 513
    base.groups = rids([(513, 7), (1106, 7), (1107, 7)])
    base.user_flags = 0x20 | 0x200
    base.logon_server = lstr("DC1", large=True)
    base.logon_domain = lstr("KSSPAD", large=True)
    base.domain_sid = security.dom_sid(DOMAIN_SID)
    base.acct_flags = 0x10
    info3 = netlogon.netr_SamInfo3()
    info3.base = base
    extra = []
    for sid, attrs in (("S-1-18-1", 7), ("S-1-5-21-1-2-3-4242", 0x20000007)):
        sa = netlogon.netr_SidAttr()
        sa.sid = security.dom_sid(sid)
        sa.attributes = attrs
        extra.append(sa)
    info3.sidcount = len(extra)
    info3.sids = extra
    li = krb5pac.PAC_LOGON_INFO()
    li.info3 = info3
    li.resource_groups.domain_sid = security.dom_sid(RESOURCE_SID)
    li.resource_groups.groups = rids([(2001, 0x20000007), (2002, 0x20000007)])
    return li


def buffer(ptype, info):
    b = krb5pac.PAC_BUFFER()
    b.type = ptype
    b.info = info
    return b


def main():
    ctr = krb5pac.PAC_LOGON_INFO_CTR()
    ctr.info = logon_info()

    upn = krb5pac.PAC_UPN_DNS_INFO()
    upn.upn_name = "alice@ad.example.test"
    upn.dns_domain_name = "AD.EXAMPLE.TEST"
    upn.flags = krb5pac.PAC_UPN_DNS_FLAG_HAS_SAM_NAME_AND_SID
    ex = krb5pac.PAC_UPN_DNS_INFO_SAM_NAME_AND_SID()
    ex.samaccountname = "alice"
    ex.objectsid = security.dom_sid(DOMAIN_SID + "-1105")
    upn.ex = ex

    deleg = krb5pac.PAC_CONSTRAINED_DELEGATION()
    deleg.proxy_target = lstr("cifs/fs.ad.example.test")
    deleg.transited_services = [lstr("HTTP/web.ad.example.test@AD.EXAMPLE.TEST"),
                                lstr("host/mid.ad.example.test@AD.EXAMPLE.TEST")]
    deleg.num_transited_services = 2
    dctr = krb5pac.PAC_CONSTRAINED_DELEGATION_CTR()
    dctr.info = deleg

    attrs = krb5pac.PAC_ATTRIBUTES_INFO()
    attrs.flags_length = 2
    attrs.flags = krb5pac.PAC_ATTRIBUTE_FLAG_PAC_WAS_REQUESTED

    req = krb5pac.PAC_REQUESTER_SID()
    req.sid = security.dom_sid(DOMAIN_SID + "-1105")

    dev = krb5pac.PAC_DEVICE_INFO()
    dev.rid = 1200
    dev.primary_gid = 515
    dev.domain_sid = security.dom_sid(DOMAIN_SID)
    dev.groups = rids([(515, 7)])
    sa = netlogon.netr_SidAttr()
    sa.sid = security.dom_sid("S-1-18-1")
    sa.attributes = 7
    dev.sids = [sa]
    dev.sid_count = 1
    dg = krb5pac.PAC_DOMAIN_GROUP_MEMBERSHIP()
    dg.domain_sid = security.dom_sid(RESOURCE_SID)
    dg.groups = rids([(2001, 0x20000007)])
    dev.domain_groups = [dg]
    dev.domain_group_count = 1
    devctr = krb5pac.PAC_DEVICE_INFO_CTR()
    devctr.info = dev

    pac = krb5pac.PAC_DATA()
    pac.num_buffers = 6
    pac.buffers = [buffer(krb5pac.PAC_TYPE_LOGON_INFO, ctr),
                   buffer(krb5pac.PAC_TYPE_UPN_DNS_INFO, upn),
                   buffer(krb5pac.PAC_TYPE_CONSTRAINED_DELEGATION, dctr),
                   buffer(krb5pac.PAC_TYPE_ATTRIBUTES_INFO, attrs),
                   buffer(krb5pac.PAC_TYPE_REQUESTER_SID, req),
                   buffer(krb5pac.PAC_TYPE_DEVICE_INFO, devctr)]
    pac.version = 0
    with open(sys.argv[1], "wb") as f:
        f.write(ndr_pack(pac))


main()
