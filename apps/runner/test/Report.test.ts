import { describe, expect, it } from "@effect/vitest"
import { reportRows, safeCell, succeeded, toCsv, toNdjson } from "../src/Report.js"
import type { Step } from "../src/Step.js"

const step: Step = {
  id: "o1#1:setTier",
  organization: { id: "o1", externalId: "=cmd|' /C calc'!A0", name: "+Evil, Inc" },
  action: { _tag: "setTier", from: "trial", to: "paid" }
}

describe("Report", () => {
  it("neutralises cells a spreadsheet would evaluate", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain"].map(safeCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "plain"
    ])
  })

  it("writes one line per step with its outcome, as CSV or NDJSON", () => {
    const rows = reportRows(
      [
        step,
        { ...step, id: "o1#2:setStatus", action: { _tag: "setStatus", from: "active", to: "suspended" } }
      ],
      [
        {
          stepId: step.id,
          seq: 0,
          state: "done",
          outcome: "failed",
          organizationId: "o1",
          errorCode: "trial_credit_cap",
          message: "-too many"
        },
        {
          stepId: "o1#2:setStatus",
          seq: 1,
          state: "started",
          outcome: null,
          organizationId: null,
          errorCode: null,
          message: null
        }
      ]
    )
    expect(toCsv(rows)).toBe(
      "step,organizationId,externalId,organization,action,outcome,errorCode,message\n" +
        `o1#1:setTier,o1,'=cmd|' /C calc'!A0,"'+Evil, Inc",setTier,failed,trial_credit_cap,'-too many\n` +
        `o1#2:setStatus,o1,'=cmd|' /C calc'!A0,"'+Evil, Inc",setStatus,interrupted,,\n`
    )
    expect(
      toNdjson(rows)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).outcome)
    ).toEqual(["failed", "interrupted"])
    expect(succeeded(rows)).toBe(false)
  })
})
