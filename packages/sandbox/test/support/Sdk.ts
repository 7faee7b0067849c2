import { Analytics } from "@bullseye-partner/core/Analytics"
import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Billing } from "@bullseye-partner/core/Billing"
import { Branding } from "@bullseye-partner/core/Branding"
import { Domains } from "@bullseye-partner/core/Domains"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RateLimitGovernor } from "@bullseye-partner/core/RateLimitGovernor"
import { RetryPolicy } from "@bullseye-partner/core/RetryPolicy"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer, type Redacted } from "effect"

const sdkLayer = (baseUrl: string, apiKey: Redacted.Redacted<string>) =>
  Layer.unwrapEffect(
    Effect.map(RateLimitGovernor.make, (governor) =>
      Layer.mergeAll(
        PartnerAccount.Default,
        ApiKeys.Default,
        Organizations.Default,
        IcpConfigs.Default,
        Webhooks.Default,
        Billing.Default,
        Branding.Default,
        Domains.Default,
        Analytics.Default
      ).pipe(
        Layer.provideMerge(
          PartnerClient.layer({
            baseUrl,
            apiKey,
            governor,
            retryPolicy: RetryPolicy.make({ maxRetries: 0, maxRateLimitRetries: 0 })
          })
        ),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )
  )

/** The SDK's services for one key against `baseUrl` (no retries), living as long as the scope. */
export const sdkAt = (baseUrl: string, apiKey: Redacted.Redacted<string>) =>
  Effect.map(Layer.build(sdkLayer(baseUrl, apiKey)), (ctx) => ({
    account: Context.get(ctx, PartnerAccount),
    keys: Context.get(ctx, ApiKeys),
    orgs: Context.get(ctx, Organizations),
    icp: Context.get(ctx, IcpConfigs),
    webhooks: Context.get(ctx, Webhooks),
    billing: Context.get(ctx, Billing),
    branding: Context.get(ctx, Branding),
    domains: Context.get(ctx, Domains),
    analytics: Context.get(ctx, Analytics)
  }))
