import { Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { ApiKeyHeader } from "./Api/Security.js"
import { call, type CallContext, type SdkError } from "./internal/call.js"
import { makeCaller, type ApiClient } from "./internal/caller.js"
import { endpointInfo } from "./internal/endpointInfo.js"
import { makeTransport, type TransportOptions } from "./internal/transport.js"
import { PartnerConfig, PartnerConfigError } from "./PartnerConfig.js"
import { RateLimitGovernor } from "./RateLimitGovernor.js"
import { classifyFailure } from "./RetryPolicy.js"

export type { ApiClient }

/** What is needed to talk to one partner account. */
export interface PartnerClientOptions extends Omit<TransportOptions, "governor"> {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  /** A governor to share; by default the process-wide one for this key. */
  readonly governor?: RateLimitGovernor | undefined
}

/** A configured connection to the Partner API: one governor, one transport, one typed client. */
export class PartnerClient extends Context.Tag("@bullseye-partner/core/PartnerClient")<
  PartnerClient,
  {
    readonly baseUrl: string
    readonly governor: RateLimitGovernor
    /** Calls one endpoint through the raw client and maps its failures into the SDK's errors. */
    readonly run: <G extends keyof ApiClient, A, E>(
      group: G,
      endpoint: string,
      f: (client: ApiClient[G]) => Effect.Effect<A, E>
    ) => Effect.Effect<A, SdkError<E>>
  }
>() {}

/** Builds a PartnerClient on top of an `HttpClient`. */
export const make = (options: PartnerClientOptions) =>
  Effect.gen(function* () {
    const base = yield* HttpClient.HttpClient
    const governor = options.governor ?? (yield* RateLimitGovernor.forKey(options.apiKey))
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
    const ctx: CallContext = { classify: classifyFailure, snapshot: governor.snapshot }
    const run = <G extends keyof ApiClient, A, E>(
      group: G,
      endpoint: string,
      f: (client: ApiClient[G]) => Effect.Effect<A, E>
    ) => call(ctx, endpointInfo(group, endpoint))(f(client[group]))
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
