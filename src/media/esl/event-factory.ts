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

/** An event that was not built (no listener) still uses its Event-Sequence number, as in FreeSWITCH. */
export function skipEventSequence(): void {
  sequence++;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** the date headers change once a second: built once for each second that fires events */
const dates = { second: -1, local: '', gmt: '' };
/** Event-Calling-Function of each event name */
const callingFunction = new Map<string, string>();

export function baseEvent(id: Identity, name: string, subclass?: string): EslEvent {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== dates.second) {
    const now = new Date(ms);
    dates.second = second;
    dates.local = localDate(now);
    dates.gmt = now.toUTCString();
  }
  let fn = callingFunction.get(name);
  if (fn === undefined) {
    fn = name.toLowerCase();
    if (callingFunction.size < 256) callingFunction.set(name, fn);
  }
  const ev = new EslEvent(name)
    .add('Event-Name', name)
    .add('Core-UUID', id.coreUuid)
    .add('FreeSWITCH-Hostname', id.hostname)
    .add('FreeSWITCH-Switchname', id.switchname)
    .add('FreeSWITCH-IPv4', id.ipv4)
    .add('FreeSWITCH-IPv6', '::1')
    .add('Event-Date-Local', dates.local)
    .add('Event-Date-GMT', dates.gmt)
    .add('Event-Date-Timestamp', String(ms * 1000))
    .add('Event-Calling-File', 'embedded.ts')
    .add('Event-Calling-Function', fn)
    .add('Event-Calling-Line-Number', '1')
    .add('Event-Sequence', String(++sequence));
  if (subclass) ev.add('Event-Subclass', subclass);
  return ev;
}
