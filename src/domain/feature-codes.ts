/**
 * Built-in feature codes (a tenant may change codes or disable some). `*67` is deliberately NOT a
 * feature here: [001] builds privacy as `*67` outgoing lines, and a `*67` feature taking an
 * argument would capture every such call before the lines are tried.
 */
export const DEFAULT_FEATURE_CODES: Readonly<Record<string, { code: string; argument: boolean }>> = {
  hotDeskLogin: { code: '*22', argument: false },
  hotDeskLogout: { code: '*23', argument: false },
  callForwardUnconditional: { code: '*72', argument: true },
  callForwardCancel: { code: '*73', argument: false },
  doNotDisturbOn: { code: '*78', argument: false },
  doNotDisturbOff: { code: '*79', argument: false },
  voicemail: { code: '*97', argument: false },
  /** Toggles the tenant's night mode (closed service on incoming lines); digits after it: the PIN. */
  nightModeToggle: { code: '*28', argument: true },
};
