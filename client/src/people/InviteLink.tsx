import { useId, useRef, useState } from 'react'

/**
 * A one-time link to set a password, shown to the facilitator (there is no mail server), with a
 * button that copies it. The field is read-only and selected on focus so it can also be copied
 * by hand.
 */
export function InviteLink({ url, name, onDone }: { url: string; name: string; onDone?: () => void }) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('yes')
    } catch {
      input.current?.select()
      setCopied('no')
    }
  }
  return (
    <div className="invite-link" data-testid="invite-link">
      <p className="invite-link__intro">
        Send this link to <strong>{name}</strong>. It works once, for 7 days, and lets them set their password. Anyone
        with the link can use it, so send it only to them.
      </p>
      <div className="invite-link__row">
        <label htmlFor={id} className="visually-hidden">
          Invitation link for {name}
        </label>
        <input id={id} ref={input} readOnly value={url} onFocus={(e) => e.target.select()} />
        <button type="button" className="button button--primary" onClick={copy}>
          Copy link
        </button>
        {onDone ? (
          <button type="button" className="button" onClick={onDone}>
            Done
          </button>
        ) : null}
      </div>
      <p className="invite-link__status" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'Selected: press Ctrl+C to copy it.' : ''}
      </p>
    </div>
  )
}
