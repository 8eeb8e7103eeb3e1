import * as Y from 'yjs'
const src = new Y.Doc()
const updates: Uint8Array[] = []
src.on('update', (u: Uint8Array) => updates.push(u))
const frag = src.getXmlFragment('problem')
const p = new Y.XmlElement('paragraph'); const t = new Y.XmlText(); p.insert(0, [t]); frag.insert(0, [p])
for (let i = 0; i < 100_000; i++) { if (i % 20 === 19) t.delete(t.length - 1, 1); else t.insert(t.length, 'abcdefghij'[i % 10]!) }
console.log('updates', updates.length)
let s = performance.now()
const d1 = new Y.Doc(); d1.transact(() => { for (const u of updates) Y.applyUpdate(d1, u) })
console.log('apply each ms', (performance.now() - s).toFixed(0))
s = performance.now()
const merged = Y.mergeUpdates(updates)
const m1 = performance.now() - s
const d2 = new Y.Doc(); Y.applyUpdate(d2, merged)
console.log('merge ms', m1.toFixed(0), 'merge+apply ms', (performance.now() - s).toFixed(0), 'merged bytes', merged.byteLength)
s = performance.now()
const state = Y.encodeStateAsUpdate(d2)
const d3 = new Y.Doc(); Y.applyUpdate(d3, state)
console.log('compacted apply ms', (performance.now() - s).toFixed(0), state.byteLength)
