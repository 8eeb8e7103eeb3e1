export * from './api.ts'
export * from './errors.ts'
export * from './plan/index.ts'
export * from './protocol.ts'
