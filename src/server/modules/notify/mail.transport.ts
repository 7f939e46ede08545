// Delivery of e-mail: SMTP through nodemailer, or the development mailbox (demo mode
// without SMTP: messages stay in the outbox table and are shown on /dev/mail).
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailTransport(config: Config): MailTransport {
  if (!config.smtpUrl) {
    // The development mailbox: the outbox row itself is the delivered message.
    return { send: async () => undefined, close: () => undefined };
  }
  const transporter = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(message) {
      await transporter.sendMail({ from: config.mailFrom, ...message });
    },
    close: () => transporter.close(),
  };
}
