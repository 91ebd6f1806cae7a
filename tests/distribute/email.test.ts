// The email target against a real SMTP server on 127.0.0.1 (smtp-server; its built-in certificate
// has expired, so STARTTLS is off): a refused login fails the delivery without the password in any
// message; after the backoff the message arrives with the PDF and the workbook attached, byte for
// byte, and a body listing the brief's key figures.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { silentLogger } from '../../src/log.js';
import { tinyProject } from './project.js';

const PASSWORD = 'smtp-pw-3f9a1c77';

interface Received {
  raw: string;
  from: string;
  to: string[];
  user: string | undefined;
}

/** Header/body pairs of a multipart message's parts (nodemailer writes one multipart/mixed level here). */
function mimeParts(raw: string): { headers: string; body: string }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const i = p.indexOf('\r\n\r\n');
      return { headers: p.slice(0, i), body: p.slice(i + 4) };
    });
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const flat = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('email distribution', () => {
  const received: Received[] = [];
  let acceptLogin = false;
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (acceptLogin && auth.username === 'briefs' && auth.password === PASSWORD) cb(null, { user: auth.username });
        else cb(new Error('Invalid username or password'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            raw: Buffer.concat(chunks).toString('latin1'),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('fails on a refused login without leaking the password, then sends the PDF and workbook with the key figures', async () => {
    const p = tinyProject({
      brief: '{ id: hlj-japan, title: Heilongjiang and Japan, subject: CN-HL, partner: JPN, formats: [pdf, xlsx, json] }',
      distribute: ['{ type: email, id: mail, host: "${SMTP_HOST}", port: "${SMTP_PORT}", user: "${SMTP_USER}", password: "${SMTP_PASSWORD}", from: tradebrief@example.org, to: [analyst@example.org, desk@example.org] }'],
    });
    const env = { ...process.env, ...p.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: 'briefs', SMTP_PASSWORD: PASSWORD };
    const lines: string[] = [];
    const log = { ...silentLogger, info: (l: string) => lines.push(l) };
    const t0 = new Date('2026-12-02T06:00:00.000Z');

    expect(await runCommand({}, log, { env, now: () => t0 })).toBe(1);
    expect(received).toHaveLength(0);
    const failed = lines.find((l) => l.includes('mail failed'))!;
    expect(failed).toMatch(/Invalid (login|username)/);
    expect(lines.join('\n')).not.toContain(PASSWORD);

    acceptLogin = true;
    lines.length = 0;
    expect(await runCommand({}, log, { env, now: () => new Date(t0.getTime() + 3600_000) })).toBe(0);
    expect(lines.join('\n')).toMatch(/distribute hlj-japan → mail delivered: 2 attachments → 2 recipients/);
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.user).toBe('briefs');
    expect(mail.from).toBe('tradebrief@example.org');
    expect(mail.to).toEqual(['analyst@example.org', 'desk@example.org']);

    const dir = path.join(p.outputDir, 'briefs/hlj-japan/latest');
    const parts = mimeParts(mail.raw);
    const attachment = (name: string) => {
      const part = parts.find((x) => new RegExp(`filename="?${name.replace('.', '\\.')}"?`).test(x.headers));
      expect(part, `${name} attached`).toBeDefined();
      expect(part!.headers).toMatch(/Content-Transfer-Encoding: base64/i);
      return Buffer.from(part!.body.replace(/\s+/g, ''), 'base64');
    };
    const pdf = attachment('brief.pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.equals(readFileSync(path.join(dir, 'brief.pdf')))).toBe(true);
    expect(attachment('brief.xlsx').equals(readFileSync(path.join(dir, 'brief.xlsx')))).toBe(true);
    expect(parts.some((x) => /filename="?brief\.json/.test(x.headers))).toBe(false);

    const textPart = parts.find((x) => /Content-Type: text\/plain/i.test(x.headers))!;
    const body = /quoted-printable/i.test(textPart.headers) ? decodeQuotedPrintable(textPart.body) : textPart.body;
    const doc = JSON.parse(readFileSync(path.join(dir, 'brief.json'), 'utf8')) as { sections: { blocks: { type: string; items?: { label: string; text: string }[] }[] }[] };
    const keyFigures = doc.sections.flatMap((s) => s.blocks).flatMap((b) => (b.type === 'keyFigures' ? (b.items ?? []) : []));
    expect(keyFigures.length).toBeGreaterThan(0);
    expect(body).toContain('Key figures:');
    for (const k of keyFigures) expect(body).toContain(`- ${k.label}: ${k.text}`);
    expect(body).toContain('Attached: brief.pdf, brief.xlsx');
    expect(mail.raw).not.toContain(PASSWORD);

    // Unchanged: not sent again.
    expect(await runCommand({}, log, { env, now: () => new Date(t0.getTime() + 7200_000) })).toBe(0);
    expect(received).toHaveLength(1);
  });
});
