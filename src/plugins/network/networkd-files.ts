// Reads systemd-networkd's administrator configuration (/etc/systemd/network: .network, .netdev, .link
// files and their .d/*.conf drop-ins) through the machine root, redacted and summarized.
import type { RootFs } from '../../machine/root-fs.js';
import type { SectionRedaction } from '../../state/redact.js';
import { redactNetworkdFile } from './redact-networkd-file.js';
import type { NetworkdFile, NetworkdFileKind } from './schema.js';
import { summarizeNetworkdFile } from './summarize-networkd-file.js';

export const NETWORKD_CONFIG_DIR = '/etc/systemd/network';
const FILE_NAME = /\.(network|netdev|link)$/;
const DROP_IN_DIR = /\.(network|netdev|link)\.d$/;
const DROP_IN_NAME = /\.conf$/;

interface Candidate {
  path: string;
  kind: NetworkdFileKind;
  symlink: boolean;
}

async function listCandidates(files: RootFs): Promise<Candidate[]> {
  const entries = await files.readDir(NETWORKD_CONFIG_DIR);
  const nested = await Promise.all(
    entries.map(async (entry): Promise<Candidate[]> => {
      const path = `${NETWORKD_CONFIG_DIR}/${entry.name}`;
      const fileKind = FILE_NAME.exec(entry.name)?.[1] as NetworkdFileKind | undefined;
      if (fileKind && entry.kind !== 'directory')
        return [{ path, kind: fileKind, symlink: entry.kind === 'symlink' }];
      const dropInKind = DROP_IN_DIR.exec(entry.name)?.[1] as NetworkdFileKind | undefined;
      if (!dropInKind || (entry.kind !== 'directory' && entry.kind !== 'symlink')) return [];
      const dropIns = await files.readDir(path);
      return dropIns
        .filter((dropIn) => DROP_IN_NAME.test(dropIn.name) && dropIn.kind !== 'directory')
        .map((dropIn) => ({
          path: `${path}/${dropIn.name}`,
          kind: dropInKind,
          symlink: dropIn.kind === 'symlink',
        }));
    }),
  );
  return nested.flat();
}

async function readCandidate(files: RootFs, candidate: Candidate): Promise<NetworkdFile | undefined> {
  if (candidate.symlink && (await files.readLink(candidate.path)) === '/dev/null') {
    return { kind: candidate.kind, masked: true, content: '', summary: {} };
  }
  const text = await files.readText(candidate.path);
  // A dangling symlink configures nothing.
  if (text === undefined) return undefined;
  return { kind: candidate.kind, masked: false, content: text, summary: {} };
}

export interface NetworkdFiles {
  files: Record<string, NetworkdFile>;
  redactions: SectionRedaction[];
}

/** Files keyed by path in sorted order; secrets withheld, each redaction placed at its file's content. */
export async function readNetworkdFiles(files: RootFs): Promise<NetworkdFiles> {
  const candidates = (await listCandidates(files)).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const read = await Promise.all(candidates.map((candidate) => readCandidate(files, candidate)));
  const out: Record<string, NetworkdFile> = {};
  const redactions: SectionRedaction[] = [];
  candidates.forEach((candidate, index) => {
    const file = read[index];
    if (!file) return;
    const redacted = redactNetworkdFile(file.content);
    if (redacted.reasons.length > 0) {
      redactions.push({
        path: ['config', 'files', candidate.path, 'content'],
        reason: redacted.reasons.join('; '),
      });
    }
    // The summary is read from the redacted text, so no secret can reach it.
    out[candidate.path] = {
      ...file,
      content: redacted.text,
      summary: summarizeNetworkdFile(file.kind, redacted.text),
    };
  });
  return { files: out, redactions };
}
