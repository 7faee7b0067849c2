import { useCapturingState, useKeys } from "../Keybindings.js"
import { Billing } from "@bullseye-partner/core/Billing"
import { Effect } from "effect"
import { useState } from "react"
import { Form } from "../components/Form.js"
import { NoticeLine } from "../components/NoticeLine.js"
import { QueryView } from "../components/QueryView.js"
import { Box, Text } from "../components/Text.js"
import { date, int, money, parseCount } from "../format.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { actionOf } from "./organization/OrgTab.js"

const load = Effect.flatMap(Billing, (b) =>
  Effect.all({ info: b.info(), usage: b.usage() }, { concurrency: 2 })
)

/** Billing info, pricing tiers, the period's usage and a cost calculator. */
export const BillingScreen = ({ active, capabilities, refreshTick, setCapture }: ScreenProps) => {
  const theme = useTheme()
  const billing = useEffectQuery(() => load, [])
  useRefreshOn(refreshTick, billing.refresh)
  const [editing, open] = useCapturingState<string | undefined>(undefined, (v) => v !== undefined, setCapture)
  const [error, setError] = useState<string | undefined>(undefined)

  useKeys(
    (input, key) => {
      if (actionOf("billing", input, key, capabilities, billing.setNotice) === "calculate") open("")
    },
    { isActive: active && editing === undefined }
  )

  const calculate = (text: string) => {
    const usage = parseCount(text)
    if (usage === undefined) return setError("Enter a whole number of identifications")
    setError(undefined)
    open(undefined)
    void billing.run(
      "Calculating…",
      Effect.flatMap(Billing, (b) => b.calculate(usage)),
      (c) =>
        `${int(c.usage)} identifications cost ${money(c.totalCost, c.currency)}: ${c.breakdown
          .filter((x) => x.units > 0)
          .map(
            (x) => `${x.tier} ${int(x.units)} × ${x.pricePerIdentification} = ${money(x.cost, c.currency)}`
          )
          .join("; ")}`
    )
  }

  return (
    <Box flexDirection="column">
      <Text bold>Billing</Text>
      <QueryView state={billing.state} label="billing">
        {({ info, usage }) => (
          <Box flexDirection="column">
            <Text>
              mode {info.billingMode} · {info.billingPeriod} from day {info.billingDayOfMonth} · period since{" "}
              {date(info.billingPeriodStart)} · next bill {date(info.nextBillingDate)}
            </Text>
            <Text>
              pool total {int(info.creditPoolTotal)} · allocated {int(info.creditPoolUsed)} · available{" "}
              <Text color={theme.ok}>{int(info.creditPoolAvailable)}</Text>
            </Text>
            <Text> </Text>
            <Text bold>Pricing tiers</Text>
            {info.pricingTiers.map((t) => (
              <Text key={t.tier}>
                {t.tier.padEnd(14)} {int(t.minUsage).padStart(10)} –{" "}
                {(t.maxUsage === null ? "∞" : int(t.maxUsage)).padEnd(10)} {t.pricePerIdentification} per
                identification
              </Text>
            ))}
            <Text> </Text>
            <Text bold>
              This period ({date(usage.periodStart)} – {date(usage.periodEnd)})
            </Text>
            <Text>
              {int(usage.identifications)} identifications · {int(usage.creditsUsed)} credits · estimated{" "}
              <Text bold>{money(usage.estimatedCost, usage.currency)}</Text>
            </Text>
            {usage.organizations.slice(0, 5).map((o) => (
              <Text key={o.organizationId} color={theme.muted}>
                {"  "}
                {o.name.padEnd(30)} {int(o.identifications)}
              </Text>
            ))}
          </Box>
        )}
      </QueryView>
      {editing !== undefined ? (
        <Form
          title="Cost calculator"
          fields={[{ name: "usage", label: "Identifications" }]}
          values={{ usage: editing }}
          onChange={(v) => open(v["usage"] ?? "")}
          onSubmit={(v) => calculate(v["usage"] ?? "")}
          onCancel={() => open(undefined)}
          error={error}
        />
      ) : null}
      <NoticeLine pending={billing.pending} notice={billing.notice} />
      <Text color={theme.muted}>c cost calculator</Text>
    </Box>
  )
}
