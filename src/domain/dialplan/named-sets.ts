/**
 * Named dial-string sets an outgoing line can use instead of (or besides) custom dial strings,
 * like the "Dial String" type drop-list of [001]. Toll free is 1 + 800/844/855/866/877/888 + 7 digits.
 */
export const NAMED_DIAL_STRING_SETS = {
  tollFree: ['1800NXXXXXX', '1844NXXXXXX', '1855NXXXXXX', '1866NXXXXXX', '1877NXXXXXX', '1888NXXXXXX'],
} as const satisfies Record<string, readonly string[]>;

export type NamedDialStringSet = keyof typeof NAMED_DIAL_STRING_SETS;

export const NAMED_DIAL_STRING_SET_NAMES = Object.keys(NAMED_DIAL_STRING_SETS) as NamedDialStringSet[];
