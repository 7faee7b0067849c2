import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { Id, PageFields, PageParams } from "../Domain/Common.js"
import {
  Allocation,
  CreditAllocationRequest,
  Organization,
  OrganizationCreate,
  OrganizationListParams,
  OrganizationUpdate,
  Pixel,
  PixelUpdate,
  StatusChange,
  TierChange
} from "../Domain/Organization.js"
import { Visitor, VisitorDetail, VisitorListParams } from "../Domain/Visitor.js"
import { Wire } from "../Errors.js"
import { decidedWrapper, documented } from "./Endpoint.js"

/** Path of one organization. */
export const OrganizationPath = Schema.Struct({ organizationId: Id })

const OrganizationBody = decidedWrapper("organization", Organization)

/** A page of organizations. */
export const OrganizationPage = Schema.Struct({
  organizations: Schema.Array(Organization),
  ...PageFields
}).annotations({ identifier: "OrganizationPage" })

/** A page of visitors. */
export const VisitorPage = Schema.Struct({
  visitors: Schema.Array(Visitor),
  ...PageFields
}).annotations({ identifier: "VisitorPage" })

const orgPath = "/partner/organizations/:organizationId"

/** Query of `GET /partner/organizations`. */
export const OrganizationListQuery = Schema.Struct({ ...PageParams, ...OrganizationListParams })
export type OrganizationListQuery = typeof OrganizationListQuery.Type

/** Query of `GET .../visitors`. */
export const VisitorListQuery = Schema.Struct({ ...PageParams, ...VisitorListParams })
export type VisitorListQuery = typeof VisitorListQuery.Type

/** Section 3: organizations, their credits, pixel and visitors. */
export class OrganizationsGroup extends HttpApiGroup.make("organizations")
  .add(
    HttpApiEndpoint.get("list", "/partner/organizations")
      .setUrlParams(OrganizationListQuery)
      .addSuccess(OrganizationPage)
      .addError(Wire.BadRequest)
      .pipe(
        documented(
          "read",
          "List organizations",
          "Newest first. `search` is a case-insensitive substring of the name; `externalId` matches exactly."
        )
      )
  )
  .add(
    HttpApiEndpoint.post("create", "/partner/organizations")
      .setPayload(OrganizationCreate)
      .addSuccess(OrganizationBody, { status: 201 })
      .addError(Wire.BadRequest)
      .addError(Wire.Conflict)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(
        documented(
          "write",
          "Create an organization",
          "Needs `admin` when `initialCredits` > 0 (drawn from the pool like an allocation)."
        )
      )
  )
  .add(
    HttpApiEndpoint.get("get", orgPath)
      .setPath(OrganizationPath)
      .addSuccess(OrganizationBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "Get an organization"))
  )
  .add(
    HttpApiEndpoint.put("update", orgPath)
      .setPath(OrganizationPath)
      .setPayload(OrganizationUpdate)
      .addSuccess(OrganizationBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.Conflict)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(documented("write", "Update an organization", "Partial; `metadata` replaces the whole object."))
  )
  .add(
    HttpApiEndpoint.del("delete", orgPath)
      .setPath(OrganizationPath)
      .addSuccess(HttpApiSchema.NoContent)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(
        documented(
          "write",
          "Cancel an organization (soft delete)",
          "Status becomes `canceled`; unused credits return to the pool; repeating is 204."
        )
      )
  )
  .add(
    HttpApiEndpoint.put("setStatus", `${orgPath}/status`)
      .setPath(OrganizationPath)
      .setPayload(StatusChange)
      .addSuccess(OrganizationBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(documented("write", "Enable or suspend an organization"))
  )
  .add(
    HttpApiEndpoint.put("setTier", `${orgPath}/tier`)
      .setPath(OrganizationPath)
      .setPayload(TierChange)
      .addSuccess(OrganizationBody)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(documented("write", "Change an organization's tier"))
  )
  .add(
    HttpApiEndpoint.put("allocateCredits", `${orgPath}/credits`)
      .setPath(OrganizationPath)
      .setPayload(CreditAllocationRequest)
      .addSuccess(Schema.Struct({ allocation: Allocation }))
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(
        documented(
          "admin",
          "Set an organization's credit allocation",
          "Sets the allocation; it does not add."
        )
      )
  )
  .add(
    HttpApiEndpoint.get("getPixel", `${orgPath}/pixel`)
      .setPath(OrganizationPath)
      .addSuccess(decidedWrapper("pixel", Pixel))
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "Get an organization's tracking pixel"))
  )
  .add(
    HttpApiEndpoint.put("updatePixel", `${orgPath}/pixel`)
      .setPath(OrganizationPath)
      .setPayload(PixelUpdate)
      .addSuccess(decidedWrapper("pixel", Pixel))
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .addError(Wire.PayloadTooLarge)
      .pipe(documented("write", "Update an organization's tracking pixel"))
  )
  .add(
    HttpApiEndpoint.get("listVisitors", `${orgPath}/visitors`)
      .setPath(OrganizationPath)
      .setUrlParams(VisitorListQuery)
      .addSuccess(VisitorPage)
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "List an organization's identified visitors", "Newest `identifiedAt` first."))
  )
  .add(
    HttpApiEndpoint.get("getVisitor", `${orgPath}/visitors/:visitorId`)
      .setPath(Schema.Struct({ organizationId: Id, visitorId: Id }))
      .addSuccess(decidedWrapper("visitor", VisitorDetail))
      .addError(Wire.BadRequest)
      .addError(Wire.NotFound)
      .pipe(documented("read", "Get a visitor with their sessions"))
  ) {}
