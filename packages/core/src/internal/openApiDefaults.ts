/** A default the API applies to a field or a query parameter that a request leaves out. */
export type DefaultValue = string | number | boolean | ReadonlyArray<string>

// From the partner-api reference: pagination, full access, `tier` and `billingDayOfMonth` are [doc]; the rest [decided].
export const queryDefaults: Readonly<Record<string, DefaultValue>> = { page: 1, pageSize: 20 }

// Request bodies, by component name of the generated document.
export const bodyDefaults: Readonly<Record<string, Readonly<Record<string, DefaultValue>>>> = {
  ApiKeyCreate: { scopes: ["read", "write", "admin"] },
  OrganizationCreate: { tier: "trial", billingPeriod: "monthly", billingDayOfMonth: 1, productType: "B2B" },
  IcpConfigCreate: { active: true }
}
