import { Schema } from "effect"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  BooleanConditionTypes,
  Comparator,
  ConditionType,
  IcpCondition,
  IcpRules,
  NumberConditionTypes,
  StringConditionTypes,
  allowedComparators,
  valueKind
} from "../src/Domain/Icp.js"
import type { IcpConfig } from "../src/Domain/IcpConfig.js"
import type { Company, Location, Visitor, VisitorDetail, VisitorSession } from "../src/Domain/Visitor.js"
import {
  activeConfigsInOrder,
  evaluate,
  evaluateCondition,
  evaluateConfig,
  evaluateGroup,
  preview,
  subjectOf
} from "../src/IcpEvaluator.js"

const NOW = new Date("2025-03-01T12:00:00.000Z")
const HOUR_MS = 3_600_000
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString()

const place = (city: string | null, region: string | null, country: string | null): Location => ({
  city,
  region,
  country
})

const acme: Company = {
  name: "Acme Corp",
  domain: "acme.com",
  industry: "Technology",
  employeeCount: 120,
  employeeSizeRange: "51-200",
  location: place("Berlin", "Berlin", "DE")
}

const noUtm = { source: null, medium: null, campaign: null, term: null, content: null }

const makeVisitor = (overrides: Partial<Visitor> = {}): Visitor => ({
  id: "v-1",
  organizationId: "org-1",
  identifiedAt: ago(30 * 24 * HOUR_MS),
  lastSeenAt: ago(10 * 24 * HOUR_MS + 12 * HOUR_MS),
  email: "jane@acme.com",
  firstName: "Jane",
  lastName: "Doe",
  jobTitle: "Chief Technology Officer",
  linkedinUrl: "https://linkedin.com/in/JaneDoe",
  location: place("Austin", "Texas", "US"),
  company: acme,
  icpMatch: true,
  icpScore: 80,
  matchedIcpConfigId: "cfg-old",
  sessionCount: 3,
  pageViewCount: 12,
  landingPage: "https://client.com/Pricing?utm_source=google",
  referrer: "https://www.google.com/",
  utm: {
    source: "Google",
    medium: "cpc",
    campaign: "Spring-Launch",
    term: "analytics software",
    content: "banner-a"
  },
  ...overrides
})

const makeSession = (overrides: Partial<VisitorSession> = {}): VisitorSession => ({
  id: "s-1",
  startedAt: ago(HOUR_MS),
  endedAt: null,
  landingPage: "https://client.com/",
  pagesVisited: [],
  referrer: null,
  utm: noUtm,
  deviceType: "desktop",
  ...overrides
})

const makeDetail = (
  sessions: ReadonlyArray<VisitorSession>,
  overrides: Partial<Visitor> = {}
): VisitorDetail => ({ ...makeVisitor(overrides), sessions })

// Every nullable field of the subject is null or blank.
const blankVisitor = makeVisitor({
  lastSeenAt: "not-a-date",
  email: null,
  firstName: null,
  lastName: null,
  jobTitle: null,
  linkedinUrl: null,
  location: place(null, null, null),
  company: null,
  icpMatch: false,
  icpScore: null,
  sessionCount: 0,
  pageViewCount: 0,
  landingPage: null,
  referrer: null,
  utm: noUtm
})

const decodeCondition = Schema.decodeUnknownSync(IcpCondition)
const decodeRules = Schema.decodeUnknownSync(IcpRules)

const cond = (type: ConditionType, comparator: Comparator, value: unknown, optional = false): IcpCondition =>
  decodeCondition({ type, comparator, value, optional })

const holds = (condition: IcpCondition, visitor: Visitor | VisitorDetail = makeVisitor()): boolean =>
  evaluateCondition(condition, subjectOf(visitor, NOW))

type Case = readonly [comparator: Comparator, value: unknown, holds: boolean]

