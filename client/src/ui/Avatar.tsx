import { initialsOf } from '../app/identity.ts'

/** A person's initials on their colour. Decorative: put the name in text next to it. */
export function Avatar({ name, color, size = 'md' }: { name: string; color: string; size?: 'sm' | 'md' }) {
  return (
    <span className={`avatar avatar--${size}`} style={{ backgroundColor: color }} aria-hidden="true" title={name}>
      {initialsOf(name)}
    </span>
  )
}
