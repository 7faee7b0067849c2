import { Analytics } from "@bullseye-partner/core/Analytics"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Effect } from "effect"
import { Bar } from "../components/Bar.js"
import { Chart } from "../components/Chart.js"
import { QueryView } from "../components/QueryView.js"
import { Box, Text } from "../components/Text.js"
import { int } from "../format.js"
import type { ScreenProps } from "../Route.js"
import { useEffectQuery, useRefreshOn } from "../Runtime.js"
import { useTheme } from "../Theme.js"

const DAYS = 30

/** The last `n` calendar days (UTC) ending today, oldest first. */
export const lastDays = (n: number, now: Date): ReadonlyArray<string> =>
  Array.from({ length: n }, (_, i) =>
    new Date(now.getTime() - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10)
  )

const partnerQuery = Effect.flatMap(PartnerAccount, (p) => p.me())
const webhooksQuery = Effect.flatMap(Webhooks, (w) => w.get())

// The API gives totals per range only, so the chart asks for each day (30 small requests, 10 at a time).
const daily = (days: ReadonlyArray<string>) =>
  Effect.flatMap(Analytics, (analytics) =>
    Effect.forEach(
      days,
      (day) => Effect.map(analytics.get({ startDate: day, endDate: day }), (a) => a.totalIdentifications),
      { concurrency: 10 }
    )
  )

/** Partner, credit pool, identifications per day, webhook channels and domain status. */
export const Dashboard = ({ width, refreshTick }: ScreenProps) => {
  const theme = useTheme()
  // Separate queries, so the partner's numbers show as soon as they arrive (the first request of a
  // session goes alone: the rate-limit governor probes the budget with it).
  const partner = useEffectQuery(() => partnerQuery, [])
  const webhooks = useEffectQuery(() => webhooksQuery, [])
  const days = lastDays(DAYS, new Date())
  // The chart's 30 requests start once the partner is in, so they do not delay the first numbers.
  const partnerLoading = partner.state._tag === "Loading"
  const chart = useEffectQuery(partnerLoading ? undefined : () => daily(days), [partnerLoading])
  useRefreshOn(refreshTick, partner.refresh)
  useRefreshOn(refreshTick, webhooks.refresh)
  useRefreshOn(refreshTick, chart.refresh)
  const barWidth = Math.max(10, Math.min(50, width - 30))
  return (
    <Box flexDirection="column">
      <QueryView state={partner.state} label="partner">
        {(partner) => (
          <Box flexDirection="column">
            <Text>
              <Text bold>{partner.name}</Text>
              <Text color={theme.muted}> ({partner.companyName}) </Text>
              <Text color={partner.status === "active" ? theme.ok : theme.error}>{partner.status}</Text>
              <Text color={theme.muted}> · {partner.billingMode}</Text>
            </Text>
            <Text> </Text>
            <Text bold>Credit pool</Text>
            <Box>
              <Bar used={partner.creditPoolUsed} total={partner.creditPoolTotal} width={barWidth} />
            </Box>
            <Text>
              total {int(partner.creditPoolTotal)} · allocated {int(partner.creditPoolUsed)} · available{" "}
              <Text bold color={theme.ok}>
                {int(partner.creditPoolAvailable)}
              </Text>
            </Text>
            <Text> </Text>
            <QueryView state={webhooks.state} label="webhooks">
              {(channels) => (
                <Text>
                  <Text bold>Webhooks </Text>
                  {(["identification", "billing"] as const).map((type) => (
                    <Text key={type}>
                      {type}{" "}
                      <Text color={channels[type].enabled ? theme.ok : theme.muted}>
                        {channels[type].enabled ? "on" : "off"}
                      </Text>
                      <Text color={theme.muted}> {channels[type].url ?? "(no url)"} </Text>
                    </Text>
                  ))}
                </Text>
              )}
            </QueryView>
            <Text>
              <Text bold>Domain </Text>
              {partner.scriptDomain === null ? (
                <Text color={theme.muted}>none set (7 to set one)</Text>
              ) : (
                <Text>
                  {partner.scriptDomain}{" "}
                  <Text color={partner.scriptDomainVerified ? theme.ok : theme.warn}>
                    {partner.scriptDomainVerified ? "verified" : "not verified"}
                  </Text>
                </Text>
              )}
            </Text>
          </Box>
        )}
      </QueryView>
      <Text> </Text>
      <Text bold>Identifications per day, last {DAYS} days</Text>
      <QueryView state={chart.state} label="analytics">
        {(values) => (
          <Box flexDirection="column">
            <Chart values={values} height={5} labels={[days[0] ?? "", days[days.length - 1] ?? ""]} />
            <Text color={theme.muted}>total {int(values.reduce((a, b) => a + b, 0))}</Text>
          </Box>
        )}
      </QueryView>
    </Box>
  )
}