const swapCase = (s: string): string =>
  [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("")

// Cases for a single-valued string subject; values are case-swapped so case-insensitivity is exercised.
const stringCases = (subject: string, inner: string, notPrefix: string): ReadonlyArray<Case> => [
  ["eq", swapCase(subject), true],
  ["eq", `${subject}x`, false],
  ["neq", "zzz", true],
  ["neq", swapCase(subject), false],
  ["in", ["zzz", swapCase(subject)], true],
  ["in", ["zzz", "yyy"], false],
  ["not_in", ["zzz", "yyy"], true],
  ["not_in", ["zzz", swapCase(subject)], false],
  ["contains", swapCase(inner), true],
  ["contains", "zzz", false],
  ["not_contains", "zzz", true],
  ["not_contains", swapCase(inner), false],
  ["starts_with", swapCase(subject.slice(0, 3)), true],
  ["starts_with", notPrefix, false]
]

const numberCases = (n: number): ReadonlyArray<Case> => [
  ["eq", n, true],
  ["eq", n + 1, false],
  ["neq", n + 1, true],
  ["neq", n, false],
  ["gt", n - 1, true],
  ["gt", n, false],
  ["gte", n, true],
  ["gte", n + 1, false],
  ["lt", n + 1, true],
  ["lt", n, false],
  ["lte", n, true],
  ["lte", n - 1, false],
  ["in", [0, n], true],
  ["in", [n - 1, n + 1], false]
]

const booleanCases = (b: boolean): ReadonlyArray<Case> => [
  ["eq", b, true],
  ["eq", !b, false]
]

// Every condition type against the default visitor (a plain Visitor: top-level utm and landing page).
const table: Record<ConditionType, ReadonlyArray<Case>> = {
  utm_source: stringCases("Google", "oog", "oogle"),
  utm_medium: stringCases("cpc", "p", "pc"),
  utm_campaign: stringCases("Spring-Launch", "g-la", "launch"),
  utm_term: stringCases("analytics software", "ics soft", "software"),
  utm_content: stringCases("banner-a", "nner", "a"),
  page_contains: [
    ["eq", "/PRICING", true],
    ["eq", "/careers", false],
    ["in", ["/careers", "utm_source=GOOGLE"], true],
    ["in", ["/careers", "/jobs"], false]
  ],
  page_equals: [
    ["eq", "https://client.com/pricing", true],
    ["eq", "https://client.com/pric", false],
    ["in", ["/blog", "/Pricing/"], true],
    ["in", ["/blog", "/"], false]
  ],
  industry: stringCases("Technology", "chno", "logy"),
  country: stringCases("US", "S", "S"),
  region: stringCases("Texas", "exa", "xas"),
  city: stringCases("Austin", "sti", "tin"),
  domain: stringCases("acme.com", ".co", "com"),
  job_title: stringCases("Chief Technology Officer", "technology", "officer"),
  linkedin_url: stringCases("https://linkedin.com/in/JaneDoe", "/in/jane", "linkedin.com"),
  employee_size_range: stringCases("51-200", "-", "200"),
  company_name: stringCases("Acme Corp", "me co", "corp"),
  page_view_count: numberCases(12),
  session_count: numberCases(3),
  last_seen_days: numberCases(10),
  company_size: numberCases(120),
  icp_score: numberCases(80),
  icp_match: booleanCases(true),
  persona_match: booleanCases(true)
}

const allTypes: ReadonlyArray<ConditionType> = [
  ...StringConditionTypes,
  ...NumberConditionTypes,
  ...BooleanConditionTypes
]
const allComparators: ReadonlyArray<Comparator> = Comparator.literals
const negative: ReadonlyArray<Comparator> = ["neq", "not_in", "not_contains"]

describe("evaluateCondition: every type and allowed comparator", () => {
  it("the table has a holding and a failing case for every allowed comparator of every type", () => {
    for (const type of allTypes) {
      const cases = table[type]
      for (const comparator of allowedComparators(type)) {
        const outcomes = cases.filter(([c]) => c === comparator).map(([, , h]) => h)
        expect({ type, comparator, holds: outcomes.includes(true) }).toEqual({
          type,
          comparator,
          holds: true
        })
        expect({ type, comparator, fails: outcomes.includes(false) }).toEqual({
          type,
          comparator,
          fails: true
        })
      }
    }
  })

  for (const type of allTypes) {
    describe(type, () => {
      it.each(table[type].map(([comparator, value, expected]) => ({ comparator, value, expected })))(
        "$comparator $value -> $expected",
        ({ comparator, value, expected }) => {
          expect(holds(cond(type, comparator, value))).toBe(expected)
        }
      )
    })
  }

  it("a comparator the type does not allow never holds (for conditions built without the schema)", () => {
    const unchecked: IcpCondition = { type: "industry", comparator: "gt", value: "A", optional: false }
    expect(evaluateCondition(unchecked, subjectOf(makeVisitor(), NOW))).toBe(false)
    const page: IcpCondition = { type: "page_contains", comparator: "neq", value: "pricing", optional: false }
    expect(evaluateCondition(page, subjectOf(makeVisitor(), NOW))).toBe(false)
    const flag: IcpCondition = { type: "icp_match", comparator: "neq", value: true, optional: false }
    expect(evaluateCondition(flag, subjectOf(makeVisitor(), NOW))).toBe(false)
    const size: IcpCondition = { type: "company_size", comparator: "not_in", value: [1], optional: false }
    expect(evaluateCondition(size, subjectOf(makeVisitor(), NOW))).toBe(false)
  })
})

describe("evaluateCondition: missing subjects", () => {
  const nullable = allTypes.filter(
    (t) => !["page_view_count", "session_count", "icp_match", "persona_match"].includes(t)
  )
  const representative = (type: ConditionType, comparator: Comparator): ReadonlyArray<unknown> => {
    const list = comparator === "in" || comparator === "not_in"
    if (valueKind(type) === "number") return list ? [[0]] : [0, -1]
    return list ? [[""], ["x"]] : ["", "x"]
  }
  const cases = nullable.flatMap((type) =>
    allowedComparators(type).flatMap((comparator) =>
      representative(type, comparator).map((value) => ({
        type,
        comparator,
        value,
        expected: negative.includes(comparator)
      }))
    )
  )

  it("covers every nullable type", () => {
    expect(new Set(cases.map((c) => c.type)).size).toBe(nullable.length)
    expect(nullable.length).toBe(allTypes.length - 4)
  })

  it.each(cases)(
    "$type $comparator $value on a missing subject -> $expected",
    ({ type, comparator, value, expected }) => {
      expect(holds(cond(type, comparator, value), blankVisitor)).toBe(expected)
    }
  )

  it("counts and booleans of a blank visitor are values, not missing", () => {
    expect(holds(cond("page_view_count", "eq", 0), blankVisitor)).toBe(true)
    expect(holds(cond("session_count", "lte", 0), blankVisitor)).toBe(true)
    expect(holds(cond("icp_match", "eq", false), blankVisitor)).toBe(true)
    expect(holds(cond("persona_match", "eq", false), blankVisitor)).toBe(true)
  })

  it("treats blank strings as missing", () => {
    const blankTitle = makeVisitor({ jobTitle: "   ", company: { ...acme, industry: "" } })
    expect(holds(cond("job_title", "contains", ""), blankTitle)).toBe(false)
    expect(holds(cond("job_title", "neq", "x"), blankTitle)).toBe(true)
    expect(holds(cond("industry", "eq", ""), blankTitle)).toBe(false)
    expect(holds(cond("industry", "not_in", [""]), blankTitle)).toBe(true)
    expect(holds(cond("persona_match", "eq", true), blankTitle)).toBe(false)
  })

  it("a B2C visitor (no company) has no company fields", () => {
    const b2c = makeVisitor({ company: null })
    expect(holds(cond("company_size", "gte", 0), b2c)).toBe(false)
    expect(holds(cond("company_size", "neq", 0), b2c)).toBe(true)
    expect(holds(cond("company_name", "starts_with", ""), b2c)).toBe(false)
    expect(holds(cond("domain", "not_contains", "acme"), b2c)).toBe(true)
  })

  it("a company without an employee count has no company_size", () => {
    const unknownSize = makeVisitor({ company: { ...acme, employeeCount: null } })
    expect(holds(cond("company_size", "lt", 1_000_000), unknownSize)).toBe(false)
    expect(holds(cond("company_size", "in", [0]), unknownSize)).toBe(false)
    expect(holds(cond("company_size", "neq", 120), unknownSize)).toBe(true)
  })
})

describe("subjectOf", () => {
  it("a VisitorDetail contributes the top-level UTM and every session's UTM", () => {
    const detail = makeDetail([
      makeSession({ utm: { ...noUtm, source: "LinkedIn", campaign: "q1" } }),
      makeSession({ utm: { ...noUtm, source: "newsletter" } })
    ])
    expect(subjectOf(detail, NOW).utm.source).toEqual(["Google", "LinkedIn", "newsletter"])
    expect(holds(cond("utm_source", "eq", "linkedin"), detail)).toBe(true)
    expect(holds(cond("utm_source", "eq", "google"), detail)).toBe(true)
    expect(holds(cond("utm_campaign", "in", ["Q1"]), detail)).toBe(true)
    expect(holds(cond("utm_source", "starts_with", "news"), detail)).toBe(true)
    expect(holds(cond("utm_source", "eq", "bing"), detail)).toBe(false)
  })

  it("negative comparators on several values hold only when no value satisfies the positive one", () => {
    const detail = makeDetail([makeSession({ utm: { ...noUtm, source: "LinkedIn" } })])
    expect(holds(cond("utm_source", "neq", "google"), detail)).toBe(false)
    expect(holds(cond("utm_source", "neq", "bing"), detail)).toBe(true)
    expect(holds(cond("utm_source", "not_in", ["bing", "linkedin"]), detail)).toBe(false)
    expect(holds(cond("utm_source", "not_in", ["bing", "twitter"]), detail)).toBe(true)
    expect(holds(cond("utm_source", "not_contains", "link"), detail)).toBe(false)
    expect(holds(cond("utm_source", "not_contains", "bing"), detail)).toBe(true)
  })

  it("a VisitorDetail's pages are the landing pages and visited pages of every session", () => {
    const detail = makeDetail([
      makeSession({ landingPage: "https://client.com/blog", pagesVisited: ["https://client.com/docs/api"] }),
      makeSession({ landingPage: "https://client.com/demo", pagesVisited: ["https://client.com/docs/api"] })
    ])
    expect(subjectOf(detail, NOW).pages).toEqual([
      "https://client.com/Pricing?utm_source=google",
      "https://client.com/blog",
      "https://client.com/docs/api",
      "https://client.com/demo"
    ])
    expect(holds(cond("page_equals", "eq", "/docs/api"), detail)).toBe(true)
    expect(holds(cond("page_equals", "eq", "/demo"), detail)).toBe(true)
    expect(holds(cond("page_contains", "in", ["careers", "blog"]), detail)).toBe(true)
    expect(holds(cond("page_contains", "eq", "careers"), detail)).toBe(false)
    expect(holds(cond("page_equals", "eq", "/docs/api"))).toBe(false)
  })

  it("counts come from the visitor's counters, not from the capped sessions array", () => {
    const detail = makeDetail([makeSession()], { sessionCount: 70, pageViewCount: 300 })
    expect(holds(cond("session_count", "eq", 70), detail)).toBe(true)
    expect(holds(cond("session_count", "eq", 1), detail)).toBe(false)
    expect(holds(cond("page_view_count", "gte", 300), detail)).toBe(true)
  })

  it.each([
    { lastSeenAt: ago(0), days: 0 },
    { lastSeenAt: ago(24 * HOUR_MS - 1), days: 0 },
    { lastSeenAt: ago(24 * HOUR_MS), days: 1 },
    { lastSeenAt: ago(48 * HOUR_MS - 1), days: 1 },
    { lastSeenAt: ago(-5 * 24 * HOUR_MS), days: 0 },
    { lastSeenAt: "2025-02-01T12:00:00Z", days: 28 },
    { lastSeenAt: "yesterday", days: null }
  ])("last_seen_days of $lastSeenAt is $days", ({ lastSeenAt, days }) => {
    expect(subjectOf(makeVisitor({ lastSeenAt }), NOW).lastSeenDays).toBe(days)
  })

  it("uses the visitor's location when any field is set, else the company's", () => {
    const own = makeVisitor({ location: place(null, null, "FR") })
    expect(holds(cond("country", "eq", "fr"), own)).toBe(true)
    expect(holds(cond("city", "eq", "berlin"), own)).toBe(false)
    expect(holds(cond("city", "neq", "berlin"), own)).toBe(true)
    const fallback = makeVisitor({ location: place(null, " ", null) })
    expect(holds(cond("country", "eq", "de"), fallback)).toBe(true)
    expect(holds(cond("region", "eq", "berlin"), fallback)).toBe(true)
    expect(holds(cond("city", "starts_with", "ber"), fallback)).toBe(true)
    const neither = makeVisitor({ location: place(null, null, null), company: null })
    expect(holds(cond("country", "not_in", ["DE", "US"]), neither)).toBe(true)
    expect(holds(cond("country", "eq", "de"), neither)).toBe(false)
  })

  it("persona_match needs both a job title and an email", () => {
    expect(holds(cond("persona_match", "eq", true), makeVisitor())).toBe(true)
    expect(holds(cond("persona_match", "eq", true), makeVisitor({ email: null }))).toBe(false)
    expect(holds(cond("persona_match", "eq", true), makeVisitor({ jobTitle: null }))).toBe(false)
    expect(holds(cond("persona_match", "eq", false), makeVisitor({ email: "" }))).toBe(true)
  })

  it("icp_match and icp_score read the visitor's stored ICP fields", () => {
    const stale = makeVisitor({ icpMatch: false, icpScore: 5 })
    expect(holds(cond("icp_match", "eq", false), stale)).toBe(true)
    expect(holds(cond("icp_score", "lt", 10), stale)).toBe(true)
    expect(holds(cond("icp_score", "gte", 10), stale)).toBe(false)
  })
})

describe("page_equals URL forms", () => {
  const pageVisitor = (landingPage: string) => makeVisitor({ landingPage })
  it.each([
    {
      page: "https://client.com/pricing/?plan=pro#faq",
      value: "https://client.com/pricing/?plan=pro#faq",
      ok: true
    },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "https://client.com/pricing", ok: true },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "HTTPS://CLIENT.COM/PRICING/", ok: true },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "/pricing", ok: true },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "/pricing/?plan=pro", ok: true },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "/pricing/?plan=basic", ok: false },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "client.com/pricing", ok: false },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "/", ok: false },
    { page: "https://client.com/pricing/?plan=pro#faq", value: "/pric", ok: false },
    { page: "https://client.com", value: "/", ok: true },
    { page: "https://client.com/", value: "https://client.com", ok: true },
    { page: "/docs?x=1", value: "/docs", ok: true },
    { page: "/docs?x=1", value: "/docs?x=1", ok: true },
    { page: "/docs?x=1", value: "/doc", ok: false },
    { page: "not a url", value: "NOT A URL", ok: true },
    { page: "not a url", value: "not", ok: false }
  ])("page $page equals $value -> $ok", ({ page, value, ok }) => {
    expect(holds(cond("page_equals", "eq", value), pageVisitor(page))).toBe(ok)
  })

  it("page_contains matches a substring of the recorded URL, case-insensitively", () => {
    const v = pageVisitor("https://client.com/Pricing?plan=PRO")
    expect(holds(cond("page_contains", "eq", "plan=pro"), v)).toBe(true)
    expect(holds(cond("page_contains", "eq", "plan=basic"), v)).toBe(false)
  })
})

