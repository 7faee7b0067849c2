import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { ApiKey, ApiKeyCreate, ApiKeyCreated } from "../Domain/ApiKey.js"
import { Id } from "../Domain/Common.js"
import { Wire } from "../Errors.js"
import { documented } from "./Endpoint.js"

/** Section 2: API keys. */
export class ApiKeysGroup extends HttpApiGroup.make("apiKeys")
  .add(
    HttpApiEndpoint.get("list", "/partner/api-keys")
      .addSuccess(Schema.Struct({ apiKeys: Schema.Array(ApiKey) }))
      .pipe(documented("admin", "List API keys", "Newest first, revoked and expired keys included."))
  )
  .add(
    HttpApiEndpoint.post("create", "/partner/api-keys")
      .setPayload(ApiKeyCreate)
      .addSuccess(ApiKeyCreated, { status: 201 })
      .addError(Wire.BadRequest)
      .addError(Wire.PayloadTooLarge)
      .pipe(documented("admin", "Create an API key", "`plainKey` is returned only here, never again."))
  )
  .add(
    HttpApiEndpoint.del("revoke", "/partner/api-keys/:keyId")
      .setPath(Schema.Struct({ keyId: Id }))
      .addSuccess(HttpApiSchema.NoContent)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("admin", "Revoke an API key", "Immediate and permanent; repeating is 204 again."))
  ) {}
