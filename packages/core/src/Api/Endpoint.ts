import { type HttpApiEndpoint, type HttpMethod, OpenApi } from "@effect/platform"
import type { Scope } from "../Domain/ApiKey.js"
import { RequiredScope } from "./Security.js"

/** Annotates an endpoint with the scope it requires and its documentation. */
export const documented =
  (scope: Scope, summary: string, description?: string) =>
  <Name extends string, Method extends HttpMethod.HttpMethod, P, U, B, H, S, E, R, RE>(
    endpoint: HttpApiEndpoint.HttpApiEndpoint<Name, Method, P, U, B, H, S, E, R, RE>
  ): HttpApiEndpoint.HttpApiEndpoint<Name, Method, P, U, B, H, S, E, R, RE> =>
    endpoint
      .annotate(RequiredScope, scope)
      .annotate(OpenApi.Summary, summary)
      .annotate(
        OpenApi.Description,
        `${description === undefined ? "" : `${description}\n\n`}Required scope: \`${scope}\`.`
      )