// Against the default visitor: T* hold, F* fail.
const T1 = cond("industry", "eq", "technology")
const T2 = cond("company_size", "gte", 100)
const F1 = cond("country", "eq", "DE")
const F2 = cond("session_count", "gt", 10)
const optional = (c: IcpCondition): IcpCondition => ({ ...c, optional: true })
const subject = subjectOf(makeVisitor(), NOW)

describe("evaluateGroup", () => {
  it.each([
    { name: "AND, all hold", operator: "AND", conditions: [T1, T2], matches: true, held: 2, score: 100 },
    {
      name: "AND, one required fails",
      operator: "AND",
      conditions: [T1, F1],
      matches: false,
      held: 1,
      score: 50
    },
    {
      name: "AND, an optional one fails",
      operator: "AND",
      conditions: [T1, optional(F1)],
      matches: true,
      held: 1,
      score: 50
    },
    {
      name: "AND, a holding optional counts",
      operator: "AND",
      conditions: [T1, optional(T2), F1],
      matches: false,
      held: 2,
      score: 67
    },
    {
      name: "AND, only optionals, none hold",
      operator: "AND",
      conditions: [optional(F1), optional(F2)],
      matches: true,
      held: 0,
      score: 0
    },
    { name: "AND, all fail", operator: "AND", conditions: [F1, F2], matches: false, held: 0, score: 0 },
    { name: "OR, one holds", operator: "OR", conditions: [F1, F2, T1], matches: true, held: 1, score: 33 },
    { name: "OR, all hold", operator: "OR", conditions: [T1, T2], matches: true, held: 2, score: 100 },
    { name: "OR, none holds", operator: "OR", conditions: [F1, F2], matches: false, held: 0, score: 0 },
    {
      name: "OR, only an optional holds",
      operator: "OR",
      conditions: [F1, optional(T1)],
      matches: true,
      held: 1,
      score: 50
    },
    {
      name: "rounding 1/8 -> 13",
      operator: "OR",
      conditions: [T1, F1, F1, F1, F1, F1, F1, F1],
      matches: true,
      held: 1,
      score: 13
    },
    {
      name: "rounding 5/8 -> 63",
      operator: "AND",
      conditions: [T1, T1, T1, T2, T2, F1, F2, F2],
      matches: false,
      held: 5,
      score: 63
    }
  ] as const)("$name", ({ operator, conditions, matches, held, score }) => {
    const group = { operator, conditions: [...conditions] as [IcpCondition, ...Array<IcpCondition>] }
    expect(evaluateGroup(group, subject)).toEqual({ matches, held, total: conditions.length, score })
  })
})

