# test/interop/realm-common.sh - what the MIT and Heimdal realm scripts
# share (sourced by realm.sh and heimdal-realm.sh; bash).

# The env lines for a realm's users, as PREFIX_USER, PREFIX_PASSWORD, ...:
# alice, bob, and user<N> with password user<N>-pw for each enctype N.
user_exports() {	# prefix, realm, enctypes
	local prefix=$1 realm=$2 enctypes=$3 n
	echo "export ${prefix}_USER='alice@$realm'"
	echo "export ${prefix}_PASSWORD='alice-pw-1'"
	echo "export ${prefix}_USER2='bob@$realm'"
	echo "export ${prefix}_PASSWORD2='bob-pw-2'"
	echo "export ${prefix}_ENCTYPES='$enctypes'"
	for n in $enctypes; do echo "export ${prefix}_PASSWORD_$n='user$n-pw'"; done
}

# Stops the KDC whose PID is in DIR/kdc.pid (or DIR/NAME.pid): TERM, up to
# 5 s, then KILL.
stop_kdc() {	# dir [name]
	local dir=$1 name=${2:-kdc} pid _
	[ -f "$dir/$name.pid" ] || return 0
	pid=$(cat "$dir/$name.pid")
	if kill "$pid" 2>/dev/null; then
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -f "$dir/$name.pid"
}
