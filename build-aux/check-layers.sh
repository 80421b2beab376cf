#!/usr/bin/env bash
# build-aux/check-layers.sh - the layering rules of DESIGN.md ("Layers"),
# checked over the library and the tool (tests, test tools and examples are
# not checked).  Every finding is printed as FILE:LINE: RULE: what; any
# finding fails the run.
#
#   build-aux/check-layers.sh              check; exit 1 on a finding
#   build-aux/check-layers.sh --report     print the findings; exit 0
#
# The rules:
#   arrow    a file includes a header of a layer its layer may not call
#   public   an SSPI command of the CLI includes a project header other than
#            the public headers and the CLI's own (DESIGN: they prove the API)
#   internal an internal header (*_int.h, crypto/crypto_int.h) is included
#            from outside its layer
#   face     a header of another layer is not that layer's
#            face, or a layer header is neither its face nor *_int.h
#   socket   code outside kdc/ opens or uses a socket
#   status   code below sspi/ names SECURITY_STATUS or a SEC_E_ / SEC_I_ value
#   file     library code outside creds/ and kdc/ opens, creates, renames or
#            removes a file (the CLI is the tool: it may)
# Comments and string literals are not code: they are blanked before the
# socket, status and file rules look at a line.
set -eu
cd "$(dirname "$0")/.."

# ---- the rules as data ------------------------------------------------------

# The folders checked, and what each may include besides itself: DESIGN's
# arrows closed over "and everything below" (kssp = include/kssp/, the
# public headers).
LAYERS="base asn1 crypto creds kdc context sspi cli"
declare -A ALLOW=(
	[base]=""
	[asn1]="base"
	[crypto]="base"
	[creds]="asn1 crypto base"
	[kdc]="creds asn1 crypto base"
	[context]="creds asn1 crypto base"
	[sspi]="kssp context kdc creds asn1 crypto base"
	[cli]="kssp sspi context kdc creds asn1 crypto base"
)

# The one header of each layer that other layers include.  sspi's face is
# the public API: Windows' names and kssp's extensions.
declare -A FACE=(
	[base]="base/base.h"
	[asn1]="asn1/asn1.h"
	[crypto]="crypto/crypto.h"
	[creds]="creds/creds.h"
	[kdc]="kdc/kdc.h"
	[context]="context/context.h"
	[sspi]="sspi/sspi.h kssp/sspi.h kssp/kssp.h"
	[kssp]="kssp/sspi.h kssp/kssp.h"
)

# The SSPI commands of the CLI and what they share: public headers only.
CLI_PUBLIC_ONLY=(cli/cmd_token.c cli/cmd_accept.c cli/cmd_loop.c cli/cmd_demo.c cli/cmd_http.c
	cli/convo.c cli/convo.h cli/replay.h)

# Only kdc/ talks to the network.  (socketpair, a pipe between two processes,
# is not the network.)
SOCKET_LAYERS="base asn1 crypto creds context sspi cli"
SOCKET_CALLS="socket connect bind listen accept accept4 getaddrinfo
	gethostbyname gethostbyname2 res_query res_search res_nquery res_nsearch
	send sendto sendmsg recv recvfrom recvmsg"

# Nothing below the facade sees an SSPI status: sspi/ maps a kssp_err once.
STATUS_LAYERS="base asn1 crypto creds kdc context"
STATUS_NAMES="SECURITY_STATUS SEC_E_[A-Z0-9_]+ SEC_I_[A-Z0-9_]+"

# Only creds/ (keytab, ccache) and kdc/ (krb5.conf, recordings) touch files.
FILE_LAYERS="base asn1 crypto context sspi"
FILE_CALLS="fopen freopen open openat creat mkstemp mkostemp mkstemps mkdtemp
	tmpfile rename renameat unlink unlinkat remove opendir mkdir mkdirat rmdir
	link linkat symlink truncate"

# ---- the checks -------------------------------------------------------------

report=0
[ "${1:-}" = "--report" ] && report=1
findings=0

finding() {
	echo "$1"
	findings=$((findings + 1))
}

in_list() { # WORD LIST
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}

layer_files() { # LAYER...
	local l f
	for l in "$@"; do
		for f in "$l"/*.c "$l"/*.h; do
			[ -e "$f" ] && echo "$f"
		done
	done
	return 0
}

# FILE:LINE:HEADER for every #include of a header of this project
# ("layer/x.h" or <kssp/x.h>); system headers are left out.
includes() { # FILE...
	local dirs
	dirs=$(echo "$LAYERS kssp" | tr ' ' '|')
	grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]($dirs)/" "$@" |
		sed -E 's/^([^:]*):([0-9]+):[^"<]*["<]([^">]*)[">].*/\1:\2:\3/' || true
}

