import { briefingBookBody, buildPlanExport, type Jurisdiction, type PlanSummary } from '@lever/shared'
import type * as Y from 'yjs'

/** The briefing book's HTML for the plan open in this browser (the same renderer as the server's PDF). */
export function briefingBookHtml(doc: Y.Doc, plan: PlanSummary, jurisdiction: Jurisdiction | null): string {
  return briefingBookBody(
    buildPlanExport(doc, {
      planId: plan.id,
      jurisdiction: jurisdiction
        ? {
            id: jurisdiction.id,
            name: jurisdiction.name,
            agency: jurisdiction.agency,
            kind: jurisdiction.kind,
            state: jurisdiction.state,
          }
        : { id: plan.jurisdictionId, name: plan.jurisdictionId, agency: '', kind: '', state: '' },
      version: null,
      asOf: new Date().toISOString().slice(0, 10),
    }),
  )
}
