/** Says something to screen-reader users through the page's polite live region (#announcer). */
export function announce(message: string): void {
  const region = document.getElementById('announcer')
  if (!region) return
  region.textContent = ''
  // A fresh text node after a tick, so repeating the same message is announced again.
  window.setTimeout(() => {
    region.textContent = message
  }, 50)
}
