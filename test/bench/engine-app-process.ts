// Child process for the load bench: the embedded engine plus a drachtio-srf app, so the driver's own
// CPU does not pollute the figures. argv: <mode b2bua|proxy|options> <engineIp> <calleeUri> <t1>
// With ENGINE_ONLY=1 it runs the engine alone; with APP_ONLY=<wirePort> only the app (two-process mode).
import pino from 'pino';
import Srf from 'drachtio-srf';
import { SipEngine } from '../../src/engine/engine.js';

const [mode = 'options', engineIp = '127.0.0.15', callee = 'sip:uas@127.0.0.71:5060', t1 = '500'] = process.argv.slice(2);
const SECRET = 'bench';

async function startEngine(): Promise<SipEngine> {
  const engine = new SipEngine({
    sip: [{ host: engineIp, port: 5060, transports: ['udp'] }],
    wire: { host: '127.0.0.1', port: 0, secret: SECRET },
    logger: pino({ level: 'silent' }),
    timers: { t1: Number(t1) },
  });
  await engine.start();
  return engine;
}

async function startApp(wirePort: number): Promise<Srf> {
  const srf = new Srf();
  await new Promise<void>((resolve, reject) => {
    srf.connect({ host: '127.0.0.1', port: wirePort, secret: SECRET });
    srf.once('connect', (err: Error | undefined) => (err ? reject(err) : resolve()));
  });
  if (mode === 'options') {
    (srf as unknown as { options(h: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void }).options((_req, res) => res.send(200));
  } else if (mode === 'proxy') {
    const proxy = srf as unknown as { proxyRequest(req: Srf.SrfRequest, d: string[], o: object): Promise<unknown> };
    srf.invite((req) => void proxy.proxyRequest(req, [callee], { remainInDialog: true }).catch(() => undefined));
  } else {
    srf.invite((req, res) => {
      srf
        .createB2BUA(req, res, callee, { localSdpB: req.body })
        .then(({ uas, uac }) => {
          uas.on('destroy', () => uac.destroy());
          uac.on('destroy', () => uas.destroy());
          // a BYE that reached srf before this callback ran fired 'destroy' with nobody listening
          const connected = (d: object): boolean => (d as { connected?: boolean }).connected !== false;
          if (!connected(uas)) uac.destroy();
          else if (!connected(uac)) uas.destroy();
        })
        .catch(() => undefined);
    });
  }
  return srf;
}

async function main(): Promise<void> {
  const appOnly = process.env.APP_ONLY;
  const engine = appOnly ? undefined : await startEngine();
  const srf = process.env.ENGINE_ONLY ? undefined : await startApp(appOnly ? Number(appOnly) : engine!.wirePort);
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'stats') {
      process.send?.({ cpu: process.cpuUsage(), mem: process.memoryUsage(), gauges: engine?.stats(), wirePort: engine?.wirePort });
    } else if (m.cmd === 'stop') {
      srf?.disconnect();
      void (engine ? engine.stop() : Promise.resolve()).then(() => process.exit(0));
    }
  });
  process.send?.({ ready: true, wirePort: engine?.wirePort });
}

void main();
