import { Schema } from "effect"
import type {
  BooleanConditionTypes,
  NumberConditionTypes,
  OpenIcpCondition,
  OpenIcpGroup,
  OpenIcpRules,
  StringConditionTypes
} from "./Domain/Icp.js"
import { Comparator, ConditionType, valueKind } from "./Domain/Icp.js"
import type { IcpConfig } from "./Domain/IcpConfig.js"
import type { Location, Utm, Visitor, VisitorDetail } from "./Domain/Visitor.js"

type StringConditionType = (typeof StringConditionTypes)[number]
type NumberConditionType = (typeof NumberConditionTypes)[number]
type BooleanConditionType = (typeof BooleanConditionTypes)[number]
type PageConditionType = "page_contains" | "page_equals"
type FieldConditionType = Exclude<StringConditionType, PageConditionType>
type ConditionValue = unknown

/**
 * The facts of one visitor at one instant that ICP conditions are evaluated against.
 *
 * Subjects by condition type (text values that are empty or blank count as missing):
 * - `utm_*`: every distinct value of that UTM parameter, from the visitor's top-level utm and from
 *   every session's utm (the top-level one is kept because sessions are capped at the newest 50).
 * - `page_contains`, `page_equals`: every distinct page URL: the top-level landing page, and each
 *   session's landing page and visited pages.
 * - `page_view_count`, `session_count`: the visitor's own counters (not the length of the capped
 *   `sessions` array).
 * - `last_seen_days`: whole 24-hour periods from `lastSeenAt` to `now`, 0 when `lastSeenAt` is in
 *   the future, missing when it does not parse.
 * - `company_size`: `company.employeeCount`; `icp_score`: the visitor's current `icpScore`.
 * - `industry`, `domain`, `employee_size_range`, `company_name`: the company's fields.
 * - `country`, `region`, `city`: the visitor's location when any of its fields is set, otherwise the
 *   company's location (never a mix of the two, so a city is never paired with another country).
 * - `job_title`, `linkedin_url`: the visitor's fields.
 * - `icp_match`: the visitor's current `icpMatch` (the stored result, not a re-evaluation).
 * - `persona_match`: the visitor is a reachable person, i.e. has both a job title and an email.
 */
export interface IcpSubject {
  readonly utm: { readonly [K in keyof Utm]: ReadonlyArray<string> }
  readonly pages: ReadonlyArray<string>
  readonly pageViewCount: number
  readonly sessionCount: number
  readonly lastSeenDays: number | null
  readonly companySize: number | null
  readonly icpScore: number | null
  readonly industry: string | null
  readonly domain: string | null
  readonly employeeSizeRange: string | null
  readonly companyName: string | null
  readonly country: string | null
  readonly region: string | null
  readonly city: string | null
  readonly jobTitle: string | null
  readonly linkedinUrl: string | null
  readonly icpMatch: boolean
  readonly personaMatch: boolean
}

/** The outcome of one group for one subject. */
export interface GroupEvaluation {
  readonly matches: boolean
  readonly held: number
  readonly total: number
  readonly score: number
}

/** The outcome of one config's rules for one subject, with the group its score comes from. */
export interface ConfigEvaluation {
  readonly matches: boolean
  readonly score: number
  readonly bestGroup: number
  readonly groups: ReadonlyArray<GroupEvaluation>
}

/** The ICP fields a visitor gets from its organization's configs. */
export interface IcpEvaluation {
  readonly icpMatch: boolean
  readonly icpScore: number | null
  readonly matchedIcpConfigId: string | null
}

/** How many of a set of visitors a rule set matches (the TUI's "matches 37 of 200"). */
export interface IcpPreview {
  readonly matches: number
  readonly total: number
}

/** The config fields the evaluator reads; a full `IcpConfig` qualifies. */
export type EvaluableConfig = Pick<IcpConfig, "id" | "active" | "priority" | "createdAt" | "rules">

const DAY_MS = 86_400_000

const present = (value: string | null | undefined): value is string =>
  value !== null && value !== undefined && value.trim() !== ""

