import { HttpRouter, HttpServer, HttpServerError, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Context, Effect, Layer, Option, type Redacted } from "effect"
import { createServer } from "node:http"
import { bootstrapIfEmpty, issueKey, type Bootstrapped } from "./Bootstrap.js"
import type { SeedOption } from "./SeedOption.js"
import { DnsResolver, SimulatedZone } from "./DnsResolver.js"
import { Faults, type FaultSpec } from "./Faults.js"
import { controlPlane } from "./Http/ControlPlane.js"
import { ControlToken } from "./Http/ControlToken.js"
import { docsPage, openApiResponse } from "./Http/Docs.js"
import { PartnerApi } from "./Http/PartnerApi.js"
import { PublicUrl } from "./Http/PublicUrl.js"
import { RateLimiter } from "./Http/RateLimiter.js"
import { internalError, notFound, wireBody } from "./internal/errors.js"
import { SandboxClock } from "./SandboxClock.js"
import { SandboxConfig, type SandboxSettings } from "./SandboxConfig.js"
import { Identifications } from "./Simulation/Identifications.js"
import * as Database from "./Store/Database.js"
import * as Stores from "./Store/Stores.js"
import { Dispatcher } from "./Webhooks/Dispatcher.js"
import { WebhookSender } from "./Webhooks/Sender.js"

/** Everything that decides how a sandbox instance runs. */
export interface SandboxOptions {
  readonly database: Database.DatabaseLocation
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  /** What a first start on an empty store creates. */
  readonly seed: SeedOption
  readonly dns: "simulated" | "system"
  readonly settings?: Partial<SandboxSettings> | undefined
  readonly faults?: FaultSpec | undefined
  /** Issue a new full-access key at start when the store already has its partner (`--new-key`). */
  readonly newKey?: boolean | undefined
  /** A fixed control-plane token; a random one by default. */
  readonly controlToken?: Redacted.Redacted<string> | undefined
}

/** A key the sandbox created at start and shows once: on a first start, or asked for with `newKey`. */
export interface IssuedAtStart extends Bootstrapped {
  /** True when the store was empty and this start created its partner. */
  readonly firstStart: boolean
}

/** A running sandbox: where it listens, its control token and, on a first start, the bootstrap key. */
export class SandboxInfo extends Context.Tag("@bullseye-partner/sandbox/SandboxInfo")<
  SandboxInfo,
  {
    readonly origin: string
    readonly apiBaseUrl: string
    readonly controlToken: Redacted.Redacted<string>
    readonly bootstrapped: Option.Option<IssuedAtStart>
  }
>() {}

class FirstStart extends Context.Tag("@bullseye-partner/sandbox/FirstStart")<
  FirstStart,
  Option.Option<IssuedAtStart>
>() {}

const json = (body: unknown, status: number) => HttpServerResponse.unsafeJson(body, { status })

const topLevel = Effect.gen(function* () {
  const api = yield* PartnerApi
  const publicUrl = yield* PublicUrl
  // Both are generated from the whole contract and never change while the server runs: built at
  // their first request, then served as they are.
  const openApi = yield* Effect.cached(Effect.sync(() => openApiResponse(publicUrl.apiBaseUrl)))
  const docs = yield* Effect.cached(Effect.sync(() => docsPage(publicUrl.apiBaseUrl)))
  const router = HttpRouter.empty.pipe(
    HttpRouter.mountApp("/api/v1", api),
    HttpRouter.mountApp("/_sandbox", controlPlane),
    HttpRouter.get("/openapi.json", openApi),
    HttpRouter.get("/docs", docs),
    HttpRouter.get("/", Effect.succeed(HttpServerResponse.redirect("/docs", { status: 302 })))
  )
  return Effect.catchAllCause(router, (cause) => {
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure) && failure.value instanceof HttpServerError.RouteNotFound) {
      return Effect.succeed(
        json(wireBody(notFound(`No route ${failure.value.request.method} ${failure.value.request.url}`)), 404)
      )
    }
    if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
    return Effect.as(Effect.logError("Request failed", cause), json(wireBody(internalError()), 500))
  })
})

/** The services of a sandbox over its store (no HTTP server). */
export const services = (options: Omit<SandboxOptions, "host" | "port">) => {
  const settings = SandboxConfig.layer(options.settings)
  const base = Layer.mergeAll(
    Stores.layer,
    SandboxClock.Default,
    RateLimiter.Default,
    SimulatedZone.Default,
    settings,
    Layer.effectDiscard(
      Effect.flatMap(Faults, (faults) =>
        options.faults === undefined ? Effect.void : faults.set(options.faults)
      )
    ).pipe(Layer.provideMerge(Faults.Default)),
    WebhookSender.layer({
      allowLoopback: true,
      timeoutMillis: options.settings?.webhookTimeoutMillis ?? 10_000
    }),
    options.controlToken === undefined ? ControlToken.random : ControlToken.fromValue(options.controlToken)
  )
  const dns = options.dns === "system" ? DnsResolver.system : DnsResolver.simulated
  return Layer.mergeAll(Identifications.Default, Dispatcher.Default, dns).pipe(
    Layer.provideMerge(base),
    Layer.provideMerge(Database.layer(options.database))
  )
}

/** A complete sandbox listening on `host:port`: migrated store, bootstrap on first start, HTTP server. */
export const layer = (options: SandboxOptions) => {
  const core = services(options)
  const firstStart = Layer.effect(
    FirstStart,
    bootstrapIfEmpty(options.seed).pipe(
      Effect.flatMap((first) =>
        Option.isNone(first) && options.newKey === true
          ? Effect.map(
              issueKey("Key issued at start (--new-key)"),
              Option.map((issued) => ({ ...issued, firstStart: false }))
            )
          : Effect.succeed(Option.map(first, (created) => ({ ...created, firstStart: true })))
      ),
      Effect.orDie
    )
  )
  const http = Layer.unwrapEffect(Effect.map(topLevel, (app) => HttpServer.serve(app))).pipe(
    Layer.provideMerge(PartnerApi.layer),
    Layer.provideMerge(PublicUrl.fromServer),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: options.port, host: options.host }))
  )
  const info = Layer.effect(
    SandboxInfo,
    Effect.gen(function* () {
      const url = yield* PublicUrl
      return {
        origin: url.origin,
        apiBaseUrl: url.apiBaseUrl,
        controlToken: yield* ControlToken,
        bootstrapped: yield* FirstStart
      }
    })
  )
  return info.pipe(Layer.provideMerge(http), Layer.provideMerge(firstStart), Layer.provideMerge(core))
}