const rulesOf = (...groups: ReadonlyArray<readonly ["AND" | "OR", ReadonlyArray<IcpCondition>]>): IcpRules =>
  decodeRules({ groups: groups.map(([operator, conditions]) => ({ operator, conditions })) })

describe("evaluateConfig", () => {
  it("a config matches when any group matches", () => {
    const result = evaluateConfig(rulesOf(["AND", [F1]], ["AND", [T1, T2]]), subject)
    expect(result.matches).toBe(true)
    expect(result.score).toBe(100)
    expect(result.bestGroup).toBe(1)
    expect(result.groups.map((g) => g.matches)).toEqual([false, true])
  })

  it("without a matching group, the score is the best group's", () => {
    const result = evaluateConfig(
      rulesOf(["AND", [T1, F1, F2]], ["AND", [T1, T2, F1]], ["OR", [F1]]),
      subject
    )
    expect(result).toMatchObject({ matches: false, score: 67, bestGroup: 1 })
  })

  it("a matching group is preferred to a non-matching group with a higher score", () => {
    const result = evaluateConfig(rulesOf(["AND", [T1, T2, F1]], ["AND", [T1, optional(F1)]]), subject)
    expect(result).toMatchObject({ matches: true, score: 50, bestGroup: 1 })
  })

  it("among matching groups the highest score wins, ties go to the first", () => {
    expect(evaluateConfig(rulesOf(["OR", [T1, F1]], ["AND", [T1, T2]]), subject)).toMatchObject({
      score: 100,
      bestGroup: 1
    })
    expect(evaluateConfig(rulesOf(["AND", [T2]], ["AND", [T1]]), subject)).toMatchObject({
      score: 100,
      bestGroup: 0
    })
  })

  it("accepts a config as well as bare rules", () => {
    const rules = rulesOf(["AND", [T1]], ["AND", [F1]])
    expect(evaluateConfig({ rules }, subject)).toEqual(evaluateConfig(rules, subject))
    expect(evaluateConfig({ rules }, subject).matches).toBe(true)
  })
})

