import { ROLES } from '@lever/shared'
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { logoutEverywhere } from '../api/auth.ts'
import { ApiRequestError } from '../api/http.ts'
import { forgetLocalCopies } from '../collab/localCopies.ts'
import { Avatar } from '../ui/Avatar.tsx'
import { announce } from '../ui/announce.ts'
import { ChangePasswordDialog } from './ChangePasswordDialog.tsx'
import { type Identity, signedOut } from './identity.ts'

/**
 * The signed-in person's menu in the top bar: who they are, changing their password, and signing
 * out on every device. A menu button (WAI-ARIA pattern): Enter, Space or the arrow keys open it,
 * the arrow keys move between items, Escape closes it and returns focus to the button.
 */
export function PersonMenu({ identity }: { identity: Identity }) {
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [changing, setChanging] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const menuId = useId()
  const role = ROLES.find((r) => r.id === identity.user.role)?.label ?? identity.user.role

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
  const focusItem = (index: number) => {
    const all = items()
    all[(index + all.length) % all.length]?.focus()
  }
  const close = (returnFocus = true) => {
    setOpen(false)
    if (returnFocus) button.current?.focus()
  }

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const onMenuKey = (e: KeyboardEvent) => {
    const all = items()
    const at = all.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'ArrowDown') focusItem(at + 1)
    else if (e.key === 'ArrowUp') focusItem(at - 1)
    else if (e.key === 'Home') focusItem(0)
    else if (e.key === 'End') focusItem(-1)
    else if (e.key === 'Escape') close()
    else if (e.key === 'Tab') setOpen(false)
    else return
    if (e.key !== 'Tab') e.preventDefault()
  }

  const signOutEverywhere = async () => {
    close(false)
    try {
      await logoutEverywhere()
    } catch (err) {
      // Signed out already (401) is what was asked for; anything else is said and nothing changes.
      if (!(err instanceof ApiRequestError && err.status === 401)) {
        setError(err instanceof ApiRequestError ? err.message : 'Signing out everywhere failed. Try again.')
        return
      }
    }
    await forgetLocalCopies().catch(() => {})
    signedOut()
    announce('You were signed out on every device.')
    navigate('/sign-in')
  }

  return (
    <div className="person-menu">
      <button
        ref={button}
        type="button"
        className="person-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            setOpen(true)
          }
        }}
      >
        <Avatar name={identity.name} color={identity.color} size="sm" />
        <span>
          <span className="visually-hidden">Account of </span>
          {identity.name}
          <span className="topbar__role"> · {role}</span>
        </span>
        <span aria-hidden="true" className="person-menu__caret">
          ▾
        </span>
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="Your account"
          className="person-menu__list"
          onKeyDown={onMenuKey}
        >
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            onClick={() => {
              close(false)
              setChanging(true)
            }}
          >
            Change password…
          </button>
          <button type="button" role="menuitem" tabIndex={-1} onClick={signOutEverywhere}>
            Sign out everywhere
            <span className="person-menu__hint">Ends your sessions on every computer and phone</span>
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="person-menu__error" role="alert">
          {error}
        </p>
      ) : null}
      {changing ? (
        <ChangePasswordDialog
          onClose={() => {
            setChanging(false)
            button.current?.focus()
          }}
        />
      ) : null}
    </div>
  )
}
