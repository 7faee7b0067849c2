import { Schema } from "effect"
import { isHostname } from "./Organization.js"
import { Timestamp } from "./Common.js"

/** A DNS record the partner must add. */
export const DnsRecord = Schema.Struct({
  type: Schema.String,
  name: Schema.String,
  value: Schema.String
}).annotations({ identifier: "DnsRecord" })
export type DnsRecord = typeof DnsRecord.Type

/** The custom script domain and how to verify it. */
export const DomainSetup = Schema.Struct({
  domain: Schema.String,
  verified: Schema.Boolean,
  verificationRecord: Schema.String,
  cnameTarget: Schema.String,
  dnsRecords: Schema.Array(DnsRecord),
  instructions: Schema.String,
  verifiedAt: Schema.optional(Schema.NullOr(Timestamp))
}).annotations({ identifier: "DomainSetup" })
export type DomainSetup = typeof DomainSetup.Type

/** The body of `PUT /partner/domain`. */
export const DomainSet = Schema.Struct({
  domain: Schema.String.pipe(
    Schema.filter((d) => {
      if (!isHostname(d)) {
        return "Expected a lowercase hostname of two or more labels, without scheme, port, path or IP"
      }
      return !(d === "bullseye.so" || d.endsWith(".bullseye.so")) || "bullseye.so names cannot be used"
    })
  )
}).annotations({ identifier: "DomainSet", parseOptions: { onExcessProperty: "error" } })
export type DomainSet = typeof DomainSet.Type

/** The result of checking one DNS record during verification. */
export const RecordCheck = Schema.Struct({
  type: Schema.String,
  name: Schema.String,
  expected: Schema.String,
  found: Schema.Array(Schema.String),
  ok: Schema.Boolean
}).annotations({ identifier: "RecordCheck" })
export type RecordCheck = typeof RecordCheck.Type
