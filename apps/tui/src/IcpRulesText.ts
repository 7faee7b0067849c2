import {
  allowedComparators,
  Comparator,
  ConditionType,
  IcpRules,
  type OpenIcpCondition,
  type OpenIcpRules,
  valueKind
} from "@bullseye-partner/core/Domain/Icp"
import { Either, ParseResult, Schema } from "effect"

/**
 * ICP rules as one line of text, for the rule editor:
 * `industry in Technology,Software && company_size gte 50 || ?country eq US`.
 * `||` separates groups (any group may match); inside a group `&&` means every condition must hold
 * and `;` that any may; a leading `?` marks a condition optional.
 */
export const rulesHelp =
  "type comparator value; && all, ; any, || next group, ?optional, in a,b,c — e.g. industry in Technology,Software && company_size gte 50"

const conditionText = (c: OpenIcpCondition): string => {
  const value = Array.isArray(c.value) ? c.value.join(",") : String(c.value)
  return `${c.optional ? "?" : ""}${c.type} ${c.comparator} ${value}`
}

/** Rules written in the editor's syntax. */
export const formatRules = (rules: OpenIcpRules): string =>
  rules.groups
    .map((g) => g.conditions.map(conditionText).join(g.operator === "AND" ? " && " : " ; "))
    .join(" || ")

const scalar = (
  kind: "string" | "number" | "boolean",
  raw: string
): string | number | boolean | undefined => {
  if (kind === "string") return raw
  if (kind === "number") return raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : undefined
  return raw === "true" ? true : raw === "false" ? false : undefined
}

const decodeRules = Schema.decodeUnknownEither(IcpRules)
const isType = Schema.is(ConditionType)
const isComparator = Schema.is(Comparator)

const parseCondition = (text: string): unknown => {
  const trimmed = text.trim()
  const optional = trimmed.startsWith("?")
  const [type = "", comparator = "", ...rest] = (optional ? trimmed.slice(1) : trimmed).trim().split(/\s+/)
  const raw = rest.join(" ").trim()
  if (!isType(type)) throw new Error(`Unknown condition type "${type}"`)
  if (!isComparator(comparator) || !allowedComparators(type).includes(comparator)) {
    throw new Error(`"${type}" takes ${allowedComparators(type).join(", ")}`)
  }
  if (raw === "") throw new Error(`"${type} ${comparator}" needs a value`)
  const kind = valueKind(type)
  const list = comparator === "in" || comparator === "not_in"
  const parts = list ? raw.split(",").map((p) => p.trim()) : [raw]
  const values = parts.map((p) => scalar(kind, p))
  if (values.some((v) => v === undefined)) throw new Error(`"${type}" needs ${kind} values`)
  return { type, comparator, value: list ? values : values[0], optional }
}

/** Parses the editor's text into rules, or the first problem as one line. */
export const parseRules = (text: string): Either.Either<IcpRules, string> => {
  if (text.trim() === "") return Either.left("Write at least one condition")
  try {
    const groups = text.split("||").map((groupText) => {
      const any = groupText.includes(";")
      const parts = groupText.split(any ? ";" : "&&").filter((p) => p.trim() !== "")
      if (any && groupText.includes("&&")) throw new Error("A group uses either && or ;, not both")
      return { operator: any ? "OR" : "AND", conditions: parts.map(parseCondition) }
    })
    return Either.mapLeft(decodeRules({ groups }), (error) => {
      const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
      return first?.message ?? "Invalid rules"
    })
  } catch (error) {
    return Either.left(error instanceof Error ? error.message : String(error))
  }
}
