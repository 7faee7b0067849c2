import { Box, Text } from "./Text.js"
import type { ReactNode } from "react"
import { useTheme } from "../Theme.js"

export interface Column<T> {
  readonly title: string
  readonly width: number
  readonly align?: "left" | "right"
  readonly cell: (row: T) => string
  readonly color?: (row: T) => string | undefined
}

const fit = (text: string, width: number, align: "left" | "right" = "left"): string => {
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text
  return align === "right" ? cut.padStart(width) : cut.padEnd(width)
}

/** The first row to show so that the cursor stays inside a window of `height` rows. */
export const windowStart = (cursor: number, height: number, count: number): number => {
  const max = Math.max(0, count - height)
  return Math.min(max, Math.max(0, cursor - Math.floor(height / 2)))
}

/** A table that renders only the rows in view, so its cost does not grow with the row count. */
export const Table = <T,>({
  columns,
  rows,
  cursor,
  height,
  rowKey,
  empty
}: {
  readonly columns: ReadonlyArray<Column<T>>
  readonly rows: ReadonlyArray<T>
  readonly cursor: number
  readonly height: number
  readonly rowKey: (row: T) => string
  readonly empty?: ReactNode
}) => {
  const theme = useTheme()
  const start = windowStart(cursor, height, rows.length)
  const visible = rows.slice(start, start + height)
  return (
    <Box flexDirection="column">
      <Text bold color={theme.muted}>
        {"  "}
        {columns.map((c) => fit(c.title, c.width, c.align)).join(" ")}
      </Text>
      {visible.length === 0 && empty !== undefined ? <Text color={theme.muted}> {empty}</Text> : null}
      {visible.map((row, i) => {
        const selected = start + i === cursor
        return (
          <Text key={rowKey(row)} inverse={selected && theme.color} bold={selected}>
            {selected ? "> " : "  "}
            {columns.map((c, ci) => (
              <Text key={ci} color={selected ? undefined : c.color?.(row)}>
                {fit(c.cell(row), c.width, c.align)}
                {ci < columns.length - 1 ? " " : ""}
              </Text>
            ))}
          </Text>
        )
      })}
    </Box>
  )
}