const orNull = (value: string | null | undefined): string | null => (present(value) ? value : null)

const distinct = (values: ReadonlyArray<string | null | undefined>): ReadonlyArray<string> => [
  ...new Set(values.filter(present))
]

const hasAnyField = (location: Location): boolean =>
  present(location.city) || present(location.region) || present(location.country)

const wholeDaysSince = (timestamp: string, now: Date): number | null => {
  const at = Date.parse(timestamp)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.floor((now.getTime() - at) / DAY_MS))
}

/** Builds the evaluation subject of a visitor (with sessions when it is a `VisitorDetail`) at `now`. */
export const subjectOf = (visitor: Visitor | VisitorDetail, now: Date): IcpSubject => {
  const sessions = "sessions" in visitor ? visitor.sessions : []
  const utms = [visitor.utm, ...sessions.map((s) => s.utm)]
  const company = visitor.company
  const location = hasAnyField(visitor.location) ? visitor.location : (company?.location ?? visitor.location)
  return {
    utm: {
      source: distinct(utms.map((u) => u.source)),
      medium: distinct(utms.map((u) => u.medium)),
      campaign: distinct(utms.map((u) => u.campaign)),
      term: distinct(utms.map((u) => u.term)),
      content: distinct(utms.map((u) => u.content))
    },
    pages: distinct([visitor.landingPage, ...sessions.flatMap((s) => [s.landingPage, ...s.pagesVisited])]),
    pageViewCount: visitor.pageViewCount,
    sessionCount: visitor.sessionCount,
    lastSeenDays: wholeDaysSince(visitor.lastSeenAt, now),
    companySize: company?.employeeCount ?? null,
    icpScore: visitor.icpScore,
    industry: orNull(company?.industry),
    domain: orNull(company?.domain),
    employeeSizeRange: orNull(company?.employeeSizeRange),
    companyName: orNull(company?.name),
    country: orNull(location.country),
    region: orNull(location.region),
    city: orNull(location.city),
    jobTitle: orNull(visitor.jobTitle),
    linkedinUrl: orNull(visitor.linkedinUrl),
    icpMatch: visitor.icpMatch,
    personaMatch: present(visitor.jobTitle) && present(visitor.email)
  }
}

const single = (value: string | null): ReadonlyArray<string> => (value === null ? [] : [value])

const fieldSubject: Record<FieldConditionType, (s: IcpSubject) => ReadonlyArray<string>> = {
  utm_source: (s) => s.utm.source,
  utm_medium: (s) => s.utm.medium,
  utm_campaign: (s) => s.utm.campaign,
  utm_term: (s) => s.utm.term,
  utm_content: (s) => s.utm.content,
  industry: (s) => single(s.industry),
  country: (s) => single(s.country),
  region: (s) => single(s.region),
  city: (s) => single(s.city),
  domain: (s) => single(s.domain),
  job_title: (s) => single(s.jobTitle),
  linkedin_url: (s) => single(s.linkedinUrl),
  employee_size_range: (s) => single(s.employeeSizeRange),
  company_name: (s) => single(s.companyName)
}

const numberSubject: Record<NumberConditionType, (s: IcpSubject) => number | null> = {
  page_view_count: (s) => s.pageViewCount,
  session_count: (s) => s.sessionCount,
  last_seen_days: (s) => s.lastSeenDays,
  company_size: (s) => s.companySize,
  icp_score: (s) => s.icpScore
}

const booleanSubject: Record<BooleanConditionType, (s: IcpSubject) => boolean | null> = {
  icp_match: (s) => s.icpMatch,
  persona_match: (s) => s.personaMatch
}

const isPageType = (type: ConditionType): type is PageConditionType =>
  type === "page_contains" || type === "page_equals"
const isStringType = (type: ConditionType): type is StringConditionType => valueKind(type) === "string"
const isNumberType = (type: ConditionType): type is NumberConditionType => valueKind(type) === "number"

