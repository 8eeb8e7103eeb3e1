export * from './api.ts'
export * from './marks.ts'
export * from './ThreadModel.ts'
export * from './visibility.ts'
