// Choosing the base of an incremental stream (pure). Versions are matched by identity (the UUID in their
// manifests, which every received copy shares), never by name: a receiver restored from a backup, or one that
// names versions differently, still gets an incremental from the newest tree both sides really hold.
import type { Manifest } from './manifest.js';

export interface ReceiverVersion {
  name: string;
  uuid: string;
}

export type ParentChoice =
  | { kind: 'incremental'; base: Manifest }
  | { kind: 'full'; reason: string }
  | { kind: 'already-there'; receiverName: string };

/** The newest local version (other than the one sent) that the receiver also has; `local` is newest first. */
export function chooseAutoParent(
  sending: Manifest,
  local: readonly Manifest[],
  receiverHas: readonly ReceiverVersion[],
): ParentChoice {
  const present = receiverHas.find(
    (version) => version.uuid === sending.uuid && version.name === sending.name,
  );
  if (present) return { kind: 'already-there', receiverName: present.name };
  const receiverUuids = new Set(receiverHas.map((version) => version.uuid));
  const base = local.find(
    (candidate) => candidate.name !== sending.name && receiverUuids.has(candidate.uuid),
  );
  if (base) return { kind: 'incremental', base };
  return {
    kind: 'full',
    reason:
      receiverHas.length === 0
        ? 'the receiver has no versions'
        : 'the receiver has none of the versions in this store',
  };
}
