import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A message the test SMTP server received, parsed. */
export interface ReceivedMail {
  to: string[]
  subject: string
  text: string
  headers: ParsedMail['headers']
  /** The header section as it arrived, one header per line. */
  headerText: string
}

/**
 * A real SMTP server on a free loopback port (the `smtp-server` package), keeping every message it
 * receives. Lever's mailer talks to it over SMTP exactly as it would to a production relay.
 */
export async function startSmtpServer(): Promise<{ url: string; messages: ReceivedMail[]; close(): Promise<void> }> {
  const messages: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            headers: mail.headers,
            // Unfolded (RFC 5322 folds long headers onto continuation lines).
            headerText: mail.headerLines.map((h) => h.line.replace(/\r?\n[ \t]+/g, ' ')).join('\n'),
          })
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
