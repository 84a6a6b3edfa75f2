#!/usr/bin/env bash
# Brings up the op-dbus integration testbed on this machine: N Debian containers booted with
# real systemd (their system buses reachable from the host), a private host D-Bus daemon and a
# single-member etcd. Describes it in $STATE_DIR/env.json and env.sh. Idempotent; see README.md.
#
#   up.sh [N]        N targets (default: $OPDBUS_TESTBED_TARGETS or 2)
#
# Environment: OPDBUS_TESTBED_DIR (state dir, default /run/op-dbus-testbed),
# OPDBUS_TESTBED_MIRROR (Debian mirror; default: the one apt on this machine uses),
# OPDBUS_TESTBED_BOOT_TIMEOUT (seconds per boot, default 60), XDG_CACHE_HOME.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

# Host packages. Extend here (nix-bin, ansible-core, chromium come later).
HOST_PACKAGES="debootstrap systemd-container btrfs-progs openvswitch-switch etcd-server etcd-client zstd dbus-daemon iproute2"

# What every target is made of. Changing these, or build_rootfs below, changes the cache key.
# python3 and python3-apt: Ansible's setup, service_facts and package_facts run on them (npm run bench).
ROOTFS_SUITE=bookworm
ROOTFS_INCLUDE=systemd,systemd-sysv,libpam-systemd,dbus,iproute2,btrfs-progs,openvswitch-switch,packagekit,polkitd,python3,python3-apt

POOL_SIZE=6G
BOOT_TIMEOUT=${OPDBUS_TESTBED_BOOT_TIMEOUT:-60}
TARGETS=${1:-${OPDBUS_TESTBED_TARGETS:-2}}

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
# Host packages.

ensure_policy_rc_d() {
  # Without it, installing openvswitch-switch or etcd-server would start them on the host.
  local p=/usr/sbin/policy-rc.d rc=0
  if [[ -x $p ]]; then
    "$p" >/dev/null 2>&1 || rc=$?
    [[ $rc -eq 101 ]] && return 0
    cp -a "$p" "$p.before-op-dbus-testbed"
    log "replacing $p (exited $rc, saved as $p.before-op-dbus-testbed)"
  fi
  printf '#!/bin/sh\n# op-dbus testbed: never start services from package scripts.\nexit 101\n' >"$p"
  chmod 755 "$p"
}

ensure_host_packages() {
  local -a wanted missing=()
  local p installed
  read -ra wanted <<<"$HOST_PACKAGES"
  # One dpkg-query for all: packages it does not know print nothing (errors go to /dev/null).
  installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${wanted[@]}" 2>/dev/null || true) "
  for p in "${wanted[@]}"; do
    [[ $installed == *" $p=installed "* ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  log "installing host packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local aptlog=$CACHE_DIR/apt.log
  mkdir -p "$CACHE_DIR"
  apt-get update >"$aptlog" 2>&1 || die "apt-get update failed; last lines of $aptlog:"$'\n'"$(tail -n 20 "$aptlog")"
  apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
    -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold "${missing[@]}" >>"$aptlog" 2>&1 ||
    die "apt-get install failed; last lines of $aptlog:"$'\n'"$(tail -n 20 "$aptlog")"
  log "host packages installed"
}

# ---------------------------------------------------------------------------------------------
# The target root file system, built once and cached as a tarball.

# The Debian mirror apt on this machine already uses (deb822 .sources first, then one-line
# .list), so the repo names no host and CI uses its own mirror or proxy.
apt_mirror() {
  if [[ -n ${OPDBUS_TESTBED_MIRROR:-} ]]; then
    echo "$OPDBUS_TESTBED_MIRROR"
    return 0
  fi
  local mirror
  mirror=$(
    shopt -s nullglob
    for f in /etc/apt/sources.list.d/*.sources; do
      awk -v suite="$ROOTFS_SUITE" 'BEGIN { RS = ""; FS = "\n" }
        {
          types = ""; uris = ""; suites = ""; enabled = "yes"
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^[ \t]*#/) continue
            k = $i; sub(/:.*/, "", k); k = tolower(k)
            v = $i; sub(/^[^:]*:[ \t]*/, "", v)
            if (k == "types") types = v; else if (k == "uris") uris = v
            else if (k == "suites") suites = v; else if (k == "enabled") enabled = tolower(v)
          }
          if (enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ")) {
            split(uris, u, " "); print u[1]; exit
          }
        }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -r $f ]] || continue
      awk -v suite="$ROOTFS_SUITE" '$1 == "deb" {
          i = 2
          if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == suite) { print $i; exit }
        }' "$f"
    done
  )
  mirror=${mirror%%$'\n'*}
  [[ -n $mirror ]] || die "no '$ROOTFS_SUITE' source in /etc/apt/sources.list*; set OPDBUS_TESTBED_MIRROR"
  echo "$mirror"
}

