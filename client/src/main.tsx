import { enablePlainValidationMessages } from '@lever/shared'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { queryClient } from './api/queryClient.ts'
import { App } from './app/App.tsx'
import './styles.css'

// Forms check input with the shared schemas: their messages in plain words, as the server's.
enablePlainValidationMessages()

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element')
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
