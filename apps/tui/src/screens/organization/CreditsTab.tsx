import { notViewing, useCapturingState, useKeys } from "../../Keybindings.js"
import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Effect } from "effect"
import { Bar } from "../../components/Bar.js"
import { Confirm } from "../../components/Confirm.js"
import { Form } from "../../components/Form.js"
import { NoticeLine } from "../../components/NoticeLine.js"
import { QueryView } from "../../components/QueryView.js"
import { Box, Text } from "../../components/Text.js"
import { int, parseCount } from "../../format.js"
import { useEffectQuery, useRefreshOn } from "../../Runtime.js"
import { useTheme } from "../../Theme.js"
import { actionOf, type OrgTabProps } from "./OrgTab.js"

type Mode =
  | { readonly _tag: "View" }
  | { readonly _tag: "Edit"; readonly values: Record<string, string>; readonly error?: string }
  | { readonly _tag: "Confirm"; readonly credits: number; readonly notes: string }

/** Why an allocation would be refused, checked before sending (the API checks again). */
export const allocationProblem = (
  org: Organization,
  poolAvailable: number,
  credits: number
): string | undefined => {
  const used = org.creditsUsed ?? 0
  if (org.status === "canceled") return "The organization is canceled; canceled organizations cannot change"
  if (credits < used) return `The allocation cannot go below the credits already used (${int(used)})`
  if (org.tier === "trial" && credits > 500) {
    return "Trial organizations can hold at most 500 credits: switch the tier to paid first"
  }
  const requested = credits - org.credits
  if (requested > poolAvailable) {
    return `Not enough credits in the pool: ${int(poolAvailable)} available, ${int(requested)} requested`
  }
  return undefined
}

/** The allocation and the pool; sets a new allocation after checking it against the pool and confirming. */
export const CreditsTab = ({
  org,
  reload,
  active,
  width,
  capabilities,
  refreshTick,
  setCapture
}: OrgTabProps) => {
  const theme = useTheme()
  const pool = useEffectQuery(() => Effect.flatMap(PartnerAccount, (p) => p.me()), [])
  useRefreshOn(refreshTick, pool.refresh)
  const [mode, setMode] = useCapturingState<Mode>({ _tag: "View" }, notViewing, setCapture)

  useKeys(
    (input, key) => {
      if (actionOf("organization.credits", input, key, capabilities, pool.setNotice) === "allocate") {
        setMode({ _tag: "Edit", values: { credits: "", notes: "" } })
      }
    },
    { isActive: active && mode._tag === "View" }
  )

  const check = (values: Record<string, string>, poolAvailable: number) => {
    const credits = parseCount(values["credits"] ?? "")
    if (credits === undefined)
      return setMode({ _tag: "Edit", values, error: "Enter a whole number of credits" })
    const problem = allocationProblem(org, poolAvailable, credits)
    if (problem !== undefined) return setMode({ _tag: "Edit", values, error: problem })
    setMode({ _tag: "Confirm", credits, notes: (values["notes"] ?? "").trim() })
  }

  const allocate = (credits: number, notes: string) => {
    setMode({ _tag: "View" })
    void pool
      .run(
        "Allocating credits…",
        Effect.flatMap(Organizations, (o) =>
          o.allocateCredits(org.id, notes === "" ? { credits } : { credits, notes })
        ),
        (a) =>
          `Allocation of ${org.name} set to ${int(a.creditsAllocated)} (${int(a.creditsAvailable)} available)`
      )
      .then(() => {
        reload()
        pool.refresh()
      })
  }

  return (
    <QueryView state={pool.state} label="credit pool">
      {(partner) => (
        <Box flexDirection="column">
          <Text bold>Allocation</Text>
          <Bar used={org.creditsUsed ?? 0} total={org.credits} width={Math.min(40, width - 20)} />
          <Text>
            allocated <Text bold>{int(org.credits)}</Text> · used {int(org.creditsUsed ?? 0)} · available{" "}
            {int(org.creditsAvailable ?? org.credits - (org.creditsUsed ?? 0))}
          </Text>
          <Text> </Text>
          <Text bold>Partner pool</Text>
          <Text>
            total {int(partner.creditPoolTotal)} · allocated {int(partner.creditPoolUsed)} · available{" "}
            <Text color={theme.ok}>{int(partner.creditPoolAvailable)}</Text>
          </Text>
          <Text> </Text>
          {mode._tag === "Edit" ? (
            <Form
              title="Set the allocation (the new total, not an addition)"
              fields={[
                {
                  name: "credits",
                  label: "Credits",
                  placeholder: `new total (now ${int(org.credits)})`,
                  hint: `Pool available: ${int(partner.creditPoolAvailable)}`
                },
                { name: "notes", label: "Notes", placeholder: "(optional)" }
              ]}
              values={mode.values}
              onChange={(values) => setMode({ _tag: "Edit", values })}
              onSubmit={(values) => check(values, partner.creditPoolAvailable)}
              onCancel={() => setMode({ _tag: "View" })}
              error={mode.error}
            />
          ) : null}
          {mode._tag === "Confirm" ? (
            <Confirm
              message={`Set the allocation of ${org.name} from ${int(org.credits)} to ${int(mode.credits)}? ${
                mode.credits >= org.credits
                  ? `${int(mode.credits - org.credits)} credits come from the pool.`
                  : `${int(org.credits - mode.credits)} credits return to the pool.`
              }`}
              onConfirm={() => allocate(mode.credits, mode.notes)}
              onCancel={() => setMode({ _tag: "View" })}
            />
          ) : null}
          <NoticeLine pending={pool.pending} notice={pool.notice} />
          <Text color={theme.muted}>a allocate</Text>
        </Box>
      )}
    </QueryView>
  )
}
