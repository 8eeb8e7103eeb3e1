import * as prng from 'lib0/prng'
import * as Y from 'yjs'

/** One random edit of the shared types the tests use (text, XML, list, map), drawn from `gen`. */
export function randomEdit(gen: prng.PRNG, doc: Y.Doc): void {
  const text = doc.getText('text')
  const xml = doc.getXmlFragment('xml')
  const list = doc.getArray<string>('list')
  const map = doc.getMap<string>('map')
  switch (prng.int32(gen, 0, 7)) {
    case 0:
    case 1:
      text.insert(prng.int32(gen, 0, text.length), `${prng.word(gen, 1, 6)} `)
      break
    case 2:
      if (text.length > 0) {
        const at = prng.int32(gen, 0, text.length - 1)
        text.delete(at, prng.int32(gen, 1, Math.min(5, text.length - at)))
      }
      break
    case 3: {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(prng.word(gen, 1, 8))])
      xml.insert(prng.int32(gen, 0, xml.length), [p])
      break
    }
    case 4: {
      const p = xml.length > 0 ? xml.get(prng.int32(gen, 0, xml.length - 1)) : null
      const t = p instanceof Y.XmlElement ? p.get(0) : null
      if (t instanceof Y.XmlText) t.insert(prng.int32(gen, 0, t.length), prng.word(gen, 1, 4))
      else if (xml.length > 0) xml.delete(prng.int32(gen, 0, xml.length - 1), 1)
      break
    }
    case 5:
      list.insert(prng.int32(gen, 0, list.length), [prng.word(gen, 1, 5)])
      break
    case 6:
      if (list.length > 0) list.delete(prng.int32(gen, 0, list.length - 1), 1)
      break
    default:
      map.set(`k${prng.int32(gen, 0, 5)}`, prng.word(gen, 1, 6))
  }
}
