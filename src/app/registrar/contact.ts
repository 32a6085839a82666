import { parseNameAddr, splitHeaderValues, unquote, uriMatchKey } from '../../sip/index.js';

/**
 * Contact header values as a registrar needs them (RFC 3261 §20.10, §10.3; RFC 5626 params).
 * Without angle brackets, every `;param` after the URI is a header parameter, not a URI one.
 */
export type ParsedContact =
  | { star: true }
  | {
      star: false;
      uri: string;
      displayName?: string;
      /** Header parameters, names lower-cased, values unquoted (null for flags). */
      params: ReadonlyMap<string, string | null>;
    };

/** Splits a Contact header value holding several contacts at top-level commas. */
export function splitContactHeader(value: string): string[] {
  return splitHeaderValues(value);
}

/** Undefined when the value is not a usable contact (the SIP grammar's name-addr / addr-spec). */
export function parseContact(raw: string): ParsedContact | undefined {
  if (raw.indexOf('*') >= 0 && raw.trim() === '*') return { star: true };
  const na = parseNameAddr(raw);
  if (na === undefined) return undefined;
  const params = na.params;
  if (raw.indexOf('"') >= 0) {
    params.forEach((value, name) => {
      if (value !== null && value.charCodeAt(0) === 0x22) params.set(name, unquote(value));
    });
  }
  return na.displayName === undefined ? { star: false, uri: na.uri, params } : { star: false, uri: na.uri, displayName: na.displayName, params };
}

/**
 * A comparison key for contact URIs, close enough to RFC 3261 §19.1.4 for binding matching:
 * scheme and host are case-insensitive, the user part is not, URI parameters are unordered
 * and compared case-insensitively.
 */
export function normaliseContactUri(uri: string): string {
  return uriMatchKey(uri);
}
