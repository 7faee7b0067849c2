import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { Context } from "effect"
import type { Scope } from "../Domain/ApiKey.js"
import { Wire, type Unauthorized } from "../Errors.js"

/** The header that carries the partner API key. */
export const ApiKeyHeader = "X-Partner-API-Key"

/** The rate-limit headers every response carries, errors included. */
export const RateLimitHeaders = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] as const

/** The principal behind an authenticated request, as the server's auth middleware provides it. */
export class AuthenticatedKey extends Context.Tag("@bullseye-partner/core/AuthenticatedKey")<
  AuthenticatedKey,
  {
    readonly partnerId: string
    readonly keyId: string
    readonly scopes: ReadonlyArray<Scope>
  }
>() {}

/** The scope an endpoint needs (`write` includes `read`, `admin` includes both). */
export class RequiredScope extends Context.Tag("@bullseye-partner/core/RequiredScope")<
  RequiredScope,
  Scope
>() {}

/** API-key authentication: a missing or invalid key is the documented 401 body. */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()(
  "@bullseye-partner/core/Authentication",
  {
    failure: Wire.Unauthorized,
    provides: AuthenticatedKey,
    security: { apiKey: HttpApiSecurity.apiKey({ key: ApiKeyHeader, in: "header" }) }
  }
) {}

export type { Unauthorized }
