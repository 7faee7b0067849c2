/** Where a part of the contract comes from: the vendor's docs, or our guess where they are silent. */
export type Source = "documented" | "decided"

/** The vendor extension that carries a {@link Source} in `openapi.json`. */
export const SourceExtension = "x-bullseye-source"

/** How one operation is known: its method and path, and the status and shape of its success response. */
export interface OperationSource {
  readonly operation: Source
  /** Defaults to `operation`. */
  readonly response?: Source
}

// From the marks of endpoints.md: an operation is `documented` when its method and path are [doc]; its
// response is `decided` when the success status or the response wrapper is a guess.
export const operationSources: Readonly<Record<string, OperationSource>> = {
  "partner.me": { operation: "documented" },
  "partner.scriptConfig": { operation: "documented", response: "decided" },
  "apiKeys.list": { operation: "documented" },
  "apiKeys.create": { operation: "documented", response: "decided" },
  "apiKeys.revoke": { operation: "decided" },
  "organizations.list": { operation: "documented" },
  "organizations.create": { operation: "documented", response: "decided" },
  "organizations.get": { operation: "decided" },
  "organizations.update": { operation: "decided" },
  "organizations.delete": { operation: "decided" },
  "organizations.setStatus": { operation: "decided" },
  "organizations.setTier": { operation: "decided" },
  "organizations.allocateCredits": { operation: "documented" },
  "organizations.getPixel": { operation: "decided" },
  "organizations.updatePixel": { operation: "decided" },
  "organizations.listVisitors": { operation: "decided" },
  "organizations.getVisitor": { operation: "decided" },
  "icpConfigs.list": { operation: "decided" },
  "icpConfigs.create": { operation: "decided" },
  "icpConfigs.get": { operation: "decided" },
  "icpConfigs.update": { operation: "decided" },
  "icpConfigs.delete": { operation: "decided" },
  "webhooks.get": { operation: "documented" },
  "webhooks.updateIdentification": { operation: "documented" },
  "webhooks.updateBilling": { operation: "documented" },
  "webhooks.test": { operation: "decided" },
  "webhooks.logs": { operation: "decided" },
  "billing.get": { operation: "documented" },
  "billing.usage": { operation: "decided" },
  "billing.calculate": { operation: "decided" },
  "branding.update": { operation: "documented" },
  "domains.set": { operation: "documented" },
  "domains.verification": { operation: "documented" },
  "domains.verify": { operation: "documented" },
  "analytics.get": { operation: "documented" },
  "analytics.usage": { operation: "documented" }
}

/** How one model is known, with the fields that are known otherwise than the model as a whole. */
export interface SchemaSource {
  readonly model: Source
  readonly decided?: ReadonlyArray<string>
  readonly documented?: ReadonlyArray<string>
}

// From the marks of models.md and endpoints.md, by component name of the generated document.
export const schemaSources: Readonly<Record<string, SchemaSource>> = {
  WireError: { model: "documented" },
  Partner: { model: "documented" },
  ScriptConfig: { model: "decided", documented: ["companyName", "slug"] },
  ApiKey: { model: "documented", decided: ["revokedAt"] },
  ApiKeyCreate: { model: "documented" },
  OrganizationPage: { model: "documented" },
  Organization: {
    model: "documented",
    decided: [
      "creditsUsed",
      "creditsAvailable",
      "productType",
      "billingPeriod",
      "billingDayOfMonth",
      "ownerUserId",
      "updatedAt",
      "canceledAt"
    ]
  },
  OrganizationCreate: { model: "documented", decided: ["productType"] },
  OrganizationUpdate: { model: "decided" },
  MetadataInput: { model: "decided" },
  StatusChange: { model: "decided" },
  TierChange: { model: "decided" },
  CreditAllocationRequest: { model: "documented" },
  Allocation: { model: "documented", decided: ["notes"] },
  Pixel: { model: "decided" },
  PixelUpdate: { model: "decided" },
  VisitorPage: { model: "decided" },
  Visitor: { model: "decided" },
  VisitorDetail: { model: "decided" },
  VisitorSession: { model: "decided" },
  Location: { model: "decided" },
  Company: { model: "decided" },
  Utm: { model: "decided" },
  IcpConfig: { model: "decided" },
  IcpConfigCreate: { model: "decided" },
  IcpConfigUpdate: { model: "decided" },
  IcpRules: { model: "documented" },
  IcpGroup: { model: "documented" },
  IcpCondition: { model: "documented" },
  OpenIcpRules: { model: "documented" },
  OpenIcpGroup: { model: "documented" },
  OpenIcpCondition: { model: "documented" },
  WebhookChannel: { model: "documented" },
  WebhookChannelUpdate: { model: "documented" },
  WebhookDelivery: { model: "decided" },
  WebhookLogPage: { model: "decided" },
  BillingInfo: { model: "documented" },
  PricingTier: { model: "documented" },
  BillingPeriodUsage: { model: "decided" },
  BillingCalculation: { model: "decided" },
  BrandingUpdate: { model: "documented" },
  PartnerBranding: { model: "documented" },
  DomainSet: { model: "documented" },
  DomainSetup: { model: "documented", decided: ["verifiedAt"] },
  DnsRecord: { model: "documented" },
  Analytics: { model: "documented" },
  UsageSummary: { model: "documented" }
}

/** The source of one field of a model listed in {@link schemaSources}. */
export const fieldSource = (source: SchemaSource, field: string): Source =>
  source.decided?.includes(field) === true
    ? "decided"
    : source.documented?.includes(field) === true
      ? "documented"
      : source.model
