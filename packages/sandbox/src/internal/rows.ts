/** A row as the SQL drivers return it (both dialects store only TEXT and INTEGER). */
export type Row = Readonly<Record<string, unknown>>

export const text = (row: Row, column: string): string => {
  const value = row[column]
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "bigint") return String(value)
  throw new Error(`Column ${column} is not text`)
}

export const textOrNull = (row: Row, column: string): string | null =>
  row[column] === null || row[column] === undefined ? null : text(row, column)

export const int = (row: Row, column: string): number => {
  const value = Number(row[column])
  if (!Number.isFinite(value)) throw new Error(`Column ${column} is not a number`)
  return value
}

export const intOrNull = (row: Row, column: string): number | null =>
  row[column] === null || row[column] === undefined ? null : int(row, column)

export const flag = (row: Row, column: string): boolean =>
  row[column] === 1 || row[column] === true || row[column] === "1"

export const json = <A>(row: Row, column: string): A => JSON.parse(text(row, column)) as A

export const jsonOrNull = <A>(row: Row, column: string): A | null =>
  row[column] === null || row[column] === undefined ? null : json<A>(row, column)

export const bit = (value: boolean): number => (value ? 1 : 0)

/** Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern. */
export const likeContains = (value: string): string =>
  `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
