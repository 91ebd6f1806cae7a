// `email` target: one message through SMTP (nodemailer) with the PDF and the workbook attached and a
// short plain-text body of the key figures, in the brief's language. Host, user and password come
// from ${ENV} in the config, so they are secrets: never logged, removed from error messages.
import nodemailer from 'nodemailer';
import type { DistributeTarget } from '../config/schema.js';
import type { Lang } from '../reports/document.js';
import type { Deliver, Parcel } from './types.js';

type EmailTarget = Extract<DistributeTarget, { type: 'email' }>;

const WORDS: Record<Lang, { keyFigures: string; attached: string; generated: string; none: string }> = {
  en: { keyFigures: 'Key figures', attached: 'Attached', generated: 'Generated', none: 'No key figures in this brief.' },
  zh: { keyFigures: '主要数据', attached: '附件', generated: '生成时间', none: '本简报没有主要数据。' },
  ja: { keyFigures: '主要指標', attached: '添付', generated: '作成日時', none: 'この報告には主要指標がありません。' },
};

/** The plain-text body: title, key figures, what is attached. */
export function emailBody(parcel: Parcel, attached: readonly string[]): string {
  const w = WORDS[parcel.lang] ?? WORDS.en;
  const lines = [parcel.title, ''];
  if (parcel.keyFigures.length === 0) lines.push(w.none);
  else {
    lines.push(`${w.keyFigures}:`);
    for (const k of parcel.keyFigures) lines.push(`- ${k.label}: ${k.text}${k.note ? ` (${k.note})` : ''}`);
  }
  lines.push('', `${w.attached}: ${attached.join(', ') || '-'}`);
  lines.push(`${w.generated}: ${parcel.generatedAt ?? parcel.date} · sha256 ${parcel.contentSha256.slice(0, 12)}`);
  return `${lines.join('\n')}\n`;
}

export const deliverEmail: Deliver<EmailTarget> = async (target, parcel) => {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.user ? { auth: { user: target.user, pass: target.password ?? '' } } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  try {
    const files = parcel.files.filter((f) => f.name.endsWith('.pdf') || f.name.endsWith('.xlsx'));
    const info = await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: `${parcel.title} — ${parcel.date}`,
      text: emailBody(parcel, files.map((f) => f.name)),
      attachments: files.map((f) => ({
        filename: f.name,
        path: f.path,
        contentType: f.name.endsWith('.pdf') ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      })),
    });
    return `${files.length} attachments → ${target.to.length} recipient${target.to.length === 1 ? '' : 's'} (${info.response ?? 'sent'})`;
  } finally {
    transport.close();
  }
};
