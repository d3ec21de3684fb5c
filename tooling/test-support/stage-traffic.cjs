// Traffic for the stage-latency tests, run with node inside a test VM or a test namespace:
//   udp-sink PORT                  bind PORT and read until killed (so datagrams are delivered, not refused)
//   udp-send HOST PORT N           N datagrams from one connected socket (distinct IPv4 ids), 20 ms apart
//   tcp-server PORT                accept connections and answer each message with one message
//   tcp-client HOST PORT N         one connection, N request/response rounds (TCP_NODELAY), then close
// Each client prints `sent N` when done; counts of packets on the wire come from the devices.
const dgram = require('node:dgram');
const net = require('node:net');

const [mode, ...args] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (mode === 'udp-sink') {
    dgram.createSocket('udp4').bind(Number(args[0]));
    return;
  }
  if (mode === 'udp-send') {
    const [host, port, n] = [args[0], Number(args[1]), Number(args[2])];
    const s = dgram.createSocket('udp4');
    await new Promise((r) => s.connect(port, host, r));
    for (let i = 0; i < n; i++) {
      await new Promise((r) => s.send(Buffer.alloc(32, i), r));
      await sleep(20);
    }
    s.close();
    console.log(`sent ${n}`);
    return;
  }
  if (mode === 'tcp-server') {
    net
      .createServer((c) => {
        c.setNoDelay(true);
        c.on('data', (d) => c.write(Buffer.alloc(d.length, 0x61)));
        c.on('error', () => {});
      })
      .listen(Number(args[0]));
    return;
  }
  if (mode === 'tcp-client') {
    const [host, port, n] = [args[0], Number(args[1]), Number(args[2])];
    const c = net.connect(port, host);
    c.setNoDelay(true);
    await new Promise((r) => c.once('connect', r));
    for (let i = 0; i < n; i++) {
      const answered = new Promise((r) => c.once('data', r));
      c.write(Buffer.alloc(24, 0x62));
      await answered;
      await sleep(20);
    }
    await new Promise((r) => c.end(r));
    await sleep(200); // the FIN exchange
    c.destroy();
    console.log(`sent ${n}`);
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
