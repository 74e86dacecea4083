// A loopback reverse proxy that records every request's method, path and headers (to prove what the suite sends to a target) and can answer some requests itself (to inject failures).
import http from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  status?: number;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An answer the proxy gives itself instead of forwarding, e.g. a 500 for one page. */
export interface InjectedAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

export interface RecordingProxyOptions {
  /**
   * Called for every request with it and the number of earlier requests with the same method and path; an answer is sent
   * as is (and recorded), undefined forwards the request to the target.
   */
  readonly intercept?: (request: { readonly method: string; readonly path: string }, seenBefore: number) => InjectedAnswer | undefined;
}

export async function startRecordingProxy(target: string, options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    const seenBefore = requests.filter((r) => r.method === record.method && r.path === record.path).length;
    requests.push(record);
    const injected = options.intercept?.(record, seenBefore);
    if (injected) {
      record.status = injected.status;
      // The request body is not needed; reading it to the end lets the connection be reused.
      req.resume();
      res.writeHead(injected.status, { 'content-type': injected.contentType ?? 'text/html; charset=utf-8' });
      res.end(injected.body);
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        record.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', (err) => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(forward);
  });
  // Browsers keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
