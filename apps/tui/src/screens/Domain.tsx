import { useCapturingState, useKeys } from "../Keybindings.js"
import type { RecordCheck } from "@bullseye-partner/core/Domain/DomainSetup"
import { Domains } from "@bullseye-partner/core/Domains"
import { Effect, Either, Option } from "effect"
import { useState } from "react"
import { Form } from "../components/Form.js"
import { NoticeLine } from "../components/NoticeLine.js"
import { QueryView } from "../components/QueryView.js"
import { Box, Text } from "../components/Text.js"
import { dateTime } from "../format.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { actionOf } from "./organization/OrgTab.js"

// "No domain yet" is a 404 of the verification endpoint; it is a state here, not an error.
const load = Effect.flatMap(Domains, (d) => d.verification()).pipe(
  Effect.map(Option.some),
  Effect.catchTag("NotFound", () => Effect.succeedNone)
)

const isRecordCheck = (u: unknown): u is RecordCheck =>
  typeof u === "object" && u !== null && "type" in u && "name" in u && "ok" in u && "expected" in u

const verifyOnce = Effect.flatMap(Domains, (d) => Effect.either(d.verify())).pipe(
  Effect.flatMap((result) => {
    if (Either.isRight(result)) {
      const records = result.right.dnsRecords.map((r): RecordCheck => ({
        type: r.type,
        name: r.name,
        expected: r.value,
        found: [r.value],
        ok: true
      }))
      return Effect.succeed({ verified: true, records })
    }
    const error = result.left
    const records = error._tag === "UnprocessableEntity" ? error.details["records"] : undefined
    return Array.isArray(records)
      ? Effect.succeed({ verified: false, records: records.filter(isRecordCheck) })
      : Effect.fail(error)
  })
)

/** The custom script domain: set it, the DNS records to add, verify with the per-record result. */
export const DomainScreen = ({ active, capabilities, refreshTick, setCapture }: ScreenProps) => {
  const theme = useTheme()
  const domain = useEffectQuery(() => load, [])
  useRefreshOn(refreshTick, domain.refresh)
  const [form, setForm] = useCapturingState<{ value: string; error?: string } | undefined>(
    undefined,
    (f) => f !== undefined,
    setCapture
  )
  const [checks, setChecks] = useState<ReadonlyArray<RecordCheck>>([])

  useKeys(
    (input, key) => {
      switch (actionOf("domain", input, key, capabilities, domain.setNotice)) {
        case "set":
          return setForm({
            value:
              domain.state._tag === "Success" ? (Option.getOrUndefined(domain.state.value)?.domain ?? "") : ""
          })
        case "verify":
          void domain
            .run("Verifying DNS records…", verifyOnce, (r) => {
              setChecks(r.records)
              return r.verified ? "Domain verified" : undefined
            })
            .then((r) => {
              if (Option.isSome(r) && !r.value.verified) {
                domain.setNotice({
                  kind: "error",
                  text: "Domain verification failed: the records marked ✗ are not in place yet"
                })
              }
              domain.refresh()
            })
      }
    },
    { isActive: active && form === undefined }
  )

  const save = (value: string) => {
    const name = value.trim().toLowerCase()
    if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(name)) {
      return setForm({ value, error: "Enter a hostname such as track.example.com (no scheme, port or path)" })
    }
    setForm(undefined)
    setChecks([])
    void domain
      .run(
        "Setting the domain…",
        Effect.flatMap(Domains, (d) => d.set(name)),
        () => `Domain set to ${name}`
      )
      .then(domain.refresh)
  }

  return (
    <Box flexDirection="column">
      <Text bold>Custom script domain</Text>
      <QueryView state={domain.state} label="domain">
        {(setup) =>
          Option.match(setup, {
            onNone: () => <Text color={theme.muted}>No custom domain yet (s sets one).</Text>,
            onSome: (d) => (
              <Box flexDirection="column">
                <Text>
                  {d.domain}{" "}
                  <Text color={d.verified ? theme.ok : theme.warn} bold>
                    {d.verified ? `verified ${dateTime(d.verifiedAt)}` : "not verified"}
                  </Text>
                </Text>
                <Text> </Text>
                <Text bold>DNS records to add</Text>
                {d.dnsRecords.map((r) => {
                  const check = checks.find((c) => c.type === r.type && c.name === r.name)
                  return (
                    <Text key={`${r.type}-${r.name}`} wrap="truncate-end">
                      {check === undefined ? "  " : check.ok ? "✓ " : "✗ "}
                      <Text color={check === undefined ? undefined : check.ok ? theme.ok : theme.error}>
                        {r.type.padEnd(6)} {r.name} → {r.value}
                      </Text>
                      {check !== undefined && !check.ok ? (
                        <Text color={theme.muted}>
                          {" "}
                          found: {check.found.length === 0 ? "nothing" : check.found.join(", ")}
                        </Text>
                      ) : null}
                    </Text>
                  )
                })}
                <Text color={theme.muted}>{d.instructions}</Text>
              </Box>
            )
          })
        }
      </QueryView>
      {form !== undefined ? (
        <Form
          title="Set the custom domain"
          fields={[{ name: "domain", label: "Domain", placeholder: "track.example.com" }]}
          values={{ domain: form.value }}
          onChange={(v) => setForm({ value: v["domain"] ?? "" })}
          onSubmit={(v) => save(v["domain"] ?? "")}
          onCancel={() => setForm(undefined)}
          error={form.error}
        />
      ) : null}
      <NoticeLine pending={domain.pending} notice={domain.notice} />
      <Text color={theme.muted}>s set domain · v verify</Text>
    </Box>
  )
}
