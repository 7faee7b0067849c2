import type { WebhookDelivery } from "@bullseye-partner/core/Domain/Webhook"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Effect } from "effect"
import { useState } from "react"
import { QueryView } from "../../components/QueryView.js"
import { Table } from "../../components/Table.js"
import { Box, Text } from "../../components/Text.js"
import { dateTime, int } from "../../format.js"
import { keyName, useKeys } from "../../Keybindings.js"
import { useEffectQuery } from "../../Runtime.js"
import { useTheme, type Theme } from "../../Theme.js"

const PAGE_SIZE = 20

/** The colour of a delivery status. */
export const statusColor = (theme: Theme, status: string): string | undefined =>
  status === "success"
    ? theme.ok
    : status === "failed"
      ? theme.error
      : status === "retrying"
        ? theme.warn
        : theme.muted

/** Delivery logs, newest first, a page at a time (refreshing every few seconds). */
export const DeliveryLogs = ({ height }: { readonly height: number }) => {
  const theme = useTheme()
  const [page, setPage] = useState(1)
  const [cursor, setCursor] = useState(0)
  const logs = useEffectQuery(
    () => Effect.flatMap(Webhooks, (w) => w.logs({ page, pageSize: PAGE_SIZE })),
    [page],
    {
      intervalMs: 3000
    }
  )
  const total = logs.state._tag === "Success" ? logs.state.value.total : 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  useKeys((input, key) => {
    const name = keyName(input, key)
    if (name === "n") setPage((p) => Math.min(pages, p + 1))
    else if (name === "p") setPage((p) => Math.max(1, p - 1))
    else if (name === "up" || name === "k") setCursor((c) => Math.max(0, c - 1))
    else if (name === "down" || name === "j") setCursor((c) => Math.min(PAGE_SIZE - 1, c + 1))
  })
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Delivery logs </Text>
        <Text color={theme.muted}>
          page {page} of {pages} · {int(total)} deliveries · n/p page · Esc back
        </Text>
      </Text>
      <QueryView state={logs.state} label="delivery logs">
        {(value) => (
          <Table
            columns={[
              { title: "Created", width: 16, cell: (d: WebhookDelivery) => dateTime(d.createdAt) },
              { title: "Type", width: 14, cell: (d) => d.type },
              { title: "Event", width: 18, cell: (d) => d.event },
              {
                title: "Status",
                width: 8,
                cell: (d) => d.status,
                color: (d) => statusColor(theme, d.status)
              },
              { title: "Try", width: 3, align: "right", cell: (d) => String(d.attempts) },
              {
                title: "HTTP",
                width: 4,
                cell: (d) => (d.responseStatus === null ? "–" : String(d.responseStatus))
              },
              { title: "Error", width: 20, cell: (d) => d.error ?? "" }
            ]}
            rows={value.logs}
            cursor={Math.min(cursor, value.logs.length - 1)}
            height={Math.max(3, height - 3)}
            rowKey={(d) => d.id}
            empty="No deliveries yet"
          />
        )}
      </QueryView>
    </Box>
  )
}
