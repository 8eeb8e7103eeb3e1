export * from './api.ts'
export * from './proseJson.ts'