const scalars = (value: ConditionValue): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [value])
const stringsOf = (value: ConditionValue): ReadonlyArray<string> =>
  scalars(value).filter((v): v is string => typeof v === "string")
const numbersOf = (value: ConditionValue): ReadonlyArray<number> =>
  scalars(value).filter((v): v is number => typeof v === "number")
const booleansOf = (value: ConditionValue): ReadonlyArray<boolean> =>
  scalars(value).filter((v): v is boolean => typeof v === "boolean")

const fold = (s: string): string => s.toLowerCase()

// A multi-valued subject satisfies a positive comparator when any of its values does; a negative
// comparator is the negation of its positive twin, so `neq "google"` means no session came from google.
const holdsString = (
  comparator: Comparator,
  values: ReadonlyArray<string>,
  subject: ReadonlyArray<string>
): boolean => {
  const wanted = values.map(fold)
  const have = subject.map(fold)
  const any = (test: (s: string, v: string) => boolean) => have.some((s) => wanted.some((v) => test(s, v)))
  switch (comparator) {
    case "eq":
    case "in":
      return any((s, v) => s === v)
    case "neq":
    case "not_in":
      return !any((s, v) => s === v)
    case "contains":
      return any((s, v) => s.includes(v))
    case "not_contains":
      return !any((s, v) => s.includes(v))
    case "starts_with":
      return any((s, v) => s.startsWith(v))
    default:
      return false
  }
}

const RELATIVE_BASE = "http://relative.invalid"

const withoutTrailingSlash = (s: string): string => (s.length > 1 && s.endsWith("/") ? s.slice(0, -1) : s)

// The forms a visited page can be named by: the URL as recorded, without query and fragment, its
// path with query, and its bare path; so `/pricing` equals `https://client.com/pricing?utm_source=x`.
const pageForms = (page: string): ReadonlyArray<string> => {
  const raw = fold(page)
  const absolute = URL.canParse(raw)
  if (!absolute && !(raw.startsWith("/") && URL.canParse(raw, RELATIVE_BASE))) return [raw]
  const url = absolute ? new URL(raw) : new URL(raw, RELATIVE_BASE)
  const forms = [raw, url.pathname + url.search, url.pathname]
  if (absolute) forms.push(`${url.protocol}//${url.host}${url.pathname}`)
  return forms.map(withoutTrailingSlash)
}

const holdsPage = (
  type: PageConditionType,
  comparator: Comparator,
  values: ReadonlyArray<string>,
  pages: ReadonlyArray<string>
): boolean => {
  if (comparator !== "eq" && comparator !== "in") return false
  const wanted = values.map(fold)
  if (type === "page_contains") return pages.some((p) => wanted.some((v) => fold(p).includes(v)))
  return pages.some((p) => {
    const forms = pageForms(p)
    return wanted.some((v) => forms.includes(withoutTrailingSlash(v)))
  })
}

const holdsNumber = (
  comparator: Comparator,
  values: ReadonlyArray<number>,
  subject: number | null
): boolean => {
  const any = (test: (s: number, v: number) => boolean) =>
    subject !== null && values.some((v) => test(subject, v))
  switch (comparator) {
    case "eq":
    case "in":
      return any((s, v) => s === v)
    case "neq":
      return !any((s, v) => s === v)
    case "gt":
      return any((s, v) => s > v)
    case "gte":
      return any((s, v) => s >= v)
    case "lt":
      return any((s, v) => s < v)
    case "lte":
      return any((s, v) => s <= v)
    default:
      return false
  }
}

const holdsBoolean = (
  comparator: Comparator,
  values: ReadonlyArray<boolean>,
  subject: boolean | null
): boolean => comparator === "eq" && subject !== null && values.includes(subject)

const isConditionType = Schema.is(ConditionType)
const isComparator = Schema.is(Comparator)

/**
 * Whether one condition holds for a subject; a comparator the type does not allow never holds, nor does a
 * type or comparator this SDK does not know (the real API may return newer ones).
 */
