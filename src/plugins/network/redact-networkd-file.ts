// Withholds secrets in networkd files. The shared redactConfigText catches secret-named settings such as
// WireGuard's PrivateKey= and PresharedKey=; networkd also keeps a key under a name that is only secret in
// its section: MACsec's Key= (in [MACsecTransmitAssociation] / [MACsecReceiveAssociation]).
import { REDACTED, type RedactedText, redactConfigText } from '../../state/redact.js';

const SECTION_HEADER = /^\s*\[([^\]]+)\]\s*$/;
const ASSIGNMENT = /^(\s*([A-Za-z0-9]+)\s*=\s*)(.*)$/;

function isNetworkdSecret(section: string, key: string): boolean {
  return key === 'Key' && section.startsWith('MACsec');
}

export function redactNetworkdFile(text: string): RedactedText {
  const reasons = new Set<string>();
  let section = '';
  const withoutKeys = text
    .split('\n')
    .map((line) => {
      const header = SECTION_HEADER.exec(line);
      if (header) {
        section = (header[1] as string).trim();
        return line;
      }
      if (/^\s*[#;]/.test(line)) return line;
      const assignment = ASSIGNMENT.exec(line);
      if (!assignment) return line;
      const [, prefix, key, value] = assignment as unknown as [string, string, string, string];
      if (value.trim() === '' || value === REDACTED || !isNetworkdSecret(section, key)) return line;
      reasons.add(`networkd key ${section}.${key}`);
      return `${prefix}${REDACTED}`;
    })
    .join('\n');
  const general = redactConfigText(withoutKeys);
  return { text: general.text, reasons: [...reasons, ...general.reasons] };
}