# FILE:LINE:CODE for every line, comments and string / character literals
# blanked, so that only code is matched.
code_lines() { # FILE...
	awk '
	FNR == 1 { inc = 0 }
	{
		out = ""; n = length($0); i = 1
		while (i <= n) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (inc) {
				if (d == "*/") { inc = 0; out = out "  "; i += 2 }
				else { out = out " "; i++ }
				continue
			}
			if (d == "/*") { inc = 1; out = out "  "; i += 2; continue }
			if (d == "//") break
			if (c == "\"" || c == "\047") {
				q = c; out = out c; i++
				while (i <= n) {
					c = substr($0, i, 1)
					if (c == "\\") { out = out "  "; i += 2; continue }
					if (c == q) break
					out = out " "; i++
				}
				out = out q; i++
				continue
			}
			out = out c; i++
		}
		print FILENAME ":" FNR ":" out
	}' "$@"
}

# arrow, internal and face: the includes of every checked folder.
for l in $LAYERS; do
	allowed=${ALLOW[$l]}
	mapfile -t files < <(layer_files "$l")
	[ "${#files[@]}" -gt 0 ] || continue
	while IFS=: read -r file line hdr; do
		[ -n "$file" ] || continue
		to=${hdr%%/*}
		[ "$to" = "$l" ] && continue
		if ! in_list "$to" "$allowed"; then
			finding "$file:$line: arrow: $l may not include $hdr ($l may include: ${allowed:-nothing})"
			continue
		fi
		case $hdr in
		*_int.h) finding "$file:$line: internal: $hdr is internal to $to/" ;;
		esac
		if ! in_list "$hdr" "${FACE[$to]}"; then
			finding "$file:$line: face: $hdr is not the face of $to/ (${FACE[$to]})"
		fi
	done < <(includes "${files[@]}")
done

# face: a layer's headers are its face or *_int.h.
for l in base asn1 crypto creds kdc context sspi; do
	for f in "$l"/*.h; do
		[ -e "$f" ] || continue
		in_list "$f" "${FACE[$l]}" && continue
		case $f in *_int.h) continue ;; esac
		finding "$f:1: face: $f is neither the face of $l/ (${FACE[$l]}) nor *_int.h"
	done
	for f in ${FACE[$l]}; do
		[ -e "$f" ] || [ -e "include/$f" ] || finding "$f:0: face: the face of $l/ does not exist"
	done
done

# public: the SSPI commands include public headers and the CLI's own only.
while IFS=: read -r file line hdr; do
	[ -n "$file" ] || continue
	case $hdr in
	kssp/* | cli/*) ;;
	*) finding "$file:$line: public: an SSPI command includes $hdr (only kssp/*.h and cli/*.h)" ;;
	esac
done < <(includes "${CLI_PUBLIC_ONLY[@]}")

# socket, status, file: calls and names in code.
alternatives() { echo "$1" | tr -s " \t\n" "|" | sed "s/^|//; s/|$//"; }
call_re() { echo "(^|[^A-Za-z0-9_.>])($(alternatives "$1"))[[:space:]]*\\("; }
name_re() { echo "(^|[^A-Za-z0-9_])($(alternatives "$1"))([^A-Za-z0-9_]|\$)"; }

scan() { # RULE WHAT LAYERS REGEX
	local files file line code
	local -a layers
	read -ra layers <<<"$3"
	mapfile -t files < <(layer_files "${layers[@]}")
	[ "${#files[@]}" -gt 0 ] || return 0
	while IFS=: read -r file line code; do
		[ -n "$file" ] || continue
		code=$(echo "$code" | tr -s "[:space:]" " ")
		code=${code# }
		finding "$file:$line: $1: $2: ${code% }"
	done < <(code_lines "${files[@]}" | grep -E "^[^:]*:[0-9]+:.*$4" || true)
}

scan socket "a socket outside kdc/" "$SOCKET_LAYERS" "$(call_re "$SOCKET_CALLS")"
scan status "an SSPI status below sspi/" "$STATUS_LAYERS" "$(name_re "$STATUS_NAMES")"
scan file "a file opened outside creds/ and kdc/" "$FILE_LAYERS" "$(call_re "$FILE_CALLS")"

if [ "$findings" -ne 0 ]; then
	echo "check-layers: $findings finding(s)"
	[ "$report" = 1 ] && exit 0
	exit 1
fi
echo "check-layers: every folder keeps to DESIGN's arrows"
