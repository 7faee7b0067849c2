import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { Partner, ScriptConfig } from "../Domain/Partner.js"
import { decidedWrapper, documented } from "./Endpoint.js"

/** Section 1: the partner account. */
export class PartnerAccountGroup extends HttpApiGroup.make("partner")
  .add(
    HttpApiEndpoint.get("me", "/partner/me")
      .addSuccess(Schema.Struct({ partner: Partner }))
      .pipe(documented("read", "The partner account"))
  )
  .add(
    HttpApiEndpoint.get("scriptConfig", "/partner/script-config")
      .addSuccess(decidedWrapper("scriptConfig", ScriptConfig))
      .pipe(documented("read", "The configuration the tracking script loads"))
  ) {}
