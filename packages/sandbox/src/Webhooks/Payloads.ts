import type { VisitorDetail } from "@bullseye-partner/core/Domain/Visitor"
import type { VisitorIdentified } from "@bullseye-partner/core/WebhookEvent"
import type { Schema } from "effect"
import { wireDate } from "../internal/time.js"

/** The envelope of a billing-channel event (`credits.*`, `pool.low`). */
export const billingEvent = (input: {
  readonly event: string
  readonly now: Date
  readonly partnerId: string
  readonly organizationId: string | null
  readonly data: Readonly<Record<string, unknown>>
}) => ({
  event: input.event,
  timestamp: wireDate(input.now),
  partner_id: input.partnerId,
  organization_id: input.organizationId,
  data: input.data
})

const location = (l: VisitorDetail["location"]) => ({ city: l.city, region: l.region, country: l.country })

/** The `visitor.identified` payload of one identification (snake_case, as the docs show); the newest session led to it. */
export const identificationEvent = (
  visitor: VisitorDetail,
  session: VisitorDetail["sessions"][number],
  now: Date
): Schema.Schema.Encoded<typeof VisitorIdentified> => {
  return {
    event: "visitor.identified",
    timestamp: wireDate(now),
    organization_id: visitor.organizationId,
    session_id: session.id,
    visitor: {
      id: visitor.id,
      email: visitor.email,
      first_name: visitor.firstName,
      last_name: visitor.lastName,
      job_title: visitor.jobTitle,
      linkedin_url: visitor.linkedinUrl,
      location: location(visitor.location)
    },
    company:
      visitor.company === null
        ? null
        : {
            name: visitor.company.name,
            domain: visitor.company.domain,
            industry: visitor.company.industry,
            employee_count: visitor.company.employeeCount,
            employee_size_range: visitor.company.employeeSizeRange,
            location: location(visitor.company.location)
          },
    session: {
      landing_page: session.landingPage,
      pages_visited: session.pagesVisited,
      utm_source: session.utm.source,
      utm_medium: session.utm.medium,
      utm_campaign: session.utm.campaign,
      utm_term: session.utm.term,
      utm_content: session.utm.content,
      referrer: session.referrer,
      device_type: session.deviceType
    },
    icp: { match: visitor.icpMatch, score: visitor.icpScore, icp_config_id: visitor.matchedIcpConfigId }
  }
}

/** The body of a test delivery. */
export const testEvent = (type: string, partnerId: string, now: Date) => ({
  event: "webhook.test",
  timestamp: wireDate(now),
  partner_id: partnerId,
  data: { type, message: "This is a test delivery from the Bullseye sandbox" }
})
