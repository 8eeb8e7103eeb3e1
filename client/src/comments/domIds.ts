/** Element ids of the comments UI. */
export const commentDomIds = {
  sidebar: 'comments-sidebar',
  sidebarHeading: 'comments-heading',
  filter: 'comments-filter',
  draftBody: 'comment-draft-body',
  thread: (id: string) => `thread-${id}`,
  threadHeading: (id: string) => `thread-${id}-heading`,
  reply: (id: string) => `thread-${id}-reply`,
  comment: (id: string) => `comment-${id}`,
} as const
