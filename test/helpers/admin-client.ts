import { request } from 'node:http';

export interface AdminResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTP request to the admin API from a chosen loopback source address. */
export function adminRequest(
  url: string,
  o: { method?: string; token?: string; body?: string; contentType?: string; localAddress?: string; headers?: Record<string, string> } = {},
): Promise<AdminResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? 'GET',
        ...(o.localAddress && { localAddress: o.localAddress }),
        headers: {
          ...(o.token !== undefined && { authorization: `Bearer ${o.token}` }),
          ...(o.body !== undefined && { 'content-type': o.contentType ?? 'application/yaml' }),
          ...o.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
