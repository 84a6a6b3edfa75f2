# shellcheck shell=bash
# Sourced by up.sh: the host packages the testbed needs, and the target root file system,
# built once with debootstrap and cached as a zstd tarball.

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
