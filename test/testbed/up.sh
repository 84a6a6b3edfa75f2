#!/usr/bin/env bash
# Brings up the op-dbus integration testbed on this machine: N Debian containers booted with
# real systemd (their system buses reachable from the host), a private host D-Bus daemon and a
# single-member etcd. Describes it in $STATE_DIR/env.json and env.sh. Idempotent; see README.md.
#
#   up.sh [N]        N targets (default: $OPDBUS_TESTBED_TARGETS or 4)
#
# Environment: OPDBUS_TESTBED_DIR (state dir, default /run/op-dbus-testbed),
# OPDBUS_TESTBED_MIRROR (Debian mirror; default: the one apt on this machine uses),
# OPDBUS_TESTBED_BOOT_TIMEOUT (seconds per boot, default 60), XDG_CACHE_HOME.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=rootfs.sh
source "$HERE/rootfs.sh"
# shellcheck source=services.sh
source "$HERE/services.sh"

# Host packages. Extend here (chromium comes later). nix-bin and ansible check the exporters' output
# with the real tools; openssh-client lets Ansible reach the targets over SSH.
HOST_PACKAGES="debootstrap systemd-container btrfs-progs openvswitch-switch etcd-server etcd-client zstd dbus-daemon iproute2 nix-bin ansible openssh-client"

# What every target is made of. Changing these, or build_rootfs below, changes the cache key.
# python3 and python3-apt: Ansible's modules run on them (npm run bench, the Ansible export test);
# openssh-server: that test runs a generated playbook over SSH, as an operator would.
ROOTFS_SUITE=bookworm
ROOTFS_INCLUDE=systemd,systemd-sysv,libpam-systemd,dbus,iproute2,btrfs-progs,openvswitch-switch,packagekit,polkitd,python3,python3-apt,openssh-server

POOL_SIZE=6G
BOOT_TIMEOUT=${OPDBUS_TESTBED_BOOT_TIMEOUT:-60}
TARGETS=${1:-${OPDBUS_TESTBED_TARGETS:-4}}

require_root
check_state_dir
[[ $TARGETS =~ ^[1-9][0-9]*$ && $TARGETS -le 250 ]] ||
  die "number of targets must be 1..250 (got '$TARGETS'): each gets its own 10.250.N.0/30"

POOL_IMG=$STATE_DIR/pool.img
POOL_MNT=$STATE_DIR/pool
BASE=$POOL_MNT/base

# ---------------------------------------------------------------------------------------------
# Health of an existing testbed: every recorded process alive and every bus answering.

