#!/usr/bin/env python3
"""test/interop/ccache-skey.py CCACHE NAME - prints, for each credential of
the v4 FILE cache CCACHE (MIT's ccache_file_format.txt) whose server is NAME
("bob@REALM"), whether its is_skey byte is set (MIT's kvno --u2u writes 8, the
ENC-TKT-IN-SKEY option's bit; kssp 1) and whether a second ticket is
stored: "is_skey yes second_ticket yes" for a user-to-user ticket."""
import struct
import sys


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if self.at + n > len(self.data):
            raise SystemExit("ccache-skey: cache cut short")
        b = self.data[self.at:self.at + n]
        self.at += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def blob(self):
        return self.take(self.u32())

    def principal(self):
        self.u32()
        count = self.u32()
        realm = self.blob().decode()
        comps = [self.blob().decode() for _ in range(count)]
        return "/".join(comps) + "@" + realm


def main():
    r = Reader(open(sys.argv[1], "rb").read())
    if r.u16() != 0x0504:
        raise SystemExit("ccache-skey: not a version 4 cache")
    r.take(r.u16())
    r.principal()
    while r.at < len(r.data):
        r.principal()
        server = r.principal()
        r.u16()
        r.blob()
        r.take(16)
        skey = r.u8()
        r.u32()
        for _ in range(r.u32()):
            r.u16()
            r.blob()
        for _ in range(r.u32()):
            r.u16()
            r.blob()
        r.blob()
        second = r.blob()
        if server == sys.argv[2]:
            print("is_skey %s second_ticket %s" % ("yes" if skey else "no",
                                                   "yes" if second else "no"))


main()
