# shellcheck shell=bash
# Shared by up.sh, down.sh and exec-in-target.sh: naming, logging, process records and the
# teardown. Sourced, never run. Everything the testbed creates is named from the constants
# below so that teardown can find leftovers even when the state directory is gone.

STATE_DIR=${OPDBUS_TESTBED_DIR:-/run/op-dbus-testbed}
# One testbed per machine: netns, veth and cgroup names are global, so the lock is too.
LOCK_FILE=/run/lock/op-dbus-testbed.lock
TARGET_PREFIX=opdbus-t      # targets are opdbus-t1, opdbus-t2, ...
VETH_PREFIX=ve-opdbus-t     # host end of each target's veth (<= 15 chars up to t999)
CGROUP_PREFIX=opdbus-testbed-
STATE_MARKER=.op-dbus-testbed  # teardown only deletes a state dir that carries this marker
# Survives teardown: the rootfs tarball (~100 MB) that makes the next up.sh take seconds.
CACHE_DIR=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/op-dbus-testbed

_T0=${EPOCHREALTIME/./}

log() {
  local us=$((${EPOCHREALTIME/./} - _T0))
  printf '[testbed %3d.%ds] %s\n' $((us / 1000000)) $((us / 100000 % 10)) "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

require_root() {
  [[ $(id -u) -eq 0 ]] || {
    echo "op-dbus testbed: must run as root (it mounts, creates namespaces and boots containers)" >&2
    exit 1
  }
}

check_state_dir() {
  # The teardown removes this directory recursively: refuse anything that is not clearly ours.
  [[ $STATE_DIR == /* && $STATE_DIR != / && $STATE_DIR != *..* ]] ||
    die "OPDBUS_TESTBED_DIR must be an absolute path other than / (got '$STATE_DIR')"
}

take_lock() {
  mkdir -p "${LOCK_FILE%/*}"
  # fd 9 is closed for every daemon we start (9>&-), or they would hold the lock forever.
  exec 9>"$LOCK_FILE"
  flock -w 600 9 || die "another up.sh/down.sh holds $LOCK_FILE"
}

# The cgroup hierarchies a container cgroup is created in. On this hybrid layout nspawn needs
# the name=systemd and the unified hierarchy; on a pure cgroup2 host only the root.
cgroup_roots() {
  if [[ -e /sys/fs/cgroup/cgroup.controllers ]]; then
    echo /sys/fs/cgroup
  else
    local h
    for h in systemd unified; do
      if [[ -d /sys/fs/cgroup/$h ]]; then echo "/sys/fs/cgroup/$h"; fi
    done
  fi
  return 0
}

# First line of a file. Not $(<FILE): under set -e, bash 5.2 exits silently when that file
# is missing, even with `|| return`, and /proc/PID files vanish at any moment.
read_line() { # FILE
  local line=""
  { IFS= read -r line <"$1"; } 2>/dev/null || [[ -n $line ]] || return 1
  printf '%s\n' "$line"
}

# A process record is "PID STARTTIME": the start time (field 22 of /proc/PID/stat) tells our
# process apart from a later one that reuses the PID.
proc_starttime() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  local -a f
  read -ra f <<<"${stat##*) }"
  echo "${f[19]}"
}

record_pid() { # FILE PID
  local st
  st=$(proc_starttime "$2") || return 1
  echo "$2 $st" >"$1"
}

# True while the recorded process exists and is not a zombie. kill -0 is no use here: PID 1 on
# these machines reaps orphans late, so a dead daemon lingers as a zombie and still "exists".
record_alive() { # FILE
  local pid st stat
  [[ -r $1 ]] || return 1
  read -r pid st <"$1" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || return 1
  local -a f
  read -ra f <<<"${stat##*) }"
  [[ ${f[0]} != Z && ${f[0]} != X && ${f[19]} == "$st" ]]
}

record_pid_of() { # FILE -> PID
  local pid st
  read -r pid st <"$1"
  echo "$pid"
}

# Sends SIGTERM to every recorded process still alive, waits up to TIMEOUT seconds for all of
# them, then SIGKILLs the rest. Recorded processes are stopped in parallel because each
# container takes 0.5-2 s to power off.
stop_recorded() { # TIMEOUT FILE...
  local timeout=$1 f deadline
  shift
  local -a live=()
  for f in "$@"; do
    if record_alive "$f"; then
      kill -TERM "$(record_pid_of "$f")" 2>/dev/null || true
      live+=("$f")
    fi
  done
  ((${#live[@]})) || return 0
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    local -a still=()
    for f in "${live[@]}"; do
      if record_alive "$f"; then still+=("$f"); fi
    done
    ((${#still[@]})) || return 0
    sleep 0.1
  done
  for f in "${live[@]}"; do
    if record_alive "$f"; then
      log "$(record_pid_of "$f") ($f) ignored SIGTERM for ${timeout}s, sending SIGKILL"
      kill -KILL "$(record_pid_of "$f")" 2>/dev/null || true
    fi
  done
  deadline=$((SECONDS + 5))
  for f in "${live[@]}"; do
    while record_alive "$f" && ((SECONDS < deadline)); do sleep 0.1; done
  done
}

# Containers power off when nspawn gets SIGTERM: it sends SIGRTMIN+3 ("halt") to the
# container's systemd. A container still early in boot has no handler for it yet and drops it
# (measured: nspawn then waits forever), so the halt signal is re-sent to the container's init
# every 2 s. At 10 s a second SIGTERM makes nspawn kill the container outright; at 20 s
# nspawn itself is killed and the cgroup sweep in testbed_teardown gets the rest.
stop_containers() { # NSPAWN-RECORD...
  local f init start=$SECONDS nudged=$SECONDS second_term=0
  local -a live=() still
  for f in "$@"; do
    if record_alive "$f"; then
      kill -TERM "$(record_pid_of "$f")" 2>/dev/null || true
      live+=("$f")
    fi
  done
  while ((${#live[@]})); do
    still=()
    for f in "${live[@]}"; do
      if record_alive "$f"; then still+=("$f"); fi
    done
    live=("${still[@]}")
    ((${#live[@]})) || break
    if ((SECONDS - start >= 20)); then
      log "killing nspawn for ${#live[@]} container(s) that did not halt in 20 s"
      for f in "${live[@]}"; do kill -KILL "$(record_pid_of "$f")" 2>/dev/null || true; done
      for f in "${live[@]}"; do
        while record_alive "$f" && ((SECONDS - start < 25)); do sleep 0.1; done
      done
      break
    elif ((SECONDS - start >= 10 && !second_term)); then
      for f in "${live[@]}"; do kill -TERM "$(record_pid_of "$f")" 2>/dev/null || true; done
      second_term=1
    elif ((SECONDS - nudged >= 2)); then
      for f in "${live[@]}"; do
        if init=$(init_pid_of_record "$f"); then kill -s RTMIN+3 "$init" 2>/dev/null || true; fi
      done
      nudged=$SECONDS
    fi
    sleep 0.1
  done
}

# Live (non-zombie) PIDs in a cgroup directory and all its children.
cgroup_live_pids() { # DIR
  local pid stat
  local -a all
  # cat, not a redirection: cgroups disappear while we read them.
  mapfile -t all < <(find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null)
  for pid in "${all[@]}"; do
    { read -r stat <"/proc/$pid/stat"; } 2>/dev/null || continue
    local -a f
    read -ra f <<<"${stat##*) }"
    if [[ ${f[0]} != Z && ${f[0]} != X ]]; then echo "$pid"; fi
  done
  return 0
}

# A debootstrap that died (or was killed with up.sh) leaves /proc and /sys mounted inside its
# build directory; unmount those before deleting it.
remove_stale_builds() {
  local dir mnt
  for dir in "$CACHE_DIR"/build.*; do
    [[ -d $dir ]] || continue
    while IFS= read -r mnt; do
      umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    rm -rf --one-file-system "$dir"
  done
}

# Tears down everything up.sh makes: by records in the state dir first, then by name for
# anything a crashed run left without a record. Safe to run when nothing is up.
testbed_teardown() {
  local f d name root
  local -a pids

  # 1. Containers: SIGTERM to nspawn powers the container off cleanly.
  local -a records=()
  for f in "$STATE_DIR"/targets/*/nspawn.pid; do
    if [[ -e $f ]]; then records+=("$f"); fi
  done
  if ((${#records[@]})); then
    log "stopping ${#records[@]} container(s)"
    stop_containers "${records[@]}"
  fi

  # 2. Whatever still runs in our container cgroups was started by a container of ours
  #    (e.g. a run killed before it wrote its record).
  while IFS= read -r root; do
    for d in "$root/$CGROUP_PREFIX"*; do
      [[ -d $d ]] || continue
      mapfile -t pids < <(cgroup_live_pids "$d")
      if ((${#pids[@]})); then
        log "killing leftover processes in $d: ${pids[*]}"
        kill -KILL "${pids[@]}" 2>/dev/null || true
      fi
    done
  done < <(cgroup_roots)

  # 3. Host-side daemons.
  local -a daemons=()
  for f in "$STATE_DIR/hostbus/dbus-daemon.pid" "$STATE_DIR/etcd/etcd.pid"; do
    if [[ -e $f ]]; then daemons+=("$f"); fi
  done
  if ((${#daemons[@]})); then
    log "stopping host dbus-daemon and etcd"
    stop_recorded 10 "${daemons[@]}"
  fi

  # 4. Network: deleting the netns destroys host0 and with it the host end of the veth.
  while read -r name _; do
    if [[ $name == "$TARGET_PREFIX"* ]]; then ip netns delete "$name"; fi
  done < <(ip netns list 2>/dev/null)
  while read -r name; do
    ip link delete "$name" 2>/dev/null || true
  done < <(ip -o link show 2>/dev/null | awk -F': ' -v p="$VETH_PREFIX" 'index($2, p) == 1 { sub(/@.*/, "", $2); print $2 }')
  # `ip netns add` turns /run/netns into a mount point; drop it when nobody else uses it.
  if mountpoint -q /run/netns 2>/dev/null && [[ -z $(ls -A /run/netns) ]]; then
    if umount /run/netns; then rmdir /run/netns 2>/dev/null || true; fi
  fi

  # 5. Cgroups, children before parents (nspawn and the container's systemd create sub-cgroups).
  #    A cgroup whose last task is an unreaped zombie cannot be removed yet: retry briefly.
  local deadline=$((SECONDS + 10))
  while IFS= read -r root; do
    for d in "$root/$CGROUP_PREFIX"*; do
      [[ -d $d ]] || continue
      while :; do
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [[ -d $d ]] || break
        ((SECONDS < deadline)) || { log "WARNING: could not remove cgroup $d"; break; }
        sleep 0.2
      done
    done
  done < <(cgroup_roots)

  # 6. nspawn keeps per-container state under /run/systemd/nspawn and cannot delete it itself
  #    when /run is not a tmpfs (as on these machines): "Attempted to remove disk file
  #    system ... and we can't allow that". Its image lock is named after the root's inode.
  local nspawn_run=/run/systemd/nspawn
  for d in "$STATE_DIR"/pool/"$TARGET_PREFIX"*; do
    if [[ -d $d ]]; then rm -f "$nspawn_run/locks/inode-$(stat -c %d:%i "$d")"; fi
  done
  rm -rf "$nspawn_run/propagate/$TARGET_PREFIX"*
  rmdir "$nspawn_run/locks" "$nspawn_run/propagate" "$nspawn_run" 2>/dev/null || true

  # 7. The btrfs pool, then the state dir (never across a file system boundary, so a pool
  #    that failed to unmount is not emptied by rm).
  local mnt=$STATE_DIR/pool img=$STATE_DIR/pool.img loopdev
  if mountpoint -q "$mnt" 2>/dev/null; then
    local _
    for _ in {1..10}; do
      umount "$mnt" 2>/dev/null && break
      sleep 0.3
    done
    if mountpoint -q "$mnt"; then die "cannot unmount $mnt (still busy); see: lsof +f -- $mnt"; fi
  fi
  if [[ -e $img ]]; then
    while read -r loopdev; do
      if [[ -n $loopdev ]]; then losetup -d "${loopdev%%:*}" 2>/dev/null || true; fi
    done < <(losetup -j "$img" 2>/dev/null)
  fi
  remove_stale_builds
  if [[ -d $STATE_DIR ]]; then
    if [[ -e $STATE_DIR/$STATE_MARKER ]]; then
      rm -rf --one-file-system "$STATE_DIR"
    else
      log "WARNING: $STATE_DIR has no $STATE_MARKER marker; not deleting it"
    fi
  fi
}

# Host PID of a target's init (its systemd, PID 1 inside): the child of the recorded nspawn
# process whose innermost PID namespace number is 1.
container_init_pid() { # NAME
  init_pid_of_record "$STATE_DIR/targets/$1/nspawn.pid"
}

init_pid_of_record() { # NSPAWN-RECORD
  local pid child nspid
  record_alive "$1" || return 1
  pid=$(record_pid_of "$1")
  # shellcheck disable=SC2013 # the file is a space-separated list of PIDs
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$child/status" 2>/dev/null) || continue
    if [[ $nspid == 1 ]]; then
      echo "$child"
      return 0
    fi
  done
  return 1
}
