import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder, HttpApiError, type HttpApp, type HttpRouter } from "@effect/platform"
import { Cause, Context, Effect, Layer, Option } from "effect"
import { AnalyticsHandlers } from "../Handlers/Analytics.js"
import { ApiKeysHandlers } from "../Handlers/ApiKeys.js"
import { BillingHandlers } from "../Handlers/Billing.js"
import { BrandingHandlers } from "../Handlers/Branding.js"
import { DomainsHandlers } from "../Handlers/Domains.js"
import { IcpConfigsHandlers } from "../Handlers/IcpConfigs.js"
import { OrganizationsHandlers } from "../Handlers/Organizations.js"
import { PartnerAccountHandlers } from "../Handlers/PartnerAccount.js"
import { WebhooksHandlers } from "../Handlers/Webhooks.js"
import { DecodeFailure, decodeIssues, makeGateway } from "./Gateway.js"
import { AuthenticationLive } from "./Principal.js"

const Handlers = Layer.mergeAll(
  PartnerAccountHandlers,
  ApiKeysHandlers,
  OrganizationsHandlers,
  IcpConfigsHandlers,
  WebhooksHandlers,
  BillingHandlers,
  BrandingHandlers,
  DomainsHandlers,
  AnalyticsHandlers
)

// The framework answers its own decode errors with its own body; turn them into a defect the
// gateway maps to the documented 400 (the gateway's validation normally refuses such requests first).
const DecodeErrors = HttpApiBuilder.middleware((app) =>
  Effect.catchAllCause(app, (cause) => {
    const widened: Cause.Cause<unknown> = cause
    const failure = Cause.failureOption(widened)
    if (Option.isSome(failure) && failure.value instanceof HttpApiError.HttpApiDecodeError) {
      return Effect.die(new DecodeFailure({ issues: decodeIssues(failure.value) }))
    }
    return Effect.failCause(cause)
  })
)

/** The Partner API (paths relative to `/api/v1`) behind the gateway, as one `HttpApp`. */
export class PartnerApi extends Context.Tag("@bullseye-partner/sandbox/PartnerApi")<
  PartnerApi,
  HttpApp.Default<never, HttpRouter.HttpRouter.DefaultServices>
>() {
  static layer = Layer.effect(
    PartnerApi,
    Effect.gen(function* () {
      const app = yield* HttpApiBuilder.httpApp
      const gateway = yield* makeGateway
      return gateway(app)
    })
  ).pipe(
    Layer.provide(
      Layer.mergeAll(
        HttpApiBuilder.api(Api).pipe(Layer.provide(Handlers), Layer.provide(AuthenticationLive)),
        HttpApiBuilder.Router.Live,
        HttpApiBuilder.Middleware.layer,
        DecodeErrors
      )
    )
  )
}
