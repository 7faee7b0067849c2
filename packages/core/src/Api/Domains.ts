import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { DomainSet, DomainSetup } from "../Domain/DomainSetup.js"
import { Wire } from "../Errors.js"
import { documented } from "./Endpoint.js"

/** Section 8: the custom script domain. */
export class DomainsGroup extends HttpApiGroup.make("domains")
  .add(
    HttpApiEndpoint.put("set", "/partner/domain")
      .setPayload(DomainSet)
      .addSuccess(DomainSetup)
      .addError(Wire.BadRequest)
      .addError(Wire.PayloadTooLarge)
      .pipe(
        documented(
          "write",
          "Set the custom script domain",
          "A new domain resets verification and issues a new verification record."
        )
      )
  )
  .add(
    HttpApiEndpoint.get("verification", "/partner/domain/verification")
      .addSuccess(DomainSetup)
      .addError(Wire.NotFound)
      .pipe(documented("read", "The domain and its verification state"))
  )
  .add(
    HttpApiEndpoint.post("verify", "/partner/domain/verify")
      .addSuccess(DomainSetup)
      .addError(Wire.NotFound)
      .addError(Wire.UnprocessableEntity)
      .pipe(
        documented(
          "write",
          "Verify the domain's DNS records",
          "Both the CNAME and the TXT record are checked; a failure lists each record in `details.records`."
        )
      )
  ) {}