const makeConfig = (
  id: string,
  rules: IcpRules,
  options: { readonly priority?: number; readonly active?: boolean; readonly createdAt?: string } = {}
): IcpConfig => ({
  id,
  organizationId: "org-1",
  name: id,
  active: options.active ?? true,
  priority: options.priority ?? 1,
  rules,
  createdAt: options.createdAt ?? "2025-01-01T00:00:00.000Z",
  updatedAt: options.createdAt ?? "2025-01-01T00:00:00.000Z"
})

const full = rulesOf(["AND", [T1, T2]]) // matches, 100
const partial = rulesOf(["OR", [T1, F1, F2]]) // matches, 33
const half = rulesOf(["AND", [T1, F1]]) // no match, 50
const twoThirds = rulesOf(["AND", [T1, T2, F1]]) // no match, 67
const none = rulesOf(["AND", [F1, F2]]) // no match, 0

describe("evaluate", () => {
  const visitor = makeVisitor()

  it("the lowest priority number that matches wins", () => {
    const configs = [makeConfig("b", full, { priority: 2 }), makeConfig("a", partial, { priority: 1 })]
    expect(evaluate(configs, visitor, NOW)).toEqual({ icpMatch: true, icpScore: 33, matchedIcpConfigId: "a" })
  })

  it("the first matching config wins even when a later one scores higher", () => {
    const configs = [makeConfig("late", full, { priority: 3 }), makeConfig("early", partial, { priority: 2 })]
    expect(evaluate(configs, visitor, NOW).matchedIcpConfigId).toBe("early")
    expect(evaluate(configs, visitor, NOW).icpScore).toBe(33)
  })

  it("skips non-matching configs before the first match", () => {
    const configs = [
      makeConfig("miss", twoThirds, { priority: 1 }),
      makeConfig("hit", partial, { priority: 2 }),
      makeConfig("also", full, { priority: 3 })
    ]
    expect(evaluate(configs, visitor, NOW)).toEqual({
      icpMatch: true,
      icpScore: 33,
      matchedIcpConfigId: "hit"
    })
  })

  it("equal priorities go by createdAt, then by id", () => {
    const configs = [
      makeConfig("newer", full, { createdAt: "2025-02-01T00:00:00Z" }),
      makeConfig("older", partial, { createdAt: "2025-01-15T00:00:00Z" })
    ]
    expect(evaluate(configs, visitor, NOW).matchedIcpConfigId).toBe("older")
    const tied = [makeConfig("z", full), makeConfig("m", partial)]
    expect(evaluate(tied, visitor, NOW).matchedIcpConfigId).toBe("m")
    expect(activeConfigsInOrder([...tied, makeConfig("a", none, { priority: 0 })]).map((c) => c.id)).toEqual([
      "a",
      "m",
      "z"
    ])
  })

  it("ignores inactive configs", () => {
    const configs = [
      makeConfig("off", full, { priority: 1, active: false }),
      makeConfig("on", partial, { priority: 2 })
    ]
    expect(evaluate(configs, visitor, NOW)).toEqual({
      icpMatch: true,
      icpScore: 33,
      matchedIcpConfigId: "on"
    })
    expect(activeConfigsInOrder(configs).map((c) => c.id)).toEqual(["on"])
  })

  it("without a match, reports the best score among active configs", () => {
    const configs = [
      makeConfig("half", half, { priority: 1 }),
      makeConfig("twoThirds", twoThirds, { priority: 2 }),
      makeConfig("none", none, { priority: 3 }),
      makeConfig("inactive", full, { priority: 0, active: false })
    ]
    expect(evaluate(configs, visitor, NOW)).toEqual({
      icpMatch: false,
      icpScore: 67,
      matchedIcpConfigId: null
    })
  })

  it("a score of 0 is still a score", () => {
    expect(evaluate([makeConfig("none", none)], visitor, NOW)).toEqual({
      icpMatch: false,
      icpScore: 0,
      matchedIcpConfigId: null
    })
  })

  it("icpScore is null when the organization has no active config", () => {
    const expected = { icpMatch: false, icpScore: null, matchedIcpConfigId: null }
    expect(evaluate([], visitor, NOW)).toEqual(expected)
    expect(evaluate([makeConfig("off", full, { active: false })], visitor, NOW)).toEqual(expected)
  })

  it("ignores the visitor's previously stored ICP result except through icp_* conditions", () => {
    const stored = makeVisitor({ icpMatch: true, icpScore: 99, matchedIcpConfigId: "gone" })
    expect(evaluate([makeConfig("none", none)], stored, NOW)).toEqual({
      icpMatch: false,
      icpScore: 0,
      matchedIcpConfigId: null
    })
  })

  it("evaluates a VisitorDetail with its sessions", () => {
    const rules = rulesOf(["AND", [cond("utm_source", "eq", "linkedin"), cond("page_equals", "eq", "/demo")]])
    const detail = makeDetail([
      makeSession({ utm: { ...noUtm, source: "LinkedIn" }, pagesVisited: ["https://client.com/demo"] })
    ])
    expect(evaluate([makeConfig("s", rules)], detail, NOW)).toEqual({
      icpMatch: true,
      icpScore: 100,
      matchedIcpConfigId: "s"
    })
    expect(evaluate([makeConfig("s", rules)], makeVisitor(), NOW).icpMatch).toBe(false)
  })
})

