import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { EslEvent } from './event.js';

/** Who fires events: the headers every FreeSWITCH event starts with (spec §2.5). */
export interface Identity {
  coreUuid: string;
  hostname: string;
  ipv4: string;
  switchname: string;
  startedAt: number;
}

export function newIdentity(ipv4: string): Identity {
  return { coreUuid: randomUUID(), hostname: hostname(), ipv4, switchname: hostname(), startedAt: Date.now() };
}

let sequence = 0;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function baseEvent(id: Identity, name: string, subclass?: string): EslEvent {
  const now = new Date();
  const ev = new EslEvent(name)
    .add('Event-Name', name)
    .add('Core-UUID', id.coreUuid)
    .add('FreeSWITCH-Hostname', id.hostname)
    .add('FreeSWITCH-Switchname', id.switchname)
    .add('FreeSWITCH-IPv4', id.ipv4)
    .add('FreeSWITCH-IPv6', '::1')
    .add('Event-Date-Local', localDate(now))
    .add('Event-Date-GMT', now.toUTCString())
    .add('Event-Date-Timestamp', String(now.getTime() * 1000))
    .add('Event-Calling-File', 'embedded.ts')
    .add('Event-Calling-Function', name.toLowerCase())
    .add('Event-Calling-Line-Number', '1')
    .add('Event-Sequence', String(++sequence));
  if (subclass) ev.add('Event-Subclass', subclass);
  return ev;
}
