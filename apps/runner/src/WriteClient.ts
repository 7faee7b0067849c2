import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RetryPolicy } from "@bullseye-partner/core/RetryPolicy"
import { Context, Effect, Layer, type Redacted } from "effect"

/**
 * The connection changes go through: the same key and rate-limit governor, but no automatic repeat except
 * after a 429 (provably not processed), so a change whose outcome is unknown reaches the step executor,
 * which reads the state again instead of sending the change a second time.
 */
export class WriteClient extends Context.Tag("@bullseye-partner/runner/WriteClient")<
  WriteClient,
  PartnerClient.PartnerClient["Type"]
>() {}

/** Both clients of one connection: `PartnerClient` (reads, retried) and `WriteClient`, sharing one governor. */
export const layer = (options: { readonly baseUrl: string; readonly apiKey: Redacted.Redacted<string> }) =>
  Layer.effect(
    WriteClient,
    Effect.flatMap(PartnerClient.PartnerClient, (reads) =>
      PartnerClient.make({
        ...options,
        governor: reads.governor,
        retryPolicy: RetryPolicy.make({ maxRetries: 0 })
      })
    )
  ).pipe(Layer.provideMerge(PartnerClient.layer(options)))

/** A service layer built over the write client instead of the default one. */
export const over = <A, E>(service: Layer.Layer<A, E, PartnerClient.PartnerClient>) =>
  Layer.unwrapEffect(
    Effect.map(WriteClient, (client) =>
      service.pipe(Layer.provide(Layer.succeed(PartnerClient.PartnerClient, client)))
    )
  )
