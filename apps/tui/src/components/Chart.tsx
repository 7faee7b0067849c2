import { Box, Text } from "./Text.js"
import { useTheme } from "../Theme.js"

const blocks = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

/** A column chart of daily values, `height` rows tall, one column per value. */
export const Chart = ({
  values,
  height,
  labels
}: {
  readonly values: ReadonlyArray<number>
  readonly height: number
  readonly labels: readonly [string, string]
}) => {
  const theme = useTheme()
  const max = Math.max(1, ...values)
  const rows = Array.from({ length: height }, (_, i) => {
    const level = height - i - 1
    return values
      .map((v) => {
        const eighths = Math.round((v / max) * height * 8) - level * 8
        return blocks[Math.max(0, Math.min(8, eighths))] ?? " "
      })
      .join("")
  })
  const width = values.length
  const gap = Math.max(1, width - labels[0].length - labels[1].length)
  return (
    <Box flexDirection="column">
      <Text color={theme.muted}>max {max.toLocaleString("en-US")}/day</Text>
      {rows.map((row, i) => (
        <Text key={i} color={theme.accent}>
          {row}
        </Text>
      ))}
      <Text color={theme.muted}>
        {labels[0]}
        {" ".repeat(gap)}
        {labels[1]}
      </Text>
    </Box>
  )
}
