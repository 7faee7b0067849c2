import { EmployeeSizeRanges } from "@bullseye-partner/core/Domain/Icp"
import type { Company, Utm } from "@bullseye-partner/core/Domain/Visitor"
import type { Prng } from "../internal/Prng.js"
import type { SessionDraft } from "../Store/Visitors.js"

const firstNames = [
  "Jane",
  "John",
  "Maria",
  "Wei",
  "Aisha",
  "Carlos",
  "Emma",
  "Lukas",
  "Priya",
  "Noah",
  "Sofia",
  "Kenji",
  "Olivia",
  "Mateo",
  "Chloe",
  "Arjun"
]
const lastNames = [
  "Doe",
  "Smith",
  "Garcia",
  "Chen",
  "Khan",
  "Silva",
  "Brown",
  "Müller",
  "Patel",
  "Johnson",
  "Rossi",
  "Tanaka",
  "Martin",
  "Lopez",
  "Dubois",
  "Singh"
]
const titles = [
  "CTO",
  "VP Engineering",
  "Head of Marketing",
  "Founder",
  "Product Manager",
  "Sales Director",
  "Data Analyst",
  "COO",
  "Growth Lead",
  "Software Engineer"
]
const industries = [
  "Technology",
  "SaaS",
  "Finance",
  "Healthcare",
  "Retail",
  "Manufacturing",
  "Education",
  "Media"
]
const companyWords = [
  "Acme",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark",
  "Wayne",
  "Hooli",
  "Vandelay",
  "Soylent",
  "Tyrell",
  "Wonka",
  "Cyberdyne"
]
const companySuffixes = ["Inc", "Labs", "Systems", "Group", "Analytics", "Cloud"]
const places: ReadonlyArray<{ readonly city: string; readonly region: string; readonly country: string }> = [
  { city: "Austin", region: "Texas", country: "US" },
  { city: "San Francisco", region: "California", country: "US" },
  { city: "New York", region: "New York", country: "US" },
  { city: "London", region: "England", country: "GB" },
  { city: "Berlin", region: "Berlin", country: "DE" },
  { city: "Paris", region: "Île-de-France", country: "FR" },
  { city: "Toronto", region: "Ontario", country: "CA" },
  { city: "Sydney", region: "New South Wales", country: "AU" }
]
const paths = ["/", "/pricing", "/features", "/blog/launch", "/docs", "/contact", "/customers", "/demo"]
const sources: ReadonlyArray<Utm> = [
  { source: "google", medium: "cpc", campaign: "brand", term: "visitor identification", content: null },
  { source: "linkedin", medium: "social", campaign: "q1-launch", term: null, content: "carousel" },
  { source: "newsletter", medium: "email", campaign: "weekly", term: null, content: null },
  { source: null, medium: null, campaign: null, term: null, content: null }
]
const referrers = [
  "https://www.google.com/",
  "https://www.linkedin.com/",
  null,
  "https://news.ycombinator.com/"
]
const devices = ["desktop", "desktop", "mobile", "tablet"] as const

const employeeRange = (count: number): string =>
  count <= 10
    ? "1-10"
    : count <= 50
      ? "11-50"
      : count <= 200
        ? "51-200"
        : count <= 500
          ? "201-500"
          : count <= 1000
            ? "501-1000"
            : count <= 5000
              ? "1001-5000"
              : (EmployeeSizeRanges[6] ?? "5000+")

/** A made-up person (and company for B2B), drawn from the PRNG so a seed always yields the same people. */
export const fakePerson = (prng: Prng, b2b: boolean) => {
  const firstName = prng.pick(firstNames)
  const lastName = prng.pick(lastNames)
  const place = prng.pick(places)
  const companyName = `${prng.pick(companyWords)} ${prng.pick(companySuffixes)}`
  const domain = `${companyName.toLowerCase().replace(/[^a-z]+/g, "")}.com`
  const employeeCount = prng.pick([5, 25, 80, 150, 320, 750, 2400, 12000])
  const company: Company | null = b2b
    ? {
        name: companyName,
        domain,
        industry: prng.pick(industries),
        employeeCount,
        employeeSizeRange: employeeRange(employeeCount),
        location: place
      }
    : null
  const handle = `${firstName}.${lastName}`
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z.]/g, "")
  return {
    email: prng.chance(0.85) ? `${handle}@${b2b ? domain : "example.net"}` : null,
    firstName,
    lastName,
    jobTitle: b2b ? prng.pick(titles) : null,
    linkedinUrl: prng.chance(0.7) ? `https://linkedin.com/in/${handle.replace(".", "")}` : null,
    location: { city: place.city, region: place.region, country: place.country },
    company
  }
}

/** Made-up sessions on `site`, the last one ending at `lastSeenAt`. */
export const fakeSessions = (prng: Prng, site: string, lastSeenAt: Date): ReadonlyArray<SessionDraft> => {
  const count = prng.int(1, 3)
  return Array.from({ length: count }, (_, i) => {
    const startedAt = new Date(
      lastSeenAt.getTime() - (count - 1 - i) * 86_400_000 * prng.int(1, 3) - prng.int(60, 900) * 1000
    )
    const utm = prng.pick(sources)
    const pages = Array.from({ length: prng.int(1, 4) }, () => `${site}${prng.pick(paths)}`)
    const query = utm.source === null ? "" : `?utm_source=${utm.source}&utm_medium=${utm.medium ?? ""}`
    const landingPage = `${pages[0] ?? site}${query}`
    return {
      id: prng.uuid(),
      startedAt,
      endedAt: new Date(startedAt.getTime() + prng.int(30, 900) * 1000),
      landingPage,
      pagesVisited: [landingPage, ...pages.slice(1)],
      referrer: prng.pick(referrers),
      utm,
      deviceType: prng.pick(devices)
    }
  })
}
