import { useCapturingState, useKeys } from "../Keybindings.js"
import { Branding } from "@bullseye-partner/core/Branding"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Effect } from "effect"
import { Form } from "../components/Form.js"
import { NoticeLine } from "../components/NoticeLine.js"
import { QueryView } from "../components/QueryView.js"
import { Box, Text } from "../components/Text.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { actionOf } from "./organization/OrgTab.js"

const hex = /^#[0-9a-fA-F]{6}$/

const Swatch = ({ color }: { readonly color: string }) => {
  const theme = useTheme()
  return theme.color && hex.test(color) ? <Text backgroundColor={color}>{"    "}</Text> : <Text>[ ]</Text>
}

/** Problems of a branding form, checked before sending. */
export const brandingProblem = (values: Record<string, string>): string | undefined => {
  if ((values["companyName"] ?? "").trim() === "") return "The company name cannot be empty"
  if (!hex.test(values["primaryColor"] ?? "")) return "Primary colour: # and 6 hex digits, e.g. #1A2B3C"
  if (!hex.test(values["secondaryColor"] ?? "")) return "Secondary colour: # and 6 hex digits, e.g. #FFFFFF"
  const logo = (values["logoUrl"] ?? "").trim()
  if (logo !== "" && !logo.startsWith("https://")) return "The logo URL must start with https://"
  return undefined
}

/** Branding: company name, logo and colours with swatches. */
export const BrandingScreen = ({ active, capabilities, refreshTick, setCapture }: ScreenProps) => {
  const theme = useTheme()
  const partner = useEffectQuery(() => Effect.flatMap(PartnerAccount, (p) => p.me()), [])
  useRefreshOn(refreshTick, partner.refresh)
  const [form, setForm] = useCapturingState<{ values: Record<string, string>; error?: string } | undefined>(
    undefined,
    (f) => f !== undefined,
    setCapture
  )

  useKeys(
    (input, key) => {
      if (
        actionOf("branding", input, key, capabilities, partner.setNotice) === "edit" &&
        partner.state._tag === "Success"
      ) {
        const p = partner.state.value
        setForm({
          values: {
            companyName: p.companyName,
            logoUrl: p.logoUrl ?? "",
            primaryColor: p.primaryColor,
            secondaryColor: p.secondaryColor
          }
        })
      }
    },
    { isActive: active && form === undefined }
  )

  const save = (values: Record<string, string>) => {
    const problem = brandingProblem(values)
    if (problem !== undefined) return setForm({ values, error: problem })
    setForm(undefined)
    const logo = (values["logoUrl"] ?? "").trim()
    void partner
      .run(
        "Saving branding…",
        Effect.flatMap(Branding, (b) =>
          b.update({
            companyName: (values["companyName"] ?? "").trim(),
            logoUrl: logo === "" ? null : logo,
            primaryColor: values["primaryColor"] ?? "",
            secondaryColor: values["secondaryColor"] ?? ""
          })
        ),
        () => "Branding saved"
      )
      .then(partner.refresh)
  }

  return (
    <Box flexDirection="column">
      <Text bold>Branding</Text>
      <QueryView state={partner.state} label="branding">
        {(p) => (
          <Box flexDirection="column">
            <Text>Company name {p.companyName}</Text>
            <Text>Slug {p.slug}</Text>
            <Text>Logo {p.logoUrl ?? "–"}</Text>
            <Text>
              Primary colour <Swatch color={p.primaryColor} /> {p.primaryColor}
            </Text>
            <Text>
              Secondary colour <Swatch color={p.secondaryColor} /> {p.secondaryColor}
            </Text>
          </Box>
        )}
      </QueryView>
      {form !== undefined ? (
        <Form
          title="Edit branding"
          fields={[
            { name: "companyName", label: "Company name" },
            { name: "logoUrl", label: "Logo URL", placeholder: "https://… (empty clears)" },
            { name: "primaryColor", label: "Primary colour", hint: "#RRGGBB" },
            { name: "secondaryColor", label: "Secondary colour", hint: "#RRGGBB" }
          ]}
          values={form.values}
          onChange={(values) => setForm({ values })}
          onSubmit={save}
          onCancel={() => setForm(undefined)}
          error={form.error}
          footer={
            <Text>
              preview <Swatch color={form.values["primaryColor"] ?? ""} />{" "}
              <Swatch color={form.values["secondaryColor"] ?? ""} />
            </Text>
          }
        />
      ) : null}
      <NoticeLine pending={partner.pending} notice={partner.notice} />
      <Text color={theme.muted}>e edit</Text>
    </Box>
  )
}
