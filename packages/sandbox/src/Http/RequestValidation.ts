import { Either, Option, ParseResult, Schema } from "effect"
import type { Issue } from "../internal/errors.js"
import type { EndpointInfo } from "./Endpoints.js"

const decodeAll = (schema: Schema.Schema<unknown, unknown>, input: unknown) =>
  Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(input)

// A union failure lists one issue per member ("Expected undefined", one per literal); clients get
// one readable issue per location instead.
const merge = (
  issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>,
  prefix: string
): ReadonlyArray<Issue> => {
  const byPath = new Map<string, { path: ReadonlyArray<string | number>; messages: Array<string> }>()
  for (const issue of issues) {
    const path = [prefix, ...issue.path.filter((p): p is string | number => typeof p !== "symbol")]
    const key = JSON.stringify(path)
    const entry = byPath.get(key) ?? { path, messages: [] }
    if (!entry.messages.includes(issue.message)) entry.messages.push(issue.message)
    byPath.set(key, entry)
  }
  return [...byPath.values()].map(({ path, messages }) => {
    const meaningful = messages.filter((m) => !m.startsWith("Expected undefined,"))
    const kept = meaningful.length > 0 ? meaningful : messages
    const expected = kept.map((m) => /^Expected (.*), actual (.*)$/s.exec(m))
    if (kept.length > 1 && expected.every((m) => m !== null && m[2] === expected[0]?.[2])) {
      return {
        path,
        message: `Expected ${expected.map((m) => m?.[1]).join(" | ")}, actual ${expected[0]?.[2] ?? ""}`
      }
    }
    return { path, message: kept.join("; ") }
  })
}

const check = (
  schema: Option.Option<Schema.Schema<unknown, unknown>>,
  input: unknown,
  prefix: string
): ReadonlyArray<Issue> => {
  if (Option.isNone(schema)) return []
  const result = decodeAll(schema.value, input)
  return Either.isLeft(result) ? merge(ParseResult.ArrayFormatter.formatErrorSync(result.left), prefix) : []
}

// Text with NUL characters cannot be stored by PostgreSQL; such input is refused for every store alike.
const nulIssues = (value: unknown, path: ReadonlyArray<string | number>): ReadonlyArray<Issue> => {
  if (typeof value === "string")
    return value.includes("\u0000") ? [{ path, message: "NUL characters are not allowed" }] : []
  if (Array.isArray(value)) return value.flatMap((item, i) => nulIssues(item, [...path, i]))
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes("\u0000")
        ? [{ path: [...path, key], message: "NUL characters are not allowed" }]
        : []),
      ...nulIssues(item, [...path, key])
    ])
  }
  return []
}

/**
 * Every problem of a request against its endpoint's schemas (path, query, body), decoded with
 * `errors: "all"` so a client can fix everything in one round trip.
 */
export const validateRequest = (
  endpoint: EndpointInfo,
  input: {
    readonly params: Readonly<Record<string, string>>
    readonly query: Readonly<Record<string, string | ReadonlyArray<string>>>
    readonly body: unknown
  }
): ReadonlyArray<Issue> => {
  const nul = [
    ...nulIssues(input.params, ["path"]),
    ...nulIssues(input.query, ["query"]),
    ...nulIssues(input.body, ["body"])
  ]
  if (nul.length > 0) return nul
  return [
    ...check(endpoint.pathSchema, input.params, "path"),
    ...check(endpoint.urlParamsSchema, input.query, "query"),
    ...check(endpoint.payloadSchema, input.body, "body")
  ]
}
