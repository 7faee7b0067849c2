import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect, Redacted, Schema } from "effect"
import { WireError } from "./Errors.js"

/** The header that authenticates control-plane calls. */
export const SandboxTokenHeader = "X-Sandbox-Token"

/** A refused or failed control-plane call (never carries the token). */
export class SandboxControlError extends Schema.TaggedError<SandboxControlError>()("SandboxControlError", {
  message: Schema.String,
  status: Schema.Number,
  code: Schema.String
}) {}

const Bootstrapped = Schema.Struct({ partnerId: Schema.String, apiKey: Schema.Redacted(Schema.String) })

/** A partner the control plane created, with its full-access key. */
export type SandboxPartner = typeof Bootstrapped.Type

/** Fault injection as the sandbox applies it before handlers run. */
export interface FaultSpec {
  readonly seed?: number
  readonly rate500?: number
  readonly rate503?: number
  readonly rate429?: number
  readonly rateReset?: number
  readonly afterHandler?: boolean
  readonly latencyMs?: { readonly min: number; readonly max: number }
  readonly routes?: ReadonlyArray<string>
}

/** A record of the simulated DNS zone. */
export interface DnsRecordInput {
  readonly type: "CNAME" | "TXT"
  readonly name: string
  readonly value: string
}

// The control plane refuses with the Partner API's error body.
const WireBody = WireError.pick("code", "message")

/**
 * The sandbox's control plane (`/_sandbox`), which is not part of the Partner API: reset the store,
 * add partners, simulate identifications, inject faults, set DNS records, move the clock.
 */
export const make = (options: { readonly baseUrl: string; readonly token: Redacted.Redacted<string> }) =>
  Effect.gen(function* () {
    const origin = options.baseUrl.replace(/\/api\/v1\/?$/, "")
    const http = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((r) =>
        r.pipe(
          HttpClientRequest.prependUrl(`${origin}/_sandbox`),
          HttpClientRequest.setHeader(SandboxTokenHeader, Redacted.value(options.token))
        )
      )
    )
    const refused = (response: HttpClientResponse.HttpClientResponse) =>
      Effect.flatMap(
        Effect.orElseSucceed(HttpClientResponse.schemaBodyJson(WireBody)(response), () => ({
          code: "Unknown",
          message: `The control plane answered ${response.status}`
        })),
        (body) => Effect.fail(new SandboxControlError({ ...body, status: response.status }))
      )
    const send = <A, I>(
      request: HttpClientRequest.HttpClientRequest,
      success: Schema.Schema<A, I>
    ): Effect.Effect<A, SandboxControlError> =>
      http.execute(request).pipe(
        Effect.flatMap(
          HttpClientResponse.matchStatus({
            "2xx": (response) => HttpClientResponse.schemaBodyJson(success)(response),
            orElse: refused
          })
        ),
        Effect.mapError((e) =>
          e._tag === "SandboxControlError"
            ? e
            : new SandboxControlError({
                message: e.message,
                status: e._tag === "ResponseError" ? e.response.status : 0,
                code: e._tag === "RequestError" ? "NetworkError" : "Decode"
              })
        ),
        Effect.scoped
      )
    const post = (path: string, body: unknown) =>
      HttpClientRequest.bodyUnsafeJson(HttpClientRequest.post(path), body)
    const put = (path: string, body: unknown) =>
      HttpClientRequest.bodyUnsafeJson(HttpClientRequest.put(path), body)
    const Any = Schema.Record({ key: Schema.String, value: Schema.Unknown })
    return {
      /** Wipes the store and bootstraps again; the old keys stop working. */
      reset: (
        body: { seed?: "demo" | "empty" | number; organizations?: number; visitorsPerOrg?: number } = {}
      ) => send(post("/reset", body), Bootstrapped),
      /** Another partner with its own pool and key. */
      createPartner: (body: { name?: string; creditPoolTotal?: number; maxOrganizations?: number } = {}) =>
        send(post("/partners", body), Bootstrapped),
      /** Simulates identifications (visitors, ICP scoring, credit spend, webhooks). */
      identify: (body: { organizationId?: string; partnerId?: string; count: number }) =>
        send(post("/identifications", body), Any),
      setFaults: (spec: FaultSpec) => send(put("/faults", spec), Any),
      clearFaults: () => send(HttpClientRequest.del("/faults"), Schema.Unknown),
      setDns: (records: ReadonlyArray<DnsRecordInput>) => send(put("/dns", { records }), Any),
      /** Moves the sandbox clock forward, closing billing periods on the way. */
      advanceClock: (days: number) => send(post("/clock", { days }), Any)
    }
  })

/** The control-plane client's shape. */
export type SandboxControl = Effect.Effect.Success<ReturnType<typeof make>>
