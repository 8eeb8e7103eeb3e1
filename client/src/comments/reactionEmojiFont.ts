// Noto Color Emoji (SIL Open Font License 1.1, via @fontsource/noto-color-emoji), only the two
// subsets that hold the reaction emoji (about 750 KB, fetched when a reaction is first shown):
// computers without an emoji font (many Linux desktops) would show empty boxes otherwise. The WOFF
// files, as Chromium draws nothing from these WOFF2 ones (their colour tables get dropped).
import symbolsUrl from '@fontsource/noto-color-emoji/files/noto-color-emoji-2-400-normal.woff?url'
import handsUrl from '@fontsource/noto-color-emoji/files/noto-color-emoji-9-400-normal.woff?url'

/** The font family of the reaction emoji (see `.reaction-emoji` in comments.css). */
export const REACTION_EMOJI_FAMILY = 'Lever Reaction Emoji'

let added = false

/** Makes the reaction emoji font known to the page (once; the browser loads it when used). */
export function addReactionEmojiFont(): void {
  if (added || typeof FontFace === 'undefined' || typeof document === 'undefined') return
  added = true
  // ✅ ❓ and 👍 🙏, with the emoji variation selector.
  document.fonts.add(
    new FontFace(REACTION_EMOJI_FAMILY, `url(${symbolsUrl}) format('woff')`, {
      unicodeRange: 'U+2705, U+2753, U+FE0F',
    }),
  )
  document.fonts.add(
    new FontFace(REACTION_EMOJI_FAMILY, `url(${handsUrl}) format('woff')`, { unicodeRange: 'U+1F44D, U+1F64F' }),
  )
}
