import { notViewing, useCapturingState, useKeys } from "../../Keybindings.js"
import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Effect } from "effect"
import { Confirm } from "../../components/Confirm.js"
import { Form } from "../../components/Form.js"
import { NoticeLine } from "../../components/NoticeLine.js"
import { Box, Text } from "../../components/Text.js"
import { dateTime, int } from "../../format.js"
import { useEffectQuery } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { actionOf, type OrgTabProps } from "./OrgTab.js"

type Mode =
  | { readonly _tag: "View" }
  | { readonly _tag: "Edit"; readonly values: Record<string, string>; readonly error?: string }
  | { readonly _tag: "Status"; readonly to: "active" | "suspended" }
  | { readonly _tag: "Tier"; readonly to: "trial" | "paid" }
  | { readonly _tag: "Cancel" }

type Metadata = NonNullable<Parameters<Organizations["update"]>[1]["metadata"]>

/** Parses the metadata editor's JSON: a flat object of strings, numbers, booleans and nulls. */
export const parseMetadata = (text: string): Metadata | string => {
  if (text.trim() === "") return {}
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return "Metadata must be a JSON object"
    const entries = Object.entries(value)
    for (const [, v] of entries) {
      if (!(v === null || ["string", "number", "boolean"].includes(typeof v))) {
        return "Metadata values must be strings, numbers, booleans or null"
      }
    }
    return Object.fromEntries(entries) as Metadata
  } catch {
    return "Metadata is not valid JSON"
  }
}

const field = (label: string, value: string, color?: string) => (
  <Text key={label}>
    <Text bold>{label.padEnd(16)}</Text>
    <Text color={color}>{value}</Text>
  </Text>
)

const editValues = (org: Organization) => ({
  name: org.name,
  externalId: org.externalId ?? "",
  metadata: JSON.stringify(org.metadata)
})

/** The organization's fields; edit name, externalId and metadata; change status and tier. */
export const OverviewTab = ({ org, reload, active, capabilities, setCapture }: OrgTabProps) => {
  const theme = useTheme()
  const actions = useEffectQuery(undefined, [])
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)

  useKeys(
    (input, key) => {
      switch (actionOf("organization.overview", input, key, capabilities, actions.setNotice)) {
        case "edit":
          return setMode({ _tag: "Edit", values: editValues(org) })
        case "status":
          if (org.status === "canceled") {
            return actions.setNotice({
              kind: "error",
              text: "The organization is canceled; canceled organizations cannot change"
            })
          }
          return setMode({ _tag: "Status", to: org.status === "active" ? "suspended" : "active" })
        case "tier":
          return setMode({ _tag: "Tier", to: org.tier === "trial" ? "paid" : "trial" })
        case "cancel":
          if (org.status === "canceled") {
            return actions.setNotice({ kind: "error", text: `${org.name} is already canceled` })
          }
          return setMode({ _tag: "Cancel" })
      }
    },
    { isActive: active && mode._tag === "View" }
  )

  const save = (values: Record<string, string>) => {
    const metadata = parseMetadata(values["metadata"] ?? "")
    if (typeof metadata === "string") return setMode({ _tag: "Edit", values, error: metadata })
    const name = (values["name"] ?? "").trim()
    if (name === "") return setMode({ _tag: "Edit", values, error: "The name cannot be empty" })
    const externalId = (values["externalId"] ?? "").trim()
    setMode({ _tag: "View" })
    void actions
      .run(
        "Saving…",
        Effect.flatMap(Organizations, (o) =>
          o.update(org.id, { name, externalId: externalId === "" ? null : externalId, metadata })
        ),
        () => "Saved"
      )
      .then(reload)
  }

  const change = (label: string, effect: Effect.Effect<Organization, unknown, Organizations>) => {
    setMode({ _tag: "View" })
    void actions.run(`${label}…`, effect, (o) => `${o.name} is now ${o.status}, ${o.tier}`).then(reload)
  }

  const statusColor =
    org.status === "active" ? theme.ok : org.status === "suspended" ? theme.warn : theme.muted
  return (
    <Box flexDirection="column">
      {field("Id", org.id)}
      {field("Name", org.name)}
      {field("External id", org.externalId ?? "–")}
      {field("Status", org.status, statusColor)}
      {field("Tier", org.tier)}
      {field("Product type", org.productType ?? "–")}
      {field("Billing", `${org.billingPeriod ?? "–"}, day ${org.billingDayOfMonth ?? "–"}`)}
      {field("Credits", `${int(org.creditsUsed ?? 0)} used of ${int(org.credits)} allocated`)}
      {field("Metadata", JSON.stringify(org.metadata))}
      {field("Created", dateTime(org.createdAt))}
      {org.canceledAt ? field("Canceled", dateTime(org.canceledAt)) : null}
      <Text> </Text>
      {mode._tag === "Edit" ? (
        <Form
          title="Edit organization"
          fields={[
            { name: "name", label: "Name" },
            { name: "externalId", label: "External id", placeholder: "(none)" },
            { name: "metadata", label: "Metadata", hint: 'A flat JSON object, e.g. {"plan":"gold"}' }
          ]}
          values={mode.values}
          onChange={(values) => setMode({ _tag: "Edit", values })}
          onSubmit={save}
          onCancel={() => setMode({ _tag: "View" })}
          error={mode.error}
        />
      ) : null}
      {mode._tag === "Status" ? (
        <Confirm
          message={`${mode.to === "suspended" ? "Suspend" : "Reactivate"} ${org.name}?${mode.to === "suspended" ? " Its pixel will identify nobody." : ""}`}
          onConfirm={() =>
            change(
              "Changing status",
              Effect.flatMap(Organizations, (o) => o.setStatus(org.id, mode.to))
            )
          }
          onCancel={() => setMode({ _tag: "View" })}
        />
      ) : null}
      {mode._tag === "Tier" ? (
        <Confirm
          message={`Switch ${org.name} to the ${mode.to} tier?`}
          onConfirm={() =>
            change(
              "Changing tier",
              Effect.flatMap(Organizations, (o) => o.setTier(org.id, mode.to))
            )
          }
          onCancel={() => setMode({ _tag: "View" })}
        />
      ) : null}
      {mode._tag === "Cancel" ? (
        <Confirm
          message={`Cancel ${org.name}? Its unused credits return to the pool and it stays readable.`}
          typed={org.name}
          loud="Canceling is permanent: a canceled organization cannot be reactivated."
          onConfirm={() => {
            setMode({ _tag: "View" })
            void actions
              .run(
                "Canceling…",
                Effect.flatMap(Organizations, (o) => o.cancel(org.id)),
                () => `${org.name} is now canceled`
              )
              .then(reload)
          }}
          onCancel={() => setMode({ _tag: "View" })}
        />
      ) : null}
      <NoticeLine pending={actions.pending} notice={actions.notice} />
      <Text color={theme.muted}>
        e edit · s {org.status === "active" ? "suspend" : "reactivate"} · t tier · x cancel
      </Text>
    </Box>
  )
}
