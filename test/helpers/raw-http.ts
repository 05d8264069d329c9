import net from "node:net";

/** Sends raw bytes on a fresh connection and collects everything until the server closes it. */
export function rawExchange(port: number, bytes: string | Buffer, opts: { localAddress?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port, localAddress: opts.localAddress }, () => s.write(bytes));
    let out = "";
    s.setEncoding("utf8");
    s.on("data", (d) => (out += d));
    s.on("close", () => resolve(out));
    s.on("error", (err) => (out ? resolve(out) : reject(err)));
  });
}

/** Status and parsed JSON body of a raw HTTP/1.1 answer. */
export function parseAnswer(raw: string): { status: number; headers: string; body: { errors: { code: string; message: string }[] } } {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, headers: head, body: JSON.parse(rest.join("\r\n\r\n")) };
}
