import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { BrandingUpdate, PartnerBranding } from "../Domain/Partner.js"
import { Wire } from "../Errors.js"
import { documented } from "./Endpoint.js"

/** Section 7: branding. */
export class BrandingGroup extends HttpApiGroup.make("branding").add(
  HttpApiEndpoint.put("update", "/partner/branding")
    .setPayload(BrandingUpdate)
    .addSuccess(Schema.Struct({ partner: PartnerBranding }))
    .addError(Wire.BadRequest)
    .addError(Wire.PayloadTooLarge)
    .pipe(
      documented(
        "write",
        "Update logo, colours and company name",
        "Partial; `companyName` cannot be cleared."
      )
    )
) {}
