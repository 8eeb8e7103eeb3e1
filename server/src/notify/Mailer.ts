import type { Transporter } from 'nodemailer'
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
  /** Made with the first email: nodemailer loads only on a server that sends mail. */
  private transport: Promise<Transporter> | null = null
  private closed = false

  constructor(
    private readonly smtpUrl: string | null,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.smtpUrl !== null
  }

  private transporter(smtpUrl: string): Promise<Transporter> {
    this.transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(smtpUrl))
    return this.transport
  }

  /** Sends one email; failures are logged (without the body) and reported as false, never thrown. */
  async send(email: Email): Promise<boolean> {
    if (!this.smtpUrl || this.closed) return false
    try {
      const transport = await this.transporter(this.smtpUrl)
      await transport.sendMail({ from: this.from, ...email })
      return true
    } catch (error) {
      this.logger.warn({ err: error, subject: email.subject }, 'an email could not be sent')
      return false
    }
  }

  close(): void {
    this.closed = true
    void this.transport?.then(
      (transport) => transport.close(),
      () => undefined,
    )
  }
}
