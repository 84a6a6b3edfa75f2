// Reads systemd-networkd's administrator configuration (/etc/systemd/network: .network, .netdev, .link
// files and their .d/*.conf drop-ins) through the machine root, redacted and summarized.
import type { RootFs } from '../../machine/root-fs.js';
import type { SectionRedaction } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import type { FileProblem } from '../shared/file-problem.js';
import {
  isDropInName,
  NETWORKD_CONFIG_DIR,
  networkdKindOfDropInDir,
  networkdKindOfFileName,
} from './networkd-path.js';
import { redactNetworkdFile } from './redact-networkd-file.js';
import type { NetworkdFile, NetworkdFileKind, NetworkdFileSummary } from './schema.js';
import { summarizeNetworkdFile } from './summarize-networkd-file.js';

export { NETWORKD_CONFIG_DIR } from './networkd-path.js';

interface Candidate {
  path: string;
  kind: NetworkdFileKind;
  symlink: boolean;
}

function unreadable(path: string, error: unknown): FileProblem {
  return { path, line: null, text: null, reason: (error as Error).message };
}

/** Entries of `dir`, or none with a problem recorded when it cannot be listed. */
async function listDir(files: RootFs, dir: string, problems: FileProblem[]) {
  try {
    return await files.readDir(dir);
  } catch (error) {
    problems.push(unreadable(dir, error));
    return [];
  }
}

async function listCandidates(files: RootFs, problems: FileProblem[]): Promise<Candidate[]> {
  const entries = await listDir(files, NETWORKD_CONFIG_DIR, problems);
  const nested = await Promise.all(
    entries.map(async (entry): Promise<Candidate[]> => {
      const path = `${NETWORKD_CONFIG_DIR}/${entry.name}`;
      const fileKind = networkdKindOfFileName(entry.name);
      if (fileKind && entry.kind !== 'directory')
        return [{ path, kind: fileKind, symlink: entry.kind === 'symlink' }];
      const dropInKind = networkdKindOfDropInDir(entry.name);
      if (!dropInKind || (entry.kind !== 'directory' && entry.kind !== 'symlink')) return [];
      const dropIns = await listDir(files, path, problems);
      return dropIns
        .filter((dropIn) => isDropInName(dropIn.name) && dropIn.kind !== 'directory')
        .map((dropIn) => ({
          path: `${path}/${dropIn.name}`,
          kind: dropInKind,
          symlink: dropIn.kind === 'symlink',
        }));
    }),
  );
  return nested.flat();
}

type CandidateRead = { file: NetworkdFile } | { problem: FileProblem } | undefined;

/**
 * One file, or the reason it cannot be read: a WireGuard .netdev holding a private key is normally 0640
 * root:systemd-network, so a non-root discover meets EACCES there and must still report the other files.
 */
async function readCandidate(files: RootFs, candidate: Candidate): Promise<CandidateRead> {
  try {
    if (candidate.symlink && (await files.readLink(candidate.path)) === '/dev/null') {
      return { file: { kind: candidate.kind, masked: true, content: '' } };
    }
    const text = await files.readText(candidate.path);
    // A dangling symlink configures nothing.
    if (text === undefined) return undefined;
    return { file: { kind: candidate.kind, masked: false, content: text } };
  } catch (error) {
    return { problem: unreadable(candidate.path, error) };
  }
}

export interface NetworkdFiles {
  files: Record<string, NetworkdFile>;
  /** The summary of each file in `files`, by path. */
  summaries: Record<string, NetworkdFileSummary>;
  /** Files and directories that could not be read, and so are missing from `files`. */
  problems: FileProblem[];
  redactions: SectionRedaction[];
}

/** Files keyed by path in sorted order; secrets withheld, each redaction placed at its file's content. */
export async function readNetworkdFiles(files: RootFs): Promise<NetworkdFiles> {
  const problems: FileProblem[] = [];
  const candidates = (await listCandidates(files, problems)).sort((a, b) => compareStrings(a.path, b.path));
  const read = await Promise.all(candidates.map((candidate) => readCandidate(files, candidate)));
  const out: NetworkdFiles = { files: {}, summaries: {}, problems, redactions: [] };
  candidates.forEach((candidate, index) => {
    const result = read[index];
    if (!result) return;
    if ('problem' in result) {
      problems.push(result.problem);
      return;
    }
    const redacted = redactNetworkdFile(result.file.content);
    if (redacted.reasons.length > 0) {
      out.redactions.push({
        path: ['config', 'files', candidate.path, 'content'],
        reason: redacted.reasons.join('; '),
      });
    }
    out.files[candidate.path] = { ...result.file, content: redacted.text };
    // The summary is read from the redacted text, so no secret can reach it.
    out.summaries[candidate.path] = summarizeNetworkdFile(result.file.kind, redacted.text);
  });
  problems.sort((a, b) => compareStrings(a.path, b.path));
  return out;
}
