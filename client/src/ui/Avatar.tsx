import { initialsOf } from './initials.ts'

/**
 * A person's initials on their colour. Decorative: put the name in text next to it. `initials`
 * replaces the ones made from the name (see `distinctInitials` for people shown together).
 */
export function Avatar({
  name,
  color,
  size = 'md',
  initials,
}: {
  name: string
  color: string
  size?: 'sm' | 'md'
  initials?: string
}) {
  const text = initials ?? initialsOf(name)
  return (
    <span
      className={`avatar avatar--${size}${text.length > 2 ? ' avatar--long' : ''}`}
      style={{ backgroundColor: color }}
      aria-hidden="true"
      title={name}
    >
      {text}
    </span>
  )
}
