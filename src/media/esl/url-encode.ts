// FreeSWITCH's url encoding of event-plain values (protocol spec §2.4): every byte outside 0x20..0x7E
// and every reserved character becomes %XX, except a '%' already followed by two upper-case hex digits.
const RESERVED = new Set(' \r\n #%&+:;<=>?@[\\]^`{|}"'.split('').map((c) => c.charCodeAt(0)));
const HEX = '0123456789ABCDEF';

function isUpperHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}

/** true when no byte of `value` would be encoded: it is its own encoding (most values are) */
function plainAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || RESERVED.has(c)) return false;
  }
  return true;
}

export function fsUrlEncode(value: string): string {
  if (value === '') return '_undef_';
  if (plainAscii(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2])) out += '%';
    else if (b < 0x20 || b > 0x7e || RESERVED.has(b)) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    else out += String.fromCharCode(b);
  }
  return out;
}
