import { Organizations } from "@bullseye-partner/core/Organizations"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { stringify } from "csv-stringify/sync"
import { Effect, Stream } from "effect"
import { cell, safeCell } from "./Report.js"

/** What can be exported. */
export type ExportKind = "organizations" | "visitors" | "webhook-logs"

/** CSV columns of each kind, as dotted paths into the API's objects (objects left are written as JSON). */
export const exportColumns: Record<ExportKind, ReadonlyArray<string>> = {
  organizations: [
    "id",
    "name",
    "externalId",
    "status",
    "tier",
    "credits",
    "creditsUsed",
    "creditsAvailable",
    "productType",
    "billingPeriod",
    "billingDayOfMonth",
    "ownerUserId",
    "metadata",
    "createdAt",
    "updatedAt",
    "canceledAt"
  ],
  visitors: [
    "id",
    "organizationId",
    "identifiedAt",
    "lastSeenAt",
    "email",
    "firstName",
    "lastName",
    "jobTitle",
    "linkedinUrl",
    "location.city",
    "location.region",
    "location.country",
    "company.name",
    "company.domain",
    "company.industry",
    "company.employeeCount",
    "company.employeeSizeRange",
    "icpMatch",
    "icpScore",
    "matchedIcpConfigId",
    "sessionCount",
    "pageViewCount",
    "landingPage",
    "referrer",
    "utm.source",
    "utm.medium",
    "utm.campaign",
    "utm.term",
    "utm.content"
  ],
  "webhook-logs": [
    "id",
    "type",
    "event",
    "organizationId",
    "url",
    "status",
    "attempts",
    "responseStatus",
    "error",
    "durationMs",
    "createdAt",
    "lastAttemptAt",
    "nextRetryAt"
  ]
}

// Each column's path split once, not once per exported row.
const columnPaths: Record<ExportKind, ReadonlyArray<ReadonlyArray<string>>> = {
  organizations: exportColumns.organizations.map((c) => c.split(".")),
  visitors: exportColumns.visitors.map((c) => c.split(".")),
  "webhook-logs": exportColumns["webhook-logs"].map((c) => c.split("."))
}

const at = (value: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined,
    value
  )

/** One CSV line of an item (formula-injection safe). */
export const csvLine = (kind: ExportKind, item: unknown): string =>
  stringify([columnPaths[kind].map((path) => safeCell(cell(at(item, path))))])

/** The CSV header line of a kind. */
export const csvHeader = (kind: ExportKind): string => stringify([[...exportColumns[kind]]])

/** Which organizations' visitors or logs to export: one, or all of them. */
export type ExportScope = { readonly _tag: "One"; readonly organizationId: string } | { readonly _tag: "All" }

// Streams are covariant: widening the item type needs no per-item Stream.map.
const anyItems = <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<unknown, E, R> => stream

/** The items of a kind as a stream, page by page through the rate-limit governor (constant memory). */
export const items = (kind: ExportKind, scope: ExportScope) =>
  Effect.gen(function* () {
    const organizations = yield* Organizations
    const webhooks = yield* Webhooks
    switch (kind) {
      case "organizations":
        return scope._tag === "One"
          ? Stream.fromEffect(organizations.get(scope.organizationId))
          : anyItems(organizations.listAll())
      case "visitors":
        return scope._tag === "One"
          ? anyItems(organizations.listAllVisitors(scope.organizationId))
          : anyItems(
              organizations
                .listAll()
                .pipe(Stream.flatMap((org) => organizations.listAllVisitors(org.id), { concurrency: 2 }))
            )
      case "webhook-logs":
        return anyItems(
          webhooks.logsAll(scope._tag === "One" ? { organizationId: scope.organizationId } : {})
        )
    }
  }).pipe(Stream.unwrap)

/** The export as lines of text: NDJSON, or CSV with a header. */
export const lines = (kind: ExportKind, scope: ExportScope, format: "ndjson" | "csv") => {
  const line =
    format === "csv" ? (item: unknown) => csvLine(kind, item) : (item: unknown) => `${JSON.stringify(item)}\n`
  const body = items(kind, scope).pipe(Stream.map(line))
  return format === "csv" ? Stream.concat(Stream.make(csvHeader(kind)), body) : body
}
