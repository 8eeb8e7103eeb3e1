export * from './errors.ts'
export * from './protocol.ts'
