export * from './api.ts'
export * from './SessionModel.ts'