describe("the vendor example rules", () => {
  const example: unknown = JSON.parse(
    readFileSync(new URL("./fixtures/partner-api/examples/icpConfig.rules.json", import.meta.url), "utf8")
  )
  const rules = decodeRules(example)
  const configs = [makeConfig("example", rules)]
  const visitors = [
    makeVisitor(),
    makeVisitor({ company: { ...acme, industry: "saas", employeeCount: 50 } }),
    makeVisitor({ company: { ...acme, employeeCount: 49 } }),
    makeVisitor({ company: null })
  ] as const

  it("decodes with optional flags kept", () => {
    expect(rules.groups.length).toBe(1)
    expect(rules.groups[0]?.conditions.map((c) => [c.type, c.comparator, c.optional])).toEqual([
      ["industry", "in", false],
      ["company_size", "gte", false]
    ])
  })

  it.each([
    { index: 0, result: { icpMatch: true, icpScore: 100, matchedIcpConfigId: "example" } },
    { index: 1, result: { icpMatch: true, icpScore: 100, matchedIcpConfigId: "example" } },
    { index: 2, result: { icpMatch: false, icpScore: 50, matchedIcpConfigId: null } },
    { index: 3, result: { icpMatch: false, icpScore: 0, matchedIcpConfigId: null } }
  ])("visitor $index -> $result", ({ index, result }) => {
    const visitor = visitors[index]
    expect(visitor).toBeDefined()
    if (visitor !== undefined) expect(evaluate(configs, visitor, NOW)).toEqual(result)
  })

  it("previews 2 matches of 4", () => {
    expect(preview(rules, visitors, NOW)).toEqual({ matches: 2, total: 4 })
  })
})

