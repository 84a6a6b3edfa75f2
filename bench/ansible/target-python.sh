#!/bin/bash
# Ansible's python interpreter for `npm run bench`: the target's own python3, entered through
# test/testbed/exec-in-target.sh. With pipelining Ansible writes the module to stdin, so nothing is
# copied into the target. OPDBUS_BENCH_TARGET names the target (set by bench/discover.mjs).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../../test/testbed/exec-in-target.sh" "${OPDBUS_BENCH_TARGET:?names the testbed target}" \
  /usr/bin/python3 "$@"
