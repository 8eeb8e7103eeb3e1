import nodemailer, { type Transporter } from 'nodemailer'
import type { Logger } from '../logger.ts'

/** One email, in plain text (every client reads it) with optional extra headers. */
export interface Email {
  to: string
  subject: string
  text: string
  headers?: Record<string, string>
}

/**
 * Sends Lever's emails through the SMTP server of `SMTP_URL` (nodemailer). Without one, `enabled`
 * is false and nothing is sent: the app works as it does without email.
 */
export class Mailer {
  private readonly transport: Transporter | null

  constructor(
    smtpUrl: string | null,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null
  }

  get enabled(): boolean {
    return this.transport !== null
  }

  /** Sends one email; failures are logged (without the body) and reported as false, never thrown. */
  async send(email: Email): Promise<boolean> {
    if (!this.transport) return false
    try {
      await this.transport.sendMail({ from: this.from, ...email })
      return true
    } catch (error) {
      this.logger.warn({ err: error, subject: email.subject }, 'an email could not be sent')
      return false
    }
  }

  close(): void {
    this.transport?.close()
  }
}
