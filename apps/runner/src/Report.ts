import { stringify } from "csv-stringify/sync"
import type { JournalStep } from "./Journal.js"
import type { Step } from "./Step.js"

/** One report line. */
export interface ReportRow {
  readonly step: string
  readonly organizationId: string
  readonly externalId: string
  readonly organization: string
  readonly action: string
  readonly outcome: string
  readonly errorCode: string
  readonly message: string
}

/** Report lines from a plan's steps and their journal records, in plan order. */
export const reportRows = (
  steps: ReadonlyArray<Step>,
  journal: ReadonlyArray<JournalStep>
): ReadonlyArray<ReportRow> => {
  const byId = new Map(journal.map((j) => [j.stepId, j]))
  return steps.map((step) => {
    const record = byId.get(step.id)
    return {
      step: step.id,
      organizationId: record?.organizationId ?? step.organization.id ?? "",
      externalId: step.organization.externalId ?? "",
      organization: step.organization.name,
      action: step.action._tag,
      outcome: record?.outcome ?? (record?.state === "started" ? "interrupted" : "not-run"),
      errorCode: record?.errorCode ?? "",
      message: record?.message ?? ""
    }
  })
}

/** A value as one cell of text: empty for null or undefined, JSON for objects. */
export const cell = (value: unknown): string =>
  value === null || value === undefined
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value)

// Spreadsheets run cells starting with these as formulas (OWASP "CSV injection").
const formulaStart = /^[=+\-@\t\r]/

/** Neutralises a cell a spreadsheet would evaluate, by prefixing a single quote. */
export const safeCell = (value: string): string => (formulaStart.test(value) ? `'${value}` : value)

const columns: ReadonlyArray<keyof ReportRow> = [
  "step",
  "organizationId",
  "externalId",
  "organization",
  "action",
  "outcome",
  "errorCode",
  "message"
]

/** The report as CSV with a header row, safe to open in a spreadsheet. */
export const toCsv = (rows: ReadonlyArray<ReportRow>): string =>
  stringify(
    rows.map((row) => columns.map((c) => safeCell(row[c]))),
    { header: true, columns: [...columns] }
  )

/** The report as NDJSON, one object per line. */
export const toNdjson = (rows: ReadonlyArray<ReportRow>): string =>
  rows.map((r) => `${JSON.stringify(r)}\n`).join("")

/** Whether a run succeeded: every step applied or already satisfied. */
export const succeeded = (rows: ReadonlyArray<ReportRow>): boolean =>
  rows.every((r) => r.outcome === "applied" || r.outcome === "satisfied")
