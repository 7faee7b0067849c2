import { Schema } from "effect"
import { Id, Timestamp } from "./Common.js"
import { IcpRules, OpenIcpRules } from "./Icp.js"

/** A named, prioritised set of ICP rules of one organization. */
export const IcpConfig = Schema.Struct({
  id: Id,
  organizationId: Id,
  name: Schema.String,
  active: Schema.Boolean,
  priority: Schema.Int,
  rules: OpenIcpRules,
  createdAt: Timestamp,
  updatedAt: Timestamp
}).annotations({ identifier: "IcpConfig" })
export type IcpConfig = typeof IcpConfig.Type

const Name = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))
const Priority = Schema.Int.pipe(Schema.between(1, 10_000))

/** The body of `POST .../icp-configs`. */
export const IcpConfigCreate = Schema.Struct({
  name: Name,
  rules: IcpRules,
  active: Schema.optional(Schema.Boolean),
  priority: Schema.optional(Priority)
}).annotations({ identifier: "IcpConfigCreate", parseOptions: { onExcessProperty: "error" } })
export type IcpConfigCreate = typeof IcpConfigCreate.Type

/** The body of `PUT .../icp-configs/{id}`. */
export const IcpConfigUpdate = Schema.Struct({
  name: Schema.optional(Name),
  rules: Schema.optional(IcpRules),
  active: Schema.optional(Schema.Boolean),
  priority: Schema.optional(Priority)
}).annotations({ identifier: "IcpConfigUpdate", parseOptions: { onExcessProperty: "error" } })
export type IcpConfigUpdate = typeof IcpConfigUpdate.Type
