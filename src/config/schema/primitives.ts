import { z } from 'zod';

/**
 * The YAML reader hands every plain number over as its source text (so `+1`, `0100` and
 * `4165550100` survive as written); numeric fields convert back here.
 */
export function int(min: number, max: number) {
  return z.preprocess((v) => (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : v), z.number({ error: 'expected a whole number' }).int().min(min).max(max));
}

/** A number someone dials or a carrier sends: digits and `* # +` (letters allowed for SIP users). */
export const dialString = z.string({ error: 'expected a string of digits' }).regex(/^[0-9A-Za-z*#+]+$/, 'only digits, letters, "*", "#" and "+" are allowed');

export const name = z.string().min(1);

/** `all`, or a list of names. */
export const allOrList = z.union([z.literal('all'), z.array(z.string().min(1))], {
  error: 'expected "all" or a list of names',
});
export type AllOrListInput = z.infer<typeof allOrList>;

export const sipStatus = int(300, 699);

export const transport = z.enum(['udp', 'tcp']);
/** What a SIP listen point may carry (trunks reach peers over udp or tcp only). */
export const listenTransport = z.enum(['udp', 'tcp', 'tls']);

export const host = z.string().min(1);
export const port = int(1, 65535);

/** Digest algorithms to offer, most preferred first (each at most once). */
export const digestAlgorithms = z
  .array(z.enum(['SHA-256', 'MD5']))
  .min(1)
  .refine((l) => new Set(l).size === l.length, { message: 'lists an algorithm twice' });
