import { Analytics } from "@bullseye-partner/core/Analytics"
import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Billing } from "@bullseye-partner/core/Billing"
import { Branding } from "@bullseye-partner/core/Branding"
import { Domains } from "@bullseye-partner/core/Domains"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import * as SandboxControl from "@bullseye-partner/core/SandboxControl"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import { Context, Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import { keyPrefixLength, Session } from "./Session.js"

/** Everything a screen can ask the runtime for. */
export type AppServices =
  | Analytics
  | ApiKeys
  | Billing
  | Branding
  | Domains
  | IcpConfigs
  | Organizations
  | PartnerAccount
  | PartnerClient.PartnerClient
  | Session
  | Webhooks

/** How to reach the API. */
export interface Connection {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly mode: "sandbox" | "api"
  readonly profile: string | undefined
  readonly readOnly: boolean
  /** The embedded sandbox's control-plane token (sandbox mode only). */
  readonly sandboxToken?: Redacted.Redacted<string> | undefined
}

const services = Layer.mergeAll(
  Analytics.Default,
  ApiKeys.Default,
  Billing.Default,
  Branding.Default,
  Domains.Default,
  IcpConfigs.Default,
  Organizations.Default,
  PartnerAccount.Default,
  Webhooks.Default
)

/** Log lines would tear the full-screen UI apart, so the TUI's runtime logs nothing. */
export const silentLogging = Layer.mergeAll(
  Logger.remove(Logger.defaultLogger),
  Logger.minimumLogLevel(LogLevel.None)
)

/** The services of the TUI over one connection. */
export const fromConnection = (connection: Connection): Layer.Layer<AppServices> =>
  services.pipe(
    Layer.provideMerge(PartnerClient.layer({ baseUrl: connection.baseUrl, apiKey: connection.apiKey })),
    Layer.merge(
      Layer.effect(
        Session,
        Effect.gen(function* () {
          const token = connection.sandboxToken
          return {
            mode: connection.mode,
            profile: connection.profile,
            baseUrl: connection.baseUrl,
            readOnly: connection.readOnly,
            keyPrefix: Redacted.value(connection.apiKey).slice(0, keyPrefixLength),
            sandboxControl:
              token === undefined
                ? undefined
                : yield* SandboxControl.make({ baseUrl: connection.baseUrl, token })
          }
        })
      )
    ),
    Layer.provide(UndiciHttpClient.layer)
  )

/** The connection, known only once it is resolved (a profile read, the embedded sandbox started). */
export class ConnectionTag extends Context.Tag("@bullseye-partner/tui/Connection")<
  ConnectionTag,
  Connection
>() {}

/** The services of the TUI over a connection that a layer resolves. */
export const fromConnectionLayer = <E, R>(
  connection: Layer.Layer<ConnectionTag, E, R>
): Layer.Layer<AppServices, E, R> =>
  Layer.unwrapEffect(Effect.map(ConnectionTag, fromConnection)).pipe(Layer.provide(connection))
