import { HttpApi, OpenApi } from "@effect/platform"
import { AnalyticsGroup } from "./Api/Analytics.js"
import { ApiKeysGroup } from "./Api/ApiKeys.js"
import { BillingGroup } from "./Api/Billing.js"
import { BrandingGroup } from "./Api/Branding.js"
import { DomainsGroup } from "./Api/Domains.js"
import { IcpConfigsGroup } from "./Api/IcpConfigs.js"
import { OrganizationsGroup } from "./Api/Organizations.js"
import { PartnerAccountGroup } from "./Api/PartnerAccount.js"
import { Authentication } from "./Api/Security.js"
import { WebhooksGroup } from "./Api/Webhooks.js"
import { Wire } from "./Errors.js"

/** The production base URL of the Partner API. */
export const DefaultBaseUrl = "https://api.app.bullseye.so/api/v1"

/** The Bullseye Partner API contract, shared by the SDK and the sandbox (paths relative to `/api/v1`). */
export class Api extends HttpApi.make("BullseyePartnerApi")
  .add(PartnerAccountGroup)
  .add(ApiKeysGroup)
  .add(OrganizationsGroup)
  .add(IcpConfigsGroup)
  .add(WebhooksGroup)
  .add(BillingGroup)
  .add(BrandingGroup)
  .add(DomainsGroup)
  .add(AnalyticsGroup)
  .middleware(Authentication)
  .addError(Wire.Forbidden)
  .addError(Wire.RateLimited)
  .addError(Wire.InternalError)
  .annotateContext(
    OpenApi.annotations({
      title: "Bullseye Partner API",
      version: "1.0.0",
      description:
        "Manage client organizations, credits, pixels, ICP rules, webhooks, billing, branding and custom domains of a Bullseye whitelabel partner.",
      servers: [
        { url: DefaultBaseUrl, description: "Production" },
        { url: "http://127.0.0.1:4100/api/v1", description: "Local sandbox" }
      ]
    })
  ) {}
