import type { InboxItem } from '../domain/threadIndex.ts'
import type { Email } from './Mailer.ts'

/** What every notification email carries: where to change settings, and a one-click unsubscribe. */
export interface MailLinks {
  baseUrl: string
  unsubscribeToken: string
}

function footer(links: MailLinks): string {
  return [
    '',
    '—',
    'You get this email from Lever, your cohort’s action-plan workspace.',
    `Choose which emails you get: ${links.baseUrl}/settings/notifications`,
    `Stop all emails from Lever: ${links.baseUrl}/unsubscribe/${links.unsubscribeToken}`,
  ].join('\n')
}

/** RFC 2369 / RFC 8058 headers so mail programs offer a one-click unsubscribe. */
function unsubscribeHeaders(links: MailLinks): Record<string, string> {
  return {
    'List-Unsubscribe': `<${links.baseUrl}/api/notifications/unsubscribe/${links.unsubscribeToken}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  }
}

function quoteBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
}

/** "Ana mentioned you" / "Ana replied to your comment", with the comment and a link to the thread. */
export function commentEmail(
  to: string,
  notice: { reason: 'mention' | 'reply'; authorName: string; body: string; quote: string },
  plan: { title: string; href: string },
  links: MailLinks,
): Email {
  const who = notice.authorName || 'Someone'
  const what = notice.reason === 'mention' ? 'mentioned you' : 'replied to your comment'
  const lines = [
    `${who} ${what} on “${plan.title}”:`,
    '',
    ...(notice.quote ? [`On “${notice.quote.slice(0, 200)}”:`, ''] : []),
    quoteBlock(notice.body),
    '',
    `Open the conversation: ${plan.href}`,
    footer(links),
  ]
  return {
    to,
    subject: `${who} ${what} on ${plan.title}`,
    text: lines.join('\n'),
    headers: unsubscribeHeaders(links),
  }
}

/** The daily digest: what is unread in the person's inbox. */
export function digestEmail(to: string, items: InboxItem[], links: MailLinks): Email {
  const lines = [
    `${items.length} ${items.length === 1 ? 'conversation has' : 'conversations have'} news for you in Lever:`,
    '',
    ...items
      .slice(0, 20)
      .flatMap((item) => [
        `• ${item.anchorLabel} · ${item.planTitle}${item.mentionsMe ? ' (mentions you)' : ''}`,
        `  ${item.lastCommentByName || 'Someone'}: ${item.excerpt}`,
        `  ${links.baseUrl}/plans/${encodeURIComponent(item.planId)}?thread=${encodeURIComponent(item.threadId)}`,
        '',
      ]),
    ...(items.length > 20 ? [`…and ${items.length - 20} more in your inbox: ${links.baseUrl}/inbox`, ''] : []),
    footer(links),
  ]
  return {
    to,
    subject: `Lever: ${items.length} unread ${items.length === 1 ? 'conversation' : 'conversations'}`,
    text: lines.join('\n'),
    headers: unsubscribeHeaders(links),
  }
}

/** The invitation to join Lever, with the one-time link to set a password. */
export function inviteEmail(to: string, name: string, inviteUrl: string, invitedBy: string): Email {
  return {
    to,
    subject: 'You are invited to Lever',
    text: [
      `Hello ${name},`,
      '',
      `${invitedBy} invited you to Lever, the workspace where your cohort writes its job-quality action plans.`,
      '',
      `Set your password and sign in: ${inviteUrl}`,
      '',
      'The link works once and expires in a week. If you did not expect this, ignore this email.',
    ].join('\n'),
  }
}
