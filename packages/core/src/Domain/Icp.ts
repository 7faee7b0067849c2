import { Schema } from "effect"
import { OpenEnum, tolerant } from "./Common.js"

/** Condition types whose value is a string (matched case-insensitively). */
export const StringConditionTypes = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "page_contains",
  "page_equals",
  "industry",
  "country",
  "region",
  "city",
  "domain",
  "job_title",
  "linkedin_url",
  "employee_size_range",
  "company_name"
] as const

/** Condition types whose value is a number. */
export const NumberConditionTypes = [
  "page_view_count",
  "session_count",
  "last_seen_days",
  "company_size",
  "icp_score"
] as const

/** Condition types whose value is a boolean. */
export const BooleanConditionTypes = ["icp_match", "persona_match"] as const

/** Every known ICP condition type. */
export const ConditionType = Schema.Literal(
  ...StringConditionTypes,
  ...NumberConditionTypes,
  ...BooleanConditionTypes
)
export type ConditionType = typeof ConditionType.Type

/** Every known ICP comparator. */
export const Comparator = Schema.Literal(
  "eq",
  "neq",
  "in",
  "not_in",
  "contains",
  "not_contains",
  "starts_with",
  "gt",
  "gte",
  "lt",
  "lte"
)
export type Comparator = typeof Comparator.Type

/** The value kind a condition type expects. */
export type ValueKind = "string" | "number" | "boolean"

const kindByType: Record<ConditionType, ValueKind> = {
  ...Object.fromEntries(StringConditionTypes.map((t) => [t, "string"])),
  ...Object.fromEntries(NumberConditionTypes.map((t) => [t, "number"])),
  ...Object.fromEntries(BooleanConditionTypes.map((t) => [t, "boolean"]))
} as Record<ConditionType, ValueKind>

/** The value kind of a condition type. */
export const valueKind = (type: ConditionType): ValueKind => kindByType[type]

/** Comparators allowed for each value kind; page_* types narrow strings to `eq` and `in`. */
export const allowedComparators = (type: ConditionType): ReadonlyArray<Comparator> => {
  if (type === "page_contains" || type === "page_equals") return ["eq", "in"]
  switch (valueKind(type)) {
    case "string":
      return ["eq", "neq", "in", "not_in", "contains", "not_contains", "starts_with"]
    case "number":
      return ["eq", "neq", "gt", "gte", "lt", "lte", "in"]
    case "boolean":
      return ["eq"]
  }
}

/** The `employee_size_range` values the vendor uses. */
export const EmployeeSizeRanges = [
  "1-10",
  "11-50",
  "51-200",
  "201-500",
  "501-1000",
  "1001-5000",
  "5000+"
] as const

const ConditionValue = Schema.Union(
  Schema.String,
  Schema.Number,
  Schema.Boolean,
  Schema.Array(Schema.Union(Schema.String, Schema.Number, Schema.Boolean))
)

const conditionProblem = (c: {
  readonly type: ConditionType
  readonly comparator: Comparator
  readonly value: typeof ConditionValue.Type
}): string | undefined => {
  const allowed = allowedComparators(c.type)
  if (!allowed.includes(c.comparator)) {
    return `Comparator "${c.comparator}" is not allowed for type "${c.type}" (allowed: ${allowed.join(", ")})`
  }
  const kind = valueKind(c.type)
  const isList = c.comparator === "in" || c.comparator === "not_in"
  if (isList) {
    if (!Array.isArray(c.value) || c.value.length === 0) {
      return `Comparator "${c.comparator}" expects a non-empty array of ${kind} values`
    }
    if (!c.value.every((v) => typeof v === kind)) return `Every value of "${c.type}" must be a ${kind}`
    return undefined
  }
  if (Array.isArray(c.value) || typeof c.value !== kind) {
    return `Comparator "${c.comparator}" on "${c.type}" expects a single ${kind} value`
  }
  return undefined
}

/** One ICP condition: a type, a comparator allowed for it and a value of the right kind. */
export const IcpCondition = Schema.Struct({
  type: ConditionType,
  comparator: Comparator,
  value: ConditionValue,
  optional: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).pipe(
  Schema.filter((c) => {
    const problem = conditionProblem(c)
    return problem === undefined ? undefined : { path: ["value"], message: problem }
  }),
  Schema.annotations({ identifier: "IcpCondition" })
)
export type IcpCondition = typeof IcpCondition.Type

/** A group of conditions combined with AND or OR. */
export const IcpGroup = Schema.Struct({
  operator: Schema.Literal("AND", "OR"),
  conditions: Schema.NonEmptyArray(IcpCondition)
}).annotations({ identifier: "IcpGroup" })
export type IcpGroup = typeof IcpGroup.Type

/** ICP rules: groups are OR-ed together. */
export const IcpRules = Schema.Struct({
  groups: Schema.NonEmptyArray(IcpGroup)
}).annotations({ identifier: "IcpRules" })
export type IcpRules = typeof IcpRules.Type

/**
 * One ICP condition as returned: type and comparator are open (the vendor's type table is cut off and
 * most comparators are our guess) and the value is whatever the server stores for them.
 */
export const OpenIcpCondition = Schema.Struct({
  type: OpenEnum("IcpConditionType", ConditionType.literals),
  comparator: OpenEnum("IcpComparator", Comparator.literals),
  value: tolerant(Schema.Unknown, ConditionValue).annotations({
    description: "A string, number or boolean, or a non-empty array of them for `in` and `not_in`"
  }),
  optional: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).annotations({ identifier: "OpenIcpCondition" })
export type OpenIcpCondition = typeof OpenIcpCondition.Type

/** A group of returned conditions. */
export const OpenIcpGroup = Schema.Struct({
  operator: Schema.Literal("AND", "OR"),
  conditions: Schema.Array(OpenIcpCondition)
}).annotations({ identifier: "OpenIcpGroup" })
export type OpenIcpGroup = typeof OpenIcpGroup.Type

/** ICP rules as returned: any `IcpRules` is one, and so is a rule this SDK does not know yet. */
export const OpenIcpRules = Schema.Struct({
  groups: Schema.Array(OpenIcpGroup)
}).annotations({ identifier: "OpenIcpRules" })
export type OpenIcpRules = typeof OpenIcpRules.Type
