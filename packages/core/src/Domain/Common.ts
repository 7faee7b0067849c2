import { Schema, SchemaAST as AST } from "effect"

/** An opaque, non-empty identifier (the sandbox issues UUID v4; clients never validate the format). */
export const Id = Schema.String.pipe(Schema.minLength(1)).annotations({ identifier: "Id" })

/** An ISO 8601 UTC timestamp as sent on the wire, kept as a string. */
export const Timestamp = Schema.String.annotations({
  identifier: "Timestamp",
  jsonSchema: { type: "string", format: "date-time" }
})

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
const isoDate = /^\d{4}-\d{2}-\d{2}$/

// Date.parse rolls impossible dates over (2025-02-30 becomes March 2); a real date survives the round trip.
const isRealDate = (s: string): boolean => {
  const day = s.slice(0, 10)
  const ms = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day
}

const isParseable = (s: string): boolean => isRealDate(s) && !Number.isNaN(Date.parse(s))

/** An ISO 8601 datetime in a request, validated to be parseable. */
export const DateTimeString = Schema.String.pipe(
  Schema.filter((s) => (isoDateTime.test(s) && isParseable(s)) || "Expected an ISO 8601 datetime"),
  Schema.annotations({ identifier: "DateTimeString", jsonSchema: { type: "string", format: "date-time" } })
)

/** A calendar date `YYYY-MM-DD` or an ISO 8601 datetime, as date query parameters accept. */
export const DateOrDateTime = Schema.String.pipe(
  Schema.filter(
    (s) =>
      ((isoDate.test(s) || isoDateTime.test(s)) && isParseable(s)) ||
      "Expected a date (YYYY-MM-DD) or an ISO 8601 datetime"
  ),
  Schema.annotations({ identifier: "DateOrDateTime" })
)

/** A calendar date `YYYY-MM-DD` in a response. */
export const CalendarDate = Schema.String.annotations({
  identifier: "CalendarDate",
  jsonSchema: { type: "string", format: "date" }
})

/**
 * Annotation on a tolerant response schema: the AST of what the contract promises there when read strictly
 * (what the sandbox emits). The SDK decodes with the tolerant schema; the conformance checker reads this.
 */
export const StrictFormId: unique symbol = Symbol.for("@bullseye-partner/core/StrictForm")

/** The strict form of a tolerant schema node, when it has one. */
export const strictForm = (ast: AST.AST): AST.AST | undefined =>
  ast.annotations[StrictFormId] as AST.AST | undefined

/** A response schema read tolerantly, whose contract is `strict` (documented in the description). */
export const tolerant = <A, I>(lenient: Schema.Schema<A, I>, strict: Schema.Schema.AnyNoContext) =>
  lenient.annotations({ [StrictFormId]: strict.ast })

/**
 * An open enum: decodes any string; the known values are what the sandbox emits, and the conformance
 * checker reads them as the closed list the contract promises.
 */
export const OpenEnum = <const Known extends ReadonlyArray<string>>(name: string, known: Known) =>
  Schema.String.annotations({
    identifier: name,
    description: `Open enum; known values: ${known.join(", ")}`,
    examples: [known[0] ?? ""],
    [StrictFormId]: AST.Union.make(known.map((k) => new AST.Literal(k)))
  }) as unknown as Schema.Schema<Known[number] | (string & {}), string>

/** A non-negative integer. */
export const NonNegativeInt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))

/** A `#RRGGBB` colour, either case. */
export const HexColor = Schema.String.pipe(
  Schema.pattern(/^#[0-9a-fA-F]{6}$/, { message: () => "Expected a colour as # followed by 6 hex digits" }),
  Schema.annotations({ identifier: "HexColor" })
)

/** A metadata value: string (<= 500), number, boolean or null. */
export const MetadataValue = Schema.Union(
  Schema.String.pipe(Schema.maxLength(500)),
  Schema.Number,
  Schema.Boolean,
  Schema.Null
)

/** Organization metadata on the wire (responses: any flat object). */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type Metadata = typeof Metadata.Type

/** Organization metadata in requests: flat, at most 50 keys of 1..40 characters. */
export const MetadataInput = Schema.Record({
  key: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(40)),
  value: MetadataValue
}).pipe(
  Schema.filter((m) => Object.keys(m).length <= 50 || "Expected at most 50 metadata keys"),
  Schema.annotations({ identifier: "MetadataInput" })
)

/** Page fields every paginated response carries next to its item array. */
export const PageFields = {
  total: NonNegativeInt,
  page: Schema.Int,
  pageSize: Schema.Int
}

/** A query parameter that carries an integer. */
export const IntFromString = Schema.NumberFromString.pipe(Schema.int())

/** `page` and `pageSize` query parameters (pageSize 1..100). */
export const PageParams = {
  page: Schema.optional(
    IntFromString.pipe(Schema.greaterThanOrEqualTo(1)).annotations({
      description: "1-based page number (default 1)",
      jsonSchema: { type: "integer", minimum: 1 }
    })
  ),
  pageSize: Schema.optional(
    IntFromString.pipe(Schema.between(1, 100)).annotations({
      description: "Items per page, 1..100 (default 20)",
      jsonSchema: { type: "integer", minimum: 1, maximum: 100 }
    })
  )
}

/** Annotation making a payload struct refuse unknown fields. */
export const strict = { parseOptions: { onExcessProperty: "error" } } as const
