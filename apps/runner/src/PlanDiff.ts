import type { Plan } from "./Plan.js"
import { describeAction, organizationKey, type Step } from "./Step.js"

const paint = (color: boolean, code: number, text: string) =>
  color ? `\u001b[${code}m${text}\u001b[0m` : text

const label = (step: Step) => {
  const { name, externalId, id } = step.organization
  const keys = [externalId, id].filter((k): k is string => k !== null)
  return keys.length === 0 ? name : `${name} (${keys.join(", ")})`
}

/** The plan as a readable diff: one block per organization, `+` creates, `~` changes, `-` deletions. */
export const renderDiff = (plan: Plan, options: { readonly color: boolean }): string => {
  const lines: Array<string> = []
  let current: string | undefined
  for (const step of plan.steps) {
    const key = organizationKey(step.organization)
    if (key !== current) {
      current = key
      const creating = step.action._tag === "createOrganization"
      lines.push(paint(options.color, creating ? 32 : 33, `${creating ? "+" : "~"} ${label(step)}`))
    }
    const deleting = step.action._tag === "deleteIcpConfig"
    const text = `    ${deleting ? "- " : ""}${describeAction(step.action)}`
    lines.push(deleting ? paint(options.color, 31, text) : text)
  }
  lines.push(summary(plan))
  return `${lines.join("\n")}\n`
}

/** One line: how many steps on how many organizations, and what they cost. */
export const summary = (plan: Plan): string =>
  plan.steps.length === 0
    ? `No changes (${plan.organizationsSelected} organizations checked).`
    : `${plan.steps.length} steps on ${plan.organizationsChanged} of ${plan.organizationsSelected} organizations; ` +
      `${plan.requests} requests, about ${plan.estimatedSeconds} s at ${plan.rateLimitPerMinute} requests/min.`
