import { HttpServer } from "@effect/platform"
import { Context, Effect, Layer } from "effect"

/** Where clients reach this sandbox; `apiBaseUrl` ends with `/api/v1`. */
export class PublicUrl extends Context.Tag("@bullseye-partner/sandbox/PublicUrl")<
  PublicUrl,
  { readonly origin: string; readonly apiBaseUrl: string }
>() {
  /** From the address the server is bound to (a wildcard address is reached through loopback). */
  static fromServer = Layer.effect(
    PublicUrl,
    Effect.map(HttpServer.HttpServer, (server) => {
      const address = server.address
      if (address._tag === "UnixAddress")
        return { origin: "http://localhost", apiBaseUrl: "http://localhost/api/v1" }
      const host =
        address.hostname === "0.0.0.0" || address.hostname === "::"
          ? "127.0.0.1"
          : address.hostname.includes(":")
            ? `[${address.hostname}]`
            : address.hostname
      const origin = `http://${host}:${address.port}`
      return { origin, apiBaseUrl: `${origin}/api/v1` }
    })
  )
}
