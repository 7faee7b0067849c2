import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { Id } from "../Domain/Common.js"
import { IcpConfig, IcpConfigCreate, IcpConfigUpdate } from "../Domain/IcpConfig.js"
import { Wire } from "../Errors.js"
import { decidedWrapper, documented } from "./Endpoint.js"

const base = "/partner/organizations/:organizationId/icp-configs"
const ConfigPath = Schema.Struct({ organizationId: Id, icpConfigId: Id })
const ConfigBody = decidedWrapper("icpConfig", IcpConfig)

/** Section 4: ICP configs of an organization. */
export class IcpConfigsGroup extends HttpApiGroup.make("icpConfigs")
  .add(
    HttpApiEndpoint.get("list", base)
      .setPath(Schema.Struct({ organizationId: Id }))
      .addSuccess(decidedWrapper("icpConfigs", Schema.Array(IcpConfig)))
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "List ICP configs", "Ordered by priority, then creation."))
  )
  .add(
    HttpApiEndpoint.post("create", base)
      .setPath(Schema.Struct({ organizationId: Id }))
      .setPayload(IcpConfigCreate)
      .addSuccess(ConfigBody, { status: 201 })
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(documented("write", "Create an ICP config", "At most 50 per organization."))
  )
  .add(
    HttpApiEndpoint.get("get", `${base}/:icpConfigId`)
      .setPath(ConfigPath)
      .addSuccess(ConfigBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "Get an ICP config"))
  )
  .add(
    HttpApiEndpoint.put("update", `${base}/:icpConfigId`)
      .setPath(ConfigPath)
      .setPayload(IcpConfigUpdate)
      .addSuccess(ConfigBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .pipe(documented("write", "Update an ICP config", "Partial. Existing visitors keep their score."))
  )
  .add(
    HttpApiEndpoint.del("delete", `${base}/:icpConfigId`)
      .setPath(ConfigPath)
      .addSuccess(HttpApiSchema.NoContent)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("write", "Delete an ICP config"))
  ) {}
