import { Schema } from "effect"
import { HexColor, Id, OpenEnum, Timestamp } from "./Common.js"

/** The partner account's status. */
export const PartnerStatus = OpenEnum("PartnerStatus", ["active", "suspended"])

/** How the partner is billed. */
export const BillingMode = OpenEnum("BillingMode", ["pooled", "credit_pool", "external", "usage_based"])

/** The partner account (`GET /partner/me`). */
export const Partner = Schema.Struct({
  id: Id,
  name: Schema.String,
  slug: Schema.String,
  status: PartnerStatus,
  companyName: Schema.String,
  supportEmail: Schema.NullOr(Schema.String),
  logoUrl: Schema.NullOr(Schema.String),
  primaryColor: Schema.String,
  secondaryColor: Schema.String,
  scriptDomain: Schema.NullOr(Schema.String),
  scriptDomainVerified: Schema.Boolean,
  billingMode: BillingMode,
  creditPoolTotal: Schema.Int,
  creditPoolUsed: Schema.Int,
  creditPoolAvailable: Schema.Int,
  maxOrganizations: Schema.Int,
  maxIdentificationsPerOrg: Schema.Int,
  identificationWebhookUrl: Schema.NullOr(Schema.String),
  identificationWebhookEnabled: Schema.Boolean,
  billingWebhookUrl: Schema.NullOr(Schema.String),
  billingWebhookEnabled: Schema.Boolean,
  createdAt: Timestamp,
  isOwner: Schema.Boolean
}).annotations({ identifier: "Partner" })
export type Partner = typeof Partner.Type

/** The configuration the tracking script loads. */
export const ScriptConfig = Schema.Struct({
  companyName: Schema.String,
  slug: Schema.String,
  scriptDomain: Schema.optional(Schema.NullOr(Schema.String)),
  scriptDomainVerified: Schema.optional(Schema.Boolean),
  scriptBaseUrl: Schema.optional(Schema.String),
  logoUrl: Schema.optional(Schema.NullOr(Schema.String)),
  primaryColor: Schema.optional(Schema.String),
  secondaryColor: Schema.optional(Schema.String)
}).annotations({ identifier: "ScriptConfig" })
export type ScriptConfig = typeof ScriptConfig.Type

/** Branding fields a partner may change; `null` clears the logo. */
export const BrandingUpdate = Schema.Struct({
  logoUrl: Schema.optional(
    Schema.NullOr(
      Schema.String.pipe(
        Schema.maxLength(2048),
        Schema.filter((u) => {
          try {
            return new URL(u).protocol === "https:" || "Expected an https:// URL"
          } catch {
            return "Expected an https:// URL"
          }
        })
      )
    )
  ),
  primaryColor: Schema.optional(HexColor),
  secondaryColor: Schema.optional(HexColor),
  companyName: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)))
}).annotations({ identifier: "BrandingUpdate", parseOptions: { onExcessProperty: "error" } })
export type BrandingUpdate = typeof BrandingUpdate.Type

/** The partner's branding as returned by `PUT /partner/branding`. */
export const PartnerBranding = Schema.Struct({
  id: Id,
  name: Schema.String,
  slug: Schema.String,
  logoUrl: Schema.NullOr(Schema.String),
  primaryColor: Schema.String,
  secondaryColor: Schema.String,
  companyName: Schema.String
}).annotations({ identifier: "PartnerBranding" })
export type PartnerBranding = typeof PartnerBranding.Type