describe("preview", () => {
  const visitors = [
    makeVisitor(),
    makeVisitor({ company: { ...acme, industry: "Retail" } }),
    makeVisitor({ company: null }),
    makeDetail([makeSession({ utm: { ...noUtm, source: "partner" } })], { company: null })
  ]
  const rules = rulesOf(["AND", [T1]], ["AND", [cond("utm_source", "eq", "PARTNER")]])

  it("counts the visitors the rules match", () => {
    expect(preview(rules, visitors, NOW)).toEqual({ matches: 2, total: 4 })
  })

  it("previews a config regardless of its active flag", () => {
    expect(preview(makeConfig("draft", rules, { active: false }), visitors, NOW)).toEqual({
      matches: 2,
      total: 4
    })
  })

  it("depends on now for last_seen_days", () => {
    const recent = rulesOf(["AND", [cond("last_seen_days", "lte", 7)]])
    expect(preview(recent, visitors, NOW)).toEqual({ matches: 0, total: 4 })
    expect(preview(recent, visitors, new Date(NOW.getTime() - 5 * 24 * HOUR_MS))).toEqual({
      matches: 4,
      total: 4
    })
  })

  it("an empty visitor list is 0 of 0", () => {
    expect(preview(rules, [], NOW)).toEqual({ matches: 0, total: 0 })
  })
})

