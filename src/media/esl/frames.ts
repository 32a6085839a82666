import type { EslEvent, EventBody } from './event.js';

// Server → client frames (spec §2.2). Outer header values never carry a stray '%' (modesl decodes them).
export type EventFormat = 'plain' | 'json' | 'xml';

export const DISCONNECT_TEXT = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export function commandReply(text: string, extra: Array<[string, string]> = []): string {
  let s = `Content-Type: command/reply\nReply-Text: ${text}\n`;
  for (const [k, v] of extra) s += `${k}: ${v}\n`;
  return `${s}\n`;
}

export function apiResponse(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

export function authRequest(): string {
  return 'Content-Type: auth/request\n\n';
}

export function disconnectNotice(channelUuid?: string): string {
  const head = channelUuid ? `Controlled-Session-UUID: ${channelUuid}\nContent-Disposition: disconnect\n` : '';
  return `Content-Type: text/disconnect-notice\n${head}Content-Length: ${Buffer.byteLength(DISCONNECT_TEXT)}\n\n${DISCONNECT_TEXT}`;
}

/** The event's body in the listener's format, in pieces (the channel variables' cached text is one). */
export function eventBody(ev: EslEvent, fmt: EventFormat): EventBody {
  if (fmt === 'json') return ev.jsonBody();
  if (fmt === 'plain') return ev.plainBody();
  const xml = toXml(ev);
  return { parts: [xml], bytes: Buffer.byteLength(xml) };
}

/** What precedes an event body of `bytes` bytes. */
export function eventFrameHead(bytes: number, fmt: EventFormat): string {
  return `Content-Length: ${bytes}\nContent-Type: text/event-${fmt}\n\n`;
}

export function eventFrame(ev: EslEvent, fmt: EventFormat): string {
  const b = eventBody(ev, fmt);
  return eventFrameHead(b.bytes, fmt) + b.parts.join('');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function toXml(ev: EslEvent): string {
  const hs = ev.headers.map(([k, v]) => `    <${k}>${esc(v)}</${k}>`).join('\n');
  const body = ev.body !== undefined ? `\n  <body>${esc(ev.body)}</body>` : '';
  return `<event>\n  <headers>\n${hs}\n  </headers>${body}\n</event>`;
}
