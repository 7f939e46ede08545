// Delivery of e-mail: SMTP through nodemailer, or the development mailbox (demo mode
// without SMTP: messages stay in the outbox table and are shown on /dev/mail).
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

export interface MailMessage {
  /** The outbox row this message comes from: its Message-ID is made from it (messageIdOf). */
  outboxId: number;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * The SMTP URL with `pool=true` unless it says otherwise: a connection per message cost
 * ~120 ms here (the round trips of the greeting, EHLO, MAIL, RCPT, DATA and QUIT), so the
 * worker sent ~10 e-mails a second; a few kept-open connections send one in ~8 ms.
 */
export function pooledSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return url.toString();
}

/**
 * The Message-ID of an outbox row's e-mail, `<row-id@host of PUBLIC_URL>`: a copy sent again
 * after a crash (sent, but not yet marked sent) is the same message, and mail clients and
 * servers that deduplicate by Message-ID show it once.
 */
export function messageIdOf(outboxId: number, publicUrl: string): string {
  return `<${outboxId}@${new URL(publicUrl).hostname}>`;
}

export function createMailTransport(config: Config): MailTransport {
  if (!config.smtpUrl) {
    // The development mailbox: the outbox row itself is the delivered message.
    return { send: async () => undefined, close: () => undefined };
  }
  const transporter = nodemailer.createTransport(pooledSmtpUrl(config.smtpUrl));
  return {
    async send({ outboxId, ...message }) {
      await transporter.sendMail({
        from: config.mailFrom,
        messageId: messageIdOf(outboxId, config.publicUrl),
        ...message,
      });
    },
    close: () => transporter.close(),
  };
}
