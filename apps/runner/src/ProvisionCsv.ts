import { parse } from "csv-parse/sync"
import { Either } from "effect"
import type { Problem } from "./internal/problems.js"
import { decodeAt } from "./internal/problems.js"
import { duplicateExternalIds, ProvisionEntry } from "./Spec.js"

/** Columns of a provisioning CSV besides `metadata.<key>` ones. */
export const provisionColumns = [
  "name",
  "externalId",
  "tier",
  "initialCredits",
  "productType",
  "billingPeriod",
  "billingDayOfMonth",
  "ownerUserId"
] as const

const integerColumns: ReadonlySet<string> = new Set(["initialCredits", "billingDayOfMonth"])

interface Row {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

const readRows = (text: string): Either.Either<ReadonlyArray<Row>, Problem> => {
  try {
    const raw: unknown = parse(text, {
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true
    })
    const rows: Array<Row> = []
    for (const item of raw as ReadonlyArray<{ record: ReadonlyArray<string>; info: { lines: number } }>) {
      rows.push({ line: item.info.lines, fields: item.record })
    }
    return Either.right(rows)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return Either.left({ location: "", message: `not valid CSV: ${message}` })
  }
}

// A cell that looks like a number becomes one; JSON-ish cells stay text so the schema reports them.
const cellValue = (column: string, cell: string): unknown => {
  if (integerColumns.has(column)) return /^-?\d+$/.test(cell) ? Number(cell) : cell
  return cell
}

const metadataValue = (cell: string): unknown => {
  if (cell === "true") return true
  if (cell === "false") return false
  if (cell === "null") return null
  return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell
}

/**
 * Parses provisioning rows: a header row naming columns (`name`, `externalId`, `tier`, `initialCredits`,
 * `productType`, `billingPeriod`, `billingDayOfMonth`, `ownerUserId`, `metadata.<key>`), then one
 * organization per row; empty cells are left out. Every problem is located as `<file>:<line>.<column>`.
 */
export const parseProvisionCsv = (
  text: string,
  file: string
): Either.Either<ReadonlyArray<ProvisionEntry>, ReadonlyArray<Problem>> => {
  const rows = readRows(text)
  if (Either.isLeft(rows)) return Either.left([{ location: file, message: rows.left.message }])
  const [header, ...body] = rows.right
  if (header === undefined) return Either.left([{ location: file, message: "the file is empty" }])
  const problems: Array<Problem> = []
  const columns = header.fields.map((c) => c.trim())
  columns.forEach((column, i) => {
    const known = (provisionColumns as ReadonlyArray<string>).includes(column) || /^metadata\..+/.test(column)
    if (!known)
      problems.push({
        location: `${file}:${header.line}.column ${i + 1}`,
        message: `unknown column "${column}" (known: ${provisionColumns.join(", ")}, metadata.<key>)`
      })
    if (columns.indexOf(column) !== i)
      problems.push({
        location: `${file}:${header.line}.column ${i + 1}`,
        message: `duplicate column "${column}"`
      })
  })
  for (const required of ["name", "externalId"]) {
    if (!columns.includes(required))
      problems.push({ location: `${file}:${header.line}`, message: `missing column "${required}"` })
  }
  if (problems.length > 0) return Either.left(problems)
  const entries: Array<ProvisionEntry> = []
  const lines: Array<number> = []
  for (const row of body) {
    if (row.fields.length !== columns.length) {
      problems.push({
        location: `${file}:${row.line}`,
        message: `expected ${columns.length} cells, found ${row.fields.length}`
      })
      continue
    }
    const record: Record<string, unknown> = {}
    const metadata: Record<string, unknown> = {}
    columns.forEach((column, i) => {
      const cell = (row.fields[i] ?? "").trim()
      if (cell === "") return
      if (column.startsWith("metadata.")) metadata[column.slice("metadata.".length)] = metadataValue(cell)
      else record[column] = cellValue(column, cell)
    })
    if (Object.keys(metadata).length > 0) record["metadata"] = metadata
    const decoded = decodeAt(ProvisionEntry, record, `${file}:${row.line}`)
    if (Either.isLeft(decoded)) problems.push(...decoded.left)
    else {
      entries.push(decoded.right)
      lines.push(row.line)
    }
  }
  problems.push(...duplicateExternalIds(entries, (i) => `${file}:${lines[i]}.externalId`))
  return problems.length > 0 ? Either.left(problems) : Either.right(entries)
}
