import { type HttpApiEndpoint, type HttpMethod, OpenApi } from "@effect/platform"
import { Schema, type SchemaAST } from "effect"
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

/** Annotation on a response body `{key: X}` whose wrapper is our guess: the SDK also accepts a bare `X`. */
export const DecidedWrapperId: unique symbol = Symbol.for("@bullseye-partner/core/DecidedWrapper")

/** A response body that wraps `schema` under `key`, a [decided] wrapper (the real API may send `X` bare). */
export const decidedWrapper = <const K extends string, S extends Schema.Schema.AnyNoContext>(
  key: K,
  schema: S
) => Schema.Struct({ [key]: schema } as { readonly [P in K]: S }).annotations({ [DecidedWrapperId]: key })

/** The key of a [decided] wrapper body, when `ast` is one. */
export const decidedWrapperKey = (ast: SchemaAST.AST): string | undefined =>
  ast.annotations[DecidedWrapperId] as string | undefined