# The build recipe. Its source text (bash drops comments) is part of the cache key.
build_rootfs() { # DIR MIRROR LOG
  local dir=$1
  debootstrap --variant=minbase --include="$ROOTFS_INCLUDE" "$ROOTFS_SUITE" "$dir" "$2" >"$3" 2>&1 ||
    die "debootstrap failed; last lines of $3:"$'\n'"$(tail -n 20 "$3")"
  systemctl --root="$dir" enable systemd-networkd.service >>"$3" 2>&1
  # Timers would change a target behind a test's back (apt-daily runs apt, e2scrub and
  # dpkg-db-backup start services, fstrim touches the pool), making state drift between
  # discover and verify. Disabled, not masked: masking shows up in unit-file state.
  systemctl --root="$dir" disable apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
    e2scrub_all.timer fstrim.timer >>"$3" 2>&1
  # Each target gets its own machine id: systemd generates one at boot when the file is empty.
  : >"$dir/etc/machine-id"
  rm -f "$dir/var/lib/dbus/machine-id"
  # No password logins; tests get in with exec-in-target.sh.
  sed -i 's/^root:[^:]*:/root:!*:/' "$dir/etc/shadow"
  # debootstrap copies the host's identity; each target gets its own at snapshot time.
  rm -f "$dir/etc/hostname"
  : >"$dir/etc/resolv.conf"
  rm -f "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
}

rootfs_key() {
  sha256sum <<<"$ROOTFS_SUITE $ROOTFS_INCLUDE $(declare -f build_rootfs)" | cut -c1-16
}