describe("IcpRules schema refusals", () => {
  const valueFor = (type: ConditionType, comparator: Comparator): unknown => {
    const scalar = valueKind(type) === "string" ? "x" : valueKind(type) === "number" ? 1 : true
    return comparator === "in" || comparator === "not_in" ? [scalar] : scalar
  }
  const disallowed = allTypes.flatMap((type) =>
    allComparators
      .filter((c) => !allowedComparators(type).includes(c))
      .map((comparator) => ({ type, comparator }))
  )
  const allowed = allTypes.flatMap((type) =>
    allowedComparators(type).map((comparator) => ({ type, comparator }))
  )

  it("every comparator is either allowed or refused for every type", () => {
    expect(disallowed.length + allowed.length).toBe(allTypes.length * allComparators.length)
    expect(disallowed.length).toBeGreaterThan(0)
  })

  it.each(allowed)("accepts $type $comparator", ({ type, comparator }) => {
    expect(decodeCondition({ type, comparator, value: valueFor(type, comparator) })).toEqual({
      type,
      comparator,
      value: valueFor(type, comparator),
      optional: false
    })
  })

  it.each(disallowed)("refuses $type $comparator", ({ type, comparator }) => {
    expect(() => decodeCondition({ type, comparator, value: valueFor(type, comparator) })).toThrow(
      /is not allowed for type/
    )
  })

  it.each([
    { name: "string for a number type", input: { type: "company_size", comparator: "gte", value: "50" } },
    { name: "number for a string type", input: { type: "industry", comparator: "eq", value: 5 } },
    { name: "string for a boolean type", input: { type: "icp_match", comparator: "eq", value: "true" } },
    { name: "array for a scalar comparator", input: { type: "industry", comparator: "eq", value: ["SaaS"] } },
    { name: "number for a page type", input: { type: "page_equals", comparator: "eq", value: 1 } }
  ])("refuses a wrong value kind: $name", ({ input }) => {
    expect(() => decodeCondition(input)).toThrow(/expects a single/)
  })

  it.each([
    { name: "scalar for in", input: { type: "industry", comparator: "in", value: "SaaS" } },
    { name: "scalar for not_in", input: { type: "city", comparator: "not_in", value: "Austin" } },
    { name: "empty in", input: { type: "industry", comparator: "in", value: [] } },
    { name: "empty number in", input: { type: "company_size", comparator: "in", value: [] } },
    { name: "empty not_in", input: { type: "country", comparator: "not_in", value: [] } },
    { name: "empty page in", input: { type: "page_contains", comparator: "in", value: [] } }
  ])("refuses a list comparator without a non-empty array: $name", ({ input }) => {
    expect(() => decodeCondition(input)).toThrow(/expects a non-empty array/)
  })

  it.each([
    { name: "mixed kinds", input: { type: "industry", comparator: "in", value: ["SaaS", 1] } },
    { name: "strings for a number type", input: { type: "company_size", comparator: "in", value: ["50"] } }
  ])("refuses list elements of the wrong kind: $name", ({ input }) => {
    expect(() => decodeCondition(input)).toThrow(/must be a/)
  })

  it.each([
    { name: "unknown type", input: { type: "revenue", comparator: "gte", value: 1 } },
    { name: "unknown comparator", input: { type: "industry", comparator: "like", value: "x" } },
    {
      name: "non-boolean optional",
      input: { type: "industry", comparator: "eq", value: "x", optional: "yes" }
    },
    { name: "missing value", input: { type: "industry", comparator: "eq" } }
  ])("refuses a malformed condition: $name", ({ input }) => {
    expect(() => decodeCondition(input)).toThrow()
  })

  it("refuses empty groups, empty conditions and unknown operators", () => {
    const ok = { type: "industry", comparator: "eq", value: "x" }
    expect(decodeRules({ groups: [{ operator: "OR", conditions: [ok] }] }).groups.length).toBe(1)
    expect(() => decodeRules({ groups: [] })).toThrow()
    expect(() => decodeRules({})).toThrow()
    expect(() => decodeRules({ groups: [{ operator: "AND", conditions: [] }] })).toThrow()
    expect(() => decodeRules({ groups: [{ operator: "XOR", conditions: [ok] }] })).toThrow()
    expect(() =>
      decodeRules({ groups: [{ operator: "AND", conditions: [{ ...ok, comparator: "gt" }] }] })
    ).toThrow(/is not allowed for type/)
  })
})

describe("conditions the SDK does not know (returned by a newer API)", () => {
  const visitor = makeVisitor({ company: acme })
  const subject = subjectOf(visitor, NOW)
  const known = cond("industry", "eq", "Technology")
  const revenue = { type: "company_revenue", comparator: "gte", value: { min: 1 }, optional: false }
  const between = { type: "company_size", comparator: "between", value: [1, 500], optional: false }

  it("never hold, whatever their value", () => {
    expect(holds(known, visitor)).toBe(true)
    expect(evaluateCondition(revenue, subject)).toBe(false)
    expect(evaluateCondition(between, subject)).toBe(false)
  })

  it("count as not held: an optional one lowers the score, a required one stops an AND group", () => {
    const optional = evaluateConfig(
      { groups: [{ operator: "AND", conditions: [known, { ...revenue, optional: true }] }] },
      subject
    )
    expect({ matches: optional.matches, score: optional.score }).toEqual({ matches: true, score: 50 })
    const required = evaluateConfig({ groups: [{ operator: "AND", conditions: [known, revenue] }] }, subject)
    expect(required.matches).toBe(false)
  })
})
