import { Api } from "@bullseye-partner/core/Api"
import type { RecordCheck } from "@bullseye-partner/core/Domain/DomainSetup"
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { DnsResolver } from "../DnsResolver.js"
import { notFound, unprocessable } from "../internal/errors.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { cnameTarget, Domains, txtRecordName } from "../Store/Domains.js"

/** Section 8: the custom script domain. */
export const DomainsHandlers = HttpApiBuilder.group(Api, "domains", (handlers) =>
  Effect.gen(function* () {
    const domains = yield* Domains
    const dns = yield* DnsResolver

    const current = Effect.gen(function* () {
      const context = yield* requestContext
      const setup = yield* domains.find(context.partnerId)
      if (Option.isNone(setup)) return yield* notFound("No custom domain is set")
      return { ...context, setup: setup.value }
    })

    return handlers
      .handle("set", ({ payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return yield* domains.set(partnerId, payload.domain, now)
        }).pipe(orDieOnSql)
      )
      .handle("verification", () => Effect.map(current, ({ setup }) => setup).pipe(orDieOnSql))
      .handle("verify", () =>
        Effect.gen(function* () {
          const { partnerId, now, setup } = yield* current
          const cname = yield* dns.resolve("CNAME", setup.domain)
          const txtName = txtRecordName(setup.domain)
          const txt = yield* dns.resolve("TXT", txtName)
          const records: ReadonlyArray<RecordCheck> = [
            {
              type: "CNAME",
              name: setup.domain,
              expected: cnameTarget,
              found: cname,
              ok: cname.includes(cnameTarget)
            },
            {
              type: "TXT",
              name: txtName,
              expected: setup.verificationRecord,
              found: txt,
              ok: txt.includes(setup.verificationRecord)
            }
          ]
          if (!records.every((r) => r.ok)) {
            return yield* unprocessable(
              "domain_verification_failed",
              `The DNS records of ${setup.domain} do not match yet`,
              { records }
            )
          }
          if (!setup.verified) yield* domains.markVerified(partnerId, now)
          return (yield* current).setup
        }).pipe(orDieOnSql)
      )
  })
)
