import { Context, Effect, Layer, Ref } from "effect"
import { promises as dns } from "node:dns"

/** A DNS record of the simulated zone. */
export interface DnsRecord {
  readonly type: "CNAME" | "TXT"
  readonly name: string
  readonly value: string
}

const normalizeName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, "")

/** The zone the simulated resolver answers from (set through `PUT /_sandbox/dns`). */
export class SimulatedZone extends Effect.Service<SimulatedZone>()(
  "@bullseye-partner/sandbox/SimulatedZone",
  {
    effect: Effect.map(Ref.make<ReadonlyArray<DnsRecord>>([]), (records) => ({
      set: (next: ReadonlyArray<DnsRecord>) => Ref.set(records, next),
      records: Ref.get(records)
    }))
  }
) {}

/** Resolves the records domain verification checks; answers `[]` when there are none. */
export class DnsResolver extends Context.Tag("@bullseye-partner/sandbox/DnsResolver")<
  DnsResolver,
  { readonly resolve: (type: "CNAME" | "TXT", name: string) => Effect.Effect<ReadonlyArray<string>> }
>() {
  /** Answers from the simulated zone (the sandbox's default). */
  static simulated = Layer.effect(
    DnsResolver,
    Effect.map(SimulatedZone, (zone) => ({
      resolve: (type: "CNAME" | "TXT", name: string) =>
        Effect.map(zone.records, (records) =>
          records
            .filter((r) => r.type === type && normalizeName(r.name) === normalizeName(name))
            .map((r) => (type === "CNAME" ? normalizeName(r.value) : r.value))
        )
    }))
  )

  /** Asks the operating system's resolver (`--dns system`). */
  static system = Layer.succeed(DnsResolver, {
    resolve: (type: "CNAME" | "TXT", name: string) =>
      Effect.tryPromise(() =>
        type === "CNAME"
          ? dns.resolveCname(name).then((names) => names.map(normalizeName))
          : dns.resolveTxt(name).then((records) => records.map((chunks) => chunks.join("")))
      ).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
  })
}