export const evaluateCondition = (condition: OpenIcpCondition, subject: IcpSubject): boolean => {
  const { comparator, type, value } = condition
  if (!isConditionType(type) || !isComparator(comparator)) return false
  if (isPageType(type)) return holdsPage(type, comparator, stringsOf(value), subject.pages)
  if (isStringType(type)) return holdsString(comparator, stringsOf(value), fieldSubject[type](subject))
  if (isNumberType(type)) return holdsNumber(comparator, numbersOf(value), numberSubject[type](subject))
  return holdsBoolean(comparator, booleansOf(value), booleanSubject[type](subject))
}

/** Evaluates a group: AND needs every non-optional condition, OR any condition; score = round(100 * held / total). */
export const evaluateGroup = (group: OpenIcpGroup, subject: IcpSubject): GroupEvaluation => {
  const results = group.conditions.map((condition) => ({
    condition,
    holds: evaluateCondition(condition, subject)
  }))
  const total = results.length
  const held = results.filter((r) => r.holds).length
  if (total === 0) return { matches: false, held, total, score: 0 }
  const matches = group.operator === "AND" ? results.every((r) => r.holds || r.condition.optional) : held > 0
  return { matches, held, total, score: Math.round((100 * held) / total) }
}

const rulesOf = (configOrRules: OpenIcpRules | Pick<IcpConfig, "rules">): OpenIcpRules =>
  "groups" in configOrRules ? configOrRules : configOrRules.rules

// The best group is a matching one when there is any (so a match's score is explained by the group
// that matched), then the highest score, then the first in order.
const better = (a: GroupEvaluation, b: GroupEvaluation): boolean =>
  a.matches !== b.matches ? a.matches : a.score > b.score

/** Evaluates a config's rules (its `active` flag is not consulted): it matches when any group matches. */
export const evaluateConfig = (
  configOrRules: OpenIcpRules | Pick<IcpConfig, "rules">,
  subject: IcpSubject
): ConfigEvaluation => {
  const groups = rulesOf(configOrRules).groups.map((group) => evaluateGroup(group, subject))
  let bestGroup = -1
  let best: GroupEvaluation | undefined
  for (const [index, group] of groups.entries()) {
    if (best === undefined || better(group, best)) {
      best = group
      bestGroup = index
    }
  }
  return { matches: best?.matches ?? false, score: best?.score ?? 0, bestGroup, groups }
}

const timeOf = (timestamp: string): number => {
  const at = Date.parse(timestamp)
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at
}

/** The active configs in evaluation order: priority ascending, then oldest first, then by id. */
export const activeConfigsInOrder = <C extends EvaluableConfig>(
  configs: ReadonlyArray<C>
): ReadonlyArray<C> =>
  configs
    .filter((c) => c.active)
    .sort(
      (a, b) =>
        a.priority - b.priority ||
        timeOf(a.createdAt) - timeOf(b.createdAt) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    )

/** The ICP fields of a visitor: the first matching active config wins, else the best score (null without active configs). */
export const evaluate = (
  configs: ReadonlyArray<EvaluableConfig>,
  visitor: Visitor | VisitorDetail,
  now: Date
): IcpEvaluation => {
  const subject = subjectOf(visitor, now)
  let bestScore: number | null = null
  for (const config of activeConfigsInOrder(configs)) {
    const result = evaluateConfig(config, subject)
    if (result.matches) return { icpMatch: true, icpScore: result.score, matchedIcpConfigId: config.id }
    bestScore = bestScore === null ? result.score : Math.max(bestScore, result.score)
  }
  return { icpMatch: false, icpScore: bestScore, matchedIcpConfigId: null }
}

/** Counts the visitors one config or rule set matches, regardless of its `active` flag. */
export const preview = (
  configOrRules: OpenIcpRules | Pick<IcpConfig, "rules">,
  visitors: ReadonlyArray<Visitor | VisitorDetail>,
  now: Date
): IcpPreview => ({
  matches: visitors.filter((v) => evaluateConfig(configOrRules, subjectOf(v, now)).matches).length,
  total: visitors.length
})
