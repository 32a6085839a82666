import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pino from 'pino';
import { parseConfig, type Config } from '../../src/config/index.js';
import { runProduct, type RunningProduct } from '../../src/ops/run-product.js';
import type { Cdr } from '../../src/ops/cdr/cdr.js';
import { CdrWebhookSink } from '../../src/ops/cdr/webhook-sink.js';
import { runSipp } from '../helpers/sipp.js';
import { callsConfig, deviceRow, expectCdrFields, expectSipp, injection } from './calls-support.js';

// A real local HTTP server as the billing webhook. Loopback addresses of this file: webhook
// 127.13.2.1, product 127.13.2.10, caller device 127.13.2.40.
const HOST = '127.13.2.10';

interface Received {
  body: Cdr;
  contentType?: string;
  authorization?: string;
}

type Mode = 'ok' | 'fail-once' | 'hang';

/** The billing endpoint: records what it is posted; answers 200, or 503 once, or never. */
class Billing {
  readonly received: Received[] = [];
  mode: Mode = 'ok';
  private readonly hanging: ServerResponse[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (text += d));
      req.on('end', () => {
        this.received.push({
          body: JSON.parse(text) as Cdr,
          ...(req.headers['content-type'] && { contentType: req.headers['content-type'] }),
          ...(req.headers.authorization && { authorization: req.headers.authorization }),
        });
        if (this.mode === 'hang') return void this.hanging.push(res);
        if (this.mode === 'fail-once') {
          this.mode = 'ok';
          return void res.writeHead(503).end('busy');
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.13.2.1', r));
    const addr = this.server.address();
    this.url = `http://127.13.2.1:${typeof addr === 'object' && addr ? addr.port : 0}/cdr`;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging.splice(0)) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface LogLine {
  msg: string;
  level: number;
  [k: string]: unknown;
}

describe('call records to an HTTP webhook', () => {
  const billing = new Billing();
  const logs: LogLine[] = [];
  let product: RunningProduct;
  const refusedCall = () =>
    runSipp({
      scenario: 'calls/device-call-gets-403.xml',
      target: `${HOST}:5060`,
      ip: '127.13.2.40',
      port: 5060,
      calls: 1,
      timeoutSec: 10,
      injectionFile: injection([deviceRow('102')]),
      extra: ['-s', '19055551234'],
    }).done;

  beforeAll(async () => {
    await billing.start();
    const parsed = parseConfig(callsConfig(), 'cdr-webhook.yaml');
    const config: Config = {
      ...parsed,
      media: { ...parsed.media, mode: 'off' },
      sip: { listen: [{ host: HOST, port: 5060, transports: ['udp', 'tcp'] }] },
      drachtio: { ...parsed.drachtio, port: 0 },
      log: { ...parsed.log, level: 'warn' },
      cdr: { ...parsed.cdr, webhook: { url: billing.url, timeoutMs: 300, attempts: 3, queueSize: 100, authorization: 'Bearer billing-secret' } },
    };
    const log = pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    product = await runProduct(config, log, { nonceSecret: 'cdr-webhook' });
    await product.connected;
  });

  afterAll(async () => {
    await product?.stop();
    await billing.stop();
  });

  it('each call is POSTed as JSON with the configured Authorization; a 503 is retried and the record still arrives', async () => {
    billing.mode = 'fail-once';
    expectSipp(await refusedCall(), 1, 'caller (403)');
    await until('the retried POST', () => billing.received.length >= 2);
    const [first, second] = billing.received;
    expect(first!.body.callId).toBe(second!.body.callId);
    expect(second).toMatchObject({ contentType: 'application/json', authorization: 'Bearer billing-secret' });
    expectCdrFields(second!.body);
    expect(second!.body).toMatchObject({ caller: '102', dialled: '19055551234', finalStatus: 403, action: 'reject' });
    await new Promise((r) => setTimeout(r, 300));
    expect(billing.received).toHaveLength(2);
  });

  it('a webhook that never answers does not hold calls up; its failure is logged once, and its recovery once', async () => {
    billing.received.length = 0;
    billing.mode = 'hang';
    const before = logs.length;
    for (let i = 0; i < 3; i++) expectSipp(await refusedCall(), 1, `caller ${i + 1} with the webhook hanging`);
    await until('the first attempt at each record', () => new Set(billing.received.map((r) => r.body.callId)).size >= 2);
    billing.mode = 'ok';
    await until('every record delivered', () => new Set(billing.received.map((r) => r.body.callId)).size === 3 && logs.some((l) => /webhook .* working again/.test(l.msg)));
    const mine = logs.slice(before);
    expect(mine.filter((l) => /call records to the webhook .* failing/.test(l.msg))).toHaveLength(1);
    expect(mine.filter((l) => /call records to the webhook .* working again/.test(l.msg))).toHaveLength(1);
    // no line carries the webhook's credentials
    expect(JSON.stringify(mine)).not.toContain('billing-secret');
  });

  it('the queue is bounded: past queueSize the oldest records are dropped, logged once', async () => {
    billing.mode = 'hang';
    const lines: LogLine[] = [];
    const sink = new CdrWebhookSink({ url: billing.url, timeoutMs: 2000, attempts: 1, queueSize: 2 }, pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }));
    const cdr = (n: number): Cdr => ({ callId: `q${n}`, direction: 'device', caller: '100', dialled: '101', attempts: [], trunks: [], startedAt: new Date().toISOString(), durationSeconds: 0 });
    for (let i = 1; i <= 6; i++) sink.write(cdr(i));
    // q1 is in flight; q2..q4 dropped as q5, q6 arrived
    expect(sink.queued).toBe(2);
    expect(lines.filter((l) => /queue full/.test(l.msg))).toHaveLength(1);
    billing.mode = 'ok';
    await sink.flush();
    await until('the kept records', () => billing.received.some((r) => r.body.callId === 'q6'));
    expect(billing.received.map((r) => r.body.callId).filter((id) => id.startsWith('q'))).toEqual(['q1', 'q5', 'q6']);
    await sink.close();
  });
});
