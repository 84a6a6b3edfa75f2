#!/usr/bin/env bash
# Tears down the op-dbus testbed that up.sh made: containers, host dbus-daemon and etcd (by
# their recorded PIDs), network namespaces, veths, cgroups, the btrfs pool and the state dir.
# Keeps the rootfs cache. Safe to run when nothing is up.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

require_root
check_state_dir
take_lock
testbed_teardown
log "testbed down"