ensure_rootfs_tarball() { # -> path
  local key tarball work
  key=$(rootfs_key)
  tarball=$CACHE_DIR/rootfs-$ROOTFS_SUITE-$key.tar.zst
  if [[ -s $tarball ]]; then
    echo "$tarball"
    return 0
  fi
  mkdir -p "$CACHE_DIR"
  remove_stale_builds
  work=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
  local mirror APT_HTTP_PROXY=""
  mirror=$(apt_mirror)
  # debootstrap downloads with wget, which does not read apt's proxy setting.
  eval "$(apt-config shell APT_HTTP_PROXY Acquire::http::Proxy)"
  if [[ -z ${http_proxy:-} && $APT_HTTP_PROXY == http* ]]; then
    export http_proxy=$APT_HTTP_PROXY
  fi
  log "building target rootfs (debootstrap $ROOTFS_SUITE from $mirror; ~1 min)"
  build_rootfs "$work/rootfs" "$mirror" "$work/debootstrap.log"
  log "packing rootfs into $tarball"
  tar --xattrs --xattrs-include='*' --acls --numeric-owner -C "$work/rootfs" -cf - . |
    zstd -q -T0 -3 -o "$tarball.tmp"
  mv "$tarball.tmp" "$tarball"
  remove_stale_builds
  # Older keys are dead weight (~100 MB each).
  find "$CACHE_DIR" -maxdepth 1 -name "rootfs-*.tar.zst" ! -name "${tarball##*/}" -delete
  echo "$tarball"
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

# ---------------------------------------------------------------------------------------------
# Host-side services.

start_host_bus() {
  local dir=$STATE_DIR/hostbus
  mkdir -p "$dir"
  # A stand-in system bus for the services op-dbus exports. Allow-all: tests of op-dbus's own
  # policy files start a bus with that policy instead.
  cat >"$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
  dbus-daemon --config-file="$dir/bus.conf" --fork --nopidfile --print-pid=3 \
    3>"$dir/pid.tmp" </dev/null >"$dir/dbus-daemon.log" 2>&1 9>&- ||
    die "dbus-daemon failed: $(tail -n 5 "$dir/dbus-daemon.log")"
  record_pid "$dir/dbus-daemon.pid" "$(read_line "$dir/pid.tmp")" || die "dbus-daemon exited at once"
  rm -f "$dir/pid.tmp"
  echo "unix:path=$dir/system_bus_socket" >"$dir/address"
}

port_free() { [[ -z $(ss -Hltn "sport = :$1") ]]; }

pick_port() { # [EXCEPT]
  local p n
  for ((n = 0; n < 100; n++)); do
    p=$((20000 + RANDOM % 30000))
    if [[ $p != "${1:-}" ]] && port_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "no free loopback port found"
}

start_etcd() {
  local dir=$STATE_DIR/etcd client peer
  mkdir -p "$dir/data"
  client=$(pick_port)
  peer=$(pick_port "$client")
  setsid etcd --name opdbus-testbed --data-dir "$dir/data" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "opdbus-testbed=http://127.0.0.1:$peer" </dev/null >"$dir/etcd.log" 2>&1 9>&- &
  record_pid "$dir/etcd.pid" $! || die "etcd exited at once: $(tail -n 5 "$dir/etcd.log")"
  echo "http://127.0.0.1:$client" >"$dir/endpoint"
}

wait_etcd() {
  local dir=$STATE_DIR/etcd deadline=$((SECONDS + 30))
  local endpoint
  endpoint=$(read_line "$dir/endpoint")
  until etcd_healthy "$endpoint"; do
    record_alive "$dir/etcd.pid" || die "etcd exited; last lines of $dir/etcd.log:"$'\n'"$(tail -n 20 "$dir/etcd.log")"
    ((SECONDS < deadline)) || die "etcd not healthy after 30 s; see $dir/etcd.log"
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# env.json / env.sh: what tests read.

json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

write_env() {
  local i name hostdir json sh sep=""
  local hostbus etcd
  hostbus=$(read_line "$STATE_DIR/hostbus/address")
  etcd=$(read_line "$STATE_DIR/etcd/endpoint")
  json="{\"stateDir\":$(json_str "$STATE_DIR"),\"targets\":["
  sh="# Generated by test/testbed/up.sh; source it to reach the testbed.
export OPDBUS_TESTBED_STATE_DIR=$(printf %q "$STATE_DIR")
export OPDBUS_TESTBED_ENV_JSON=$(printf %q "$STATE_DIR/env.json")
export OPDBUS_TESTBED_TARGET_COUNT=$TARGETS
"
  for ((i = 1; i <= TARGETS; i++)); do
    name=$TARGET_PREFIX$i
    hostdir=$STATE_DIR/targets/$name
    local bus="unix:path=$hostdir/dbus/system_bus_socket" pid
    pid=$(record_pid_of "$hostdir/nspawn.pid")
    json+="$sep{\"name\":\"$name\",\"root\":$(json_str "$POOL_MNT/$name"),\"busAddress\":$(json_str "$bus"),\"netns\":\"$name\",\"nspawnPid\":$pid,\"hostAddress\":\"10.250.$i.1\",\"targetAddress\":\"10.250.$i.2\"}"
    sep=","
    sh+="export OPDBUS_TESTBED_T${i}_NAME=$name
export OPDBUS_TESTBED_T${i}_ROOT=$(printf %q "$POOL_MNT/$name")
export OPDBUS_TESTBED_T${i}_BUS_ADDRESS=$(printf %q "$bus")
export OPDBUS_TESTBED_T${i}_NETNS=$name
export OPDBUS_TESTBED_T${i}_NSPAWN_PID=$pid
export OPDBUS_TESTBED_T${i}_HOST_ADDRESS=10.250.$i.1
export OPDBUS_TESTBED_T${i}_TARGET_ADDRESS=10.250.$i.2
"
  done
  json+="],\"hostBus\":{\"address\":$(json_str "$hostbus"),\"pid\":$(record_pid_of "$STATE_DIR/hostbus/dbus-daemon.pid")}"
  json+=",\"etcd\":{\"endpoint\":\"$etcd\",\"pid\":$(record_pid_of "$STATE_DIR/etcd/etcd.pid")}"
  json+=",\"btrfs\":{\"image\":$(json_str "$POOL_IMG"),\"mountpoint\":$(json_str "$POOL_MNT"),\"baseSubvolume\":$(json_str "$BASE")}}"
  sh+="export OPDBUS_TESTBED_HOST_BUS_ADDRESS=$(printf %q "$hostbus")
export OPDBUS_TESTBED_HOST_BUS_PID=$(record_pid_of "$STATE_DIR/hostbus/dbus-daemon.pid")
export OPDBUS_TESTBED_ETCD_ENDPOINT=$etcd
export OPDBUS_TESTBED_ETCD_PID=$(record_pid_of "$STATE_DIR/etcd/etcd.pid")
export OPDBUS_TESTBED_BTRFS_IMAGE=$(printf %q "$POOL_IMG")
export OPDBUS_TESTBED_BTRFS_MOUNTPOINT=$(printf %q "$POOL_MNT")
export OPDBUS_TESTBED_BTRFS_BASE_SUBVOLUME=$(printf %q "$BASE")
"
  # env.json last and atomically: its presence means "complete".
  printf '%s' "$sh" >"$STATE_DIR/env.sh.tmp"
  mv "$STATE_DIR/env.sh.tmp" "$STATE_DIR/env.sh"
  printf '%s\n' "$json" >"$STATE_DIR/env.json.tmp"
  mv "$STATE_DIR/env.json.tmp" "$STATE_DIR/env.json"
}

# ---------------------------------------------------------------------------------------------

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
