#!/bin/bash
# The shell baseline of `npm run bench`: gathers what `op-dbus discover` captures with the stock CLI
# tools, run inside the target by `exec-in-target.sh NAME bash -s < shell-baseline.sh`.
#
# Output: `=== SECTION` headers, each followed by its tools' output, then `=== timings` with one
# `SECTION MICROSECONDS` line per section. bench/baseline-output.mjs parses it. Plain sequential shell,
# the way an operator would write it: one subprocess per tool call, one `busctl introspect` per object.
set -u

declare -a order=()
declare -A took=()

# Runs the rest of the arguments as one section and records its wall time.
section() {
  local name=$1 started=${EPOCHREALTIME/./}
  shift
  printf '=== %s\n' "$name"
  "$@"
  order+=("$name")
  took[$name]=$((${EPOCHREALTIME/./} - started))
}

print_files() { # DIR... → every regular file under them after a `--- PATH` line, and every symlink
  local file
  find "$@" -type f -print0 2>/dev/null | while IFS= read -r -d '' file; do
    printf -- '--- %s\n' "$file"
    cat -- "$file"
  done
  find "$@" -type l -printf '--> %p %l\n' 2>/dev/null
}

bus_objects() {
  local name path
  # Only names with a running owner: introspecting an activatable one would start it.
  for name in $(busctl list --no-legend --acquired | awk '$1 !~ /^:/ { print $1 }'); do
    printf -- '--- %s\n' "$name"
    # Like op-dbus: at most 12 children per object and 256 objects per service.
    busctl tree --list "$name" |
      awk '{ parent = $0; sub(/\/[^\/]*$/, "", parent); if (++children[parent] <= 12) print }' |
      head -n 256 | while read -r path; do
      printf -- '-- %s\n' "$path"
      busctl introspect --xml-interface "$name" "$path"
    done
  done
}

section units systemctl list-units --all --no-legend --plain
section unit-files systemctl list-unit-files --no-legend --plain
section default-target systemctl get-default
section admin-unit-files print_files /etc/systemd/system
# shellcheck disable=SC2016 # ${Package} is dpkg-query's format, not the shell's.
section packages dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\n'
section package-marks cat /var/lib/apt/extended_states
section bus-names busctl list --no-legend
section bus-objects bus_objects
section hostname hostnamectl
section time timedatectl show
section locale localectl
section links ip -j link
section addresses ip -j addr
section networkd networkctl list --json=short
section network-files print_files /etc/systemd/network /usr/lib/systemd/network
section cmdline cat /proc/cmdline
section modules cat /proc/modules
section sysctl sysctl -a
section kernel-files print_files /etc/sysctl.d /usr/lib/sysctl.d /etc/modules-load.d /usr/lib/modules-load.d \
  /etc/modules /etc/modprobe.d /usr/lib/modprobe.d

printf '=== timings\n'
for name in "${order[@]}"; do printf '%s %s\n' "$name" "${took[$name]}"; done
