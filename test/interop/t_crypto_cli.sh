#!/usr/bin/env bash
# crypto: `kssp crypto` on published vectors (RFC 3962 B, RFC 8009 A, MIT's
# hmac-md5), its integrity failure (exit 1, "integrity check failed", no
# plaintext), unsupported enctypes, and a password file.
set -euo pipefail
k() { "$KSSP" crypto "$@"; }
expect() { # want got what
	[ "$1" = "$2" ] || { echo "$3: want $1, got $2" >&2; exit 1; }
}

expect 42263c6e89f4fc28b8df68ee09799f15 \
	"$(k string2key -e aes128-cts --salt ATHENA.MIT.EDUraeburn --s2kparams 00000001 password)" \
	"RFC 3962 string2key"
printf 'password\n' >"$KSSP_TEST_SCRATCH/pw"
expect 8846f7eaee8fb117ad06bdd830b7586c "$(k string2key -e rc4-hmac --password-file "$KSSP_TEST_SCRATCH/pw")" \
	"NT hash from a password file"

key19=3705D96080C17728A0E800EAB6E0D23C
ct=84d7f30754ed987bab0bf3506beb09cfb55402cef7e6877ce99e247e52d16ed4421dfdf8976c
expect "$ct" "$(k encrypt -e 19 -k $key19 -u 2 --confounder 7BCA285E2FD4130FB55B1A5C83BC5B24 000102030405)" \
	"RFC 8009 encrypt"
expect 000102030405 "$(k decrypt -e aes128-cts-hmac-sha256-128 -k $key19 -u 2 $ct)" "RFC 8009 decrypt"
# a fresh confounder each time, and still decryptable
c1=$(k encrypt -e 18 -k "$(printf '11%.0s' {1..32})" -u 7 cafe)
c2=$(k encrypt -e 18 -k "$(printf '11%.0s' {1..32})" -u 7 cafe)
[ "$c1" != "$c2" ]
expect cafe "$(k decrypt -e 18 -k "$(printf '11%.0s' {1..32})" -u 7 "$c1")" "aes256 round trip"

bad=${ct%?}d
set +e
out=$(k decrypt -e 19 -k $key19 -u 2 $bad 2>"$KSSP_TEST_SCRATCH/err")
rc=$?
set -e
expect 1 "$rc" "exit code of a failed decrypt"
expect "" "$out" "plaintext of a failed decrypt"
grep -q "integrity check failed" "$KSSP_TEST_SCRATCH/err"

expect eb38cc97e2230f59da4117dc5859d7ec \
	"$(k checksum -t hmac-md5 -k F7D3A155AF5E238A0B7A871A96BA2AB2 -u 6 \
	"$(printf 'seventeen eighteen nineteen twenty' | od -An -tx1 | tr -d ' \n')")" "hmac-md5 checksum"
expect 9d188616f63852fe86915bb840b4a886ff3e6bb0f819b49b893393d393854295 \
	"$(k prf -e 19 -k $key19 74657374)" "RFC 8009 PRF"

if k string2key -e des3-cbc-sha1 pw 2>"$KSSP_TEST_SCRATCH/err"; then exit 1; fi
grep -q "enctype 16 (des3-cbc-sha1) not supported" "$KSSP_TEST_SCRATCH/err"
k list | grep -q "camellia256-cts-cmac"
"$KSSP" help crypto | grep -q "string2key"
echo "kssp crypto: vectors, integrity failure and errors as expected"
