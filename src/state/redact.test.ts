import { describe, expect, it } from 'vitest';
import { REDACTED, redactConfigText, redactPrivateKeysDeep, type SectionRedaction } from './redact.js';

describe('redactConfigText', () => {
  it('redacts secret-named Environment assignments and keeps the others', () => {
    const unit = [
      '[Service]',
      'Environment=DB_PASSWORD=hunter2 LOG_LEVEL=debug',
      'Environment="API_TOKEN=abc def" "PORT=8080"',
      'ExecStart=/usr/bin/app --listen 0.0.0.0',
    ].join('\n');
    const { text, reasons } = redactConfigText(unit);
    expect(text).toBe(
      [
        '[Service]',
        `Environment=DB_PASSWORD=${REDACTED} LOG_LEVEL=debug`,
        `Environment="API_TOKEN=${REDACTED}" "PORT=8080"`,
        'ExecStart=/usr/bin/app --listen 0.0.0.0',
      ].join('\n'),
    );
    expect(reasons).toEqual(['secret-named setting DB_PASSWORD', 'secret-named setting API_TOKEN']);
  });

  it('redacts secret-named command-line options in either form', () => {
    const { text } = redactConfigText('ExecStart=/usr/bin/agent --token abc123 --password=s3cret --verbose');
    expect(text).toBe(`ExecStart=/usr/bin/agent --token ${REDACTED} --password=${REDACTED} --verbose`);
  });

  it('redacts whole values of secret-named keys (env files, WireGuard keys)', () => {
    const { text } = redactConfigText(
      'PrivateKey=yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nListenPort=51820\nPGPASSWORD="x y"',
    );
    expect(text).toBe(`PrivateKey=${REDACTED}\nListenPort=51820\nPGPASSWORD=${REDACTED}`);
  });

  it('redacts systemd credential values but not credential file paths', () => {
    const { text } = redactConfigText('SetCredential=db:hunter2\nLoadCredential=tls:/etc/ssl/app.pem');
    expect(text).toBe(`SetCredential=db:${REDACTED}\nLoadCredential=tls:/etc/ssl/app.pem`);
  });

  it('leaves harmless text untouched', () => {
    const input = '# Listen on all addresses\n[Unit]\nDescription=Token bucket limiter\n';
    expect(redactConfigText(input)).toEqual({ text: input, reasons: [] });
  });

  it('redacts secrets in commented-out lines too', () => {
    const { text } = redactConfigText('#PrivateKey=abc\n; Environment=API_TOKEN=xyz\n#PresharedKey = def');
    expect(text).toBe(
      `#PrivateKey=${REDACTED}\n; Environment=API_TOKEN=${REDACTED}\n#PresharedKey = ${REDACTED}`,
    );
  });

  it('redacts PEM private keys embedded in text', () => {
    const input =
      'before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\nafter';
    expect(redactConfigText(input).text).toBe(`before\n${REDACTED}\nafter`);
  });
});

describe('redactPrivateKeysDeep', () => {
  it('replaces private keys anywhere in a value and records each path', () => {
    const found: SectionRedaction[] = [];
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const out = redactPrivateKeysDeep({ a: [{ b: key }], c: 'plain' }, ['sections', 'x'], found);
    expect(out).toEqual({ a: [{ b: REDACTED }], c: 'plain' });
    expect(found).toEqual([{ path: ['sections', 'x', 'a', 0, 'b'], reason: 'PEM private key' }]);
  });
});

describe('secret names and forms seen in the wild', () => {
  it.each([
    ['Environment=DB_PASS=hunter2', `Environment=DB_PASS=${REDACTED}`],
    ['Environment=MYSQL_PWD=hunter2', `Environment=MYSQL_PWD=${REDACTED}`],
    ['Environment=AWS_CREDENTIALS=hunter2', `Environment=AWS_CREDENTIALS=${REDACTED}`],
    ['Environment=BASIC_AUTH=user:hunter2', `Environment=BASIC_AUTH=${REDACTED}`],
    ['Environment=GITHUB_PAT=ghp_hunter2', `Environment=GITHUB_PAT=${REDACTED}`],
    ['Environment=PASSWORD=a\\ b LEVEL=1', `Environment=PASSWORD=${REDACTED} LEVEL=1`],
    [
      'Environment=DATABASE_URL=postgres://app:hunter2@db/app',
      `Environment=DATABASE_URL=postgres://app:${REDACTED}@db/app`,
    ],
    [
      'ExecStart=/usr/bin/sync https://bot:hunter2@example.org/repo',
      `ExecStart=/usr/bin/sync https://bot:${REDACTED}@example.org/repo`,
    ],
  ])('%s', (input, expected) => {
    expect(redactConfigText(input).text).toBe(expected);
  });

  it.each([
    'LoadCredential=tls:/etc/ssl/app.pem',
    'PassEnvironment=LANG',
    'Environment=AUTHOR=jan',
    'Description=Token bucket',
    'ExecStart=/usr/bin/curl https://example.org/path',
  ])('keeps %s', (input) => {
    expect(redactConfigText(input).text).toBe(input);
  });
});

describe('redaction cost', () => {
  it('handles a 1 MiB line without rescanning it from every position', () => {
    // Quadratic matching took minutes here; a linear pass takes milliseconds. The result proves it finished.
    const line = `${'y'.repeat(1024 * 1024)} TOKEN=abc`;
    expect(redactConfigText(line).text.endsWith(`TOKEN=${REDACTED}`)).toBe(true);
  });
});
