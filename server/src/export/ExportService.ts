import {
  briefingBookDocument,
  buildPlanExport,
  COHORT_EXPORT_FORMATS,
  type CohortExportFormat,
  cohortBriefingDocument,
  type ExportContext,
  formatDate,
  PLAN_EXPORT_FORMATS,
  type PlanExport,
  type PlanExportFormat,
  type User,
} from '@lever/shared'
import type * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { JurisdictionService } from '../domain/jurisdictions.ts'
import type { PlanRecord, PlanService } from '../domain/plans.ts'
import type { PlanThreads } from '../domain/threadDocuments.ts'
import { planCsv } from './csv.ts'
import { ExportLimiter } from './ExportLimiter.ts'
import { exportFileName } from './filename.ts'
import { planMarkdown } from './markdown.ts'
import { type PdfPrinter, PdfUnavailableError } from './PdfPrinter.ts'

/** A stored version of a plan, as a document (version history provides it). */
export interface VersionSource {
  /** The plan document as it was at a version, or null when the plan has no such version. */
  load(planId: string, versionId: string): Promise<Y.Doc | null>
}

/** Raised for an unknown `?version=`; the API answers 404 `version_not_found`. */
export class VersionNotFoundError extends Error {}

export interface ExportFile {
  body: Uint8Array | string
  contentType: string
  fileName: string
}

export interface ExportServiceDeps {
  rooms: RoomManager
  plans: PlanService
  jurisdictions: JurisdictionService
  printer: PdfPrinter
  /** The plans' comment threads (for the appendix, only those the person exporting may read). */
  threads: PlanThreads
  /** Stored versions; without it, every `?version=` is unknown. */
  versions?: VersionSource
  /** Today, `YYYY-MM-DD` (tests fix it). */
  today?: () => string
  /** Exports made at once (default 2) and waiting at most (default 16); more are refused. */
  concurrency?: number
  maxWaiting?: number
}

const today = () => new Date().toISOString().slice(0, 10)

/**
 * Builds the one export model of a plan (from the live document, read through its room so editing
 * goes on undisturbed, or from a stored version) and hands it to the renderer of each format.
 */
export class ExportService {
  private readonly limiter: ExportLimiter

  constructor(private readonly deps: ExportServiceDeps) {
    this.limiter = new ExportLimiter(deps.concurrency ?? 2, deps.maxWaiting ?? 16)
  }

  private async context(
    plan: PlanRecord,
    version: ExportContext['version'],
    includeComments: boolean,
    threadDocs: readonly Y.Doc[] = [],
  ): Promise<ExportContext> {
    const j = await this.deps.jurisdictions.get(plan.jurisdictionId)
    return {
      planId: plan.id,
      jurisdiction: j
        ? { id: j.id, name: j.name, agency: j.agency, kind: j.kind, state: j.state }
        : { id: plan.jurisdictionId, name: plan.jurisdictionId, agency: '', kind: '', state: '' },
      version,
      asOf: (this.deps.today ?? today)(),
      includeComments,
      threadDocs,
    }
  }

  /**
   * The export model of a plan: its live state, or a stored version's. Comments (the current
   * threads, for a version too) are those `reader` may read; without a reader, none.
   */
  async model(
    plan: PlanRecord,
    options: { versionId?: string; includeComments?: boolean; reader?: User } = {},
  ): Promise<PlanExport> {
    const reader = options.reader
    if (options.includeComments && reader) {
      return this.deps.threads.readable(reader, plan.id, (docs) =>
        this.modelWith(
          plan,
          options,
          docs.map((d) => d.doc),
        ),
      )
    }
    return this.modelWith(plan, { ...options, includeComments: false }, [])
  }

  private async modelWith(
    plan: PlanRecord,
    options: { versionId?: string; includeComments?: boolean },
    threadDocs: readonly Y.Doc[],
  ): Promise<PlanExport> {
    const includeComments = options.includeComments ?? false
    if (options.versionId !== undefined) {
      const doc = (await this.deps.versions?.load(plan.id, options.versionId)) ?? null
      if (!doc) throw new VersionNotFoundError(`This plan has no version ${options.versionId}`)
      try {
        return buildPlanExport(
          doc,
          await this.context(plan, { id: options.versionId, label: options.versionId }, includeComments, threadDocs),
        )
      } finally {
        doc.destroy()
      }
    }
    const context = await this.context(plan, null, includeComments, threadDocs)
    return this.deps.rooms.withRoom(plan.docName, (room) => buildPlanExport(room.doc, context))
  }

  /** A plan in one format. */
  planFile(
    plan: PlanRecord,
    format: PlanExportFormat,
    options: { versionId?: string; includeComments?: boolean; reader?: User } = {},
  ): Promise<ExportFile> {
    return this.limiter.run(() => this.makePlanFile(plan, format, options))
  }

  private async makePlanFile(
    plan: PlanRecord,
    format: PlanExportFormat,
    options: { versionId?: string; includeComments?: boolean; reader?: User },
  ): Promise<ExportFile> {
    // Say so before loading anything.
    if (format === 'pdf' && !this.deps.printer.available)
      throw new PdfUnavailableError(this.deps.printer.unavailableMessage)
    const model = await this.model(plan, options)
    const spec = PLAN_EXPORT_FORMATS.find((f) => f.id === format) ?? PLAN_EXPORT_FORMATS[0]
    const fileName = exportFileName([model.jurisdiction.name, model.title, model.asOf], spec.extension)
    return { body: await this.render(model, format), contentType: spec.contentType, fileName }
  }

  private async render(model: PlanExport, format: PlanExportFormat): Promise<Uint8Array | string> {
    switch (format) {
      case 'pdf':
        return this.deps.printer.print(
          briefingBookDocument(model),
          `${model.jurisdiction.name} · ${model.title} · ${model.versionLabel} · as of ${formatDate(model.asOf)}`,
        )
      // The Word and Excel writers load on the first export that needs them (they are megabytes
      // of code a server that never exports should not keep resident).
      case 'docx':
        return (await import('./docx.ts')).planDocx(model)
      case 'xlsx':
        return (await import('./xlsx.ts')).planXlsx(model)
      case 'csv':
        return planCsv(model)
      case 'md':
        return planMarkdown(model)
    }
  }

  /** The facilitators' roll-up of every plan of the cohort. */
  cohortFile(format: CohortExportFormat): Promise<ExportFile> {
    return this.limiter.run(() => this.makeCohortFile(format))
  }

  private async makeCohortFile(format: CohortExportFormat): Promise<ExportFile> {
    if (format === 'pdf' && !this.deps.printer.available)
      throw new PdfUnavailableError(this.deps.printer.unavailableMessage)
    const models: PlanExport[] = []
    // One plan at a time: a cohort is tens of plans, and each room is unloaded again after.
    for (const plan of await this.deps.plans.listAll()) models.push(await this.model(plan))
    const jurisdictions = await this.deps.jurisdictions.list()
    const asOf = (this.deps.today ?? today)()
    const spec = COHORT_EXPORT_FORMATS.find((f) => f.id === format) ?? COHORT_EXPORT_FORMATS[0]
    const fileName = exportFileName(['Cohort roll-up', asOf], spec.extension)
    const body =
      format === 'pdf'
        ? await this.deps.printer.print(
            cohortBriefingDocument(models, jurisdictions, asOf),
            `Cohort roll-up · as of ${formatDate(asOf)}`,
          )
        : await (await import('./cohortXlsx.ts')).cohortXlsx(models, jurisdictions)
    return { body, contentType: spec.contentType, fileName }
  }
}
