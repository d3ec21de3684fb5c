#!/usr/bin/env node
// The fixed workload of the bench's kernel-side cost phase, on loopback: UDP datagrams to a
// closed port (each one a packet drop), UDP datagrams sent and received, and TCP connections
// that exchange a few kilobytes. Every plugin's programs run under the same traffic.
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';

const UDP_DROPS = 20_000;
const UDP_ECHO = 20_000;
const TCP_CONNECTIONS = 200;
const TCP_BYTES = 16 * 1024;

const payload = Buffer.alloc(64, 0x61);

async function udpTo(port, count, socket = createSocket('udp4')) {
  for (let sent = 0; sent < count; ) {
    const burst = Math.min(256, count - sent);
    await Promise.all(Array.from({ length: burst }, () => new Promise((r) => socket.send(payload, port, '127.0.0.1', r))));
    sent += burst;
  }
  return socket;
}

async function closedPort() {
  const s = createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  s.close();
  return port;
}

async function udpEcho() {
  const rx = createSocket('udp4');
  await new Promise((r) => rx.bind(0, '127.0.0.1', r));
  const tx = createSocket('udp4');
  let received = 0;
  let wake = () => {};
  rx.on('message', () => {
    received++;
    wake();
  });
  // Bursts of 32, each awaited: the receive queue never overflows, so the traffic is the same
  // on every run.
  for (let sent = 0; sent < UDP_ECHO; ) {
    const burst = Math.min(32, UDP_ECHO - sent);
    for (let i = 0; i < burst; i++) tx.send(payload, rx.address().port, '127.0.0.1');
    sent += burst;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 200);
      wake = () => {
        if (received >= sent) {
          clearTimeout(timer);
          resolve();
        }
      };
      wake();
    });
  }
  tx.close();
  rx.close();
  return received;
}

async function tcp() {
  const server = createServer((sock) => sock.pipe(sock));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const chunk = Buffer.alloc(TCP_BYTES, 0x62);
  for (let i = 0; i < TCP_CONNECTIONS; i++) {
    await new Promise((resolve, reject) => {
      const c = connect(port, '127.0.0.1', () => c.end(chunk));
      let got = 0;
      c.on('data', (d) => (got += d.length));
      c.on('end', () => (got === TCP_BYTES ? resolve() : reject(new Error(`tcp echo got ${got} bytes`))));
      c.on('error', reject);
    });
  }
  server.close();
}

const drops = await udpTo(await closedPort(), UDP_DROPS);
drops.close();
const echoed = await udpEcho();
await tcp();
process.stdout.write(`${JSON.stringify({ udp_drops: UDP_DROPS, udp_echoed: echoed, tcp_connections: TCP_CONNECTIONS })}\n`);
