#!/usr/bin/env bash
# Runs a command inside a running testbed target, as root in all of the container's namespaces
# (mount, UTS, IPC, network, PID, cgroup) with a clean environment: the way tests run
# systemctl, dpkg-query, hostnamectl or `ip -j link` in a target. machinectl and
# `systemd-run -M` do not work here: the containers are not registered (no host systemd).
#
#   exec-in-target.sh NAME|INDEX COMMAND [ARG...]     e.g.  exec-in-target.sh 1 systemctl is-system-running
#
# The exit status is the command's.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

require_root
if (($# < 2)); then
  echo "usage: ${0##*/} NAME|INDEX COMMAND [ARG...]" >&2
  exit 1
fi
name=$1
shift
[[ $name =~ ^[0-9]+$ ]] && name=$TARGET_PREFIX$name

init=$(container_init_pid "$name") || {
  echo "${0##*/}: target $name is not running (no live nspawn record in $STATE_DIR/targets/$name)" >&2
  exit 1
}

# --root/--wd: the container's / and cwd, not the host's. env -i: host variables (PATH with
# host-only directories, LD_*, NODE_*) must not leak into the target.
env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SYSTEMD_PAGER=cat)
[[ -n ${TERM:-} ]] && env+=("TERM=$TERM")
exec nsenter --target "$init" --mount --uts --ipc --net --pid --cgroup --root --wd -- \
  /usr/bin/env -i "${env[@]}" "$@"
