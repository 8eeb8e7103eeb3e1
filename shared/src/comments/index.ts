export * from './marks.ts'
export * from './ThreadModel.ts'
