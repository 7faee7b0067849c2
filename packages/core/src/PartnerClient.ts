import { Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiKeyHeader } from "./Api/Security.js"
import { call, type CallContext, type SdkError } from "./internal/call.js"
import { makeCaller, type ApiClient } from "./internal/caller.js"
import { endpointInfo } from "./internal/endpointInfo.js"
import { makeTransport, type TransportOptions } from "./internal/transport.js"
import { PartnerConfig, PartnerConfigError } from "./PartnerConfig.js"
import { Governors, RateLimitGovernor } from "./RateLimitGovernor.js"
import { classifyFailure } from "./RetryPolicy.js"

export type { ApiClient }

/** What is needed to talk to one partner account. */
export interface PartnerClientOptions extends Omit<TransportOptions, "governor"> {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  /**
   * A governor to share; by default the one of `Governors` for this base URL and key when that registry is
   * provided, else one of this client's own.
   */
  readonly governor?: RateLimitGovernor | undefined
}

/** The call that talks to one endpoint: `f` sees only the endpoint named, so names and calls cannot disagree. */
export type Run = <G extends keyof ApiClient, K extends keyof ApiClient[G] & string, A, E>(
  group: G,
  endpoint: K,
  f: (client: Pick<ApiClient[G], K>) => Effect.Effect<A, E>
) => Effect.Effect<A, SdkError<E>>

/** A configured connection to the Partner API: one governor, one transport, one typed client. */
export class PartnerClient extends Context.Tag("@bullseye-partner/core/PartnerClient")<
  PartnerClient,
  {
    readonly baseUrl: string
    readonly governor: RateLimitGovernor
    /** Calls one endpoint through the raw client and maps its failures into the SDK's errors. */
    readonly run: Run
  }
>() {}

/** Builds a PartnerClient on top of an `HttpClient`. */
export const make = (options: PartnerClientOptions) =>
  Effect.gen(function* () {
    const base = yield* HttpClient.HttpClient
    const registry = yield* Effect.serviceOption(Governors)
    const governor =
      options.governor ??
      (Option.isSome(registry)
        ? yield* registry.value.forTarget(options.baseUrl, options.apiKey)
        : yield* RateLimitGovernor.make)
    // The platform records request headers as span attributes; the key must show there only redacted.
    // The extended list is kept for the list it extends (normally the same every time), saving a copy per request.
    let redactedFrom: ReadonlyArray<string | RegExp> | undefined
    let redacted: ReadonlyArray<string | RegExp> = []
    const redactKey = (names: ReadonlyArray<string | RegExp>) => {
      if (names !== redactedFrom) {
        redactedFrom = names
        redacted = [...names, ApiKeyHeader.toLowerCase()]
      }
      return redacted
    }
    // The transport goes on the client itself, so a client that bounds its own attempts (UndiciHttpClient) can.
    const transported = base.pipe(
      makeTransport({ ...options, governor }),
      HttpClient.mapRequest(HttpClientRequest.setHeader(ApiKeyHeader, Redacted.value(options.apiKey))),
      HttpClient.transform((effect) => Effect.locallyWith(effect, Headers.currentRedactedNames, redactKey))
    )
    const client = makeCaller(transported, options.baseUrl)
    const ctx: CallContext = {
      classify: classifyFailure,
      snapshot: governor.snapshot,
      retryAt: governor.retryAt
    }
    const run: Run = (group, endpoint, f) => call(ctx, endpointInfo(group, endpoint))(f(client[group]))
    return PartnerClient.of({ baseUrl: options.baseUrl, governor, run })
  })

/** A PartnerClient layer from explicit options (needs an `HttpClient`). */
export const layer = (options: PartnerClientOptions) => Layer.effect(PartnerClient, make(options))

/** A PartnerClient layer from the resolved `PartnerConfig`; fails with one actionable line when no key is configured. */
export const layerFromConfig = (options: Omit<PartnerClientOptions, "baseUrl" | "apiKey"> = {}) =>
  Layer.effect(
    PartnerClient,
    Effect.gen(function* () {
      const config = yield* PartnerConfig
      if (Option.isNone(config.apiKey)) {
        return yield* new PartnerConfigError({
          reason: "InvalidValue",
          message: "No API key configured: set BULLSEYE_API_KEY or select a profile with --profile"
        })
      }
      return yield* make({ ...options, baseUrl: config.baseUrl, apiKey: config.apiKey.value })
    })
  )
