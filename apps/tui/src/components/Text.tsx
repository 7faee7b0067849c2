import { Box as InkBox, Text as InkText } from "ink"
import type { ComponentProps } from "react"

type Loose<P, K extends keyof P> = Omit<P, K> & { readonly [k in K]?: P[k] | undefined }

// The theme yields `undefined` for every colour under NO_COLOR; Ink's props reject an explicit undefined.
const defined = <P extends object>(props: Loose<P, keyof P>): P =>
  Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as P

/** Ink's Text, accepting an undefined colour (NO_COLOR). */
export const Text = (props: Loose<ComponentProps<typeof InkText>, "color" | "backgroundColor">) => (
  <InkText {...defined<ComponentProps<typeof InkText>>(props)} />
)

/** Ink's Box, accepting an undefined border colour (NO_COLOR). */
export const Box = (props: Loose<ComponentProps<typeof InkBox>, "borderColor">) => (
  <InkBox {...defined<ComponentProps<typeof InkBox>>(props)} />
)
