import net from 'node:net';
import tls from 'node:tls';

export interface TlsRelay {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP listener that carries each connection on to a TLS server, as stunnel's client mode does:
 * it puts a TLS hop in front of a client that cannot speak TLS itself (Debian's SIPp).
 */
export async function startTlsRelay(listen: { host: string; port: number }, to: { host: string; port: number; localAddress: string; ca?: Buffer }): Promise<TlsRelay> {
  const open = new Set<net.Socket>();
  const server = net.createServer((plain) => {
    const options: tls.ConnectionOptions & { localAddress: string } = {
      host: to.host,
      port: to.port,
      localAddress: to.localAddress,
      rejectUnauthorized: to.ca !== undefined,
      ...(to.ca && { ca: to.ca }),
    };
    const secure = tls.connect(options);
    for (const s of [plain, secure]) {
      open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        open.delete(s);
        plain.destroy();
        secure.destroy();
      });
    }
    plain.pipe(secure);
    secure.pipe(plain);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
