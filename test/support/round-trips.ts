// A loopback relay between a client and a server that counts round trips: a client flight is the bytes the client
// sends after the server last spoke, so statements pipelined together count once and every wait for an answer
// counts again. Nothing is changed in passing; it only watches the wire, so a test can say how many times a database
// client waited for PostgreSQL without any stand-in for either.
import net from 'node:net';

export interface RoundTripCounter {
  /** host:port to connect to instead of the server. */
  readonly address: { host: string; port: number };
  /** Client flights on all connections so far. */
  flights(): number;
  close(): Promise<void>;
}

export async function countRoundTrips(target: { host: string; port: number }): Promise<RoundTripCounter> {
  let flights = 0;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const server = net.connect(target.port, target.host);
    let serverSpokeLast = true;
    client.on('data', (chunk) => {
      if (serverSpokeLast) flights++;
      serverSpokeLast = false;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      serverSpokeLast = true;
      client.write(chunk);
    });
    for (const [from, to] of [
      [client, server],
      [server, client],
    ] as const) {
      sockets.add(from);
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => sockets.delete(from));
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as net.AddressInfo;
  return {
    address: { host: '127.0.0.1', port },
    flights: () => flights,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => resolve());
      }),
  };
}
