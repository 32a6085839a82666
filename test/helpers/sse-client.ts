import { request, type ClientRequest } from 'node:http';

export interface SseEvent {
  type: string;
  id?: string;
  data: unknown;
}

export interface SseStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** every event so far, in order */
  events: SseEvent[];
  /** the raw text received so far */
  raw(): string;
  /** the first event (already received or coming) that matches, or a rejection after timeoutMs */
  next(match: (e: SseEvent) => boolean, timeoutMs?: number, label?: string): Promise<SseEvent>;
  /** resolves when the server ends the stream */
  ended: Promise<void>;
  close(): void;
}

/** A server-sent-event reader over real HTTP, with a chosen loopback source address. */
export function openSse(url: string, o: { token?: string; localAddress?: string } = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(
      url,
      {
        ...(o.localAddress && { localAddress: o.localAddress }),
        headers: { accept: 'text/event-stream', ...(o.token !== undefined && { authorization: `Bearer ${o.token}` }) },
      },
      (res) => {
        const events: SseEvent[] = [];
        const waiters: (() => void)[] = [];
        let text = '';
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            let id: string | undefined;
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('id:')) id = line.slice(3).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length === 0) continue;
            let parsed: unknown;
            try {
              parsed = JSON.parse(data.join('\n'));
            } catch {
              parsed = data.join('\n');
            }
            events.push({ type, ...(id !== undefined && { id }), data: parsed });
          }
          for (const w of waiters.splice(0)) w();
        });
        const ended = new Promise<void>((r) => {
          res.on('end', () => r());
          res.on('close', () => r());
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          raw: () => text,
          ended,
          close: () => req.destroy(),
          next(match, timeoutMs = 5000, label = 'event') {
            return new Promise<SseEvent>((ok, fail) => {
              let seen = 0;
              const look = (): boolean => {
                for (; seen < events.length; seen++) {
                  if (match(events[seen]!)) {
                    ok(events[seen]!);
                    return true;
                  }
                }
                return false;
              };
              if (look()) return;
              const timer = setTimeout(() => fail(new Error(`no ${label} within ${timeoutMs} ms; got: ${events.map((e) => e.type).join(', ')}`)), timeoutMs);
              const again = (): void => {
                if (look()) clearTimeout(timer);
                else waiters.push(again);
              };
              waiters.push(again);
              void ended.then(() => {
                if (!look()) {
                  clearTimeout(timer);
                  fail(new Error(`stream ended before ${label}`));
                }
              });
            });
          },
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
