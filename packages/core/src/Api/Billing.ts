import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import {
  BillingCalculateParams,
  BillingCalculation,
  BillingInfo,
  BillingPeriodUsage
} from "../Domain/Billing.js"
import { Wire } from "../Errors.js"
import { documented } from "./Endpoint.js"

/** Section 6: billing (credit allocation lives with organizations). */
export class BillingGroup extends HttpApiGroup.make("billing")
  .add(
    HttpApiEndpoint.get("get", "/partner/billing")
      .addSuccess(BillingInfo)
      .pipe(documented("admin", "Billing setup and credit pool"))
  )
  .add(
    HttpApiEndpoint.get("usage", "/partner/billing/usage")
      .addSuccess(BillingPeriodUsage)
      .pipe(documented("admin", "Usage of the current billing period"))
  )
  .add(
    HttpApiEndpoint.get("calculate", "/partner/billing/calculate")
      .setUrlParams(Schema.Struct(BillingCalculateParams))
      .addSuccess(BillingCalculation)
      .addError(Wire.BadRequest)
      .pipe(documented("admin", "Price a usage under the graduated tiers"))
  ) {}