system_state() { # HOSTDIR -> running|degraded|starting|...
  local out
  out=$(busctl --timeout=2 --address="unix:path=$1/dbus/system_bus_socket" get-property \
    org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \
    SystemState 2>/dev/null) || return 1
  out=${out#s \"}
  echo "${out%\"}"
}

etcd_healthy() { # ENDPOINT
  ETCDCTL_API=3 etcdctl --endpoints="$1" --dial-timeout=1s --command-timeout=2s \
    endpoint health >/dev/null 2>&1
}

testbed_healthy() {
  [[ -r $STATE_DIR/env.sh && -r $STATE_DIR/env.json ]] || return 1
  mountpoint -q "$POOL_MNT" || return 1
  local dirs=("$STATE_DIR"/targets/*/) i hostdir state
  ((${#dirs[@]} == TARGETS)) || return 1
  for ((i = 1; i <= TARGETS; i++)); do
    hostdir=$STATE_DIR/targets/$TARGET_PREFIX$i
    record_alive "$hostdir/nspawn.pid" || return 1
    state=$(system_state "$hostdir") || return 1
    [[ $state == running || $state == degraded ]] || return 1
  done
  local addr endpoint
  record_alive "$STATE_DIR/hostbus/dbus-daemon.pid" || return 1
  addr=$(read_line "$STATE_DIR/hostbus/address") || return 1
  busctl --timeout=2 --address="$addr" call org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus GetId >/dev/null 2>&1 || return 1
  record_alive "$STATE_DIR/etcd/etcd.pid" || return 1
  endpoint=$(read_line "$STATE_DIR/etcd/endpoint") || return 1
  etcd_healthy "$endpoint" || return 1
}

# Anything of ours present at all (a previous run that failed or whose containers died).
testbed_present() {
  [[ -e $STATE_DIR ]] && return 0
  local netns links root
  netns=$(ip netns list 2>/dev/null || true)
  [[ $'\n'$netns == *$'\n'"$TARGET_PREFIX"* ]] && return 0
  links=$(ip -o link show 2>/dev/null || true)
  [[ $links == *": $VETH_PREFIX"* ]] && return 0
  while IFS= read -r root; do
    compgen -G "$root/$CGROUP_PREFIX*" >/dev/null && return 0
  done < <(cgroup_roots)
  return 1
}

# ---------------------------------------------------------------------------------------------
# The btrfs pool and the targets.

create_pool() { # TARBALL
  truncate -s "$POOL_SIZE" "$POOL_IMG"
  mkfs.btrfs -q "$POOL_IMG" >/dev/null
  mkdir -p "$POOL_MNT"
  mount -o loop "$POOL_IMG" "$POOL_MNT"
  btrfs -q subvolume create "$BASE"
  zstd -q -dc "$1" | tar --xattrs --xattrs-include='*' --acls --numeric-owner -xpf - -C "$BASE"
  # Read-only so that no test can change what every later snapshot starts from.
  btrfs property set -ts "$BASE" ro true
}

prepare_target() { # INDEX
  local i=$1 name=$TARGET_PREFIX$1 root=$POOL_MNT/$TARGET_PREFIX$1
  local hostdir=$STATE_DIR/targets/$name veth=$VETH_PREFIX$1
  btrfs -q subvolume snapshot "$BASE" "$root"
  echo "$name" >"$root/etc/hostname"
  # root logs in over SSH with the testbed's own key (the password stays locked).
  install -d -m 700 "$root/root/.ssh"
  install -m 600 "$STATE_DIR/ssh/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  # Same name as systemd's DHCP default for host0, so this file replaces it. Static, and no
  # IPv6 autoconfiguration: otherwise systemd-networkd-wait-online holds the boot for 2 minutes.
  cat >"$root/etc/systemd/network/80-container-host0.network" <<EOF
[Match]
Kind=veth
Name=host0

[Network]
Address=10.250.$i.2/30
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
  if [[ -n $(ip -4 -o addr show to "10.250.$i.0/30") ]]; then
    die "10.250.$i.0/30 is already used on this host; cannot give it to $name"
  fi
  ip netns add "$name"
  ip link add "$veth" type veth peer name host0 netns "$name"
  ip addr add "10.250.$i.1/30" dev "$veth"
  ip link set "$veth" up
  mkdir -p "$hostdir/dbus" "$hostdir/ovs"
}

launch_target() { # INDEX
  local name=$TARGET_PREFIX$1 hostdir=$STATE_DIR/targets/$TARGET_PREFIX$1
  (
    # Its own cgroup per container: two nspawns sharing one collide ("Failed to dump
    # process list"). Only this subshell moves; the script stays where it was.
    while IFS= read -r cg; do
      mkdir -p "$cg/$CGROUP_PREFIX$name"
      echo "$BASHPID" >"$cg/$CGROUP_PREFIX$name/cgroup.procs"
    done < <(cgroup_roots)
    # --register=no --keep-unit: there is no host systemd to register with. setsid detaches
    # it from our session; it does not fork (we are not a group leader), so $! is nspawn.
    exec setsid systemd-nspawn -b -D "$POOL_MNT/$name" -M "$name" --register=no --keep-unit \
      --console=passive --network-namespace-path="/run/netns/$name" \
      --capability=CAP_NET_ADMIN --bind="$hostdir/dbus:/run/dbus" \
      --bind="$hostdir/ovs:/run/openvswitch" </dev/null >"$hostdir/nspawn.log" 2>&1 9>&-
  ) &
  record_pid "$hostdir/nspawn.pid" $! || die "systemd-nspawn for $name exited at once: $(tail -n 5 "$hostdir/nspawn.log")"
}

wait_targets() {
  local deadline=$((SECONDS + BOOT_TIMEOUT)) i hostdir state
  local -A done_=()
  while ((${#done_[@]} < TARGETS)); do
    for ((i = 1; i <= TARGETS; i++)); do
      [[ -n ${done_[$i]:-} ]] && continue
      hostdir=$STATE_DIR/targets/$TARGET_PREFIX$i
      if ! record_alive "$hostdir/nspawn.pid"; then
        die "$TARGET_PREFIX$i: systemd-nspawn exited during boot; last lines of $hostdir/nspawn.log:"$'\n'"$(tail -n 30 "$hostdir/nspawn.log")"
      fi
      state=$(system_state "$hostdir") || state=no-bus
      if [[ $state == running || $state == degraded ]]; then
        done_[$i]=1
        log "$TARGET_PREFIX$i: $state"
        [[ $state == degraded ]] && report_failed_units "$TARGET_PREFIX$i"
      fi
    done
    ((${#done_[@]} < TARGETS)) || break
    if ((SECONDS >= deadline)); then
      for ((i = 1; i <= TARGETS; i++)); do
        [[ -n ${done_[$i]:-} ]] && continue
        hostdir=$STATE_DIR/targets/$TARGET_PREFIX$i
        log "$TARGET_PREFIX$i: not booted after ${BOOT_TIMEOUT}s (state: $(system_state "$hostdir" || echo no-bus)); last lines of $hostdir/nspawn.log:"
        tail -n 30 "$hostdir/nspawn.log" >&2
      done
      die "targets did not boot in ${BOOT_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

report_failed_units() { # NAME
  local init units
  init=$(container_init_pid "$1") || return 0
  units=$(nsenter --target "$init" --mount --pid -- systemctl --failed --plain --no-legend 2>/dev/null |
    awk '{ printf "%s ", $1 }')
  log "WARNING: $1 is degraded; failed units: ${units:-?}"
}


main() {
  take_lock
  if testbed_healthy; then
    log "testbed with $TARGETS target(s) already up: $STATE_DIR/env.json"
    return 0
  fi
  if testbed_present; then
    log "tearing down a stale or partial testbed"
    testbed_teardown
  fi

  ensure_policy_rc_d
  ensure_host_packages
  local tarball i
  tarball=$(ensure_rootfs_tarball)

  trap 'rc=$?; if ((rc)); then log "up.sh failed; logs are in $STATE_DIR (down.sh cleans up, up.sh retries)"; fi' EXIT
  mkdir -p "$STATE_DIR"
  touch "$STATE_DIR/$STATE_MARKER"
  log "creating btrfs pool and base subvolume from ${tarball##*/}"
  create_pool "$tarball"

  # A key made for this testbed only: tests reach the targets over SSH with it.
  mkdir -m 700 "$STATE_DIR/ssh"
  ssh-keygen -q -t ed25519 -N '' -C opdbus-testbed -f "$STATE_DIR/ssh/id_ed25519"
  log "starting $TARGETS target(s)"
  for ((i = 1; i <= TARGETS; i++)); do prepare_target "$i"; done
  # Boot every container before waiting for any: they boot in parallel.
  for ((i = 1; i <= TARGETS; i++)); do launch_target "$i"; done
  start_host_bus
  start_etcd
  wait_targets
  wait_etcd
  log "etcd healthy at $(read_line "$STATE_DIR/etcd/endpoint")"
  write_env
  log "testbed up: $STATE_DIR/env.json"
}

main "$@"
