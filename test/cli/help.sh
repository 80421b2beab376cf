#!/bin/sh
# test/cli/help.sh KSSP - every subcommand `kssp help` lists has usage text
# (`kssp help CMD` starts with "usage: kssp CMD") and an entry in kssp.1.
set -u
kssp=$1
fail=0
n=0
for cmd in $("$kssp" help | awk '/^  [a-z]/ { print $1 }'); do
	n=$((n + 1))
	"$kssp" help "$cmd" | head -n 1 | grep -q "^usage: kssp $cmd" ||
		{ echo "help: 'kssp help $cmd' has no usage line"; fail=1; }
	grep -q "^\.B $cmd\b" kssp.1 || { echo "help: kssp.1 has no entry for $cmd"; fail=1; }
done
[ "$n" -ge 13 ] || { echo "help: only $n commands listed"; fail=1; }
[ $fail -eq 0 ] && echo "help: all $n subcommands have usage text and a man page entry"
exit $fail
