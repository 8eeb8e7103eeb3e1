export * from './errors.ts'
export * from './plan/index.ts'
export * from './protocol.ts'
